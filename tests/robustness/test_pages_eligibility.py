"""The eligibility diagnosis forms under random input (issue 6 §5; eligibility.md §2.2, §4, §7): the criteria ids
posted to the IAE and GEIQ forms of an authorized prescriber, of an SIAE and of a GEIQ (unknown, repeated,
excluded or missing ids, the FT duration radio, the commitment box), and where the page goes next."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.criteria import GEIQ_CRITERIA, IAE_CRITERIA
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.screens import NOW
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.robustness.fuzz import assert_answered_in_french, posted
from tests.robustness.helpers import examples, rolled_back
from tests.robustness.strategies import nasty_text
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

IAE_CODES = [criterion.code for criterion in IAE_CRITERIA]
GEIQ_CODES = [criterion.code for criterion in GEIQ_CRITERIA]
next_urls = st.one_of(
    st.sampled_from(["/tableau-de-bord/", "https://ailleurs.example/", "//ailleurs.example/", "0", "dashboard"]),
    nasty_text,
)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def criteria_posts(codes, *, geiq=False):
    """Lists of criteria as a (possibly forged) form posts them: known codes, repeated ones, unknown ones."""
    code = st.one_of(st.sampled_from(codes), st.sampled_from(["", "rsa", "RSA ", "0", "999"]), nasty_text)
    fields = {
        "criteria": st.lists(code, max_size=8),
        "next": next_urls,
    }
    if geiq:
        fields |= {
            "ft_duration": st.one_of(st.sampled_from(["DELD_12", "DELD", "DETLD", "RSA"]), st.lists(code, max_size=2)),
            "commitment": st.sampled_from(["on", "", "false"]),
        }
    return st.fixed_dictionaries({}, optional=fields)


@pytest.fixture
def prescriber_pages(client):
    organization = PrescriberOrganizationFactory(authorized=True, with_member=True)
    client.force_login(organization.memberships.get().user)
    job_seeker = JobSeekerFactory()
    return {
        "iae": reverse("eligibility_iae_prescriber", args=[job_seeker.public_id]),
        "geiq": reverse("eligibility_geiq_prescriber", args=[job_seeker.public_id]),
    }


@examples(15)
@given(form=st.sampled_from(["iae", "geiq"]), data=st.data())
def test_prescriber_diagnosis_forms(client, prescriber_pages, form, data):
    posted_data = data.draw(criteria_posts(IAE_CODES if form == "iae" else GEIQ_CODES, geiq=form == "geiq"))
    with rolled_back():
        response = client.post(prescriber_pages[form], posted_data)
    # An authorized prescriber may save any criteria without exclusion (even none): not always an error.
    assert_answered_in_french(response)
    if response.status_code == 302:
        assert "ailleurs.example" not in response["Location"]


@pytest.fixture(params=[CompanyKind.AI, CompanyKind.ACI, CompanyKind.GEIQ])
def employer_page(request, client):
    company = CompanyFactory(kind=request.param, with_member=True)
    application = JobApplicationFactory(to_company=company, state=JobApplicationState.PROCESSING)
    client.force_login(company.memberships.get().user)
    url_name = "eligibility_geiq_employer" if request.param == CompanyKind.GEIQ else "eligibility_iae_employer"
    return reverse(url_name, args=[application.pk]), request.param


@examples(8)
@given(data=st.data())
def test_employer_diagnosis_forms(client, employer_page, data):
    url, kind = employer_page
    is_geiq = kind == CompanyKind.GEIQ
    posted_data = data.draw(criteria_posts(GEIQ_CODES if is_geiq else IAE_CODES, geiq=is_geiq))
    with rolled_back():
        response = client.post(url, posted_data)
    # A GEIQ must tick its commitment; an SIAE needs enough criteria: an empty or unticked form is an error.
    must_fail = (is_geiq and posted(posted_data, "commitment") != "on") or (
        not is_geiq and not posted_data.get("criteria")
    )
    assert_answered_in_french(response, form_posted=must_fail)
    if response.status_code == 302:
        assert "ailleurs.example" not in response["Location"]
