"""The shared upload rules (platform_rules.md §6): type by content, size, antivirus, random storage keys, downloads
only through the views that check who asks."""

import io
import logging
import re
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from openpyxl.xml.constants import XLSM, XLTX

from inclusion.applications.enums import SenderKind
from inclusion.utils import antivirus, uploads
from inclusion.utils.uploads import MEGABYTE, REPORT_FILE, RESUME
from tests.access.personas import PERSONAS, build_world
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories_suspensions_prolongations import ProlongationRequestFactory
from tests.users.auth import login
from tests.utils.fake_clamd import FakeClamd, unreachable_address
from tests.utils.upload_samples import (
    VIRUS_MARKER,
    VIRUS_SIGNATURE,
    pdf_bytes,
    pdf_file,
    sized_pdf,
    sized_xlsx,
    xlsx_bytes,
    xlsx_file,
)


def refusal(uploaded, kind):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(uploaded, kind)
    [message] = error.value.messages
    return error.value.code, message


def temporary_upload(content, name="fichier"):
    """What Django makes of an upload above FILE_UPLOAD_MAX_MEMORY_SIZE: a file on disk, not in memory."""
    uploaded = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)
    return uploaded


# Sizes, at the limits -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind,make", [(RESUME, sized_pdf), (REPORT_FILE, sized_xlsx)], ids=["pdf", "xlsx"])
def test_a_file_of_exactly_the_limit_is_accepted(kind, make):
    uploads.check_upload(SimpleUploadedFile("f", make(kind.max_size)), kind)


@pytest.mark.parametrize(
    "kind,make,expected",
    [
        (RESUME, sized_pdf, "Le CV pèse un peu plus de 5 Mo : il ne doit pas dépasser 5 Mo."),
        (REPORT_FILE, sized_xlsx, "La fiche bilan pèse un peu plus de 1 Mo : elle ne doit pas dépasser 1 Mo."),
    ],
    ids=["pdf", "xlsx"],
)
def test_one_byte_more_is_refused(kind, make, expected):
    code, message = refusal(SimpleUploadedFile("f", make(kind.max_size + 1)), kind)
    assert code == f"{kind.code}_too_large"
    assert message.startswith(expected)


def test_the_weight_is_said_in_mo_when_it_reads_above_the_limit():
    code, message = refusal(SimpleUploadedFile("f", sized_xlsx(MEGABYTE + MEGABYTE // 2)), REPORT_FILE)
    assert message.startswith("La fiche bilan pèse 1,5 Mo : elle ne doit pas dépasser 1 Mo.")


@pytest.mark.parametrize(
    "size,weight",
    [(5 * MEGABYTE + 1, "un peu plus de 5 Mo"), (5 * MEGABYTE + 52_429, "5,1 Mo"), (6 * MEGABYTE, "6,0 Mo")],
)
def test_weight_above(size, weight):
    assert uploads.weight_above(size, 5 * MEGABYTE) == weight


@pytest.mark.parametrize("kind", [RESUME, REPORT_FILE], ids=["pdf", "xlsx"])
def test_a_heavy_file_is_refused_before_any_byte_is_read(kind):
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read")

    code, _message = refusal(Unreadable("f", b"x" * (kind.max_size + 1)), kind)
    assert code == f"{kind.code}_too_large"


@pytest.mark.parametrize("kind", [RESUME, REPORT_FILE], ids=["pdf", "xlsx"])
def test_an_empty_file_is_refused(kind):
    code, message = refusal(SimpleUploadedFile("f", b""), kind)
    assert code == f"{kind.code}_empty"
    assert message.startswith("Ce fichier est vide.")


# The fiche bilan: a real workbook, by content -----------------------------------------------------------------------


def test_a_workbook_written_by_openpyxl_is_accepted():
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Bilan de parcours"
    workbook.save(buffer)
    uploads.check_upload(SimpleUploadedFile("bilan.xlsx", buffer.getvalue()), REPORT_FILE)


def test_the_name_does_not_matter_only_the_content():
    uploads.check_upload(xlsx_file(name="bilan.pdf"), REPORT_FILE)
    assert refusal(xlsx_file(pdf_bytes(), name="bilan.xlsx"), REPORT_FILE)[0] == "report_file_not_an_xlsx"


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


WORD_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EMPTY_PACKAGE = {"[Content_Types].xml": '<?xml version="1.0"?><Types/>'}


@pytest.mark.parametrize(
    "content,code",
    [
        pytest.param(pdf_bytes(), "not_an_xlsx", id="a PDF"),
        pytest.param(b"Nom;Bilan\nCamille;OK\n", "not_an_xlsx", id="a CSV"),
        pytest.param(OLE_HEADER + b"\0" * 600, "not_an_xlsx", id="an old .xls or a locked .xlsx"),
        pytest.param(_zip({"bilan.txt": "pas un classeur"}), "not_an_xlsx", id="a plain zip"),
        pytest.param(_zip(EMPTY_PACKAGE), "not_an_xlsx", id="an empty package"),
        pytest.param(_zip({"[Content_Types].xml": WORD_CONTENT_TYPES}), "not_an_xlsx", id="a Word document"),
        pytest.param(xlsx_bytes(workbook_type=XLTX), "not_an_xlsx", id="an Excel template"),
        pytest.param(xlsx_bytes(workbook_type=XLSM, vba=True), "macros", id="an .xlsm renamed .xlsx"),
        pytest.param(xlsx_bytes(vba=True), "macros", id="a VBA project slipped in an .xlsx"),
        pytest.param(xlsx_bytes()[: len(xlsx_bytes()) // 2], "unreadable", id="a truncated workbook"),
        pytest.param(b"PK\x03\x04" + b"\x8f garbage" * 50, "unreadable", id="a zip header then garbage"),
    ],
)
def test_what_is_not_a_fiche_bilan(content, code):
    assert refusal(SimpleUploadedFile("bilan.xlsx", content), REPORT_FILE)[0] == f"report_file_{code}"


def test_the_messages_say_what_is_expected():
    assert refusal(xlsx_file(pdf_bytes()), REPORT_FILE)[1].startswith(
        "La fiche bilan doit être un classeur Excel au format .xlsx. Ce fichier n'en est pas un"
    )
    assert refusal(xlsx_file(xlsx_bytes(workbook_type=XLSM, vba=True)), REPORT_FILE)[1].startswith(
        "La fiche bilan contient des macros (classeur .xlsm)"
    )


def test_a_zip_bomb_is_refused_without_being_unpacked():
    # 30 MB of zeros deflate to about 30 kB: far under 1 MB uploaded, far over what a fiche bilan unpacks to.
    buffer = io.BytesIO(xlsx_bytes())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bombe.bin", b"\0" * (uploads.XLSX_MAX_UNPACKED_SIZE + 1))
    assert len(buffer.getvalue()) < MEGABYTE
    assert refusal(SimpleUploadedFile("bilan.xlsx", buffer.getvalue()), REPORT_FILE)[0] == "report_file_unreadable"


def test_a_workbook_just_under_the_unpacked_limit_is_accepted():
    buffer = io.BytesIO(xlsx_bytes())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        archive.writestr("xl/media/image.bin", b"\0" * (uploads.XLSX_MAX_UNPACKED_SIZE - unpacked))
    uploads.check_upload(SimpleUploadedFile("bilan.xlsx", buffer.getvalue()), REPORT_FILE)


def test_a_workbook_without_sheets_is_refused():
    content = xlsx_bytes().replace(b'<sheet name="Bilan" sheetId="1" r:id="rId1"/>', b"")
    assert refusal(SimpleUploadedFile("bilan.xlsx", content), REPORT_FILE)[0] == "report_file_unreadable"


@pytest.mark.parametrize("kind,uploaded", [(RESUME, pdf_file), (REPORT_FILE, xlsx_file)], ids=["pdf", "xlsx"])
def test_the_file_is_left_rewound_for_the_storage(kind, uploaded):
    uploaded = uploaded()
    uploaded.read(10)
    uploads.check_upload(uploaded, kind)
    assert uploaded.tell() == 0


# Antivirus ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.CLAMD_ADDRESS = server.address
        yield server


def test_without_antivirus_configured_the_file_is_accepted(settings):
    settings.CLAMD_ADDRESS = ""
    uploaded = uploads.accept_upload(pdf_file(pdf_bytes(attachment=VIRUS_MARKER)), RESUME)
    assert uploaded.name == "cv.pdf"


def test_a_clean_file_is_streamed_whole_to_clamd_in_chunks(clamd):
    content = sized_pdf(3 * MEGABYTE)
    uploads.accept_upload(SimpleUploadedFile("Mon CV.pdf", content), RESUME)
    [received] = clamd.received
    assert received.data == content
    assert max(received.chunk_sizes) == antivirus.CHUNK_SIZE
    assert len(received.chunk_sizes) == -(-len(content) // antivirus.CHUNK_SIZE)


@pytest.mark.parametrize(
    "kind,content",
    [(RESUME, pdf_bytes(attachment=VIRUS_MARKER)), (REPORT_FILE, xlsx_bytes(extra=VIRUS_MARKER))],
    ids=["pdf", "xlsx"],
)
def test_an_infected_file_is_refused_and_its_signature_logged_not_shown(clamd, caplog, kind, content):
    with pytest.raises(ValidationError) as error, caplog.at_level(logging.WARNING, logger="inclusion.utils.uploads"):
        uploads.accept_upload(SimpleUploadedFile("photo.xlsx", content), kind)
    assert error.value.messages == ["Ce fichier a été refusé par l'antivirus. Choisissez un autre fichier."]
    assert error.value.code == f"{kind.code}_infected"
    assert VIRUS_SIGNATURE not in error.value.messages[0]
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert f"signature={VIRUS_SIGNATURE}" in record.getMessage()
    assert f"kind={kind.code}" in record.getMessage()
    assert "photo" not in record.getMessage()  # the uploader's file name may be personal data


def test_a_file_refused_for_its_type_is_not_sent_to_clamd(clamd):
    with pytest.raises(ValidationError):
        uploads.accept_upload(xlsx_file(name="cv.pdf"), RESUME)
    assert clamd.received == []


@pytest.mark.parametrize("behaviour", ["error", "hang_up", "slow"])
def test_no_verdict_refuses_the_file_fail_closed(settings, caplog, monkeypatch, behaviour):
    monkeypatch.setattr(antivirus, "READ_TIMEOUT", 0.2)
    with FakeClamd(behaviour) as server:
        settings.CLAMD_ADDRESS = server.address
        with pytest.raises(ValidationError) as error, caplog.at_level(logging.ERROR, logger="inclusion.utils.uploads"):
            uploads.accept_upload(pdf_file(), RESUME)
    assert error.value.messages == [
        "L'analyse antivirus est indisponible pour le moment : ce fichier n'a pas pu être vérifié. Réessayez "
        "plus tard."
    ]
    assert error.value.code == "resume_scan_unavailable"
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert "antivirus unavailable" in record.getMessage()


def test_an_unreachable_clamd_refuses_the_file(settings, caplog):
    settings.CLAMD_ADDRESS = unreachable_address()
    with pytest.raises(ValidationError) as error, caplog.at_level(logging.ERROR, logger="inclusion.utils.uploads"):
        uploads.accept_upload(xlsx_file(), REPORT_FILE)
    assert error.value.code == "report_file_scan_unavailable"
    assert "ConnectionRefusedError" in caplog.records[0].getMessage()


def test_a_large_upload_is_never_held_whole_in_memory(settings):
    """A 5 MB resume, streamed to a temporary file by Django, is parsed and scanned without being loaded in memory
    (the fake clamd, in this process, keeps no copy of what it receives)."""
    uploaded = temporary_upload(sized_pdf(RESUME.max_size))
    with FakeClamd(keep_data=False) as server:
        settings.CLAMD_ADDRESS = server.address
        tracemalloc.start()
        try:
            uploads.accept_upload(uploaded, RESUME)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            uploaded.close()
    assert sum(server.received[0].chunk_sizes) == RESUME.max_size
    assert peak < MEGABYTE


# Storage keys --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,pattern",
    [(RESUME, r"resumes/[0-9a-f]{32}\.pdf"), (REPORT_FILE, r"prolongation_reports/[0-9a-f]{32}\.xlsx")],
    ids=["pdf", "xlsx"],
)
def test_storage_keys_are_random_and_never_the_uploaded_name(kind, pattern):
    names = {uploads.storage_name(kind) for _ in range(1000)}
    assert len(names) == 1000
    assert all(re.fullmatch(pattern, name) for name in names)


def test_an_accepted_file_loses_its_name():
    uploaded = uploads.accept_upload(xlsx_file(name="Bilan Camille DURAND 1 84 05 75.xlsx"), REPORT_FILE)
    assert uploaded.name == "fiche-bilan.xlsx"


# Served only through the views that check who asks -------------------------------------------------------------------


@pytest.fixture
def stored_files(db, settings):
    """A resume and a fiche bilan stored on disk under MEDIA_ROOT (as in development), that the world's employer and
    authorized prescriber may download through their views."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    world = build_world()
    job_application = JobApplicationFactory(
        to_company=world.company,
        sender=world.user("authorized_prescriber"),
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=world.prescriber_organization,
    )
    job_application.resume.save("CV Camille.pdf", ContentFile(pdf_bytes()))
    prolongation_request = ProlongationRequestFactory(
        prescriber_organization=world.prescriber_organization, declared_by_siae=world.company
    )
    prolongation_request.report_file.save("Bilan Camille.xlsx", ContentFile(xlsx_bytes()))
    return world, job_application, prolongation_request


def test_the_stored_keys_are_random(stored_files):
    _world, job_application, prolongation_request = stored_files
    assert re.fullmatch(r"resumes/[0-9a-f]{32}\.pdf", job_application.resume.name)
    assert re.fullmatch(r"prolongation_reports/[0-9a-f]{32}\.xlsx", prolongation_request.report_file.name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_url_serves_the_media_files(client, stored_files, persona):
    world, job_application, prolongation_request = stored_files
    if world.user(persona) is not None:
        login(client, world.user(persona))
    for field_file in (job_application.resume, prolongation_request.report_file):
        assert field_file.storage.exists(field_file.name)  # the file is there, on disk
        assert field_file.url.startswith("/media/")
        assert client.get(field_file.url).status_code == 404


def test_the_allowed_people_download_them_through_their_views(client, stored_files):
    world, job_application, prolongation_request = stored_files
    login(client, world.user("employer"))
    resume = client.get(reverse("application_resume", args=[job_application.pk]))
    assert resume.status_code == 200
    assert b"".join(resume.streaming_content) == pdf_bytes()
    client.logout()
    login(client, world.user("authorized_prescriber"))
    report = client.get(reverse("prolongation_request_report", args=[prolongation_request.public_id]))
    assert report.status_code == 200
    assert b"".join(report.streaming_content) == xlsx_bytes()


@pytest.mark.parametrize(
    "kind,content,filename",
    [(RESUME, pdf_bytes(), "cv.pdf"), (REPORT_FILE, xlsx_bytes(), "fiche-bilan-XXXXX2600001.xlsx")],
    ids=["pdf", "xlsx"],
)
def test_attachment_response_headers(kind, content, filename):
    stored = File(io.BytesIO(content), name="resumes/0123.pdf")
    response = uploads.attachment_response(stored, kind, filename=filename)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Content-Type"] == kind.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert b"".join(response.streaming_content) == content
