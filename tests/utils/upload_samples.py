"""Files people could upload, built in memory for the upload tests (platform_rules.md §6)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.xml.constants import XLSX
from pypdf import PdfWriter

# A marker the fake clamd (and the custom signature of the manual ClamAV run, see the README) treats as a virus. Not
# the real EICAR string: a developer's own antivirus would quarantine this test file.
VIRUS_MARKER = b"INCLUSION-UPLOADS-TEST-VIRUS-SIGNATURE"
VIRUS_SIGNATURE = "Inclusion.Test.Virus"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def pdf_bytes(*, padding=0, attachment=b""):
    """A real one-page PDF; `padding` bytes of attachment make it heavier, `attachment` is embedded as is."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_attachment("bourrage.bin", b"0" * padding)
    if attachment:
        writer.add_attachment("piece.txt", attachment)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def sized_pdf(size):
    """A real PDF of exactly `size` bytes: the padding is corrected until it fits (the digits of the attachment's
    length and offsets grow with it)."""
    padding = size - len(pdf_bytes())
    for _attempt in range(5):
        content = pdf_bytes(padding=padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise AssertionError(f"no PDF of exactly {size} bytes")


def xlsx_bytes(*, padding=0, workbook_type=XLSX, vba=False, extra=b""):
    """A minimal Excel workbook written part by part (deterministic: the same bytes at every call), one sheet.

    `padding` bytes of stored noise make it heavier; `workbook_type` and `vba` make an .xlsm (macros) of it;
    `extra` is stored as a part of its own (an embedded object)."""
    overrides = [("/xl/workbook.xml", workbook_type), ("/xl/worksheets/sheet1.xml", WORKSHEET_TYPE)]
    if vba:
        overrides.append(("/xl/vbaProject.bin", VBA_TYPE))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/octet-stream"/>'
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>"
    )
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{REL_NS}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Bilan" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_REL_NS}"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            f'Type="{REL_NS}/worksheet"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Fiche bilan</t>'
            "</is></c></row></sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, text in parts.items():
            archive.writestr(_fixed_date(name), text)
        if vba:
            archive.writestr(_fixed_date("xl/vbaProject.bin"), b"\xd0\xcf\x11\xe0 pas un vrai projet VBA")
        if extra:
            archive.writestr(_fixed_date("xl/embeddings/objet.bin"), extra)
        if padding:
            archive.writestr(_fixed_date("xl/media/bourrage.bin"), b"\0" * padding)
    return buffer.getvalue()


def _fixed_date(name):
    # writestr(name) stamps the current time: a fixed date keeps the bytes identical from one call to the next.
    return zipfile.ZipInfo(name, date_time=(2026, 3, 10, 12, 0, 0))


def sized_xlsx(size):
    """A real .xlsx of exactly `size` bytes (stored entries: the size grows byte for byte with the padding)."""
    overhead = len(xlsx_bytes(padding=1)) - 1
    content = xlsx_bytes(padding=size - overhead)
    assert len(content) == size
    return content


def pdf_file(content=None, name="cv.pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


def xlsx_file(content=None, name="bilan.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes() if content is None else content, content_type=XLSX_TYPE)
