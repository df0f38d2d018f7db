"""The outbox of PASS IAE changes sent to France Travail (pass_iae.md §19)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from inclusion.approvals import france_travail, rules
from inclusion.approvals import tasks as approval_tasks
from inclusion.approvals.enums import FranceTravailNotificationStatus as Status
from inclusion.approvals.models import Approval, CancelledApproval
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


def status(item):
    item.refresh_from_db()
    return item.ft_notification_status


class TestMarkReady:
    @pytest.mark.parametrize("start_in,ready", [(-1, True), (0, True), (1, False)])
    def test_a_pass_is_sent_from_its_first_day(self, start_in, ready):
        approval = ApprovalFactory(start_at=TODAY + days(start_in))
        france_travail.mark_ready()
        assert status(approval) == (Status.READY if ready else Status.PENDING)

    def test_a_cancelled_pass_is_always_ready(self):
        approval = ApprovalFactory(start_at=TODAY + days(10))
        cancelled = rules.approval_delete(approval)
        assert france_travail.mark_ready() == 1
        assert status(cancelled) == Status.READY

    def test_what_was_sent_stays_sent(self):
        approval = ApprovalFactory(start_at=TODAY - days(1))
        Approval.objects.filter(pk=approval.pk).update(ft_notification_status=Status.SUCCESS)
        assert france_travail.mark_ready() == 0


class TestSending:
    def test_ready_items_are_sent_in_batches(self):
        approvals = [ApprovalFactory(start_at=TODAY - days(n)) for n in range(5)]
        france_travail.mark_ready()
        client, batches = france_travail.FakeFranceTravailClient(), []
        assert france_travail.send_ready_items(client=client, batch_size=2, progress=batches.append) == (5, 0)
        assert batches == [2, 2, 1, 0]
        assert sorted(n.number for n in client.sent) == sorted(a.number for a in approvals)
        for approval in approvals:
            approval.refresh_from_db()
            assert approval.ft_notification_status == Status.SUCCESS
            assert approval.ft_notification_at == timezone.now()
            assert approval.ft_notification_endpoint == "fake/maj-pass-iae"
            assert approval.ft_notification_code == "S000"

    def test_max_batches_stops_the_run_and_the_next_run_goes_on(self):
        for n in range(5):
            ApprovalFactory(start_at=TODAY - days(n))
        france_travail.mark_ready()
        client = france_travail.FakeFranceTravailClient()
        assert france_travail.send_ready_items(client=client, batch_size=2, max_batches=1) == (2, 0)
        assert Approval.objects.filter(ft_notification_status=Status.READY).count() == 3
        assert france_travail.send_ready_items(client=client, batch_size=2) == (3, 0)
        assert len(client.sent) == 5

    def test_an_error_is_recorded_with_its_code(self):
        refused, accepted = ApprovalFactory(start_at=TODAY), ApprovalFactory(start_at=TODAY)
        france_travail.mark_ready()
        client = france_travail.FakeFranceTravailClient(refused_numbers=[refused.number])
        assert france_travail.send_ready_items(client=client) == (1, 1)
        assert status(refused) == Status.ERROR
        assert refused.ft_notification_code == "E001"
        assert status(accepted) == Status.SUCCESS

    def test_the_payload_of_a_pass(self):
        approval = ApprovalFactory(start_at=TODAY, origin_siae_kind="ETTI", origin_siae_siret="81234567800011")
        france_travail.mark_ready()
        client = france_travail.FakeFranceTravailClient()
        france_travail.send_ready_items(client=client)
        [sent] = client.sent
        profile = approval.user.jobseeker_profile
        assert (sent.number, sent.start_at, sent.end_at) == (approval.number, TODAY, TODAY + days(729))
        assert (sent.nir, sent.birthdate, sent.last_name) == (profile.nir, profile.birthdate, approval.user.last_name)
        assert (sent.siae_kind_code, sent.siae_siret) == ("839", "81234567800011")

    def test_a_cancelled_pass_is_sent_with_end_equal_to_start(self):
        cancelled = rules.approval_delete(ApprovalFactory(start_at=TODAY - days(3)))
        france_travail.mark_ready()
        client = france_travail.FakeFranceTravailClient()
        assert france_travail.send_ready_items(client=client) == (1, 0)
        [sent] = client.sent
        assert sent.start_at == sent.end_at == TODAY - days(3)
        assert status(cancelled) == Status.SUCCESS

    def test_a_date_change_during_the_call_is_sent_next_time(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        france_travail.mark_ready()

        class ChangingClient(france_travail.FakeFranceTravailClient):
            def notify(self, notification):
                answer = super().notify(notification)
                rules.approval_terminate(Approval.objects.get(number=notification.number), by_user=None)
                return answer

        france_travail.send_ready_items(client=ChangingClient())
        assert status(approval) == Status.PENDING

    def test_any_date_change_makes_a_sent_pass_pending_again(self):
        approval = ApprovalFactory(start_at=TODAY + days(10))
        Approval.objects.filter(pk=approval.pk).update(ft_notification_status=Status.SUCCESS)
        approval.refresh_from_db()
        rules.approval_realign_start(approval, hiring_start_at=TODAY + days(2))
        assert status(approval) == Status.PENDING

    def test_the_client_comes_from_the_settings(self, settings):
        settings.FRANCE_TRAVAIL_CLIENT = "inclusion.approvals.france_travail.FakeFranceTravailClient"
        assert isinstance(france_travail.get_client(), france_travail.FakeFranceTravailClient)


class TestCommand:
    def run(self, *args):
        stdout = io.StringIO()
        call_command("notify_france_travail", *args, stdout=stdout, stderr=io.StringIO())
        return stdout.getvalue()

    def test_dry_run_by_default(self):
        ApprovalFactory(start_at=TODAY)
        ApprovalFactory(start_at=TODAY + days(5))
        rules.approval_delete(ApprovalFactory(start_at=TODAY))
        output = self.run()
        assert "Simulation : 1 PASS IAE et 1 PASS IAE annulé(s) à transmettre, 1 PASS IAE non démarré(s)" in output
        assert not Approval.objects.exclude(ft_notification_status=Status.PENDING).exists()
        assert not CancelledApproval.objects.exclude(ft_notification_status=Status.PENDING).exists()

    def test_wet_run_sends_and_a_second_run_sends_nothing(self):
        ApprovalFactory(start_at=TODAY)
        future = ApprovalFactory(start_at=TODAY + days(5))
        rules.approval_delete(ApprovalFactory(start_at=TODAY))
        assert "2 PASS IAE transmis à France Travail, 0 en erreur." in self.run("--wet-run", "--batch-size", "1")
        assert status(future) == Status.PENDING
        assert "0 PASS IAE transmis à France Travail, 0 en erreur." in self.run("--wet-run")


def test_the_periodic_job_sends_what_the_command_sends(db):
    approval = ApprovalFactory()
    approval_tasks.notify_france_travail_task.call_local()
    approval.refresh_from_db()
    assert approval.ft_notification_status == Status.SUCCESS
