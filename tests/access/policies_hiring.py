"""Access policies: hiring (applications.md §5, §6, §8, §13 "Direct hire"; pass_iae.md §10).

- Application pages (`entreprise/candidatures/<id>/...`): the employer acting for the company that received the
  application (EMPLOYER) reaches them; another company's employer does not even learn the application exists (404);
  other roles get a 403. The accept wizard's job seeker has complete data (no detour to the "completer" page), the
  cancellation and the contract edit are about an accepted application whose contract starts later.
- "Déclarer une embauche": employers of an SIAE or a GEIQ (both personas' companies are ACI); other roles get a 403
  (EA, EATT and OPCS employers too: tests/applications/test_hiring_direct.py).
"""

import datetime

from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.utils.dates import today
from tests.access.personas import EMPLOYER, OTHER_EMPLOYER
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, logged_in
from tests.applications.factories import JobApplicationFactory


def accept_url(world):
    job_application = JobApplicationFactory(job_seeker_ready_to_hire=True, to_company=world.company)
    return reverse("application_accept", args=[job_application.id])


def _accepted(world):
    return JobApplicationFactory(
        job_seeker=world.job_seeker,
        to_company=world.company,
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=today() + datetime.timedelta(days=10),
    )


def cancel_url(world):
    return reverse("application_cancel", args=[_accepted(world).id])


def contract_edit_url(world):
    return reverse("application_contract_edit", args=[_accepted(world).id])


APPLICATION_PAGE = logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: NOT_FOUND})

POLICIES = {
    "application_accept": Policy(APPLICATION_PAGE, url=accept_url),
    "application_cancel": Policy(APPLICATION_PAGE, url=cancel_url),
    "application_contract_edit": Policy(APPLICATION_PAGE, url=contract_edit_url),
    "direct_hire_start": Policy(logged_in(FORBIDDEN, **{EMPLOYER: OK, OTHER_EMPLOYER: OK})),
}
