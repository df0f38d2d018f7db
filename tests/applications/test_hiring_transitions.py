"""The "Done when" of the applications journey for the hiring transitions, proven through the pages
(applications.md §3, §6.5, §18.4, §18.5): `accept` and `cancel` from every state, each allowed one writing exactly
one log row and each refused one a clear French message with nothing changed; accepting renders obsolete exactly the
other pending applications of the same person, each with its own log row.

`tests/applications/test_process_transitions.py` does the same for the processing transitions.
"""

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from inclusion.applications import transitions
from inclusion.applications.enums import PROCESSED_STATES, JobApplicationState, JobApplicationTransition
from inclusion.applications.models import JobApplicationTransitionLog
from tests.applications.factories import JobApplicationFactory
from tests.applications.test_hiring_accept import TODAY, confirm, open_wizard, post_contract, received
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
Transition = JobApplicationTransition
YESTERDAY_NOON = noon(TODAY - datetime.timedelta(days=1))
# applications.md §3, written out independently of the code's table.
ACCEPT_FROM = {"new", "pool", "processing", "postponed", "prior_to_hire", "obsolete", "refused", "cancelled"}
PENDING = {"new", "processing", "postponed"}


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def in_state(state, **fields):
    """An application to a GEIQ (every state of the table exists there, prior_to_hire included) in `state`, its
    `processed_at` consistent with it (§18.4)."""
    processed_at = YESTERDAY_NOON if state in PROCESSED_STATES else None
    if state == State.ACCEPTED:
        fields.setdefault("hiring_start_at", TODAY + datetime.timedelta(days=10))
    return received("GEIQ", state=state, processed_at=processed_at, **fields)


def logs_of(application):
    return [
        (log.transition, log.from_state, log.to_state, log.user)
        for log in JobApplicationTransitionLog.objects.filter(job_application=application).order_by("pk")
    ]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def page_text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def accept_through_the_wizard(client, application):
    """The accept wizard of a GEIQ, from its first page to the confirmation; the last response."""
    wizard_url = open_wizard(client, application)
    post_contract(client, wizard_url, application)
    client.post(wizard_url, {"action": "geiq_continue"})
    return confirm(client, wizard_url)


@pytest.mark.parametrize("state", State.values)
def test_accept_from_every_state(client, state):
    application = in_state(state)
    client.force_login(application.employer)

    if state in ACCEPT_FROM:
        response = accept_through_the_wizard(client, application)
        application.refresh_from_db()
        assert application.state == State.ACCEPTED
        assert logs_of(application) == [(Transition.ACCEPT, state, State.ACCEPTED, application.employer)]
    else:
        # The detail page offers no "Accepter"; a typed URL or the batch action says why, and nothing moves.
        response = client.get(reverse("application_accept", args=[application.pk]))
        assert messages_of(response) == ["Cette candidature a déjà été acceptée : l'embauche est enregistrée."]
        batch = client.post(
            reverse("applications_batch"), {"application_ids": [str(application.pk)], "action": "accept"}, follow=True
        )
        assert transitions.transition_refusal_message(Transition.ACCEPT, state) in page_text(batch)
        application.refresh_from_db()
        assert application.state == state
        assert logs_of(application) == []
    assert response.status_code == 302


@pytest.mark.parametrize("state", State.values)
def test_cancel_from_every_state(client, state):
    application = in_state(state)
    client.force_login(application.employer)
    cancel_url = reverse("application_cancel", args=[application.pk])

    response = client.post(cancel_url)

    application.refresh_from_db()
    if state == State.ACCEPTED:
        assert response.status_code == 302
        assert application.state == State.CANCELLED
        assert logs_of(application) == [(Transition.CANCEL, State.ACCEPTED, State.CANCELLED, application.employer)]
        return
    assert application.state == state
    assert logs_of(application) == []
    if state == State.CANCELLED:
        assert messages_of(response) == ["Cette embauche est déjà annulée."]
    else:
        assert response.status_code == 400
        assert transitions.transition_refusal_message(Transition.CANCEL, state) in page_text(response)


def test_accepting_renders_obsolete_exactly_the_other_pending_applications_of_the_person(client):
    application = in_state(State.PROCESSING)
    job_seeker = application.job_seeker
    others = {
        state: JobApplicationFactory(
            job_seeker=job_seeker,
            state=state,
            processed_at=YESTERDAY_NOON if state in PROCESSED_STATES else None,
            hiring_start_at=TODAY if state == State.ACCEPTED else None,
        )
        for state in State.values
    }
    # A second pending application of the person to the same company is no exception.
    same_company = JobApplicationFactory(job_seeker=job_seeker, to_company=application.to_company, state=State.NEW)
    someone_else = JobApplicationFactory(to_company=application.to_company, state=State.NEW)
    client.force_login(application.employer)

    accept_through_the_wizard(client, application)

    employer = application.employer
    assert logs_of(application) == [(Transition.ACCEPT, State.PROCESSING, State.ACCEPTED, employer)]
    for state, other in [*others.items(), (State.NEW, same_company)]:
        other.refresh_from_db()
        if state in PENDING:
            assert other.state == State.OBSOLETE
            assert other.processed_at is not None
            assert logs_of(other) == [(Transition.RENDER_OBSOLETE, state, State.OBSOLETE, employer)]
        else:
            assert other.state == state
            assert logs_of(other) == []
    someone_else.refresh_from_db()
    assert (someone_else.state, logs_of(someone_else)) == (State.NEW, [])


def test_a_refused_accept_through_the_wizard_renders_nothing_obsolete(client, monkeypatch):
    """The obsolete applications belong to the acceptance's transaction: a refusal of the rules rolls them back."""
    application = received("ACI", state=State.NEW)
    pending = JobApplicationFactory(job_seeker=application.job_seeker, to_company=CompanyFactory(), state=State.NEW)

    def refuse(**kwargs):
        raise transitions.ValidationError("Refus des règles du PASS IAE.")

    monkeypatch.setattr("inclusion.approvals.rules.approval_issue_or_reuse", refuse)
    wizard_url = open_wizard(client, application)
    post_contract(client, wizard_url, application)

    response = confirm(client, wizard_url)

    assert response.status_code == 400
    pending.refresh_from_db()
    assert (pending.state, logs_of(pending)) == (State.NEW, [])
