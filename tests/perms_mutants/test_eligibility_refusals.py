"""Eligibility refusals that no other test pins to their own perms.py check (found by `make test-mutations`).

`eligibility.perms.concerns_geiq_diagnosis` is the first check of the GEIQ page of an application; the next ones
(`application_awaits_hiring`, then `can_make_geiq_diagnosis`, which wants a GEIQ member) refuse an SIAE too, so only
the reason given tells whether the page still knows that the GEIQ diagnosis is no SIAE matter.
"""

import html

import pytest
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.models import GEIQEligibilityDiagnosis
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory


@pytest.mark.parametrize("state", [JobApplicationState.ACCEPTED, JobApplicationState.PROCESSING])
def test_an_siae_is_refused_the_geiq_page_because_it_is_no_geiq(client, db, state):
    # eligibility.md §7: the GEIQ diagnosis is made by and for GEIQ only, whatever the application's state. An SIAE
    # that accepted the application must not read "already accepted", as if the page had been open to it before.
    siae = CompanyFactory(kind=CompanyKind.ACI, with_member=True)
    job_application = JobApplicationFactory(to_company=siae, state=state)
    client.force_login(siae.memberships.get().user)
    url = reverse("eligibility_geiq_employer", args=[job_application.id])

    for response in (client.get(url), client.post(url, {"criteria": ["RSA"]})):
        page = html.unescape(response.content.decode())
        assert response.status_code == 403
        assert "Accès refusé" in page
        assert "Candidature déjà acceptée" not in page
    assert not GEIQEligibilityDiagnosis.objects.exists()
