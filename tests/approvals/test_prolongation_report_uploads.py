"""The AI's fiche bilan as an upload (platform_rules.md §6, pass_iae.md §14.2): a real .xlsx of at most 1 MB
without macros, scanned by the antivirus, stored under a random key, downloaded as an attachment by the addressed
prescriber."""

import logging
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.xml.constants import XLSM

from inclusion.approvals.models import ProlongationRequest
from inclusion.companies.enums import CompanyKind
from inclusion.utils.uploads import REPORT_FILE
from tests.approvals.factories_suspensions_prolongations import approval_ending
from tests.approvals.screens import employer_of, errors_of, text_of
from tests.approvals.test_views_prolongations import PASS_END, assert_nothing_saved, declare_url, request_declaration
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory
from tests.utils.fake_clamd import FakeClamd, unreachable_address
from tests.utils.upload_samples import (
    VIRUS_MARKER,
    VIRUS_SIGNATURE,
    pdf_bytes,
    sized_xlsx,
    xlsx_bytes,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

REFUSED = "Ce fichier a été refusé par l'antivirus. Choisissez un autre fichier."


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def organization():
    return PrescriberOrganizationFactory(authorized=True, name="Mission locale du Rhône")


@pytest.fixture
def prescriber(organization):
    user = ProfessionalFactory(email="habilite@example.com", first_name="Dominique", last_name="Durand")
    PrescriberMembershipFactory(organization=organization, user=user)
    return user


@pytest.fixture
def ai_company():
    return CompanyFactory(kind=CompanyKind.AI)


@pytest.fixture
def ai_approval(ai_company):
    return approval_ending(PASS_END, hired_by=ai_company)


@pytest.fixture
def ai_client(client, ai_company):
    client.force_login(employer_of(ai_company))
    return client


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.CLAMD_ADDRESS = server.address
        yield server


def declare(client, approval, prescriber, organization, report_file, **extra):
    data = request_declaration(
        prescriber, organization, report_file=report_file, reason_explanation="Suivi renforcé nécessaire.", **extra
    )
    return client.post(declare_url(approval), data)


def test_a_clean_report_is_scanned_then_stored_at_random(ai_client, ai_approval, prescriber, organization, clamd):
    content = xlsx_bytes()
    response = declare(ai_client, ai_approval, prescriber, organization, xlsx_file(content, name="Bilan Camille.xlsx"))
    assert response.status_code == 302
    request = ProlongationRequest.objects.get(approval=ai_approval)
    assert re.fullmatch(r"prolongation_reports/[0-9a-f]{32}\.xlsx", request.report_file.name)
    assert request.report_file.read() == content
    assert clamd.received[0].data == content


def test_an_infected_report_is_refused_form_kept(ai_client, ai_approval, prescriber, organization, clamd, caplog):
    infected = xlsx_file(xlsx_bytes(extra=VIRUS_MARKER))
    with caplog.at_level(logging.WARNING, logger="inclusion.utils.uploads"):
        response = declare(ai_client, ai_approval, prescriber, organization, infected)
    assert errors_of(response, "report_file") == [REFUSED]
    page = text_of(response)
    assert "Suivi renforcé nécessaire." in page  # the explanation is kept
    assert 'value="habilite@example.com"' in page  # and the prescriber searched for
    assert VIRUS_SIGNATURE not in page
    assert any(f"signature={VIRUS_SIGNATURE}" in record.getMessage() for record in caplog.records)
    assert_nothing_saved(ai_approval)


def test_an_unavailable_antivirus_refuses_the_report(ai_client, ai_approval, prescriber, organization, settings):
    settings.CLAMD_ADDRESS = unreachable_address()
    response = declare(ai_client, ai_approval, prescriber, organization, xlsx_file())
    assert errors_of(response, "report_file") == [
        "L'analyse antivirus est indisponible pour le moment : ce fichier n'a pas pu être vérifié. Réessayez "
        "plus tard."
    ]
    assert "Suivi renforcé nécessaire." in text_of(response)
    assert_nothing_saved(ai_approval)


def test_a_report_of_exactly_1_mb_is_accepted(ai_client, ai_approval, prescriber, organization):
    response = declare(ai_client, ai_approval, prescriber, organization, xlsx_file(sized_xlsx(REPORT_FILE.max_size)))
    assert response.status_code == 302
    assert ProlongationRequest.objects.get(approval=ai_approval).report_file.size == REPORT_FILE.max_size


def test_a_report_of_1_mb_and_one_byte_is_refused(ai_client, ai_approval, prescriber, organization):
    uploaded = xlsx_file(sized_xlsx(REPORT_FILE.max_size + 1))
    response = declare(ai_client, ai_approval, prescriber, organization, uploaded)
    [error] = errors_of(response, "report_file")
    assert error.startswith("La fiche bilan pèse un peu plus de 1 Mo : elle ne doit pas dépasser 1 Mo.")
    assert_nothing_saved(ai_approval)


@pytest.mark.parametrize(
    "uploaded,error",
    [
        pytest.param(
            lambda: xlsx_file(pdf_bytes(), name="bilan.xlsx"),
            "La fiche bilan doit être un classeur Excel au format .xlsx.",
            id="a PDF renamed .xlsx",
        ),
        pytest.param(
            lambda: xlsx_file(xlsx_bytes(workbook_type=XLSM, vba=True), name="bilan.xlsx"),
            "La fiche bilan contient des macros (classeur .xlsm)",
            id="a workbook with macros",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("bilan.xlsx", b""),
            "Le fichier envoyé est vide.",
            id="an empty file",
        ),
    ],
)
def test_what_is_not_a_report_is_refused_in_french(ai_client, ai_approval, prescriber, organization, uploaded, error):
    response = declare(ai_client, ai_approval, prescriber, organization, uploaded())
    [message] = errors_of(response, "report_file")
    assert message.startswith(error)
    assert_nothing_saved(ai_approval)


def test_a_real_report_without_its_extension_is_accepted(ai_client, ai_approval, prescriber, organization):
    response = declare(ai_client, ai_approval, prescriber, organization, xlsx_file(name="bilan"))
    assert response.status_code == 302
    assert ProlongationRequest.objects.get(approval=ai_approval).report_file.name.endswith(".xlsx")


# From the upload to the download ------------------------------------------------------------------------------------


def test_the_addressed_prescriber_downloads_it_as_an_attachment(ai_client, ai_approval, prescriber, organization):
    content = xlsx_bytes()
    declare(ai_client, ai_approval, prescriber, organization, xlsx_file(content, name="<img src=x>.xlsx"))
    request = ProlongationRequest.objects.get(approval=ai_approval)
    ai_client.force_login(prescriber)
    response = ai_client.get(reverse("prolongation_request_report", args=[request.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="fiche-bilan-{ai_approval.number}.xlsx"'
    assert response["Content-Type"] == REPORT_FILE.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert b"".join(response.streaming_content) == content


def test_a_lost_file_is_a_404_not_a_500(ai_client, ai_approval, prescriber, organization):
    declare(ai_client, ai_approval, prescriber, organization, xlsx_file())
    request = ProlongationRequest.objects.get(approval=ai_approval)
    request.report_file.storage.delete(request.report_file.name)
    ai_client.force_login(prescriber)
    assert ai_client.get(reverse("prolongation_request_report", args=[request.public_id])).status_code == 404
