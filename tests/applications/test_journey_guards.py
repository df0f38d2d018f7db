"""Issue 5, last "Done when": a 6 MB file, a non-PDF renamed .pdf, or a form posted twice never produces a 500 or a
duplicate (applications.md §13.7, §18.10) — checked as in `test_journey.py`, through the pages a person uses.

Already covered elsewhere, not repeated here:
- the resume rules one by one: `tests/applications/test_resume.py` (5 MB exactly, one byte more, 6 MB, text, Word,
  truncated, password...) and, on the wizard posted directly, `test_apply_steps.py::TestResume`;
- the wizard's final form posted twice one after the other, and from two tabs within 10 s:
  `test_apply_steps.py::TestDoublePost`; the guard itself: `test_submission.py::TestDoubleSubmit`;
- the accept confirmation posted twice one after the other, and from another tab:
  `test_hiring_accept.py::...::test_a_form_posted_twice_accepts_once`, `test_accepted_meanwhile_in_another_tab`;
- the job seeker creation posted twice: `tests/users/test_job_seeker_find.py`, `test_posted_twice_creates_one_account`;
- an unchanged prescriber diagnosis posted again: `tests/eligibility/test_views_iae_prescriber.py::
  test_unchanged_submit_writes_nothing`.

What this file adds: the resume refused on the page a proxy fills (the form keeps the message and the advisor, is
multipart, nothing is created or sent), the two final forms of the journey posted twice *at the same time* (a double
click: on PostgreSQL two threads really run together; SQLite serialises every write, so there they run one after the
other), and the two other forms of the journey a double click may send twice: the employer's diagnosis and "Étudier".
"""

import copy
import io
import threading
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from inclusion.applications.enums import JobApplicationTransition
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals.models import Approval
from inclusion.eligibility.models import EligibilityDiagnosis
from tests.applications.factories import pdf_upload
from tests.applications.test_journey import (
    ENOUGH_CRITERIA,
    NOW,
    TODAY,
    Browser,
    build_world,
    employer_reaches_the_confirmation_directly,
    orienteur_creates_and_orients,
    prescriber_diagnoses_up_to_the_message,
)
from tests.users.factories import DEFAULT_PASSWORD

SIX_MB = 6 * 1024 * 1024
MESSAGE = "Karim est suivi par la Mission locale depuis un an."


@pytest.fixture
def world(db, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    return build_world(settings)


@pytest.fixture
def browser(django_capture_on_commit_callbacks):
    """A factory of browsers: one per person."""
    return lambda: Browser(django_capture_on_commit_callbacks)


def new_application_emails(world):
    return [email for email in mail.outbox if email.to == [world.employer.email] and "Nouvelle" in email.subject]


def word_document():
    """A .docx is a zip archive: what a person sends when they rename their Word file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("cv.pdf", buffer.getvalue(), content_type="application/pdf")


# The resume on the page ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resume,message",
    [
        pytest.param(
            lambda: pdf_upload(padding=SIX_MB),
            "Le CV pèse 6,0 Mo : il ne doit pas dépasser 5 Mo.",
            id="a real PDF of 6 MB",
        ),
        pytest.param(
            word_document,
            "Le CV doit être un fichier PDF. Ce fichier n'en est pas un, même si son nom finit par .pdf",
            id="a Word document renamed .pdf",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("cv.pdf", b"Mon CV en texte", content_type="application/pdf"),
            "Le CV doit être un fichier PDF.",
            id="a text file renamed .pdf",
        ),
    ],
)
def test_a_refused_resume_keeps_the_form_and_creates_nothing(world, browser, resume, message):
    prescriber = browser()
    prescriber_diagnoses_up_to_the_message(prescriber, world)
    step_url = prescriber.page.url
    sent_before = len(mail.outbox)

    page = prescriber.submit("Envoyer la candidature", message=MESSAGE, resume=resume(), advisor="inconnu")

    assert page.url == step_url  # the same step, with a 200 (`submit` checks the status)
    assert message in page.text
    form = page.form_with_button("Envoyer la candidature")
    assert ("message", MESSAGE) in form.sent  # what was typed is kept
    assert ("advisor", "inconnu") in form.sent  # and what was chosen
    assert not JobApplication.objects.exists()
    assert len(mail.outbox) == sent_before

    # Nothing is lost: the person picks a real PDF and sends.
    page = prescriber.submit("Envoyer la candidature", resume=pdf_upload())
    job_application = JobApplication.objects.get()
    assert page.path == reverse("apply_done", args=[job_application.pk])
    assert job_application.message == MESSAGE
    assert job_application.resume


# Posted twice at once ------------------------------------------------------------------------------------------------


def post_twice_at_once(browser, button, **values):
    """A double click: the form of the current page sent twice with the same session and CSRF token; returns the
    (client, response) of each. On PostgreSQL, two threads, each with its own connection, are released together;
    SQLite runs them one after the other."""
    form = browser.page.form_with_button(button)
    url = form.action or browser.page.url
    data = form.data(button, values)
    clients = [browser.client, Client(enforce_csrf_checks=True)]
    clients[1].cookies = copy.deepcopy(browser.client.cookies)
    if connection.vendor != "postgresql":
        return [(client, client.post(url, data)) for client in clients]
    barrier, responses, errors = threading.Barrier(len(clients)), {}, []

    def post(index, client):
        try:
            barrier.wait()
            responses[index] = client.post(url, data)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=[index, client]) for index, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return [(client, responses[index]) for index, client in enumerate(clients)]


@pytest.mark.django_db(transaction=True)
def test_the_wizard_sent_twice_at_once_gives_one_application(world, browser):
    prescriber = browser()
    prescriber_diagnoses_up_to_the_message(prescriber, world)

    clicks = post_twice_at_once(prescriber, "Envoyer la candidature", message=MESSAGE)
    responses = [response for _client, response in clicks]

    job_application = JobApplication.objects.get()
    done = reverse("apply_done", args=[job_application.pk])
    assert [response.status_code for response in responses] == [302, 302]
    assert {response["Location"] for response in responses} == {done}
    assert len(new_application_emails(world)) == 1
    assert prescriber.open(done).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_hiring_confirmed_twice_at_once_accepts_once(world, browser):
    prescriber, employer = browser(), browser()
    prescriber_diagnoses_up_to_the_message(prescriber, world)
    prescriber.submit("Envoyer la candidature", message=MESSAGE)
    employer.log_in(world.employer.email, DEFAULT_PASSWORD)
    employer_reaches_the_confirmation_directly(employer, world)

    clicks = post_twice_at_once(employer, "Confirmer l'embauche")

    job_application = JobApplication.objects.get()
    detail = reverse("application_detail_company", args=[job_application.pk])
    assert [response.status_code for _client, response in clicks] == [302, 302]
    assert {response["Location"] for _client, response in clicks} == {detail}
    job_application.refresh_from_db()
    assert job_application.is_accepted and job_application.hiring_start_at == TODAY
    accept_logs = JobApplicationTransitionLog.objects.filter(transition=JobApplicationTransition.ACCEPT)
    assert accept_logs.count() == 1
    assert Approval.objects.count() == 1
    hired = [email for email in mail.outbox if email.to == [world.job_seeker.email] and "acceptée" in email.subject]
    assert len(hired) == 1
    # One click lands on the hiring and its PASS IAE, the other one on the news that it was already recorded.
    pages = sorted(client.get(detail).content.decode() for client, _response in clicks)
    hiring = f"PASS IAE n° {job_application.approval.number_with_spaces} délivré"
    already = "Cette candidature a déjà été acceptée : l&#x27;embauche est enregistrée."
    assert sum(hiring in page for page in pages) == 1
    assert sum(already in page for page in pages) == 1


# Posted twice, one after the other (back button, double click on a slow page) --------------------------------------


def employer_at_the_diagnosis_of_the_orienteurs_candidate(world, browser):
    orienteur, employer = browser(), browser()
    new_person = orienteur_creates_and_orients(orienteur, world)
    employer.log_in(world.employer.email, DEFAULT_PASSWORD)
    employer.open(reverse("applications_received"))
    employer.click(new_person.get_full_name())
    return employer, new_person


def test_the_employer_diagnosis_posted_twice_is_recorded_once(world, browser):
    employer, new_person = employer_at_the_diagnosis_of_the_orienteurs_candidate(world, browser)
    employer.click("Réaliser le diagnostic d'éligibilité")
    form = employer.page.form_with_button("Enregistrer le diagnostic")
    url, data = employer.page.url, form.data("Enregistrer le diagnostic", {"criteria": ENOUGH_CRITERIA})

    first = employer.client.post(url, data)
    second = employer.client.post(url, data)

    assert first.status_code == 302
    # The second one finds the diagnosis made: the page shows it (no form any more), nothing is written.
    assert second.status_code == 200
    assert "Diagnostic utilisé pour l'embauche" in second.content.decode()
    [diagnosis] = EligibilityDiagnosis.objects.filter(job_seeker=new_person)
    assert sorted(diagnosis.administrative_criteria.values_list("code", flat=True)) == sorted(ENOUGH_CRITERIA)


def test_studied_twice_is_logged_once(world, browser):
    employer, _new_person = employer_at_the_diagnosis_of_the_orienteurs_candidate(world, browser)
    form = employer.page.form_with_button("Étudier")
    url, data = form.action, form.data("Étudier", {})

    first = employer.client.post(url, data)
    second = employer.client.post(url, data)

    assert first.status_code == second.status_code == 302
    page = employer.open(second["Location"])
    assert JobApplicationTransitionLog.objects.filter(transition=JobApplicationTransition.PROCESS).count() == 1
    assert (
        "Aucune candidature mise à l'étude, 1 ignorée : Inès MOREAU — Impossible de mettre à l'étude une candidature "
        "à l'état « À l'étude »."
    ) in page.text
