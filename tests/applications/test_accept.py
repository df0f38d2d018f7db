"""Acceptance of an application (applications.md §6, §18.5, §18.6; pass_iae.md §5, §6)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from inclusion.applications import transitions
from inclusion.applications.enums import JobApplicationState, JobApplicationTransition
from inclusion.applications.models import JobApplicationTransitionLog
from inclusion.approvals.models import Approval
from inclusion.approvals.rules import ApprovalError
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import JobSeekerAssignment
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)
START = TODAY + datetime.timedelta(days=5)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def received_application(kind="ACI", *, state=State.PROCESSING, **fields):
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=kind, with_member=employer)
    application = JobApplicationFactory(to_company=company, state=state, **fields)
    application.employer = employer
    return application


def accept(application, **kwargs):
    kwargs.setdefault("hiring_start_at", START)
    return transitions.accept(application, user=application.employer, **kwargs)


class TestSiae:
    def test_aci_with_a_prescriber_diagnosis_gets_a_730_day_pass(self):
        application = received_application(sent_by_authorized_prescriber=True)
        diagnosis = EligibilityDiagnosisFactory(job_seeker=application.job_seeker, criteria=["RSA"])

        accept(application, hiring_end_at=START + datetime.timedelta(days=180))

        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.accepted_at == application.processed_at == timezone.now()
        assert (application.hiring_start_at, application.hiring_end_at) == (START, START + datetime.timedelta(180))
        assert application.eligibility_diagnosis == diagnosis
        approval = application.approval
        assert (approval.start_at, approval.end_at) == (START, START + datetime.timedelta(days=729))
        log = application.logs.get()
        assert (log.transition, log.from_state, log.to_state) == ("accept", "processing", "accepted")
        assert log.user == application.employer
        assignment = JobSeekerAssignment.objects.get(job_seeker=application.job_seeker)
        assert (assignment.professional, assignment.company) == (application.employer, application.to_company)
        assert assignment.last_action == AssignmentAction.ACCEPT

    def test_only_the_other_pending_applications_of_the_person_become_obsolete(self):
        application = received_application()
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker)
        job_seeker = application.job_seeker
        others = {state: JobApplicationFactory(job_seeker=job_seeker, state=state) for state in State.values}
        someone_else = JobApplicationFactory(state=State.NEW)

        accept(application)

        for state, other in others.items():
            other.refresh_from_db()
            if state in {State.NEW, State.PROCESSING, State.POSTPONED}:
                assert other.state == State.OBSOLETE
                assert other.processed_at == timezone.now()
                log = other.logs.get()
                assert (log.transition, log.from_state, log.user) == ("render_obsolete", state, application.employer)
            else:
                assert other.state == state
                assert not other.logs.exists()
        someone_else.refresh_from_db()
        assert someone_else.state == State.NEW
        assert JobApplicationTransitionLog.objects.count() == 1 + 3

    def test_a_holder_reuses_the_pass(self):
        approval = ApprovalFactory(start_at=TODAY - datetime.timedelta(days=100))
        application = received_application(job_seeker=approval.user)

        accept(application)

        application.refresh_from_db()
        assert application.approval == approval
        assert Approval.objects.count() == 1

    def test_the_waiting_period_rolls_everything_back(self):
        job_seeker = JobSeekerFactory()
        ended = TODAY - datetime.timedelta(days=100)
        old_diagnosis = EligibilityDiagnosisFactory(
            job_seeker=job_seeker, created_at=noon(TODAY) - relativedelta(years=3)
        )
        ApprovalFactory(
            user=job_seeker,
            start_at=ended - datetime.timedelta(days=729),
            end_at=ended,
            eligibility_diagnosis=old_diagnosis,
        )
        application = received_application(job_seeker=job_seeker)
        pending = JobApplicationFactory(job_seeker=job_seeker, state=State.NEW)

        with pytest.raises(ApprovalError, match="délai de carence"):
            accept(application)

        assert application.state == State.PROCESSING  # the instance is reloaded too
        application.refresh_from_db()
        assert (application.state, application.accepted_at, application.hiring_start_at) == (
            State.PROCESSING,
            None,
            None,
        )
        pending.refresh_from_db()
        assert pending.state == State.NEW
        assert not JobApplicationTransitionLog.objects.exists()
        assert Approval.objects.count() == 1
        assert not JobSeekerAssignment.objects.exists()


class TestReaccepting:
    def test_the_previous_refusal_is_blanked(self):
        # applications.md §8.1: previous answers are blanked when re-accepting.
        application = received_application(
            "EA",
            state=State.REFUSED,
            refusal_reason="no_position",
            refusal_reason_shared_with_job_seeker=True,
            answer="Pas de poste pour le moment.",
            answer_to_prescriber="Poste pourvu en interne.",
        )
        accept(application)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert (
            application.refusal_reason,
            application.refusal_reason_shared_with_job_seeker,
            application.answer,
            application.answer_to_prescriber,
        ) == ("", False, "", "")

    def test_the_acceptance_message_is_stored(self):
        application = received_application("EA")
        accept(application, answer="Bienvenue dans l'équipe !")
        application.refresh_from_db()
        assert application.answer == "Bienvenue dans l'équipe !"


class TestOtherKinds:
    def test_geiq_attaches_its_valid_diagnosis_and_never_a_pass(self):
        application = received_application("GEIQ")
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker)
        diagnosis = GEIQEligibilityDiagnosisFactory(
            job_seeker=application.job_seeker, author_geiq=application.to_company
        )

        accept(application)

        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.geiq_eligibility_diagnosis == diagnosis
        assert (application.approval, application.eligibility_diagnosis) == (None, None)
        assert not Approval.objects.exists()

    def test_geiq_acceptance_schedules_the_certification_of_its_diagnosis(self, monkeypatch):
        # eligibility.md §6.2, applications.md §6.5: certification runs again when an application using the
        # diagnosis is accepted, for every kind (the SIAE case is tested with the PASS rules).
        scheduled = []
        monkeypatch.setattr("inclusion.eligibility.certification.schedule_certification", scheduled.append)
        application = received_application("GEIQ")
        diagnosis = GEIQEligibilityDiagnosisFactory(
            job_seeker=application.job_seeker, author_geiq=application.to_company, criteria=["RSA"]
        )

        accept(application)

        assert scheduled == [diagnosis]

    def test_geiq_acceptance_without_diagnosis_schedules_nothing(self, monkeypatch):
        scheduled = []
        monkeypatch.setattr("inclusion.eligibility.certification.schedule_certification", scheduled.append)
        accept(received_application("GEIQ"))
        assert scheduled == []

    def test_geiq_without_diagnosis(self):
        application = received_application("GEIQ")
        accept(application)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert application.geiq_eligibility_diagnosis is None

    @pytest.mark.parametrize("kind", ["EA", "EATT", "OPCS"])
    def test_no_pass_nor_diagnosis(self, kind):
        application = received_application(kind)
        EligibilityDiagnosisFactory(job_seeker=application.job_seeker)
        other = JobApplicationFactory(job_seeker=application.job_seeker, state=State.POSTPONED)

        accept(application)

        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert (application.approval, application.eligibility_diagnosis) == (None, None)
        assert not Approval.objects.exists()
        other.refresh_from_db()
        assert other.state == State.OBSOLETE


class TestHiringStart:
    @pytest.mark.parametrize(
        "start,accepted",
        [
            (TODAY - datetime.timedelta(days=1), False),
            (TODAY, True),
            (TODAY + relativedelta(months=6), True),
            (TODAY + relativedelta(months=6) + datetime.timedelta(days=1), False),
        ],
    )
    def test_bounds(self, start, accepted):
        application = received_application("EA")
        if accepted:
            accept(application, hiring_start_at=start)
            application.refresh_from_db()
            assert (application.state, application.hiring_start_at) == (State.ACCEPTED, start)
        else:
            with pytest.raises(ValidationError) as error:
                accept(application, hiring_start_at=start)
            assert error.value.messages == [
                "La date de début du contrat doit être comprise entre le 10/03/2026 et le 10/09/2026."
            ]
            application.refresh_from_db()
            assert application.state == State.PROCESSING
            assert not application.logs.exists()

    def test_start_is_mandatory(self):
        application = received_application("EA")
        with pytest.raises(ValidationError, match="La date de début du contrat est obligatoire"):
            accept(application, hiring_start_at=None)

    def test_end_before_start(self):
        application = received_application("EA")
        with pytest.raises(ValidationError, match="ne peut pas être antérieure"):
            accept(application, hiring_end_at=START - datetime.timedelta(days=1))
        application.refresh_from_db()
        assert application.state == State.PROCESSING


def test_an_accepted_application_cannot_be_accepted_again():
    application = received_application("EA", state=State.ACCEPTED)
    with pytest.raises(transitions.TransitionError, match="Impossible d'accepter"):
        accept(application)
    assert not application.logs.filter(transition=JobApplicationTransition.ACCEPT).exists()
