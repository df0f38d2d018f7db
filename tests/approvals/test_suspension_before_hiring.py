"""pass_iae.md §13.2, §13.3: the retroactivity floor is the last SIAE hiring start; when that contract starts later
than today, no suspension start exists yet (never in the future), so the screens offer none instead of a form whose
every date is refused. Boundaries: the day before the contract start, the day of, the day after."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inclusion.approvals import perms, suspensions
from inclusion.approvals.enums import SuspensionReason
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_suspensions_prolongations import hire
from tests.approvals.screens import text_of
from tests.companies.factories import CompanyFactory
from tests.users.factories import ProfessionalFactory

CONTRACT_START = datetime.date(2026, 3, 24)
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return ProfessionalFactory()


@pytest.fixture
def company(employer):
    return CompanyFactory(kind=CompanyKind.ACI, with_member=employer)


@pytest.fixture
def approval(company):
    """A PASS in progress since 1 June 2025, reused by `company` for a contract starting on 24 March 2026."""
    approval = ApprovalFactory(start_at=datetime.date(2025, 6, 1), with_hiring=CompanyFactory(kind=CompanyKind.ACI))
    hire(approval, company, hiring_start_at=CONTRACT_START)
    return approval


def test_no_suspension_before_the_contract_starts(approval, company, employer):
    with time_machine.travel(CONTRACT_START - DAY, tick=False):
        reason = suspensions.suspension_refusal_reason(approval, siae=company)
        assert reason == (
            "Une suspension ne peut pas commencer avant le 24/03/2026 (début du dernier contrat ou lendemain de la "
            "dernière suspension), ni dans le futur : le PASS IAE pourra être suspendu à partir de cette date."
        )
        assert not perms.can_suspend(employer, company, approval)


@pytest.mark.parametrize("day", [CONTRACT_START, CONTRACT_START + DAY])
def test_suspension_from_the_contract_start(approval, company, employer, day):
    with time_machine.travel(day, tick=False):
        assert suspensions.suspension_refusal_reason(approval, siae=company) is None
        assert perms.can_suspend(employer, company, approval)
        suspension = suspensions.suspension_create(
            approval=approval,
            siae=company,
            start_at=CONTRACT_START,
            end_at=CONTRACT_START + 10 * DAY,
            reason=SuspensionReason.CONTRACT_SUSPENDED,
            by_user=employer,
        )
    assert suspension.start_at == CONTRACT_START


def test_the_screen_says_when_instead_of_an_impossible_form(client, approval, employer):
    client.force_login(employer)
    with time_machine.travel(CONTRACT_START - DAY, tick=False):
        response = client.get(reverse("suspension_create", args=[approval.public_id]))
        detail = text_of(client.get(reverse("approval_detail", args=[approval.public_id])))
    assert response.status_code == 403
    page = text_of(response)
    assert "le PASS IAE pourra être suspendu à partir de cette date" in page
    assert "Entre le 24/03/2026 et le 23/03/2026" not in page
    assert reverse("suspension_create", args=[approval.public_id]) not in detail
