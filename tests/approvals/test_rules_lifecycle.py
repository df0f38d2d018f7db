"""PASS IAE deletion, termination, France Travail status, hiring companies, manual delivery by the support
(pass_iae.md §9, §10, §13.3, §19)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState
from inclusion.approvals import rules
from inclusion.approvals.enums import (
    ApprovalEventKind,
    FranceTravailNotificationStatus,
    Origin,
    ProlongationRequestStatus,
)
from inclusion.approvals.models import Approval, ApprovalEvent, CancelledApproval, Prolongation, Suspension
from inclusion.users.enums import LackOfNIRReason
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approvals_core import accepted_application, noon
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory
from tests.approvals.screens import LOADINGS, as_loaded_by
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


def hired(approval, company=None, **fields):
    return JobApplicationFactory(
        job_seeker=approval.user,
        to_company=company or CompanyFactory(kind="ACI"),
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=fields.pop("hiring_start_at", approval.start_at),
        approval=approval,
        eligibility_diagnosis=approval.eligibility_diagnosis,
        **fields,
    )


def prolongation(approval, start_at, end_at):
    return Prolongation.objects.create(approval=approval, start_at=start_at, end_at=end_at, reason="COMPLETE_TRAINING")


class TestDeletion:
    def test_writes_a_complete_snapshot(self):
        organization = PrescriberOrganizationFactory(authorized=True)
        approval = ApprovalFactory(
            start_at=TODAY - days(30),
            origin_siae_siret="81234567800011",
            origin_siae_kind="EI",
            origin_sender_kind="prescriber",
            origin_prescriber_organization_kind=organization.kind,
        )
        profile = approval.user.jobseeker_profile
        cancelled = rules.approval_delete(approval, by_user=StaffFactory())
        assert not Approval.objects.exists()
        cancelled = CancelledApproval.objects.get(pk=cancelled.pk)
        assert (cancelled.number, cancelled.start_at, cancelled.end_at) == (
            approval.number,
            TODAY - days(30),
            TODAY + days(699),
        )
        assert (cancelled.user_last_name, cancelled.user_first_name) == (
            approval.user.last_name,
            approval.user.first_name,
        )
        assert (cancelled.user_nir, cancelled.user_birthdate) == (profile.nir, profile.birthdate)
        assert cancelled.user_id_national_pe == ""
        assert cancelled.origin_siae_siret == "81234567800011"
        assert cancelled.origin_siae_kind == "EI"
        assert cancelled.origin_sender_kind == "prescriber"
        assert cancelled.origin_prescriber_organization_kind == organization.kind
        assert cancelled.ft_notification_status == FranceTravailNotificationStatus.PENDING

    def test_detaches_the_applications_which_keep_their_state(self):
        approval = ApprovalFactory()
        first, second = hired(approval), hired(approval)
        rules.approval_delete(approval)
        for application in (first, second):
            application.refresh_from_db()
            assert application.approval is None
            assert application.state == JobApplicationState.ACCEPTED

    def test_suspensions_and_prolongations_go_with_it_the_history_stays(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        SuspensionFactory(approval=approval, start_at=TODAY - days(5))
        staff = StaffFactory()
        rules.approval_delete(approval, by_user=staff)
        assert not Suspension.objects.exists()
        [event] = ApprovalEvent.objects.all()
        assert (event.kind, event.approval, event.approval_number, event.user) == (
            ApprovalEventKind.DELETED,
            None,
            approval.number,
            staff,
        )

    def test_a_deleted_number_is_never_issued_again(self):
        approval = ApprovalFactory(number="999990000007")
        rules.approval_delete(approval)
        assert rules.next_approval_number() == "999990000008"


class TestTermination:
    def test_the_pass_ends_today(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        approval.ft_notification_status = FranceTravailNotificationStatus.SUCCESS
        approval.save()
        staff = StaffFactory()
        rules.approval_terminate(approval, by_user=staff)
        approval.refresh_from_db()
        assert approval.end_at == TODAY
        assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        [event] = approval.events.all()
        assert (event.kind, event.user) == (ApprovalEventKind.TERMINATED, staff)
        assert event.data["before"]["end_at"] == (TODAY + days(629)).isoformat()
        assert event.data["remark"] == "PASS IAE clôturé le 10/03/2026 par le support."

    def test_suspensions_starting_today_or_later_are_deleted_ongoing_ones_end_today(self):
        approval = ApprovalFactory(start_at=TODAY - days(300))
        past = SuspensionFactory(approval=approval, start_at=TODAY - days(200), end_at=TODAY - days(150))
        ongoing = SuspensionFactory(approval=approval, start_at=TODAY - days(10), end_at=TODAY + days(10))
        SuspensionFactory(approval=approval, start_at=TODAY + days(20), end_at=TODAY + days(30))
        rules.approval_terminate(approval, by_user=StaffFactory())
        assert set(approval.suspensions.values_list("pk", "end_at")) == {
            (past.pk, TODAY - days(150)),
            (ongoing.pk, TODAY),
        }

    def test_a_suspension_starting_today_is_deleted(self):
        approval = ApprovalFactory(start_at=TODAY - days(300))
        SuspensionFactory(approval=approval, start_at=TODAY, end_at=TODAY + days(10))
        rules.approval_terminate(approval, by_user=StaffFactory())
        assert not approval.suspensions.exists()

    def test_a_prolongation_starting_today_is_deleted(self):
        approval = ApprovalFactory(start_at=TODAY - days(800), end_at=TODAY + days(100))
        prolongation(approval, TODAY, TODAY + days(50))
        rules.approval_terminate(approval, by_user=StaffFactory())
        assert not approval.prolongations.exists()

    def test_prolongations_starting_today_or_later_are_deleted_ongoing_ones_end_today(self):
        approval = ApprovalFactory(start_at=TODAY - days(800), end_at=TODAY + days(100))
        done = prolongation(approval, TODAY - days(71), TODAY - days(1))
        ongoing = prolongation(approval, TODAY - days(1), TODAY + days(50))
        prolongation(approval, TODAY + days(50), TODAY + days(80))
        rules.approval_terminate(approval, by_user=StaffFactory())
        assert set(approval.prolongations.values_list("pk", "end_at")) == {
            (done.pk, TODAY - days(1)),
            (ongoing.pk, TODAY),
        }

    @pytest.mark.parametrize(
        "end_in,refused", [(-1, True), (0, False), (1, False)], ids=["ended yesterday", "ends today", "tomorrow"]
    )
    def test_only_a_valid_pass(self, end_in, refused):
        approval = ApprovalFactory(start_at=TODAY - days(729 - end_in), end_at=TODAY + days(end_in))
        if refused:
            with pytest.raises(rules.ApprovalError, match="a déjà pris fin le 09/03/2026"):
                rules.approval_terminate(approval, by_user=StaffFactory())
        else:
            rules.approval_terminate(approval, by_user=StaffFactory())
            approval.refresh_from_db()
            assert approval.end_at == TODAY

    def test_not_a_pass_that_has_not_started(self):
        approval = ApprovalFactory(start_at=TODAY + days(1))
        with pytest.raises(rules.ApprovalError, match="n'a pas encore commencé"):
            rules.approval_terminate(approval, by_user=StaffFactory())

    def test_not_a_pass_starting_today_its_end_must_follow_its_start(self):
        approval = ApprovalFactory(start_at=TODAY)
        with pytest.raises(rules.ApprovalError) as error:
            rules.approval_terminate(approval, by_user=StaffFactory())
        assert error.value.messages == [
            "Ce PASS IAE commence aujourd'hui : il ne peut pas prendre fin le jour même, sa date de fin doit être "
            "postérieure à sa date de début. Supprimez-le si besoin."
        ]

    def test_a_pass_that_started_yesterday_may_end_today(self):
        approval = ApprovalFactory(start_at=TODAY - days(1))
        rules.approval_terminate(approval, by_user=StaffFactory())
        approval.refresh_from_db()
        assert approval.end_at == TODAY

    def test_not_while_a_prolongation_request_is_pending(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        ProlongationRequestFactory(approval=approval)
        with pytest.raises(rules.ApprovalError) as error:
            rules.approval_terminate(approval, by_user=StaffFactory())
        assert error.value.messages == [
            "Une demande de prolongation est en attente pour ce PASS IAE : elle doit d'abord être traitée."
        ]
        approval.refresh_from_db()
        assert approval.end_at == TODAY + days(629)
        assert not approval.events.exists()

    @pytest.mark.parametrize("status", [ProlongationRequestStatus.GRANTED, ProlongationRequestStatus.DENIED])
    def test_a_processed_request_does_not_prevent_it(self, status):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        ProlongationRequestFactory(approval=approval, status=status)
        rules.approval_terminate(approval, by_user=StaffFactory())
        approval.refresh_from_db()
        assert approval.end_at == TODAY


def test_reset_ft_notification_makes_the_pass_pending_again():
    approval = ApprovalFactory()
    Approval.objects.filter(pk=approval.pk).update(ft_notification_status=FranceTravailNotificationStatus.SUCCESS)
    approval.refresh_from_db()
    rules.reset_ft_notification(approval)
    approval.refresh_from_db()
    assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING


def test_log_event_keeps_dates_as_iso_strings():
    approval = ApprovalFactory()
    event = rules.log_event(approval, ApprovalEventKind.REUSED, start_at=TODAY, note="x")
    event.refresh_from_db()
    assert event.data == {"start_at": "2026-03-10", "note": "x"}
    assert event.approval_number == approval.number


class TestHiringCompanies:
    def test_hiring_siaes_are_the_siae_with_an_accepted_application_carrying_the_pass(self):
        approval = ApprovalFactory()
        first, second = CompanyFactory(kind="ACI"), CompanyFactory(kind="AI")
        hired(approval, first)
        hired(approval, first)
        hired(approval, second)
        JobApplicationFactory(job_seeker=approval.user, to_company=CompanyFactory(kind="EI"))  # not accepted
        hired_elsewhere = ApprovalFactory()
        hired(hired_elsewhere, CompanyFactory(kind="ETTI"))
        assert set(rules.hiring_siaes(approval)) == {first, second}

    @pytest.mark.parametrize("loading", LOADINGS)
    def test_is_hiring_siae(self, loading, django_assert_num_queries):
        """The PASS pages answer from their prefetched applications (no query); the answers are the database's."""
        approval = ApprovalFactory()
        siae, geiq, refused = CompanyFactory(kind="ACI"), CompanyFactory(kind="GEIQ"), CompanyFactory(kind="EI")
        hired(approval, siae)
        hired(approval, geiq)  # not an SIAE
        JobApplicationFactory(job_seeker=approval.user, to_company=refused, state=JobApplicationState.REFUSED)
        loaded = as_loaded_by(loading, approval)
        with django_assert_num_queries(0 if loading == "page" else 3):
            answers = [rules.is_hiring_siae(loaded, company) for company in (siae, geiq, refused)]
        assert answers == [True, False, False]

    @pytest.mark.parametrize("loading", LOADINGS)
    def test_last_hiring_siae_latest_acceptance_first(self, loading):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        first, second = CompanyFactory(kind="ACI"), CompanyFactory(kind="AI")
        hired(approval, first, accepted_at=timezone.now() - days(10), hiring_start_at=TODAY)
        hired(approval, second, accepted_at=timezone.now() - days(20), hiring_start_at=TODAY + days(5))
        assert rules.last_hiring_siae(as_loaded_by(loading, approval)) == first

    def test_last_hiring_siae_same_acceptance_latest_hiring_start(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        first, second = CompanyFactory(kind="ACI"), CompanyFactory(kind="AI")
        hired(approval, first, accepted_at=timezone.now(), hiring_start_at=TODAY)
        hired(approval, second, accepted_at=timezone.now(), hiring_start_at=TODAY + days(1))
        assert rules.last_hiring_siae(approval) == second

    def test_non_siae_hirings_are_ignored(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        siae = CompanyFactory(kind="EI")
        hired(approval, siae, accepted_at=timezone.now() - days(10))
        JobApplicationFactory(
            job_seeker=approval.user,
            to_company=CompanyFactory(kind="GEIQ"),
            state=JobApplicationState.ACCEPTED,
            accepted_at=timezone.now(),
        )
        assert rules.last_hiring_siae(approval) == siae

    @pytest.mark.parametrize("loading", LOADINGS)
    def test_none_when_the_last_siae_hiring_was_not_made_with_this_pass(self, loading):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        hired(approval, CompanyFactory(kind="EI"), accepted_at=timezone.now() - days(10))
        JobApplicationFactory(
            job_seeker=approval.user,
            to_company=CompanyFactory(kind="ACI"),
            state=JobApplicationState.ACCEPTED,
            accepted_at=timezone.now(),
        )
        assert rules.last_hiring_siae(as_loaded_by(loading, approval)) is None

    def test_none_without_hiring(self):
        assert rules.last_hiring_siae(ApprovalFactory()) is None


class TestManualDeliveryBySupport:
    @pytest.fixture
    def request_to_process(self):
        """An accepted hiring in manual delivery mode, as approval_issue_or_reuse leaves it."""
        job_seeker = JobSeekerFactory(profile__nir="", profile__lack_of_nir_reason=LackOfNIRReason.NO_NIR)
        employer = ProfessionalFactory()
        application = accepted_application(
            job_seeker=job_seeker,
            employer=employer,
            company=CompanyFactory(kind="ETTI", with_member=employer),
            hiring_start_at=TODAY + days(3),
            sent_by_authorized_prescriber=True,
        )
        EligibilityDiagnosisFactory(job_seeker=job_seeker)
        assert rules.approval_issue_or_reuse(job_application=application, by_user=employer) is None
        application.refresh_from_db()
        application.employer = employer
        return application

    def test_deliver(self, request_to_process, django_capture_on_commit_callbacks):
        application, staff = request_to_process, StaffFactory()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            approval = rules.approval_deliver_manually(job_application=application, by_user=staff)
        approval.refresh_from_db()
        assert approval.origin == Origin.ADMIN
        assert approval.number == "999990000001"
        assert (approval.start_at, approval.end_at) == (TODAY + days(3), TODAY + days(3 + 729))
        assert approval.eligibility_diagnosis == application.eligibility_diagnosis
        assert approval.origin_siae_kind == "ETTI"
        assert approval.origin_sender_kind == "prescriber"
        application.refresh_from_db()
        assert application.approval == approval
        assert application.approval_delivery_mode == ApprovalDeliveryMode.MANUAL
        assert (application.approval_manually_delivered_by, application.approval_manually_delivered_at) == (
            staff,
            timezone.now(),
        )
        [email] = mail.outbox
        assert email.to == [application.employer.email]
        assert "PASS IAE : 99999 00 00001" in email.body

    def test_deliver_needs_a_diagnosis(self, request_to_process):
        application = request_to_process
        application.eligibility_diagnosis = None
        with pytest.raises(rules.ApprovalError, match="pas de diagnostic d'éligibilité"):
            rules.approval_deliver_manually(job_application=application, by_user=StaffFactory())

    def test_deliver_refused_when_the_person_holds_a_valid_pass(self, request_to_process):
        ApprovalFactory(user=request_to_process.job_seeker, start_at=TODAY - days(10))
        with pytest.raises(rules.ApprovalError, match="déjà un PASS IAE valide"):
            rules.approval_deliver_manually(job_application=request_to_process, by_user=StaffFactory())

    def test_refuse(self, request_to_process, django_capture_on_commit_callbacks):
        application, staff = request_to_process, StaffFactory()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            rules.approval_refuse_manually(job_application=application, by_user=staff)
        application.refresh_from_db()
        assert (application.approval_manually_refused_by, application.approval_manually_refused_at) == (
            staff,
            timezone.now(),
        )
        assert application.approval is None
        [email] = mail.outbox
        assert email.to == [application.employer.email]
        assert "délai de carence" in email.body
        assert "prescripteur habilité" in email.body

    @pytest.mark.parametrize("first", ["deliver", "refuse"])
    def test_a_request_is_processed_once(self, request_to_process, first):
        staff = StaffFactory()
        process = {"deliver": rules.approval_deliver_manually, "refuse": rules.approval_refuse_manually}
        process[first](job_application=request_to_process, by_user=staff)
        for action in process.values():
            with pytest.raises(rules.ApprovalError):
                action(job_application=request_to_process, by_user=staff)
        assert Approval.objects.count() == (1 if first == "deliver" else 0)

    def test_only_an_accepted_application(self, request_to_process):
        application = request_to_process
        application.state = JobApplicationState.PROCESSING
        with pytest.raises(rules.ApprovalError, match="n'est pas acceptée"):
            rules.approval_refuse_manually(job_application=application, by_user=StaffFactory())
