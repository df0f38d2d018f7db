"""Cancelling a hiring (pass_iae.md §10, applications.md §4, §18.8, §18.9)."""

import datetime

import pytest
from django.utils import timezone

from inclusion.applications import transitions
from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState, Origin
from inclusion.approvals.models import Approval, CancelledApproval
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def hired(kind="ACI", *, job_seeker=None, **fields):
    """An application accepted through the state machine (so with its PASS or GEIQ diagnosis)."""
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=kind, with_member=employer)
    application = JobApplicationFactory(
        to_company=company, state=State.PROCESSING, job_seeker=job_seeker or JobSeekerFactory(), **fields
    )
    application.employer = employer
    transitions.accept(application, user=employer, hiring_start_at=TODAY)
    return application


def test_cancel_deletes_the_pass_of_its_only_hiring_and_writes_the_snapshot():
    job_seeker = JobSeekerFactory()
    EligibilityDiagnosisFactory(job_seeker=job_seeker)
    application = hired(job_seeker=job_seeker)
    approval = application.approval
    assert approval is not None and application.approval_delivery_mode == ApprovalDeliveryMode.AUTOMATIC

    transitions.cancel(application, user=application.employer)

    application.refresh_from_db()
    assert application.state == State.CANCELLED
    assert application.processed_at == timezone.now()
    for field, default in transitions.ACCEPTED_ONLY_DEFAULTS.items():
        assert getattr(application, field) == default, field
    log = application.logs.latest("created_at", "pk")
    assert (log.transition, log.from_state, log.to_state, log.user) == (
        "cancel",
        "accepted",
        "cancelled",
        application.employer,
    )
    assert not Approval.objects.exists()
    snapshot = CancelledApproval.objects.get()
    assert (snapshot.number, snapshot.start_at, snapshot.end_at) == (
        approval.number,
        approval.start_at,
        approval.end_at,
    )


def test_cancel_keeps_a_pass_carried_by_another_accepted_application():
    job_seeker = JobSeekerFactory()
    EligibilityDiagnosisFactory(job_seeker=job_seeker)
    first = hired(job_seeker=job_seeker)
    second = hired(job_seeker=job_seeker)  # reuses the PASS
    assert second.approval == first.approval

    transitions.cancel(second, user=second.employer)

    first.refresh_from_db()
    assert first.approval is not None
    assert Approval.objects.count() == 1
    assert not CancelledApproval.objects.exists()
    second.refresh_from_db()
    assert (second.state, second.approval) == (State.CANCELLED, None)


def test_cancel_a_geiq_hiring_clears_its_diagnosis():
    job_seeker = JobSeekerFactory()
    geiq = CompanyFactory(kind="GEIQ")
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, author_geiq=geiq)
    employer = ProfessionalFactory()
    application = JobApplicationFactory(job_seeker=job_seeker, to_company=geiq)
    transitions.accept(application, user=employer, hiring_start_at=TODAY)
    assert application.geiq_eligibility_diagnosis is not None

    transitions.cancel(application, user=employer)

    application.refresh_from_db()
    assert (application.state, application.geiq_eligibility_diagnosis) == (State.CANCELLED, None)


def test_cancel_is_refused_for_the_ai_stock():
    application = JobApplicationFactory(state=State.ACCEPTED, origin=Origin.AI_STOCK, processed_at=timezone.now())
    with pytest.raises(transitions.TransitionError, match="stock des associations intermédiaires"):
        transitions.cancel(application, user=ProfessionalFactory())
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert not application.logs.exists()


@pytest.mark.parametrize("state", [s for s in State.values if s != State.ACCEPTED])
def test_only_an_accepted_application_can_be_cancelled(state):
    application = JobApplicationFactory(state=state)
    with pytest.raises(
        transitions.TransitionError, match="Impossible d'annuler l'embauche d'une candidature à l'état"
    ):
        transitions.cancel(application, user=ProfessionalFactory())
    assert not application.logs.exists()
