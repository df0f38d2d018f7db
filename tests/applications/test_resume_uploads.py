"""The resume of the application wizard as an upload (platform_rules.md §6): antivirus, random storage key, a refused
file that keeps the rest of the form, and the download as an attachment."""

import html
import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inclusion.applications.forms_apply import UNKNOWN_ADVISOR
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from inclusion.utils.uploads import MEGABYTE, RESUME
from tests.applications.test_apply_steps import authorized_prescriber, job_seeker_to_message_step, to_message_step
from tests.applications.test_apply_tunnels import NOW, complete_job_seeker, hiring_company
from tests.prescribers.factories import PrescriberMembershipFactory
from tests.users.factories import ProfessionalFactory
from tests.utils.fake_clamd import FakeClamd, unreachable_address
from tests.utils.upload_samples import VIRUS_MARKER, VIRUS_SIGNATURE, pdf_bytes, pdf_file, sized_pdf

pytestmark = pytest.mark.django_db

REFUSED = "Ce fichier a été refusé par l'antivirus. Choisissez un autre fichier."
UNAVAILABLE = (
    "L'analyse antivirus est indisponible pour le moment : ce fichier n'a pas pu être vérifié. Réessayez plus tard."
)


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.CLAMD_ADDRESS = server.address
        yield server


def page_text(response):
    return html.unescape(response.content.decode())


def resume_errors(response):
    return response.context["form"].errors.get("resume", [])


@pytest.fixture
def prescriber_at_message_step(client):
    """An authorized prescriber applying for a job seeker: the message step has the advisor field."""
    prescriber, organization = authorized_prescriber()
    colleague = ProfessionalFactory(first_name="Camille", last_name="Martin")
    PrescriberMembershipFactory(organization=organization, user=colleague)
    # An EA: no eligibility step between the jobs and the message.
    url, _ = to_message_step(client, prescriber, hiring_company(kind=CompanyKind.EA), complete_job_seeker())
    return url, colleague


def test_an_infected_resume_is_refused_and_the_form_kept(client, clamd, caplog, prescriber_at_message_step):
    url, colleague = prescriber_at_message_step
    infected = pdf_file(pdf_bytes(attachment=VIRUS_MARKER), name="CV Jeanne Dupont.pdf")
    data = {"message": "Jeanne cherche un poste en cuisine.", "resume": infected, "advisor": colleague.pk}
    with caplog.at_level(logging.WARNING, logger="inclusion.utils.uploads"):
        response = client.post(url, data)
    assert response.status_code == 200
    assert resume_errors(response) == [REFUSED]
    page = page_text(response)
    assert f"CV : {REFUSED}" in page  # in the error summary, linked to the field
    assert "Jeanne cherche un poste en cuisine." in page  # the message is kept
    assert re.search(rf'<option value="{colleague.pk}"\s+selected>', page)  # and the advisor chosen
    assert VIRUS_SIGNATURE not in page
    assert any(f"signature={VIRUS_SIGNATURE}" in record.getMessage() for record in caplog.records)
    assert not JobApplication.objects.exists()
    assert clamd.received[0].data == infected.file.getvalue()


def test_an_unavailable_antivirus_refuses_the_resume_and_keeps_the_form(client, settings, prescriber_at_message_step):
    settings.CLAMD_ADDRESS = unreachable_address()
    url, _colleague = prescriber_at_message_step
    data = {"message": "Un message à garder.", "resume": pdf_file(), "advisor": UNKNOWN_ADVISOR}
    response = client.post(url, data)
    assert resume_errors(response) == [UNAVAILABLE]
    page = page_text(response)
    assert "Un message à garder." in page
    assert re.search(rf'<option value="{UNKNOWN_ADVISOR}"\s+selected>', page)
    assert not JobApplication.objects.exists()


def test_a_clean_resume_is_scanned_then_stored_under_a_random_key(client, clamd):
    url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
    content = pdf_bytes()
    response = client.post(url, {"message": "Bonjour", "resume": pdf_file(content, name="CV Jeanne Dupont.pdf")})
    assert response.status_code == 302
    job_application = JobApplication.objects.get()
    assert re.fullmatch(r"resumes/[0-9a-f]{32}\.pdf", job_application.resume.name)
    assert job_application.resume.read() == content
    [received] = clamd.received
    assert received.data == content


def test_a_resume_of_exactly_5_mb_is_accepted(client):
    url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
    response = client.post(url, {"message": "Bonjour", "resume": pdf_file(sized_pdf(RESUME.max_size))})
    assert response.status_code == 302
    assert JobApplication.objects.get().resume.size == RESUME.max_size


def test_a_resume_of_5_mb_and_one_byte_is_refused(client):
    url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
    response = client.post(url, {"message": "Bonjour", "resume": pdf_file(sized_pdf(RESUME.max_size + 1))})
    assert resume_errors(response)[0].startswith("Le CV pèse un peu plus de 5 Mo : il ne doit pas dépasser 5 Mo.")
    assert not JobApplication.objects.exists()


def test_a_huge_file_is_refused_with_its_weight(client, clamd):
    url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
    huge = SimpleUploadedFile("film.pdf", b"%PDF-1.7\n" + b"0" * (40 * MEGABYTE))
    response = client.post(url, {"message": "Mon message", "resume": huge})
    assert resume_errors(response)[0].startswith("Le CV pèse 40,0 Mo : il ne doit pas dépasser 5 Mo.")
    assert "Mon message" in page_text(response)
    assert clamd.received == []  # refused on its size, never read nor sent to the antivirus


def test_an_empty_file_is_refused_in_french(client):
    url, _ = job_seeker_to_message_step(client, complete_job_seeker(), hiring_company())
    response = client.post(url, {"message": "Bonjour", "resume": SimpleUploadedFile("cv.pdf", b"")})
    assert resume_errors(response) == ["Le fichier soumis est vide."]


# The download --------------------------------------------------------------------------------------------------------


def test_the_resume_is_downloaded_as_an_attachment_never_sniffed(client):
    job_seeker = complete_job_seeker()
    url, _ = job_seeker_to_message_step(client, job_seeker, hiring_company())
    content = pdf_bytes()
    client.post(url, {"message": "Bonjour", "resume": pdf_file(content, name="<script>.pdf")})
    job_application = JobApplication.objects.get()
    response = client.get(reverse("application_resume", args=[job_application.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert b"".join(response.streaming_content) == content
