"""Access policies: eligibility diagnoses (eligibility.md §2.2, §7.1).

- Job seeker pages (`candidats/<public_id>/...`): the diagnosis of `world.job_seeker` is made by an authorized
  prescriber only; every other logged-in persona gets a 403.
- Application pages (`candidatures/<id>/...`): the employer acting for the company that received the application
  (EMPLOYER) reaches it; another company's employer does not even learn it exists (404); other roles get a 403.
  The GEIQ page needs a GEIQ: its URL builder gives the EMPLOYER persona a GEIQ, chosen as current organization.
- `mon-eligibilite/`: the job seeker only.
"""

import datetime

from django.urls import reverse

from inclusion.companies.enums import CompanyKind
from tests.access.personas import AUTHORIZED_PRESCRIBER, EMPLOYER, JOB_SEEKER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, logged_in
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory


def job_seeker_url(url_name):
    return lambda world: reverse(url_name, args=[world.job_seeker.public_id])


def iae_application_url(world):
    """An application of the job seeker to the EMPLOYER persona's ACI."""
    job_application = JobApplicationFactory(job_seeker=world.job_seeker, to_company=world.company)
    return reverse("eligibility_iae_employer", args=[job_application.id])


def geiq_application_url(world):
    """An application of the job seeker to a GEIQ of the EMPLOYER persona.

    The GEIQ membership is the oldest one of the persona, so that the GEIQ is its default current organization
    (organizations.md §1.1: companies first, oldest membership first).
    """
    geiq = CompanyFactory(kind=CompanyKind.GEIQ)
    employer = world.user(EMPLOYER)
    oldest = employer.companymembership_set.order_by("joined_at").first().joined_at
    CompanyMembershipFactory(organization=geiq, user=employer, joined_at=oldest - datetime.timedelta(days=1))
    job_application = JobApplicationFactory(job_seeker=world.job_seeker, to_company=geiq)
    return reverse("eligibility_geiq_employer", args=[job_application.id])


APPLICATION_PAGE = logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: NOT_FOUND})

POLICIES = {
    "eligibility_iae_prescriber": Policy(
        logged_in(FORBIDDEN, **{AUTHORIZED_PRESCRIBER: OK}), url=job_seeker_url("eligibility_iae_prescriber")
    ),
    "eligibility_geiq_prescriber": Policy(
        logged_in(FORBIDDEN, **{AUTHORIZED_PRESCRIBER: OK}), url=job_seeker_url("eligibility_geiq_prescriber")
    ),
    "eligibility_iae_employer": Policy(APPLICATION_PAGE, url=iae_application_url),
    "eligibility_geiq_employer": Policy(APPLICATION_PAGE, url=geiq_application_url),
    "eligibility_job_seeker": Policy(logged_in(FORBIDDEN, **{JOB_SEEKER: OK})),
}
