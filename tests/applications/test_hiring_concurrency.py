"""Hiring forms posted at the same time (applications.md §3, §6; pass_iae.md §6): never a server error, never a second
acceptance.

PostgreSQL only: threads, each with its own connection, really run at the same time (SQLite serialises every write).
Each thread is a browser tab of the employer: a test client carrying the same session cookie.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from inclusion.applications.enums import JobApplicationState, JobApplicationTransition
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals.models import Approval
from tests.applications.factories import JobApplicationFactory
from tests.applications.test_hiring_accept import TODAY, contract_data, open_wizard, received
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.users.factories import ProfessionalFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write: there is no concurrency to test"
    ),
]

State = JobApplicationState


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def tab_of(client):
    """Another tab of the same browser: the same session."""
    tab = Client()
    tab.cookies = client.cookies
    return tab


def post_together(posts):
    """Runs every (client, url, data) POST in its own thread, all released at once; returns (responses, errors)."""
    barrier = threading.Barrier(len(posts))
    responses, errors = [], []

    def post(client, url, data):
        try:
            barrier.wait()
            responses.append(client.post(url, data))
        except Exception as error:  # a server error: reported by the assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=args) for args in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses, errors


def ready_to_confirm(client, application):
    wizard_url = open_wizard(client, application)
    assert client.post(wizard_url, contract_data(application)).status_code == 302
    return wizard_url


def accept_logs(application):
    return JobApplicationTransitionLog.objects.filter(
        job_application=application, transition=JobApplicationTransition.ACCEPT
    )


def test_a_confirmation_posted_twice_at_once_accepts_once(client):
    application = received()  # an ACI, with a prescriber's diagnosis: a PASS IAE is issued
    wizard_url = ready_to_confirm(client, application)

    responses, errors = post_together([(tab, wizard_url, {"action": "confirm"}) for tab in (client, tab_of(client))])

    assert errors == []
    assert [response.status_code for response in responses] == [302, 302]
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert accept_logs(application).count() == 1
    assert Approval.objects.count() == 1


def test_a_cancellation_posted_twice_at_once_cancels_once(client):
    application = received()
    wizard_url = ready_to_confirm(client, application)
    client.post(wizard_url, {"action": "confirm"})
    cancel_url = f"/entreprise/candidatures/{application.pk}/annuler-embauche/"

    responses, errors = post_together([(tab, cancel_url, {}) for tab in (client, tab_of(client))])

    assert errors == []
    assert [response.status_code for response in responses] == [302, 302]
    application.refresh_from_db()
    assert application.state == State.CANCELLED
    assert application.logs.filter(transition=JobApplicationTransition.CANCEL).count() == 1
    assert not Approval.objects.exists()


def test_two_siae_accepting_the_same_person_at_once(client):
    """Each acceptance renders the other application obsolete (§6.5): without a common order of the row locks, the
    two transactions would wait for each other and PostgreSQL would abort one (a server error). They run one after
    the other instead. The second employer confirmed a pending application that the first hiring made obsolete
    meanwhile: its confirmation is refused with the reason (issue 6), nothing recorded; accepting it knowingly from
    its page stays possible (§3)."""
    first = received("ACI")  # with a prescriber's diagnosis, valid for any SIAE
    employer = ProfessionalFactory()
    second = JobApplicationFactory(
        job_seeker=first.job_seeker, to_company=CompanyFactory(kind="EI", with_member=employer), state=State.NEW
    )
    second.employer = employer
    first_url = ready_to_confirm(client, first)
    other_browser = Client()
    second_url = ready_to_confirm(other_browser, second)

    responses, errors = post_together(
        [(client, first_url, {"action": "confirm"}), (other_browser, second_url, {"action": "confirm"})]
    )

    assert errors == []
    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400)
    assert "Embauché ailleurs" in refused.content.decode()
    states = sorted(JobApplication.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == sorted([State.ACCEPTED, State.OBSOLETE])
    assert JobApplicationTransitionLog.objects.filter(transition=JobApplicationTransition.ACCEPT).count() == 1
    [approval] = Approval.objects.all()
    assert JobApplication.objects.get(state=State.ACCEPTED).approval == approval
