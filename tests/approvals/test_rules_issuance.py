"""PASS IAE issuance at hiring: creation, reuse, realignment, manual delivery (pass_iae.md §4, §6, §7, §16)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState
from inclusion.approvals import rules, suspensions
from inclusion.approvals.enums import ApprovalEventKind, FranceTravailNotificationStatus, Origin, SuspensionReason
from inclusion.approvals.models import Approval
from inclusion.users.enums import LackOfFranceTravailIdReason, LackOfNIRReason
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approvals_core import accepted_application, noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def issue(application, **kwargs):
    return rules.approval_issue_or_reuse(job_application=application, by_user=application.employer, **kwargs)


def eligible_application(**fields):
    """An ACI hiring of a person with a NIR and a valid prescriber diagnosis, starting in 5 days."""
    application = accepted_application(hiring_start_at=TODAY + days(5), **fields)
    application.diagnosis = EligibilityDiagnosisFactory(job_seeker=application.job_seeker, criteria=["RSA"])
    return application


class TestCreation:
    def test_a_730_day_pass_starting_with_the_hiring(self, django_capture_on_commit_callbacks):
        application = eligible_application(sent_by_authorized_prescriber=True)
        with django_capture_on_commit_callbacks(execute=True):
            approval = issue(application)
        approval.refresh_from_db()
        assert approval.number == "999990000001"
        assert approval.user == application.job_seeker
        assert (approval.start_at, approval.end_at) == (TODAY + days(5), TODAY + days(5 + 729))
        assert approval.origin == Origin.DEFAULT
        assert approval.eligibility_diagnosis == application.diagnosis
        assert approval.created_by == application.employer
        # Origin facts copied from the application (pass_iae.md §3).
        assert approval.origin_siae_siret == application.to_company.siret
        assert approval.origin_siae_kind == "ACI"
        assert approval.origin_sender_kind == "prescriber"
        assert approval.origin_prescriber_organization_kind == application.sender_prescriber_organization.kind
        assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        assert [event.kind for event in approval.events.all()] == [ApprovalEventKind.CREATED]

    def test_the_application_carries_the_pass_and_its_diagnosis(self):
        application = eligible_application()
        approval = issue(application)
        application.refresh_from_db()
        assert application.approval == approval
        assert application.eligibility_diagnosis == application.diagnosis
        assert application.approval_delivery_mode == ApprovalDeliveryMode.AUTOMATIC
        assert application.approval_number_sent_by_email
        assert application.approval_number_sent_at == timezone.now()
        assert application.state == JobApplicationState.ACCEPTED  # the state is the caller's business

    def test_the_accepting_employer_receives_pass_iae_accepte(self, django_capture_on_commit_callbacks):
        application = eligible_application(hiring_end_at=TODAY + days(200))
        with django_capture_on_commit_callbacks(execute=True):
            issue(application)
        [email] = mail.outbox
        assert email.to == [application.employer.email]
        job_seeker = application.job_seeker
        assert email.subject == f"PASS IAE pour {job_seeker.get_full_name()} et avis d'embauche"
        assert "PASS IAE : 99999 00 00001" in email.body
        assert "Valable du 15/03/2026 au 13/03/2028" in email.body
        assert "Reliquat : 730 jours (environ 23 mois et 4 semaines)." in email.body
        assert "jours calendaires" in email.body
        assert f"Nom : {job_seeker.last_name.upper()}" in email.body
        assert "Date de naissance : 15/03/1990" in email.body
        assert "Date de début : 15/03/2026" in email.body
        assert "Date prévisionnelle de fin : 26/09/2026" in email.body
        assert application.to_company.display_name in email.body

    def test_no_email_is_sent_when_the_transaction_rolls_back(self, django_capture_on_commit_callbacks):
        application = eligible_application()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            issue(application)
        # Queued after commit only (ARCHITECTURE.md §3): nothing sent within the transaction.
        assert mail.outbox == []
        assert callbacks

    def test_certification_of_the_diagnosis_is_scheduled(self, monkeypatch):
        scheduled = []
        monkeypatch.setattr("inclusion.eligibility.certification.schedule_certification", scheduled.append)
        application = eligible_application()
        issue(application)
        assert scheduled == [application.diagnosis]

    @pytest.mark.parametrize(
        "profile",
        [
            {"nir": "", "lack_of_nir_reason": LackOfNIRReason.NO_NIR, "pole_emploi_id": "1234567A"},
            {"nir": "", "lack_of_pole_emploi_id_reason": LackOfFranceTravailIdReason.NOT_REGISTERED},
        ],
        ids=["France Travail id", "not registered at France Travail"],
    )
    def test_without_nir_other_identifiers_suffice(self, profile):
        application = eligible_application(
            job_seeker=JobSeekerFactory(**{f"profile__{k}": v for k, v in profile.items()})
        )
        assert issue(application) is not None

    def test_a_diagnosis_is_mandatory(self):
        application = accepted_application(hiring_start_at=TODAY)
        with pytest.raises(rules.ApprovalError, match="Un diagnostic d'éligibilité valide est nécessaire"):
            issue(application)
        assert not Approval.objects.exists()

    def test_an_expired_diagnosis_does_not_count(self):
        application = accepted_application(hiring_start_at=TODAY)
        EligibilityDiagnosisFactory(
            job_seeker=application.job_seeker, created_at=timezone.now() - days(200), expires_at=TODAY
        )
        with pytest.raises(rules.ApprovalError):
            issue(application)

    def test_another_siae_employer_diagnosis_is_not_used(self):
        application = accepted_application(hiring_start_at=TODAY)
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker, from_employer=True)
        with pytest.raises(rules.ApprovalError, match="diagnostic"):
            issue(application)

    def test_the_hiring_siae_own_employer_diagnosis_is_used(self):
        application = accepted_application(hiring_start_at=TODAY)
        diagnosis = EligibilityDiagnosisFactory(
            job_seeker=application.job_seeker, from_employer=True, author_siae=application.to_company
        )
        assert issue(application).eligibility_diagnosis == diagnosis

    def test_a_hiring_start_is_mandatory(self):
        application = eligible_application()
        application.hiring_start_at = None
        with pytest.raises(rules.ApprovalError, match="La date de début du contrat est obligatoire"):
            issue(application)

    @pytest.mark.parametrize("kind", ["GEIQ", "EA", "EATT", "OPCS"])
    def test_never_a_pass_outside_siae(self, kind):
        application = eligible_application(company=CompanyFactory(kind=kind))
        with pytest.raises(rules.ApprovalError, match="ne donne pas lieu à un PASS IAE"):
            issue(application)
        assert not Approval.objects.exists()

    @pytest.mark.parametrize("kind", ["AI", "ACI", "EI", "EITI", "ETTI"])
    def test_every_siae_kind_gets_one(self, kind):
        application = eligible_application(company=CompanyFactory(kind=kind))
        assert issue(application).origin_siae_kind == kind

    def test_works_before_the_caller_saved_the_accepted_state(self):
        application = eligible_application()
        type(application).objects.filter(pk=application.pk).update(state=JobApplicationState.PROCESSING)
        # The caller's transition sets the state in memory, then asks for the PASS.
        application.state = JobApplicationState.ACCEPTED
        approval = issue(application)
        application.refresh_from_db()
        assert (application.state, application.approval) == (JobApplicationState.ACCEPTED, approval)


class TestReuse:
    def holder(self, **approval_fields):
        approval = ApprovalFactory(**approval_fields)
        return approval, approval.user

    def test_a_valid_pass_is_reused_without_a_new_number(self, django_capture_on_commit_callbacks):
        approval, job_seeker = self.holder(start_at=TODAY - days(100))
        application = accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY)
        with django_capture_on_commit_callbacks(execute=True):
            assert issue(application) == approval
        assert Approval.objects.count() == 1
        approval.refresh_from_db()
        assert (approval.start_at, approval.end_at) == (TODAY - days(100), TODAY + days(629))
        application.refresh_from_db()
        assert application.approval == approval
        assert application.eligibility_diagnosis == approval.eligibility_diagnosis
        assert [event.kind for event in approval.events.all()] == [ApprovalEventKind.REUSED]
        [email] = mail.outbox
        assert approval.number_with_spaces in email.body
        assert "Reliquat : 630 jours" in email.body

    def test_reuse_needs_no_diagnosis(self):
        approval = ApprovalFactory(
            start_at=TODAY - days(10), origin=Origin.PE_APPROVAL, eligibility_diagnosis=None, number="ABCDE1234567"
        )
        application = accepted_application(job_seeker=approval.user, hiring_start_at=TODAY)
        assert issue(application) == approval
        application.refresh_from_db()
        assert application.eligibility_diagnosis is None

    @pytest.mark.parametrize(
        "hiring_after_end,refused", [(-1, False), (0, False), (1, True)], ids=["day before", "last day", "day after"]
    )
    def test_the_hiring_may_start_on_the_last_day_of_the_pass(self, hiring_after_end, refused):
        approval, job_seeker = self.holder(start_at=TODAY - days(720))
        application = accepted_application(
            job_seeker=job_seeker, hiring_start_at=approval.end_at + days(hiring_after_end)
        )
        if refused:
            with pytest.raises(rules.ApprovalError, match="l'embauche doit commencer au plus tard ce jour-là"):
                issue(application)
            application.refresh_from_db()
            assert application.approval is None
        else:
            assert issue(application) == approval

    def test_a_future_pass_starts_earlier_with_an_earlier_hiring_and_its_end_is_recomputed(self):
        approval, job_seeker = self.holder(start_at=TODAY + days(20), end_at=TODAY + days(20 + 729 + 15))
        approval.ft_notification_status = FranceTravailNotificationStatus.SUCCESS
        approval.save()
        application = accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY + days(5))
        issue(application)
        approval.refresh_from_db()
        # Recomputed from the new start (730 days), not shifted by 15 days.
        assert (approval.start_at, approval.end_at) == (TODAY + days(5), TODAY + days(5 + 729))
        assert approval.ft_notification_status == FranceTravailNotificationStatus.PENDING
        realigned, reused = approval.events.all()
        assert (realigned.kind, reused.kind) == (ApprovalEventKind.START_REALIGNED, ApprovalEventKind.REUSED)
        assert realigned.data["before"]["start_at"] == (TODAY + days(20)).isoformat()
        assert realigned.data["after"]["end_at"] == (TODAY + days(734)).isoformat()

    def test_a_later_hiring_does_not_move_a_future_pass(self):
        approval, job_seeker = self.holder(start_at=TODAY + days(20))
        issue(accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY + days(30)))
        approval.refresh_from_db()
        assert approval.start_at == TODAY + days(20)

    def test_a_started_pass_never_moves(self):
        approval = ApprovalFactory(start_at=TODAY)
        assert not rules.approval_realign_start(approval, hiring_start_at=TODAY - days(1))
        approval.refresh_from_db()
        assert approval.start_at == TODAY

    def test_realignment_follows_a_later_hiring_edit_of_a_future_pass(self):
        approval = ApprovalFactory(start_at=TODAY + days(10))
        assert rules.approval_realign_start(approval, hiring_start_at=TODAY + days(25))
        approval.refresh_from_db()
        assert (approval.start_at, approval.end_at) == (TODAY + days(25), TODAY + days(25 + 729))

    def test_an_expired_pass_is_not_reused(self):
        old = ApprovalFactory(start_at=TODAY - days(3000), end_at=TODAY - days(2271))
        application = eligible_application(job_seeker=old.user)
        assert issue(application) != old

    def test_an_ongoing_suspension_is_lifted_the_day_before_the_hiring(self):
        approval, job_seeker = self.holder(start_at=TODAY - days(100))
        suspension = SuspensionFactory(approval=approval, start_at=TODAY - days(10), end_at=TODAY + days(20))
        issue(accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY + days(5)))
        suspension.refresh_from_db()
        assert suspension.end_at == TODAY + days(4)

    @pytest.mark.parametrize("hiring_in,refused", [(0, False), (1, True)], ids=["hiring today", "hiring tomorrow"])
    def test_the_hiring_must_start_by_the_end_the_pass_has_once_its_suspension_is_lifted(self, hiring_in, refused):
        # pass_iae.md §7, §13.6: the suspension starts on the PASS's last day; lifted by the hiring, it no longer
        # pushes the end back, so the PASS ends today again and a hiring starting tomorrow would start after it.
        company = CompanyFactory(kind="ACI")
        approval = ApprovalFactory(start_at=TODAY - days(729), with_hiring=company)
        suspensions.suspension_create(
            approval=approval,
            siae=company,
            start_at=TODAY,
            end_at=TODAY + days(60),
            reason=SuspensionReason.CONTRACT_BROKEN,
            by_user=None,
        )
        approval.refresh_from_db()
        assert approval.end_at == TODAY + days(60)
        application = accepted_application(job_seeker=approval.user, hiring_start_at=TODAY + days(hiring_in))
        if not refused:
            assert issue(application) == approval
            approval.refresh_from_db()
            assert approval.end_at == TODAY
            assert not approval.suspensions.exists()
            return
        with pytest.raises(rules.ApprovalError) as error:
            issue(application)
        assert error.value.messages == [
            "Le PASS IAE de ce candidat prend fin le 10/03/2026 une fois sa suspension levée par cette embauche : "
            "l'embauche doit commencer au plus tard ce jour-là."
        ]
        # Nothing changed: the lift was rolled back with the refusal.
        approval.refresh_from_db()
        assert approval.end_at == TODAY + days(60)
        assert list(approval.suspensions.values_list("start_at", "end_at")) == [(TODAY, TODAY + days(60))]
        assert [event.kind for event in approval.events.all()] == [ApprovalEventKind.SUSPENSION_CREATED]
        application.refresh_from_db()
        assert application.approval is None

    def test_a_legacy_suspension_blocks_the_hiring(self):
        approval, job_seeker = self.holder(start_at=TODAY - days(100))
        SuspensionFactory(
            approval=approval, start_at=TODAY - days(10), end_at=TODAY + days(20), reason=SuspensionReason.SICKNESS
        )
        application = accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY)
        with pytest.raises(rules.ApprovalError, match="PASS IAE suspendu"):
            issue(application)
        application.refresh_from_db()
        assert application.approval is None

    def test_a_legacy_suspension_over_does_not_block(self):
        approval, job_seeker = self.holder(start_at=TODAY - days(100))
        SuspensionFactory(
            approval=approval, start_at=TODAY - days(10), end_at=TODAY - days(1), reason=SuspensionReason.SICKNESS
        )
        assert issue(accepted_application(job_seeker=job_seeker, hiring_start_at=TODAY)) == approval


class TestManualDelivery:
    def unidentified_application(self, **profile):
        job_seeker = JobSeekerFactory(profile__nir="", **{f"profile__{k}": v for k, v in profile.items()})
        return eligible_application(job_seeker=job_seeker)

    @pytest.mark.parametrize(
        "profile",
        [{}, {"lack_of_pole_emploi_id_reason": LackOfFranceTravailIdReason.FORGOTTEN}],
        ids=["nothing known", "France Travail id forgotten"],
    )
    def test_without_nir_france_travail_id_nor_not_registered(self, django_capture_on_commit_callbacks, profile):
        application = self.unidentified_application(**profile)
        with django_capture_on_commit_callbacks(execute=True):
            assert issue(application) is None
        assert not Approval.objects.exists()
        application.refresh_from_db()
        assert application.approval_delivery_mode == ApprovalDeliveryMode.MANUAL
        assert application.eligibility_diagnosis == application.diagnosis
        assert not application.approval_number_sent_by_email
        [email] = mail.outbox
        assert email.to == ["support@inclusion.localhost"]
        assert email.subject == (f"PASS IAE à délivrer manuellement pour {application.job_seeker.get_full_name()}")
        admin_path = reverse("admin:applications_jobapplication_change", args=[application.pk])
        assert f"http://127.0.0.1:8000{admin_path}" in email.body

    def test_a_person_without_profile_goes_to_manual_delivery(self):
        application = eligible_application()
        application.job_seeker.jobseeker_profile.delete()
        application.job_seeker.refresh_from_db()
        application = type(application).objects.get(pk=application.pk)
        application.employer = None
        assert rules.approval_issue_or_reuse(job_application=application) is None


def test_manual_delivery_also_reruns_the_certification_of_the_diagnosis(monkeypatch):
    # eligibility.md §6.2: every acceptance using the diagnosis re-runs its certification, PASS delivered or not.
    scheduled = []
    monkeypatch.setattr("inclusion.eligibility.certification.schedule_certification", scheduled.append)
    application = TestManualDelivery().unidentified_application()
    assert issue(application) is None
    assert scheduled == [application.diagnosis]
