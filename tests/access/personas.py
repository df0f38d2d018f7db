"""The people every URL is requested as, and the little world they live in."""

import datetime
from dataclasses import dataclass

from inclusion.applications.enums import SenderKind
from inclusion.users.models import User
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory, valid_nir

ANONYMOUS = "anonymous"
JOB_SEEKER = "job_seeker"
ORIENTEUR = "orienteur"
AUTHORIZED_PRESCRIBER = "authorized_prescriber"
EMPLOYER = "employer"  # member of the company the URL is about
OTHER_EMPLOYER = "other_employer"  # member of another company
INSTITUTION_MEMBER = "institution_member"
STAFF = "staff"

PERSONAS = [
    ANONYMOUS,
    JOB_SEEKER,
    ORIENTEUR,
    AUTHORIZED_PRESCRIBER,
    EMPLOYER,
    OTHER_EMPLOYER,
    INSTITUTION_MEMBER,
    STAFF,
]


@dataclass
class World:
    users: dict[str, User | None]
    company: object  # the EMPLOYER persona's company (admin member), with an active job description
    other_company: object  # the OTHER_EMPLOYER persona's company (admin member)
    job_description: object  # an active job description of `company`
    prescriber_organization: object  # authorized; the AUTHORIZED_PRESCRIBER persona is its admin
    orienteur_organization: object  # not authorized; the ORIENTEUR persona is its admin
    institution: object  # the INSTITUTION_MEMBER persona is its admin
    job_seeker: User  # the JOB_SEEKER persona; no address, so her profile is incomplete (applications.md §17)
    # Created by the ORIENTEUR persona, with every personal field filled in (tests/access/personal_data.py).
    proxied_job_seeker: User

    def user(self, persona):
        return self.users[persona]


def build_world():
    employer, other_employer = ProfessionalFactory(), ProfessionalFactory()
    company = CompanyFactory(with_member=employer)
    other_company = CompanyFactory(with_member=other_employer)
    job_description = JobDescriptionFactory(company=company)
    orienteur, prescriber, institution_member = ProfessionalFactory(), ProfessionalFactory(), ProfessionalFactory()
    orienteur_organization = PrescriberOrganizationFactory(with_member=orienteur)
    prescriber_organization = PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
    institution = InstitutionFactory(with_member=institution_member)
    job_seeker = JobSeekerFactory(phone="0611223344", profile__birthdate=datetime.date(1974, 11, 2))
    job_seeker.jobseeker_profile.nir = valid_nir(birthdate=datetime.date(1974, 11, 2), department="38", order=457)
    job_seeker.jobseeker_profile.save()
    proxied_job_seeker = JobSeekerFactory(
        created_by=orienteur,
        phone="0755667788",
        address_line_1="3 allée des Tilleuls argentés",
        post_code="38000",
        city="Grenoble",
        profile__birthdate=datetime.date(1968, 6, 21),
    )
    # The orienteur oriented both people: his sent list and exports show them, masked for the one he did not create.
    for person in (job_seeker, proxied_job_seeker):
        JobApplicationFactory(
            job_seeker=person,
            to_company=company,
            sender=orienteur,
            sender_kind=SenderKind.PRESCRIBER,
            sender_prescriber_organization=orienteur_organization,
        )
    users = {
        ANONYMOUS: None,
        JOB_SEEKER: job_seeker,
        ORIENTEUR: orienteur,
        AUTHORIZED_PRESCRIBER: prescriber,
        EMPLOYER: employer,
        OTHER_EMPLOYER: other_employer,
        INSTITUTION_MEMBER: institution_member,
        STAFF: StaffFactory(),
    }
    return World(
        users=users,
        company=company,
        other_company=other_company,
        job_description=job_description,
        prescriber_organization=prescriber_organization,
        orienteur_organization=orienteur_organization,
        institution=institution,
        job_seeker=job_seeker,
        proxied_job_seeker=proxied_job_seeker,
    )
