"""The resume check (applications.md §1, §13.7): a real PDF of at most 5 MB, a French message otherwise."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from inclusion.applications.resume import RESUME_MAX_SIZE, validate_resume
from tests.applications.factories import pdf_upload


def pdf_of_size(size):
    """A valid PDF weighing exactly `size` bytes (the attachment padding absorbs the PDF's own overhead)."""
    guess = pdf_upload(padding=size - 800)
    exact = pdf_upload(padding=size - 800 + size - guess.size)
    assert exact.size == size
    return exact


def error_code(uploaded):
    with pytest.raises(ValidationError) as error:
        validate_resume(uploaded)
    return error.value.code


def test_a_real_pdf_is_accepted_and_rewound():
    uploaded = pdf_upload()
    uploaded.read(3)
    validate_resume(uploaded)
    assert uploaded.tell() == 0


def test_a_pdf_of_exactly_5_mb_is_accepted():
    validate_resume(pdf_of_size(RESUME_MAX_SIZE))


def test_one_byte_more_than_5_mb_is_refused_with_its_weight():
    with pytest.raises(ValidationError) as error:
        validate_resume(pdf_of_size(RESUME_MAX_SIZE + 1))
    assert error.value.code == "resume_too_large"
    assert "un peu plus de 5 Mo" in error.value.messages[0]
    assert "ne doit pas dépasser 5 Mo" in error.value.messages[0]


def test_a_6_mb_file_is_refused_before_being_parsed():
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_resume(big)
    assert "6,0 Mo" in error.value.messages[0]


def test_a_text_file_renamed_pdf_is_refused():
    fake = SimpleUploadedFile("cv.pdf", b"Je suis un CV en texte brut.", content_type="application/pdf")
    assert error_code(fake) == "resume_not_a_pdf"


def test_a_word_document_renamed_pdf_is_refused():
    docx = SimpleUploadedFile("cv.pdf", b"PK\x03\x04" + b"\x00" * 200, content_type="application/pdf")
    assert error_code(docx) == "resume_not_a_pdf"


def test_a_pdf_header_followed_by_garbage_is_refused():
    broken = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"\x8f\x01garbage" * 100)
    assert error_code(broken) == "resume_unreadable"


def test_a_truncated_pdf_is_refused():
    content = pdf_upload().read()
    assert error_code(SimpleUploadedFile("cv.pdf", content[: len(content) // 3])) == "resume_unreadable"


def test_an_empty_file_is_refused():
    assert error_code(SimpleUploadedFile("cv.pdf", b"")) == "resume_empty"


def _encrypted_pdf(user_password):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password="proprietaire", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("cv.pdf", buffer.getvalue())


def test_a_pdf_opened_only_with_a_password_is_refused():
    assert error_code(_encrypted_pdf("secret")) == "resume_protected"


def test_a_pdf_with_permissions_only_opens_without_password_and_is_accepted():
    validate_resume(_encrypted_pdf(""))
