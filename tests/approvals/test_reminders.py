"""Reminders of pending prolongation requests (pass_iae.md §15.4): `10 ≤ today − created_date ≤ 30` and no reminder
in the last 10 days, on Europe/Paris dates; at most 3; the assignee and up to 10 colleagues."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from inclusion.approvals import prolongations, tasks
from inclusion.approvals.enums import ProlongationRequestStatus
from inclusion.approvals.models import ProlongationRequest
from inclusion.utils.french import de
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory
from tests.prescribers.factories import PrescriberMembershipFactory

PARIS = ZoneInfo("Europe/Paris")
CREATED_AT = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
CREATED_ON = CREATED_AT.date()

pytestmark = pytest.mark.django_db


def paris(day, hour=9, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def day_after_creation(days, hour=9, minute=0):
    return paris(CREATED_ON + datetime.timedelta(days=days), hour, minute)


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    """Runs the job at a given instant, the e-mails leaving after commit; returns the number of requests reminded."""

    def run(at, job=prolongations.send_request_reminders, **kwargs):
        mailoutbox.clear()
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return run


@pytest.fixture
def pending():
    return ProlongationRequestFactory(created_at=CREATED_AT)


class TestWhen:
    def test_a_daily_run_reminds_on_days_10_20_and_30_only(self, pending, run):
        reminded_on = [days for days in range(0, 45) if run(day_after_creation(days))]
        assert reminded_on == [10, 20, 30]
        pending.refresh_from_db()
        assert pending.reminders_count == 3
        assert pending.reminder_sent_at == day_after_creation(30)

    @pytest.mark.parametrize("days,reminded", [(9, False), (10, True), (11, True), (30, True), (31, False)])
    def test_a_request_never_reminded(self, pending, run, days, reminded):
        assert run(day_after_creation(days)) == int(reminded)
        pending.refresh_from_db()
        assert pending.reminders_count == int(reminded)

    @pytest.mark.parametrize("days,reminded", [(19, False), (20, True), (21, True)])
    def test_ten_days_after_the_previous_reminder(self, run, days, reminded):
        request = ProlongationRequestFactory(
            created_at=CREATED_AT, reminder_sent_at=day_after_creation(10, 23, 59), reminders_count=1
        )
        assert run(day_after_creation(days, 0, 1)) == int(reminded)
        request.refresh_from_db()
        assert request.reminders_count == (2 if reminded else 1)

    def test_days_count_on_paris_dates(self, run):
        # Created on 2 March at 00:30 in Paris, i.e. 1 March 23:30 UTC: its creation date is 2 March.
        request = ProlongationRequestFactory(created_at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=PARIS))
        assert run(paris(datetime.date(2026, 3, 11), 23, 59)) == 0  # day 9
        assert run(paris(datetime.date(2026, 3, 12), 0, 1)) == 1  # day 10
        request.refresh_from_db()
        assert request.reminders_count == 1

    def test_at_most_three(self, run):
        ProlongationRequestFactory(created_at=CREATED_AT, reminder_sent_at=day_after_creation(20), reminders_count=3)
        assert run(day_after_creation(30)) == 0

    @pytest.mark.parametrize("status", [ProlongationRequestStatus.GRANTED, ProlongationRequestStatus.DENIED])
    def test_processed_requests_are_not_reminded(self, run, status):
        ProlongationRequestFactory(created_at=CREATED_AT, status=status)
        assert run(day_after_creation(10)) == 0

    def test_a_second_run_the_same_day_sends_nothing(self, pending, run, mailoutbox):
        assert run(day_after_creation(10, 9)) == 1
        assert run(day_after_creation(10, 15)) == 0
        assert mailoutbox == []


class TestWho:
    def test_the_assignee_and_up_to_ten_colleagues(self, pending, run, mailoutbox):
        organization = pending.prescriber_organization
        long_ago = datetime.datetime(2025, 1, 1, tzinfo=PARIS)

        def member(*, is_admin=False, last_login=None, joined_days_ago=100, is_active=True):
            membership = PrescriberMembershipFactory(
                organization=organization,
                is_admin=is_admin,
                is_active=is_active,
                joined_at=CREATED_AT - datetime.timedelta(days=joined_days_ago),
            )
            membership.user.last_login = last_login
            membership.user.save()
            return membership.user

        admins = [member(is_admin=True, last_login=long_ago), member(is_admin=True)]
        logged_in = [member(last_login=CREATED_AT - datetime.timedelta(days=days)) for days in (1, 2, 3, 4, 5)]
        never_logged_in = [member(joined_days_ago=days) for days in (10, 20, 30, 40, 50)]
        member(is_active=False, last_login=CREATED_AT)  # deactivated: never reminded
        recipients = prolongations.reminder_recipients(pending)
        assert recipients == [pending.assigned_to, *admins, *logged_in, *never_logged_in[:3]]
        run(day_after_creation(10))
        assert sorted(mail.to[0] for mail in mailoutbox) == sorted(user.email for user in recipients)
        for mail in mailoutbox:
            name = pending.approval.user.get_full_name()
            assert mail.subject.startswith(f"Rappel : la demande de prolongation du PASS IAE {de(name)} ")
            assert "Depuis 10 jours" in mail.body
            assert "/prescripteur/demandes-de-prolongation/" in mail.body

    def test_a_deactivated_assignee_is_not_reminded(self, pending, run, mailoutbox):
        colleague = PrescriberMembershipFactory(organization=pending.prescriber_organization).user
        pending.assigned_to.is_active = False
        pending.assigned_to.save()
        run(day_after_creation(10))
        assert [mail.to for mail in mailoutbox] == [[colleague.email]]


class TestCommandAndTask:
    def test_dry_run_by_default(self, pending, run, mailoutbox):
        stdout = StringIO()
        run(
            day_after_creation(10), job=call_command, command_name="send_prolongation_request_reminders", stdout=stdout
        )
        assert "Simulation : 1 demande(s) de prolongation à relancer, aucun e-mail envoyé." in stdout.getvalue()
        assert pending.approval.number_with_spaces in stdout.getvalue()
        assert mailoutbox == []
        pending.refresh_from_db()
        assert (pending.reminders_count, pending.reminder_sent_at) == (0, None)

    def test_wet_run(self, pending, run, mailoutbox):
        stdout = StringIO()
        run(
            day_after_creation(10),
            job=call_command,
            command_name="send_prolongation_request_reminders",
            wet_run=True,
            stdout=stdout,
        )
        assert "1 demande(s) de prolongation relancée(s)." in stdout.getvalue()
        assert len(mailoutbox) == 1
        assert ProlongationRequest.objects.get().reminders_count == 1

    def test_the_daily_task(self, pending, run, mailoutbox):
        assert run(day_after_creation(10), job=tasks.send_prolongation_request_reminders_task.call_local) == 1
        assert len(mailoutbox) == 1

    @pytest.mark.parametrize(
        "utc,runs",
        [
            (datetime.datetime(2026, 1, 15, 8, 0), True),  # 09:00 in Paris, winter
            (datetime.datetime(2026, 1, 15, 9, 0), False),
            (datetime.datetime(2026, 7, 15, 7, 0), True),  # 09:00 in Paris, summer
            (datetime.datetime(2026, 7, 15, 8, 0), False),
        ],
    )
    def test_scheduled_at_9_in_paris(self, utc, runs):
        assert tasks.PROLONGATION_REQUEST_REMINDERS_SCHEDULE(utc) is runs
