"""The `next` parameter of the forms that send back where the user came from: a path of this site only.

Found by the properties of test_pages_applications.py and test_pages_eligibility.py (shrunk examples): a `next` that
is not a path (`0`, `dashboard`...) passed `url_has_allowed_host_and_scheme` (a relative URL), and `redirect()`
then tried to reverse it as a URL name: a server error (NoReverseMatch) instead of the default page.
"""

import pytest
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.robustness.fuzz import assert_answered_in_french
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

NOT_PATHS = ["0", "dashboard", "admin:index", "https://ailleurs.example/", "//ailleurs.example/", "\x00"]


@pytest.mark.parametrize("next_url", NOT_PATHS)
def test_batch_action_without_selection_goes_back_to_the_inbox(client, next_url):
    company = CompanyFactory(with_member=True)
    JobApplicationFactory(to_company=company, state=JobApplicationState.NEW)
    client.force_login(company.memberships.get().user)
    response = client.post(reverse("applications_batch"), {"action": "refuse", "next": next_url})
    assert_answered_in_french(response)
    assert response["Location"] == reverse("applications_received")


@pytest.mark.parametrize("next_url", NOT_PATHS)
def test_prescriber_diagnosis_saved_goes_to_the_default_page(client, next_url):
    organization = PrescriberOrganizationFactory(authorized=True, with_member=True)
    client.force_login(organization.memberships.get().user)
    job_seeker = JobSeekerFactory()
    url = reverse("eligibility_iae_prescriber", args=[job_seeker.public_id])
    response = client.post(url, {"criteria": ["RSA"], "next": next_url})
    assert_answered_in_french(response)
    assert response.status_code == 302
    assert not response["Location"].startswith(("https://", "//")) and response["Location"].startswith("/")


@pytest.mark.parametrize("next_url", ["/tableau-de-bord/", "/entreprise/candidatures/?etat=new"])
def test_a_path_of_the_site_is_followed(client, next_url):
    company = CompanyFactory(with_member=True)
    client.force_login(company.memberships.get().user)
    response = client.post(reverse("applications_batch"), {"action": "refuse", "next": next_url})
    assert response["Location"] == next_url
