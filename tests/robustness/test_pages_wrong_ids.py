"""Wrong ids in the URLs of the forms (issue 6 §5): a random UUID, another company's object, an unknown step. The
answer is a French 404 (or 403, or a redirect to the start of a flow), never a server error."""

import uuid

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.robustness.fuzz import assert_answered_in_french
from tests.robustness.helpers import examples, rolled_back
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

# URL name → the kind of its id; `other` ids belong to another company than the employer's.
ID_URLS = {
    "application_accept": "application",
    "application_contract_edit": "application",
    "application_detail_company": "application",
    "application_cancel": "application",
    "eligibility_iae_employer": "application",
    "eligibility_geiq_employer": "application",
    "suspension_create": "approval",
    "prolongation_declare": "approval",
    "suspension_update": "suspension",
    "suspension_end_early": "suspension",
    "suspension_delete": "suspension",
    "job_seeker_complete": "job_seeker",
    "eligibility_iae_prescriber": "job_seeker",
    "job_description_edit": "job_description",
    "company_card": "company",
}


@pytest.fixture
def other_company_objects():
    """Objects of another company than the one the employer acts for."""
    other = CompanyFactory()
    approval = ApprovalFactory(with_hiring=other)
    return {
        "application": JobApplicationFactory(to_company=other).pk,
        "approval": approval.public_id,
        "suspension": SuspensionFactory(approval=approval, siae=other).public_id,
        "job_seeker": JobSeekerFactory().public_id,
        "job_description": JobDescriptionFactory(company=other).uid,
        "company": CompanyFactory(convention=None, source="ASP").uid,  # not searchable
    }


@pytest.fixture(params=["employer", "prescriber"])
def persona_client(request, client):
    if request.param == "employer":
        organization = CompanyFactory(with_member=True)
    else:
        organization = PrescriberOrganizationFactory(authorized=False, with_member=True)
    client.force_login(organization.memberships.get().user)
    return client


@examples(20)
@given(
    url_name=st.sampled_from(sorted(ID_URLS)),
    which=st.sampled_from(["random", "other"]),
    method=st.sampled_from(["get", "post"]),
)
def test_wrong_ids_are_a_french_404_or_403(persona_client, other_company_objects, url_name, which, method):
    object_id = uuid.uuid4() if which == "random" else other_company_objects[ID_URLS[url_name]]
    url = reverse(url_name, args=[object_id])
    with rolled_back():
        response = getattr(persona_client, method)(url, {"action": "confirm"} if method == "post" else {})
    assert_answered_in_french(response)
    if which == "random" or ID_URLS[url_name] != "job_seeker":
        # Nothing of another company is shown nor changed: a refusal or a redirect (to the login, a flow's start...).
        # Job seekers are nobody's: an employer may complete any job seeker's data (applications.md §18.1).
        assert response.status_code in (302, 403, 404, 405), (url_name, response.status_code)


@examples(15)
@given(
    step=st.one_of(st.sampled_from(["nir", "email", "identite", "recapitulatif", "x", "..", "confirmer"]), st.text()),
    known_state=st.booleans(),
)
def test_unknown_flow_or_step_of_the_job_seeker_search(persona_client, step, known_state):
    slug = "".join(character for character in step.lower() if character.isascii() and character.isalnum()) or "x"
    with rolled_back():
        state_id = uuid.uuid4()
        if known_state:
            response = persona_client.post(reverse("job_seeker_find"), {"nir": "not a nir"})
            state_id = response.context["state"].id if response.status_code == 200 else state_id
        response = persona_client.get(reverse("job_seeker_find_step", args=[state_id, slug]))
    assert_answered_in_french(response)
