"""The rules of the files people upload (platform_rules.md §6), in one place.

Two kinds of upload exist: the resume of an application (a PDF of at most 5 MB, applications.md §13.7) and the "fiche
bilan" of a prolongation request (an .xlsx of at most 1 MB, pass_iae.md §14.2). For each one:

- `accept_upload(uploaded, KIND)`, called by the form's clean method, checks the size, then the type *by content*
  (the name and the content type sent by the browser are not trusted), then has the antivirus scan it
  (`inclusion.utils.antivirus`). A refused file raises a ValidationError with a French message, never a server error.
  The file is then renamed to a neutral name, so that its original name (which may carry personal data) travels no
  further.
- `storage_name(KIND)`, the `upload_to` of the model field, gives its storage key: `<folder>/<uuid4 hex>.<extension of
  the checked type>`, random so that it can be neither guessed nor derived from the person.
- `attachment_response(field_file, KIND, filename=...)` serves it from a view that has checked who asks: as an
  attachment, with its real content type, never sniffed nor cached. No URL serves MEDIA_URL.

Django lets a heavier file reach these checks with its default settings: DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) counts
the request body *without* the uploaded files, and an upload above FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a
temporary file rather than kept in memory. The size is checked first, from the upload's metadata, before any byte is
read; the size limit of a whole request belongs to the reverse proxy.
"""

import logging
import uuid
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.cache import patch_cache_control
from openpyxl import load_workbook
from openpyxl.packaging.manifest import Manifest
from openpyxl.xml.constants import XLSX
from openpyxl.xml.functions import fromstring
from pypdf import PdfReader

from inclusion.utils import antivirus

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024
# Every PDF starts with this header (ISO 32000-1 §7.5.2).
PDF_HEADER = b"%PDF-"
# Every .xlsx is a zip archive (ECMA-376 part 2), which starts with a local file header.
ZIP_HEADER = b"PK\x03\x04"
XLSX_CONTENT_TYPES_PART = "[Content_Types].xml"
# A fiche bilan of 1 MB unpacks to a few MB; far more is a zip bomb, not a form filled in.
XLSX_MAX_UNPACKED_SIZE = 25 * MEGABYTE

ANTIVIRUS_REFUSED = "Ce fichier a été refusé par l'antivirus. Choisissez un autre fichier."
ANTIVIRUS_UNAVAILABLE = (
    "L'analyse antivirus est indisponible pour le moment : ce fichier n'a pas pu être vérifié. Réessayez plus tard."
)


@dataclass(frozen=True)
class UploadKind:
    """What one upload field accepts, and how its refusals are worded."""

    code: str  # prefix of the ValidationError codes
    folder: str  # storage folder
    extension: str  # of the checked type: the storage key and the downloaded file end with it
    content_type: str  # served with it
    max_size: int  # bytes
    check_content: Callable  # (uploaded file, kind) → None, raises ValidationError
    neutral_name: str  # the name the file takes once accepted
    messages: dict  # French messages: empty, too_large ({size}), unreadable, and those of its content check


def megabytes(size):
    """6 291 456 → « 6,0 Mo » (the unit people read on their computer)."""
    return f"{size / MEGABYTE:.1f} Mo".replace(".", ",")


def weight_above(size, max_size):
    """The weight of a file heavier than `max_size`, said so that it reads heavier: « 6,0 Mo », but « un peu plus de
    5 Mo » for 5 MB and a few bytes, which would read « 5,0 Mo » next to a limit of 5 Mo."""
    if round(size / MEGABYTE, 1) > max_size / MEGABYTE:
        return megabytes(size)
    return f"un peu plus de {max_size // MEGABYTE} Mo"


def _refuse(kind, reason, **values):
    return ValidationError(kind.messages[reason].format(**values), code=f"{kind.code}_{reason}")


def _header(uploaded, length):
    uploaded.seek(0)
    header = uploaded.read(length)
    uploaded.seek(0)
    return header


# Content checks -----------------------------------------------------------------------------------------------------


def check_pdf(uploaded, kind):
    """A real PDF: the header, then the whole page tree parsed, at least one page, not locked by a password (a file
    encrypted for its permissions only opens without one and is accepted)."""
    if _header(uploaded, len(PDF_HEADER)) != PDF_HEADER:
        raise _refuse(kind, "not_a_pdf")
    try:
        with warnings.catch_warnings():
            # pypdf warns about many small defects it repairs; they do not make the file unreadable.
            warnings.simplefilter("ignore")
            # A file object is read where needed, not copied whole in memory.
            reader = PdfReader(uploaded, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise _refuse(kind, "protected")
            pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as error:  # a malformed PDF may raise anything: the person gets a clear message instead
        raise _refuse(kind, "unreadable") from error
    finally:
        uploaded.seek(0)
    if pages == 0:
        raise _refuse(kind, "unreadable")


def _xlsx_content_types(archive):
    """Every content type the package declares (ECMA-376 part 2 §10.1.2)."""
    manifest = Manifest.from_tree(fromstring(archive.read(XLSX_CONTENT_TYPES_PART)))
    return {part.ContentType for part in [*manifest.Default, *manifest.Override]}


def _has_macros(archive, content_types):
    # An .xlsm renamed .xlsx keeps its macro-enabled workbook type and its VBA project part.
    macro_types = [kind for kind in map(str.lower, content_types) if "macroenabled" in kind or "vba" in kind]
    vba_parts = [name for name in archive.namelist() if name.lower().endswith("vbaproject.bin")]
    return bool(macro_types or vba_parts)


def check_xlsx(uploaded, kind):
    """A real Excel workbook without macros: a zip archive whose declared workbook type is .xlsx, no VBA project, a
    reasonable unpacked size, and that openpyxl opens (read-only: the sheets themselves are not loaded)."""
    if _header(uploaded, len(ZIP_HEADER)) != ZIP_HEADER:
        # An old .xls, an .xlsx locked by a password (an OLE container, not a zip) or another kind of file.
        raise _refuse(kind, "not_an_xlsx")
    try:
        with zipfile.ZipFile(uploaded) as archive:
            if sum(member.file_size for member in archive.infolist()) > XLSX_MAX_UNPACKED_SIZE:
                raise _refuse(kind, "unreadable")
            if XLSX_CONTENT_TYPES_PART not in archive.namelist():
                raise _refuse(kind, "not_an_xlsx")  # a zip, or a Word/PowerPoint file without the package manifest
            content_types = _xlsx_content_types(archive)
            if _has_macros(archive, content_types):
                raise _refuse(kind, "macros")
            if XLSX not in content_types:
                raise _refuse(kind, "not_an_xlsx")  # a Word document, a template, another OOXML package
        uploaded.seek(0)
        with warnings.catch_warnings():
            # openpyxl warns about extensions and styles it does not support; the workbook still opens.
            warnings.simplefilter("ignore")
            workbook = load_workbook(uploaded, read_only=True)
            try:
                sheets = workbook.sheetnames
            finally:
                workbook.close()
    except ValidationError:
        raise
    except Exception as error:  # a damaged archive or workbook may raise anything
        raise _refuse(kind, "unreadable") from error
    finally:
        uploaded.seek(0)
    if not sheets:
        raise _refuse(kind, "unreadable")


# The kinds of upload ------------------------------------------------------------------------------------------------

# applications.md §13.7: a resume is a PDF of at most 5 MB.
RESUME = UploadKind(
    code="resume",
    folder="resumes",
    extension="pdf",
    content_type="application/pdf",
    max_size=5 * MEGABYTE,
    check_content=check_pdf,
    neutral_name="cv.pdf",
    messages={
        "empty": "Ce fichier est vide. Choisissez votre CV au format PDF.",
        "too_large": (
            "Le CV pèse {size} : il ne doit pas dépasser 5 Mo. Réduisez-le (par exemple en l'exportant à nouveau en "
            "PDF) puis réessayez."
        ),
        "not_a_pdf": (
            "Le CV doit être un fichier PDF. Ce fichier n'en est pas un, même si son nom finit par .pdf : enregistrez "
            "votre CV au format PDF puis réessayez."
        ),
        "unreadable": (
            "Ce fichier PDF est illisible ou endommagé. Enregistrez à nouveau votre CV au format PDF puis réessayez."
        ),
        "protected": (
            "Ce fichier PDF est protégé par un mot de passe : l'employeur ne pourrait pas l'ouvrir. Envoyez un CV "
            "sans mot de passe."
        ),
    },
)

# pass_iae.md §14.2: the fiche bilan is an .xlsx of at most 1 MB.
REPORT_FILE = UploadKind(
    code="report_file",
    folder="prolongation_reports",
    extension="xlsx",
    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    max_size=1 * MEGABYTE,
    check_content=check_xlsx,
    neutral_name="fiche-bilan.xlsx",
    messages={
        "empty": "Ce fichier est vide. Choisissez la fiche bilan au format Excel (.xlsx).",
        "too_large": (
            "La fiche bilan pèse {size} : elle ne doit pas dépasser 1 Mo. Supprimez les images ou les onglets "
            "inutiles puis réessayez."
        ),
        "not_an_xlsx": (
            "La fiche bilan doit être un classeur Excel au format .xlsx. Ce fichier n'en est pas un (ancien format "
            ".xls, fichier protégé par un mot de passe ou autre type de fichier) : dans Excel, choisissez "
            "« Enregistrer sous » puis « Classeur Excel (.xlsx) », sans mot de passe."
        ),
        "unreadable": (
            "Ce classeur Excel est illisible ou endommagé. Enregistrez à nouveau la fiche bilan au format .xlsx puis "
            "réessayez."
        ),
        "macros": (
            "La fiche bilan contient des macros (classeur .xlsm) : enregistrez-la au format « Classeur Excel "
            "(.xlsx) », sans macros, puis réessayez."
        ),
    },
)


# Checks, antivirus, storage ------------------------------------------------------------------------------------------


def check_upload(uploaded, kind):
    """Raise a ValidationError with a French message unless `uploaded` is a file of this kind, within its size.

    The size comes first, from the upload's metadata: a heavy file is refused before any byte is read. The file is
    left rewound, so that it can be scanned and saved afterwards."""
    if uploaded.size == 0:
        raise _refuse(kind, "empty")
    if uploaded.size > kind.max_size:
        raise _refuse(kind, "too_large", size=weight_above(uploaded.size, kind.max_size))
    kind.check_content(uploaded, kind)


def _chunks(uploaded):
    # Not `uploaded.chunks()`: for a file kept in memory, Django yields it whole, as one more copy.
    uploaded.seek(0)
    while chunk := uploaded.read(antivirus.CHUNK_SIZE):
        yield chunk


def scan_upload(uploaded, kind):
    """Have the antivirus scan the file, read in chunks. Infected or not scanned (the scanner is down): refused.
    The signature goes to the logs only; the original file name, which may be personal data, goes nowhere."""
    try:
        result = antivirus.get_scanner().scan(_chunks(uploaded))
    except antivirus.ScannerUnavailable as error:
        logger.error("antivirus unavailable, upload refused kind=%s size=%d error=%s", kind.code, uploaded.size, error)
        raise ValidationError(ANTIVIRUS_UNAVAILABLE, code=f"{kind.code}_scan_unavailable") from error
    finally:
        uploaded.seek(0)
    if result.infected:
        logger.warning(
            "antivirus refused upload kind=%s size=%d signature=%s", kind.code, uploaded.size, result.signature
        )
        raise ValidationError(ANTIVIRUS_REFUSED, code=f"{kind.code}_infected")


def accept_upload(uploaded, kind):
    """The clean method of an upload field: checked, scanned, renamed to a neutral name; returned ready to save."""
    check_upload(uploaded, kind)
    scan_upload(uploaded, kind)
    uploaded.name = kind.neutral_name
    return uploaded


def storage_name(kind):
    """A new storage key for a file of this kind: `<folder>/<uuid4 hex>.<extension>`. Never the uploaded name."""
    return f"{kind.folder}/{uuid.uuid4().hex}.{kind.extension}"


def attachment_response(field_file, kind, *, filename):
    """Stream a stored file to someone allowed to read it (the caller checked): downloaded, never displayed by the
    browser in the site's origin, never sniffed into another type, never kept by a cache (personal data).

    Raises FileNotFoundError (or another OSError) when the storage has lost the file."""
    handle = field_file.open("rb")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=kind.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
