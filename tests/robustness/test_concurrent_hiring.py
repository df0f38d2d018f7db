"""Twenty SIAE hire the same person at the same moment (issue 6 §5; applications.md §3, §6; pass_iae.md §6, §7).

Each of the twenty employers received an application of the person, filled the contract of the accept wizard and
reads the confirmation page; they all click « Confirmer l'embauche » at once (twenty threads released by a barrier,
each with its own browser and its own database connection).

Expected: one hiring and one PASS IAE; the nineteen other employers are told, in French, that the person was hired
elsewhere meanwhile (their application became « Embauché ailleurs » while they were reading the confirmation); no
server error, no deadlock; one "PASS IAE accepté" e-mail.

PostgreSQL only: SQLite serialises every write, there is no concurrency to test (same marker as
tests/applications/test_hiring_concurrency.py). Run it alone with
`DATABASE_URL=postgres://... pytest tests/robustness/test_concurrent_hiring.py`.
"""

import datetime
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, JobApplicationTransition
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals.models import Approval
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory, _foreign_birth_country
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write: there is no concurrency to test"
    ),
]

EMPLOYERS = 20
TODAY = datetime.date(2026, 3, 10)
START = TODAY + datetime.timedelta(days=5)
SIAE_KINDS = [CompanyKind.ACI, CompanyKind.AI, CompanyKind.EI, CompanyKind.EITI, CompanyKind.ETTI]
PASS_DELIVERED_SUBJECT = "PASS IAE pour"


@pytest.fixture(autouse=True)
def frozen_today(time_machine, settings):
    time_machine.move_to(noon(TODAY), tick=False)
    settings.PASS_IAE_NUMBER_PREFIX = "99999"


def confirmation_pages_of_twenty_siae():
    """The person's twenty pending applications, each at the confirmation step of its employer's accept wizard:
    [(browser, wizard url, application)]."""
    job_seeker = JobSeekerFactory(
        address_line_1="12 rue de la République",
        post_code="69001",
        city="Lyon",
        profile__lack_of_pole_emploi_id_reason="NOT_REGISTERED",
        profile__birth_country=_foreign_birth_country(),
    )
    # An authorized prescriber's diagnosis: valid for every SIAE, so that each of them may hire at once.
    EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA"])
    pages = []
    for index in range(EMPLOYERS):
        employer = ProfessionalFactory()
        company = CompanyFactory(kind=SIAE_KINDS[index % len(SIAE_KINDS)], with_member=employer)
        application = JobApplicationFactory(
            job_seeker=job_seeker, to_company=company, state=JobApplicationState.PROCESSING
        )
        browser = Client()
        browser.force_login(employer)
        response = browser.get(reverse("application_accept", args=[application.pk]))
        wizard_url = response.context["wizard_url"]
        contract = {"action": "contract", "hiring_start_at": START.isoformat(), "advisor": str(employer.pk)}
        assert browser.post(wizard_url, contract).status_code == 302
        # The employer reads the confirmation page.
        assert browser.get(wizard_url).context["stepper"]["title"] == "Confirmation"
        pages.append((browser, wizard_url, application))
    return job_seeker, pages


def confirm_together(pages):
    """Every employer clicks « Confirmer » at the same moment; returns ({application pk: response}, errors)."""
    barrier = threading.Barrier(len(pages))
    responses, errors = {}, []

    def confirm(browser, wizard_url, application):
        try:
            barrier.wait()
            responses[application.pk] = browser.post(wizard_url, {"action": "confirm"})
        except Exception as error:  # a server error or a deadlock: reported by the assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=page) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a confirmation never returned (deadlock?)"
    return responses, errors


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_twenty_siae_confirm_the_hiring_of_the_same_person_at_once():
    job_seeker, pages = confirmation_pages_of_twenty_siae()
    mail.outbox.clear()

    started = time.monotonic()
    responses, errors = confirm_together(pages)
    elapsed = time.monotonic() - started

    assert errors == []
    assert len(responses) == EMPLOYERS
    assert elapsed < 30, f"twenty confirmations took {elapsed:.1f} s"
    states = dict(JobApplication.objects.filter(job_seeker=job_seeker).values_list("pk", "state"))
    [hired] = [pk for pk, state in states.items() if state == JobApplicationState.ACCEPTED]
    # The nineteen others were made obsolete by the hiring, and stay so: nobody else hired the person.
    assert sorted(state for pk, state in states.items() if pk != hired) == [JobApplicationState.OBSOLETE] * 19
    assert JobApplicationTransitionLog.objects.filter(transition=JobApplicationTransition.ACCEPT).count() == 1
    [approval] = Approval.objects.filter(user=job_seeker)
    assert JobApplication.objects.get(pk=hired).approval == approval

    # The employer who hired is sent to the application with the PASS IAE number...
    assert responses[hired].status_code == 302
    assert approval.number_with_spaces in " ".join(messages_of(responses[hired]))
    # ...the nineteen others get their confirmation page again, with the French reason, and nothing recorded.
    for pk, response in responses.items():
        if pk == hired:
            continue
        assert response.status_code == 400, response.status_code
        html = response.content.decode()
        assert "fr-alert--error" in html
        assert "Embauché ailleurs" in html

    # pass_iae.md §16: one "PASS IAE accepté" e-mail, to the employer who hired.
    assert [email.subject.startswith(PASS_DELIVERED_SUBJECT) for email in mail.outbox].count(True) == 1
