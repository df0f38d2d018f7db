"""The resume (CV) attached to an application: an optional PDF of at most 5 MB (applications.md §1, §13.7).

One validator for every form that takes a resume: the application wizard, and the external transfer (§10) that may
send a new one. A bad file is refused with a French message, never a server error.

Django lets a heavier file reach this check with its default settings: DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) counts
the request body *without* the uploaded files, and FILE_UPLOAD_MAX_MEMORY_SIZE only decides whether an upload is kept
in memory or streamed to a temporary file. The size limit of a whole request belongs to the reverse proxy.
"""

import warnings

from django.core.exceptions import ValidationError
from pypdf import PdfReader

# applications.md §13.7: a resume weighs at most 5 MB.
RESUME_MAX_SIZE = 5 * 1024 * 1024
# Every PDF starts with this header (ISO 32000-1 §7.5.2).
PDF_HEADER = b"%PDF-"

RESUME_TOO_LARGE = (
    "Le CV pèse {size} : il ne doit pas dépasser 5 Mo. Réduisez-le (par exemple en l'exportant à nouveau en PDF) "
    "puis réessayez."
)
RESUME_NOT_A_PDF = (
    "Le CV doit être un fichier PDF. Ce fichier n'en est pas un, même si son nom finit par .pdf : enregistrez votre "
    "CV au format PDF puis réessayez."
)
RESUME_UNREADABLE = (
    "Ce fichier PDF est illisible ou endommagé. Enregistrez à nouveau votre CV au format PDF puis réessayez."
)
RESUME_PROTECTED = (
    "Ce fichier PDF est protégé par un mot de passe : l'employeur ne pourrait pas l'ouvrir. Envoyez un CV sans mot "
    "de passe."
)
RESUME_EMPTY = "Ce fichier est vide. Choisissez votre CV au format PDF."


def _megabytes(size):
    """6 291 456 → « 6,0 Mo » (the unit people read on their computer)."""
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _is_readable_pdf(uploaded_file):
    """Parse the whole page tree; an encrypted file counts only if it opens without a password (permissions only)."""
    with warnings.catch_warnings():
        # pypdf warns about many small defects it repairs; they do not make the file unreadable.
        warnings.simplefilter("ignore")
        reader = PdfReader(uploaded_file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(RESUME_PROTECTED, code="resume_protected")
        return len(reader.pages) > 0


def validate_resume(uploaded_file):
    """Raise a ValidationError with a French message unless `uploaded_file` is a real PDF of at most 5 MB.

    The file is read from its start and rewound, so that it can be saved afterwards.
    """
    if uploaded_file.size == 0:
        raise ValidationError(RESUME_EMPTY, code="resume_empty")
    if uploaded_file.size > RESUME_MAX_SIZE:
        raise ValidationError(RESUME_TOO_LARGE.format(size=_megabytes(uploaded_file.size)), code="resume_too_large")
    uploaded_file.seek(0)
    header = uploaded_file.read(len(PDF_HEADER))
    uploaded_file.seek(0)
    if header != PDF_HEADER:
        raise ValidationError(RESUME_NOT_A_PDF, code="resume_not_a_pdf")
    try:
        readable = _is_readable_pdf(uploaded_file)
    except ValidationError:
        raise
    except Exception as error:  # a malformed PDF may raise anything: the person gets a clear message instead
        raise ValidationError(RESUME_UNREADABLE, code="resume_unreadable") from error
    finally:
        uploaded_file.seek(0)
    if not readable:
        raise ValidationError(RESUME_UNREADABLE, code="resume_unreadable")
