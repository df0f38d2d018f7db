"""The job application state machine (applications.md §2, §3, §18.4)."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from inclusion.applications import transitions
from inclusion.applications.enums import (
    PROCESSED_STATES,
    JobApplicationState,
    JobApplicationTransition,
    RefusalReason,
)
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.users.auth import login
from tests.users.factories import ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
Transition = JobApplicationTransition
TODAY = datetime.date(2026, 3, 10)
YESTERDAY_NOON = noon(TODAY - datetime.timedelta(days=1))

# applications.md §3, written out independently of the code's table.
ALLOWED = {
    Transition.PROCESS: ({"new", "pool"}, "processing"),
    Transition.POSTPONE: ({"new", "pool", "processing", "prior_to_hire"}, "postponed"),
    Transition.ADD_TO_POOL: ({"new", "processing", "postponed", "cancelled", "obsolete"}, "pool"),
    Transition.MOVE_TO_PRIOR_TO_HIRE: (
        {"new", "pool", "processing", "postponed", "obsolete", "refused", "cancelled"},
        "prior_to_hire",
    ),
    Transition.CANCEL_PRIOR_TO_HIRE: ({"prior_to_hire"}, "processing"),
    Transition.ACCEPT: (
        {"new", "pool", "processing", "postponed", "prior_to_hire", "obsolete", "refused", "cancelled"},
        "accepted",
    ),
    Transition.REFUSE: ({"new", "pool", "processing", "prior_to_hire", "postponed"}, "refused"),
    Transition.CANCEL: ({"accepted"}, "cancelled"),
    Transition.RENDER_OBSOLETE: ({"new", "processing", "postponed"}, "obsolete"),
    Transition.TRANSFER: (
        {"new", "pool", "processing", "postponed", "prior_to_hire", "obsolete", "refused", "cancelled"},
        "new",
    ),
    Transition.EXTERNAL_TRANSFER: ({"refused"}, "refused"),
    Transition.RESET: ({"obsolete"}, "new"),
}
PAIRS = list(itertools.product(State.values, Transition.values))
ALLOWED_PAIRS = [(s, t) for s, t in PAIRS if s in ALLOWED[t][0]]
FORBIDDEN_PAIRS = [(s, t) for s, t in PAIRS if s not in ALLOWED[t][0]]


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


def application_in(state, **fields):
    """An application in `state` since yesterday, `processed_at` consistent with it (§18.4)."""
    processed_at = YESTERDAY_NOON if state in PROCESSED_STATES else None
    return JobApplicationFactory(state=state, processed_at=processed_at, **fields)


def test_the_matrix_covers_every_pair():
    assert len(PAIRS) == 9 * 12
    assert len(ALLOWED_PAIRS) == 46  # the "From" cells of applications.md §3
    assert {t: (set(f), to) for t, (f, to) in transitions.TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize("state,transition", ALLOWED_PAIRS)
def test_allowed_transition_moves_the_state_and_writes_one_log_row(state, transition):
    application = application_in(state)
    user = ProfessionalFactory()

    transitions.apply_transition(application, transition, user=user)

    application.refresh_from_db()
    to_state = ALLOWED[transition][1]
    assert application.state == to_state
    log = application.logs.get()
    assert (log.transition, log.from_state, log.to_state, log.user) == (transition, state, to_state, user)
    assert log.created_at == timezone.now()
    # §18.4: processed_at is set exactly in accepted, refused, cancelled, obsolete.
    if transition == Transition.EXTERNAL_TRANSFER:
        assert application.processed_at == YESTERDAY_NOON  # log only: kept
    elif to_state in PROCESSED_STATES:
        assert application.processed_at == timezone.now()
    else:
        assert application.processed_at is None


@pytest.mark.parametrize("state,transition", FORBIDDEN_PAIRS)
def test_forbidden_transition_raises_a_french_error_and_changes_nothing(state, transition):
    application = application_in(state)
    updated_at = application.updated_at

    with pytest.raises(transitions.TransitionError) as error:
        transitions.apply_transition(application, transition, user=ProfessionalFactory())

    assert error.value.messages[0].startswith("Impossible ")
    assert f"une candidature à l'état « {State(state).label} »." in error.value.messages[0]
    application.refresh_from_db()
    assert application.state == state
    assert application.updated_at == updated_at
    assert not JobApplicationTransitionLog.objects.exists()


def test_refusal_message_of_an_accepted_application():
    application = application_in(State.ACCEPTED)
    with pytest.raises(transitions.TransitionError) as error:
        transitions.apply_transition(application, Transition.ACCEPT)
    assert error.value.messages == ["Impossible d'accepter une candidature à l'état « Acceptée »."]


def test_the_state_is_read_again_under_the_lock():
    application = application_in(State.NEW)
    stale = JobApplication.objects.get(pk=application.pk)
    transitions.apply_transition(application, Transition.RENDER_OBSOLETE)

    with pytest.raises(transitions.TransitionError, match="à l'état « Embauché ailleurs »"):
        transitions.process(stale)
    assert stale.state == State.OBSOLETE
    assert application.logs.count() == 1


class TestArchive:
    def archived(self, state):
        return application_in(state, archived_at=YESTERDAY_NOON, archived_by=ProfessionalFactory())

    @pytest.mark.parametrize("transition", [t for t in Transition.values if "refused" in ALLOWED[t][0]])
    def test_every_transition_but_external_transfer_unarchives(self, transition):
        application = self.archived(State.REFUSED)
        transitions.apply_transition(application, transition)
        application.refresh_from_db()
        if transition == Transition.EXTERNAL_TRANSFER:
            assert application.archived_at == YESTERDAY_NOON
            assert application.archived_by is not None
        else:
            assert (application.archived_at, application.archived_by) == (None, None)

    def test_archived_by_requires_archived_at(self):
        with pytest.raises(IntegrityError):
            JobApplicationFactory(state=State.REFUSED, archived_by=ProfessionalFactory())

    @pytest.mark.parametrize("state", [State.ACCEPTED, State.PRIOR_TO_HIRE])
    def test_never_archived_while_hired(self, state):
        with pytest.raises(IntegrityError):
            JobApplicationFactory(state=state, archived_at=timezone.now())


class TestNamedTransitions:
    def test_postpone_requires_an_answer(self):
        application = application_in(State.PROCESSING)
        for answer in ["", "   "]:
            with pytest.raises(ValidationError, match="Un message au candidat est obligatoire"):
                transitions.postpone(application, answer=answer)
        application.refresh_from_db()
        assert application.state == State.PROCESSING
        assert not application.logs.exists()

    def test_postpone_stores_the_answer(self):
        application = application_in(State.PROCESSING)
        transitions.postpone(application, answer="Nous revenons vers vous d'ici une semaine.")
        application.refresh_from_db()
        assert (application.state, application.answer) == (
            State.POSTPONED,
            "Nous revenons vers vous d'ici une semaine.",
        )

    def test_add_to_pool_answer_is_optional(self):
        application = application_in(State.NEW)
        transitions.add_to_pool(application)
        application.refresh_from_db()
        assert (application.state, application.answer) == (State.POOL, "")

    def test_refuse_stores_reason_and_answers(self):
        application = application_in(State.PROCESSING, sent_by_prescriber=True)
        employer = ProfessionalFactory()
        transitions.refuse(
            application,
            user=employer,
            reason=RefusalReason.NO_POSITION,
            answer="Pas de poste en ce moment.",
            answer_to_prescriber="Revenez vers nous en mai.",
            shared=True,
        )
        application.refresh_from_db()
        assert application.state == State.REFUSED
        assert application.refusal_reason == RefusalReason.NO_POSITION
        assert application.refusal_reason_shared_with_job_seeker
        assert application.answer == "Pas de poste en ce moment."
        assert application.answer_to_prescriber == "Revenez vers nous en mai."
        assert application.processed_at == timezone.now()
        assert application.logs.get().user == employer

    @pytest.mark.parametrize("sender", [{}, {"sent_by_employer": True}], ids=["job_seeker", "employer"])
    def test_the_private_answer_is_kept_for_prescribers_only(self, sender):
        application = application_in(State.PROCESSING, **sender)
        transitions.refuse(
            application, reason=RefusalReason.NO_POSITION, answer="Pas de poste.", answer_to_prescriber="Privé."
        )
        application.refresh_from_db()
        assert (application.answer, application.answer_to_prescriber) == ("Pas de poste.", "")

    def test_refuse_with_an_unknown_reason(self):
        application = application_in(State.NEW)
        with pytest.raises(ValidationError, match="Choisissez un motif de refus"):
            transitions.refuse(application, reason="because", answer="Non.")
        application.refresh_from_db()
        assert application.state == State.NEW

    def test_transfer_goes_back_to_new_at_the_target_company(self):
        origin = CompanyFactory()
        target = CompanyFactory()
        employer = ProfessionalFactory()
        application = application_in(
            State.REFUSED,
            to_company=origin,
            refusal_reason=RefusalReason.OTHER,
            refusal_reason_shared_with_job_seeker=True,
            answer="Non.",
            answer_to_prescriber="Non plus.",
        )
        transitions.transfer(application, user=employer, target_company=target)
        application.refresh_from_db()
        assert application.state == State.NEW
        assert application.to_company == target
        assert (application.transferred_from, application.transferred_by) == (origin, employer)
        assert application.transferred_at == timezone.now()
        assert (application.answer, application.answer_to_prescriber, application.refusal_reason) == ("", "", "")
        assert not application.refusal_reason_shared_with_job_seeker
        assert application.processed_at is None
        log = application.logs.get()
        assert (log.transition, log.target_company) == (Transition.TRANSFER, target)

    def test_transfer_to_the_same_company_is_refused(self):
        application = application_in(State.NEW)
        with pytest.raises(ValidationError, match="déjà adressée à cette structure"):
            transitions.transfer(application, user=ProfessionalFactory(), target_company=application.to_company)
        assert not application.logs.exists()

    def test_external_transfer_logs_the_target_company(self):
        target = CompanyFactory()
        application = application_in(State.REFUSED)
        transitions.external_transfer(application, user=ProfessionalFactory(), target_company=target)
        assert application.logs.get().target_company == target
        application.refresh_from_db()
        assert application.state == State.REFUSED

    def test_reset_of_an_obsolete_application(self):
        application = application_in(State.OBSOLETE)
        transitions.reset(application, user=ProfessionalFactory())
        application.refresh_from_db()
        assert (application.state, application.processed_at) == (State.NEW, None)


class TestRefusalReasons:
    def test_selectable_excludes_the_historical_reasons(self):
        codes = [code for code, _ in RefusalReason.selectable()]
        assert len(codes) == 13
        assert "auto" not in codes and "poorly_informed" not in codes
        assert "non_eligible" in codes and "prevent_objectives" in codes
        assert dict(RefusalReason.selectable())["did_not_come"] == "Candidat non joignable"

    def test_a_geiq_never_refuses_for_eligibility_or_objectives(self):
        codes = [code for code, _ in RefusalReason.selectable(for_geiq=True)]
        assert len(codes) == 11
        assert "non_eligible" not in codes and "prevent_objectives" not in codes


def test_the_back_office_shows_the_log_read_only(client):
    application = application_in(State.NEW)
    transitions.process(application, user=ProfessionalFactory())
    login(client, StaffFactory())
    response = client.get(reverse("admin:applications_jobapplication_change", args=[application.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mise à l&#x27;étude" in content
    assert "logs-0-transition" not in content  # no editable field


def test_the_back_office_list_query_count_does_not_grow_with_the_rows(client, django_assert_max_num_queries):
    application_in(State.NEW)
    login(client, StaffFactory())
    url = reverse("admin:applications_jobapplication_changelist")
    client.get(url)  # warms the session and the content types
    with django_assert_max_num_queries(100) as one_row:
        assert client.get(url).status_code == 200
    for state in (State.PROCESSING, State.REFUSED, State.ACCEPTED, State.OBSOLETE):
        application_in(state)
    with django_assert_max_num_queries(len(one_row)) as five_rows:
        response = client.get(url)
    assert response.content.decode().count('class="action-select"') == 5
    assert len(five_rows) == len(one_row)
