"""Who reads the reasons of the prolongations and requests of a PASS, and the employer's explanations (health or
social data: RQTH, age...) on the PASS detail page: `perms.can_view_prolongation_reasons`. Everyone else who may see
the PASS sees the dates only."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inclusion.approvals import perms
from inclusion.approvals.enums import ProlongationReason, SuspensionReason
from inclusion.approvals.models import Prolongation
from inclusion.companies.enums import CompanyKind
from inclusion.prescribers.enums import AuthorizationStatus
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import upsert_assignment
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approval_screens import hire, pending_request
from tests.approvals.screens import employer_of, text_of
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
RQTH_LABEL = "RQTH - Reconnaissance de la qualité de travailleur handicapé"
SENIOR_LABEL = "50 ans et plus"
EXPLANATION = "Reconnaissance MDPH obtenue en janvier."
RESERVED = "Motif réservé aux structures qui ont embauché la personne"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def prescriber_of(organization):
    user = ProfessionalFactory()
    PrescriberMembershipFactory(organization=organization, user=user, is_admin=False)
    return user


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.ACI, name="Atelier du Rhône")


@pytest.fixture
def validating_organization():
    """The organization the granted prolongation was addressed to."""
    return PrescriberOrganizationFactory(authorized=True, name="Cap emploi du Rhône")


@pytest.fixture
def addressed_organization():
    """The organization the pending request is addressed to."""
    return PrescriberOrganizationFactory(authorized=True, name="Mission locale de Lyon")


@pytest.fixture
def approval(company, validating_organization, addressed_organization):
    """A PASS of a person hired by `company`, with a granted RQTH prolongation and a pending SENIOR request."""
    approval = ApprovalFactory(user=JobSeekerFactory(), start_at=TODAY - 100 * DAY)
    hire(approval, company, accepted_at=timezone.now() - 100 * DAY)
    Prolongation.objects.create(
        approval=approval,
        start_at=approval.end_at,
        end_at=approval.end_at + 60 * DAY,
        reason=ProlongationReason.RQTH,
        reason_explanation=EXPLANATION,
        declared_by_siae=company,
        prescriber_organization=validating_organization,
    )
    approval.end_at += 60 * DAY
    approval.save()
    pending_request(approval, siae=company, organization=addressed_organization, reason=ProlongationReason.SENIOR)
    return approval


def page_for(client, user, approval):
    client.force_login(user)
    response = client.get(reverse("approval_detail", args=[approval.public_id]))
    assert response.status_code == 200
    return text_of(response)


def assert_reasons_shown(page):
    assert RQTH_LABEL in page and EXPLANATION in page and SENIOR_LABEL in page
    assert RESERVED not in page


def assert_dates_only(page, approval):
    assert RQTH_LABEL not in page and EXPLANATION not in page and SENIOR_LABEL not in page
    assert RESERVED in page
    assert f"{approval.end_at:%d/%m/%Y}" in page  # the dates stay


def test_holder(client, approval):
    assert_reasons_shown(page_for(client, approval.user, approval))


def test_member_of_the_hiring_siae(client, approval, company):
    assert_reasons_shown(page_for(client, employer_of(company), approval))


def test_another_hiring_siae_too(client, approval):
    other = CompanyFactory(kind=CompanyKind.EI)
    hire(approval, other)
    assert_reasons_shown(page_for(client, employer_of(other), approval))


def test_company_that_only_received_an_application(client, approval):
    other = CompanyFactory(kind=CompanyKind.EI, name="Entreprise Voisine")
    JobApplicationFactory(job_seeker=approval.user, to_company=other)  # new, never accepted
    assert_dates_only(page_for(client, employer_of(other), approval), approval)


def following_prescriber_of(organization, approval):
    """A member of `organization`, which follows the holder (the PASS page is open to it, pass_iae.md §17)."""
    user = prescriber_of(organization)
    upsert_assignment(
        job_seeker=approval.user,
        professional=user,
        action=AssignmentAction.APPLY,
        prescriber_organization=organization,
    )
    return user


def test_prescriber_the_pending_request_is_addressed_to(client, approval, addressed_organization):
    assert_reasons_shown(page_for(client, following_prescriber_of(addressed_organization, approval), approval))


def test_prescriber_a_prolongation_was_addressed_to(client, approval, validating_organization):
    assert_reasons_shown(page_for(client, following_prescriber_of(validating_organization, approval), approval))


def test_another_authorized_prescriber_following_the_person(client, approval):
    organization = PrescriberOrganizationFactory(authorized=True, name="France Travail Lyon")
    assert_dates_only(page_for(client, following_prescriber_of(organization, approval), approval), approval)


def test_the_predicate_is_computed_once_per_page(client, approval, company, django_assert_num_queries):
    """Two more prolongations do not add a query: the answer is for the whole PASS."""
    user = employer_of(company)
    client.force_login(user)
    url = reverse("approval_detail", args=[approval.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(2):
        Prolongation.objects.create(
            approval=approval,
            start_at=approval.end_at,
            end_at=approval.end_at + 10 * DAY,
            reason=ProlongationReason.COMPLETE_TRAINING,
            declared_by_siae=company,
        )
        approval.end_at += 10 * DAY
        approval.save()
    with django_assert_num_queries(len(before)):
        client.get(url)


def test_predicate_refuses_an_organization_no_longer_authorized(approval, addressed_organization):
    user = prescriber_of(addressed_organization)
    assert perms.can_view_prolongation_reasons(user, addressed_organization, approval) is True
    addressed_organization.authorization_status = AuthorizationStatus.NOT_SET
    addressed_organization.save()
    assert perms.can_view_prolongation_reasons(user, addressed_organization, approval) is False


def test_suspension_reasons_follow_the_same_rule(client, approval, company):
    SuspensionFactory(
        approval=approval,
        siae=company,
        start_at=TODAY - 10 * DAY,
        end_at=TODAY - 5 * DAY,
        reason=SuspensionReason.SICKNESS,
        reason_explanation="Hospitalisation",
    )
    other = CompanyFactory(kind=CompanyKind.EI)
    JobApplicationFactory(job_seeker=approval.user, to_company=other)  # received an application, never hired
    page = page_for(client, employer_of(other), approval)
    assert "Hospitalisation" not in page
    assert SuspensionReason.SICKNESS.label not in page
    hiring_page = page_for(client, employer_of(company), approval)
    assert "Hospitalisation" in hiring_page
    assert SuspensionReason.SICKNESS.label in hiring_page
