"""Applications with the people the e-mails of applications.md §4 go to."""

from inclusion.applications.enums import JobApplicationState, SenderKind
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory


def company_with_members(kind="ACI", *, members=1):
    """A company and its `members` active members (the first one is its admin)."""
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=kind, with_member=employer)
    company.employers = [employer] + [
        CompanyMembershipFactory(organization=company, user=ProfessionalFactory(), is_admin=False).user
        for _ in range(members - 1)
    ]
    return company


def job_seeker(**fields):
    return JobSeekerFactory(first_name="Sophie", last_name="Durand", **fields)


def sent_by_prescriber(*, authorized, company=None, state=JobApplicationState.NEW, created_by_sender=False, **fields):
    """An application sent by a prescriber who is a member of his organization (authorized or orienteur)."""
    prescriber = ProfessionalFactory(first_name="Paul", last_name="Prescripteur")
    organization = PrescriberOrganizationFactory(authorized=authorized, with_member=prescriber)
    person = fields.pop("job_seeker", None) or job_seeker(created_by=prescriber if created_by_sender else None)
    return JobApplicationFactory(
        job_seeker=person,
        sender=prescriber,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
        to_company=company or company_with_members(),
        state=state,
        **fields,
    )


def sent_by_employer(*, company=None, sender_company=None, sender=None, state=JobApplicationState.NEW, **fields):
    """An application an employer sent for a job seeker, by default to another company.

    With `sender_company`, `sender` must be one of its members (self-prescription: `sender_company == company`).
    """
    sender = sender or ProfessionalFactory(first_name="Émile", last_name="Employeur")
    sender_company = sender_company or CompanyFactory(with_member=sender)
    return JobApplicationFactory(
        job_seeker=fields.pop("job_seeker", None) or job_seeker(),
        sender=sender,
        sender_kind=SenderKind.EMPLOYER,
        sender_company=sender_company,
        to_company=company or company_with_members(),
        state=state,
        **fields,
    )


def sent_by_job_seeker(*, company=None, state=JobApplicationState.NEW, **fields):
    person = fields.pop("job_seeker", None) or job_seeker()
    return JobApplicationFactory(
        job_seeker=person, sender=person, to_company=company or company_with_members(), state=state, **fields
    )
