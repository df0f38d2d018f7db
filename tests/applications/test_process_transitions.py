"""Every transition the employer triggers from the processing pages, from every state (applications.md §3, §18.4).

Allowed ⇒ the state moves and exactly one log row is written, by the employer; not allowed ⇒ nothing changes and the
state machine's French message is shown on the page, never a server error.
"""

import datetime
import html
import itertools

import pytest
from django.urls import reverse

from inclusion.applications import transitions
from inclusion.applications.enums import PROCESSED_STATES, JobApplicationState, JobApplicationTransition
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)
State = JobApplicationState
Transition = JobApplicationTransition

# applications.md §3, written out independently of the code's table: the transitions of the processing pages.
ALLOWED_FROM = {
    Transition.PROCESS: {"new", "pool"},
    Transition.POSTPONE: {"new", "pool", "processing", "prior_to_hire"},
    Transition.ADD_TO_POOL: {"new", "processing", "postponed", "cancelled", "obsolete"},
    Transition.REFUSE: {"new", "pool", "processing", "prior_to_hire", "postponed"},
    Transition.TRANSFER: {
        "new",
        "pool",
        "processing",
        "postponed",
        "prior_to_hire",
        "obsolete",
        "refused",
        "cancelled",
    },
    Transition.EXTERNAL_TRANSFER: {"refused"},
    Transition.MOVE_TO_PRIOR_TO_HIRE: {"new", "pool", "processing", "postponed", "obsolete", "refused", "cancelled"},
}
TO_STATE = {
    Transition.PROCESS: "processing",
    Transition.POSTPONE: "postponed",
    Transition.ADD_TO_POOL: "pool",
    Transition.REFUSE: "refused",
    Transition.TRANSFER: "new",
    Transition.EXTERNAL_TRANSFER: "refused",
    Transition.MOVE_TO_PRIOR_TO_HIRE: "prior_to_hire",
}
PRIOR_ACTIONS_CLOSED = (
    "Impossible de modifier les actions préalables à l'embauche d'une candidature à l'état « Acceptée »."
)
CASES = list(itertools.product(ALLOWED_FROM, State.values))


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def company(db):
    # A GEIQ: every transition of the pages exists there (prior actions are GEIQ only).
    return CompanyFactory(kind=CompanyKind.GEIQ, name="GEIQ BTP", with_member=True)


@pytest.fixture
def employer(company):
    return company.memberships.get().user


@pytest.fixture
def other_company(employer):
    """Another company of the employer, for the internal transfer."""
    other = CompanyFactory(name="Jardins de Cocagne")
    # Joined later: the GEIQ stays the default current organization (organizations.md §1.1).
    CompanyMembershipFactory(organization=other, user=employer, joined_at=NOW + datetime.timedelta(days=1))
    return other


@pytest.fixture
def outside_company(db):
    """A company the employer is not a member of, for the external transfer."""
    outside = CompanyFactory(name="Recyclerie du Rhône", with_member=True)
    JobDescriptionFactory(company=outside)
    return outside


@pytest.fixture
def employer_client(client, employer, other_company):
    client.force_login(employer)
    return client


def application_in(state, company):
    processed_at = NOW - datetime.timedelta(days=1) if state in PROCESSED_STATES else None
    return JobApplicationFactory(
        state=state, processed_at=processed_at, to_company=company, sent_by_authorized_prescriber=True
    )


def page_text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def _post_batch(client, job_application, action):
    detail = reverse("application_detail_company", args=[job_application.pk])
    data = {"application_ids": [str(job_application.pk)], "action": action, "next": detail}
    return client.post(reverse("applications_batch"), data, follow=True)


def _on(response, url_name):
    return response.resolver_match.url_name == url_name


def _continue(client, response, url_name, data):
    """Posts `data` to the page the batch led to, when it led there (else the batch's own answer stands)."""
    if not _on(response, url_name):
        return response
    return client.post(response.request["PATH_INFO"], data, follow=True)


def act(client, job_application, transition, *, other_company, outside_company):
    """Runs `transition` on `job_application` the way an employer does, through the pages; the final response."""
    match transition:
        case Transition.PROCESS:
            return _post_batch(client, job_application, "process")
        case Transition.POSTPONE:
            response = _post_batch(client, job_application, "postpone")
            return _continue(client, response, "applications_postpone", {"answer": "Nous revenons vers vous."})
        case Transition.ADD_TO_POOL:
            response = _post_batch(client, job_application, "add_to_pool")
            return _continue(client, response, "applications_add_to_pool", {"answer": "Vivier."})
        case Transition.REFUSE:
            response = _post_batch(client, job_application, "refuse")
            response = _continue(client, response, "refusal_wizard", {"reason": "not_mobile"})
            response = _continue(client, response, "refusal_wizard", {"answer": "Désolés."})
            return _continue(client, response, "refusal_wizard", {"answer_to_prescriber": "Pas mobile."})
        case Transition.TRANSFER:
            response = _post_batch(client, job_application, "transfer")
            return _continue(client, response, "applications_transfer", {"target": other_company.uid})
        case Transition.EXTERNAL_TRANSFER:
            response = client.get(
                reverse("application_external_transfer", args=[job_application.pk]), {"q": "Recyclerie"}, follow=True
            )
            if not _on(response, "application_external_transfer"):
                return response
            job = outside_company.job_descriptions.get()
            return client.post(
                reverse("application_external_transfer_company", args=[job_application.pk, outside_company.uid]),
                {"selected_jobs": [job.pk], "message": "Je vous le recommande."},
                follow=True,
            )
        case Transition.MOVE_TO_PRIOR_TO_HIRE:
            return client.post(
                reverse("prior_action_add", args=[job_application.pk]),
                {"kind": "PMSMP", "start_at": "2026-03-16", "end_at": "2026-03-20"},
                follow=True,
            )


@pytest.mark.parametrize("transition,state", CASES)
def test_transition_through_the_pages(
    employer_client, company, employer, other_company, outside_company, transition, state
):
    job_application = application_in(state, company)
    response = act(
        employer_client, job_application, transition, other_company=other_company, outside_company=outside_company
    )
    assert response.status_code == 200
    job_application.refresh_from_db()
    logs = list(JobApplicationTransitionLog.objects.filter(job_application=job_application))
    if state in ALLOWED_FROM[transition]:
        assert job_application.state == TO_STATE[transition]
        assert [(log.transition, log.from_state, log.to_state, log.user) for log in logs] == [
            (transition, state, TO_STATE[transition], employer)
        ]
    else:
        assert job_application.state == state
        assert logs == []
        if transition == Transition.MOVE_TO_PRIOR_TO_HIRE:
            # Adding an action to an application already in prior_to_hire moves nothing; accepted ones are closed.
            expected = None if state == State.PRIOR_TO_HIRE else PRIOR_ACTIONS_CLOSED
        else:
            expected = transitions.transition_refusal_message(transition, state)
        if expected:
            assert expected in page_text(response)


def test_the_matrix_covers_the_table(db):
    for transition, states in ALLOWED_FROM.items():
        assert states == set(transitions.TRANSITIONS[transition][0]), transition


def test_an_external_transfer_creates_a_new_application(employer_client, company, employer, outside_company):
    job_application = application_in(State.REFUSED, company)
    act(
        employer_client,
        job_application,
        Transition.EXTERNAL_TRANSFER,
        other_company=None,
        outside_company=outside_company,
    )
    created = JobApplication.objects.get(to_company=outside_company)
    assert (created.sender, created.sender_company, created.state) == (employer, company, State.NEW)
    log = job_application.logs.get()
    assert log.target_company == outside_company
