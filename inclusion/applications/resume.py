"""The resume (CV) attached to an application: an optional PDF of at most 5 MB (applications.md §1, §13.7).

Its rules are those of every upload (`inclusion.utils.uploads.RESUME`): checked as a real PDF, scanned by the
antivirus, stored under a random name, downloaded only through `application_resume`. This module names them for the
forms that take a resume: the application wizard, and the external transfer (§10) that may send a new one.
"""

from inclusion.utils import uploads

RESUME_MAX_SIZE = uploads.RESUME.max_size


def validate_resume(uploaded_file):
    """Raise a ValidationError with a French message unless `uploaded_file` is a real PDF of at most 5 MB.

    The file is read from its start and rewound, so that it can be saved afterwards."""
    uploads.check_upload(uploaded_file, uploads.RESUME)


def clean_resume(uploaded_file):
    """The clean method of a resume field: `validate_resume`, then the antivirus; the file comes back renamed
    `cv.pdf` (its own name never reaches the storage), or None when there is none."""
    if not uploaded_file:
        return None
    return uploads.accept_upload(uploaded_file, uploads.RESUME)
