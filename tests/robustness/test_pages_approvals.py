"""The PASS IAE forms under random input (issue 6 §5; pass_iae.md §13, §14, §15): suspension creation, edit and early
end, prolongation declaration (with the search of the validating prescriber), and the refusal of a prolongation
request by the prescriber. Each page is requested by the persona it is for."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from inclusion.companies.enums import CompanyKind
from tests.approvals.factories import SuspensionFactory
from tests.approvals.factories_approvals_core import noon
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory, approval_ending, xlsx_file
from tests.approvals.screens import employer_of
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.robustness.fuzz import assert_answered_in_french, form_data, posted
from tests.robustness.helpers import examples, rolled_back
from tests.robustness.strategies import posted_dates
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
PASS_END = TODAY + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


def around(day, *boundaries):
    """Dates as posted, around `day` + each boundary (in days)."""
    offsets = st.one_of(
        st.sampled_from([boundary + delta for boundary in boundaries for delta in (-1, 0, 1)]),
        st.integers(-1200, 1200),
    )
    as_dates = offsets.map(lambda n: day + datetime.timedelta(days=n))
    return st.one_of(
        as_dates.map(datetime.date.isoformat), as_dates.map(lambda value: f"{value:%d/%m/%Y}"), posted_dates
    )


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.AI)


@pytest.fixture
def employer_client(client, company):
    client.force_login(employer_of(company))
    return client


@pytest.fixture
def approval(company):
    # Started 700 days ago, hired with by `company`: in progress, suspendable, and inside the prolongation window.
    return approval_ending(PASS_END, hired_by=company)


SUSPENSION_FIELDS = {
    "start_at": around(TODAY, 0, -365),
    "end_at": around(TODAY, 0, 1095),
    "end_unknown": st.sampled_from(["on", ""]),
    "reason": st.sampled_from(["CONTRACT_SUSPENDED", "CONTRAT_PASSERELLE", "SICKNESS", "FORCE_MAJEURE", "x"]),
    "reason_explanation": st.just("Arrêt de travail"),
}


@examples(15)
@given(data=form_data(SUSPENSION_FIELDS))
@example(data={"start_at": "2026-03-10", "end_at": "10/03/2029", "reason": "CONTRACT_SUSPENDED"})
def test_suspension_create(employer_client, approval, data):
    with rolled_back():
        response = employer_client.post(reverse("suspension_create", args=[approval.public_id]), data)
    assert_answered_in_french(response, form_posted=True)


@pytest.fixture
def suspension(approval, company):
    return SuspensionFactory(
        approval=approval,
        siae=company,
        start_at=TODAY - datetime.timedelta(days=10),
        end_at=TODAY + datetime.timedelta(days=60),
    )


@examples(12)
@given(
    url_name=st.sampled_from(["suspension_update", "suspension_end_early"]),
    data=form_data({**SUSPENSION_FIELDS, "first_day_back": around(TODAY, -9, 0, 60)}),
)
def test_suspension_edit_and_early_end(employer_client, suspension, url_name, data):
    with rolled_back():
        response = employer_client.post(reverse(url_name, args=[suspension.public_id]), data)
    assert_answered_in_french(response, form_posted=True)


PROLONGATION_FIELDS = {
    "action": st.sampled_from(["find_prescriber", "declare", ""]),
    "reason": st.sampled_from(
        ["SENIOR_CDI", "COMPLETE_TRAINING", "RQTH", "SENIOR", "PARTICULAR_DIFFICULTIES", "HEALTH_CONTEXT", "x"]
    ),
    "end_at": around(PASS_END, 1, 365, 3650),
    "reason_explanation": st.just("Formation en cours"),
    "validator_email": st.sampled_from(["habilite@example.com", "inconnu@example.com", "HABILITE@example.com "]),
    "prescriber_organization": st.sampled_from(["ORG", "00000000-0000-0000-0000-000000000000"]),
    "require_phone_interview": st.sampled_from(["on", ""]),
    "contact_email": st.sampled_from(["contact@example.com", "pas-une-adresse"]),
    "contact_phone": st.sampled_from(["06 12 34 56 78", "0" * 30]),
}


@pytest.fixture
def validator():
    organization = PrescriberOrganizationFactory(authorized=True)
    user = ProfessionalFactory(email="habilite@example.com")
    PrescriberMembershipFactory(organization=organization, user=user)
    return organization


@examples(15)
@given(data=form_data(PROLONGATION_FIELDS), with_file=st.booleans())
@example(data={"action": "find_prescriber", "validator_email": "\x00"}, with_file=False)
@example(data={"reason": "RQTH", "end_at": "2026-05-01", "validator_email": "a\x00@example.com"}, with_file=False)
def test_prolongation_declaration(employer_client, approval, validator, data, with_file):
    if posted(data, "prescriber_organization") == "ORG":
        data["prescriber_organization"] = str(validator.uid)
    if with_file:
        data["report_file"] = xlsx_file()
    with rolled_back():
        response = employer_client.post(reverse("prolongation_declare", args=[approval.public_id]), data)
    assert_answered_in_french(response, form_posted=posted(data, "action") != "find_prescriber")


@pytest.fixture
def request_to_deny(client, approval):
    request = ProlongationRequestFactory(approval=approval, start_at=PASS_END)
    member = ProfessionalFactory()
    PrescriberMembershipFactory(organization=request.prescriber_organization, user=member)
    client.force_login(member)
    return request


@examples(12)
@given(
    data=form_data(
        {
            "reason": st.sampled_from(["IAE", "SIAE", "DURATION", "REASON", "x"]),
            "reason_explanation": st.just("La durée demandée est trop longue."),
            "proposed_actions": st.lists(st.sampled_from(["EXIT_IAE", "SOCIAL_PARTNER", "OTHER", "x"]), max_size=3),
            "proposed_actions_explanation": st.just("Orientation vers un partenaire."),
            "step": st.sampled_from(["1", "2", "3", "x"]),
        }
    )
)
def test_prolongation_request_denial(client, request_to_deny, data):
    url = reverse("prolongation_request_deny", args=[request_to_deny.public_id])
    with rolled_back():
        response = client.post(url, data)
        assert_answered_in_french(response)
        assert_answered_in_french(client.get(url))
