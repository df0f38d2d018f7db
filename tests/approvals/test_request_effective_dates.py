"""A pending prolongation request is shown with the dates its grant records (pass_iae.md §14.2): when a suspension
moves the PASS end while the request waits, the request starts at the new end and keeps its duration, on every screen
and in every e-mail, and the grant records exactly these dates."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inclusion.approvals import prolongations, suspensions
from inclusion.approvals.enums import ProlongationRequestStatus, SuspensionReason
from inclusion.companies.enums import CompanyKind
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory, approval_ending
from tests.approvals.screens import text_of
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
PASS_END = datetime.date(2026, 4, 9)
REQUESTED_END = datetime.date(2026, 7, 8)  # 90 days after the PASS end
SUSPENSION_DAYS = 30
MOVED_PASS_END = datetime.date(2026, 5, 9)  # PASS end + 30 days of suspension
MOVED_REQUEST_END = datetime.date(2026, 8, 7)  # new PASS end + the same 90 days


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def company():
    return CompanyFactory(kind=CompanyKind.ACI, name="Atelier du Rhône")


@pytest.fixture
def employer(company):
    user = ProfessionalFactory()
    CompanyMembershipFactory(organization=company, user=user, is_admin=False)
    return user


@pytest.fixture
def organization():
    return PrescriberOrganizationFactory(authorized=True, name="Mission locale du Rhône")


@pytest.fixture
def approval(company):
    return approval_ending(PASS_END, hired_by=company)


@pytest.fixture
def pending(approval, organization, company):
    return ProlongationRequestFactory(
        approval=approval, prescriber_organization=organization, declared_by_siae=company, end_at=REQUESTED_END
    )


@pytest.fixture
def prescriber(pending):
    return pending.assigned_to


def suspend(approval, company, employer):
    suspensions.suspension_create(
        approval=approval,
        siae=company,
        start_at=TODAY,
        end_at=TODAY + SUSPENSION_DAYS * DAY,  # the PASS end moves by end − start (pass_iae.md §13)
        reason=SuspensionReason.CONTRACT_SUSPENDED,
        by_user=employer,
    )
    approval.refresh_from_db()
    assert approval.end_at == MOVED_PASS_END


class TestHelper:
    def test_unchanged_pass_end(self, pending):
        assert prolongations.request_effective_dates(pending) == (PASS_END, REQUESTED_END)

    def test_moved_pass_end(self, pending, approval, company, employer):
        suspend(approval, company, employer)
        pending.refresh_from_db()
        assert prolongations.request_effective_dates(pending) == (MOVED_PASS_END, MOVED_REQUEST_END)

    def test_a_processed_request_keeps_its_dates(self, pending, approval, company, employer):
        suspend(approval, company, employer)
        pending.status = ProlongationRequestStatus.DENIED
        pending.save()
        pending.refresh_from_db()
        assert prolongations.request_effective_dates(pending) == (PASS_END, REQUESTED_END)


def test_the_screens_show_the_dates_the_grant_records(
    client, pending, approval, company, employer, prescriber, django_capture_on_commit_callbacks
):
    suspend(approval, company, employer)
    client.force_login(prescriber)

    detail = text_of(client.get(reverse("prolongation_request_detail", args=[pending.public_id])))
    assert "Du 09/05/2026 au <strong>07/08/2026</strong> (90 jours)" in detail
    assert "jusqu'au <strong>07/08/2026</strong>" in detail
    assert "La fin du PASS IAE a changé depuis la demande (du 09/04/2026 au 08/07/2026)" in detail
    assert "08/07/2026</strong>" not in detail

    listing = text_of(client.get(reverse("prolongation_requests")))
    assert "du 09/05/2026<br>au 07/08/2026" in listing
    assert "08/07/2026" not in listing

    client.force_login(employer)
    pass_page = text_of(client.get(reverse("approval_detail", args=[approval.public_id])))
    assert "Une prolongation jusqu'au 07/08/2026" in pass_page

    client.force_login(prescriber)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("prolongation_request_grant", args=[pending.public_id]))
    prolongation = approval.prolongations.get()
    assert (prolongation.start_at, prolongation.end_at) == (MOVED_PASS_END, MOVED_REQUEST_END)
    approval.refresh_from_db()
    assert approval.end_at == MOVED_REQUEST_END


def test_unchanged_dates_have_no_warning(client, pending, prescriber):
    client.force_login(prescriber)
    detail = text_of(client.get(reverse("prolongation_request_detail", args=[pending.public_id])))
    assert "Du 09/04/2026 au <strong>08/07/2026</strong> (90 jours)" in detail
    assert "La fin du PASS IAE a changé" not in detail


def test_the_reminder_gives_the_dates_the_grant_records(
    pending, approval, company, employer, mailoutbox, django_capture_on_commit_callbacks
):
    suspend(approval, company, employer)
    mailoutbox.clear()
    with time_machine.travel("2026-03-20 09:00 +01:00", tick=False), django_capture_on_commit_callbacks(execute=True):
        assert prolongations.send_request_reminders() == 1
    assert mailoutbox
    body = mailoutbox[0].body
    assert "Prolongation demandée : du 09/05/2026 au 07/08/2026" in body
