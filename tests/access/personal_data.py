"""Does a response show personal data of a job seeker its viewer may not see? (applications.md §16)

The oracle is written here from the rule, independently of `inclusion.users.perms`, so that a wrong predicate there
is caught rather than trusted: a job seeker's NIR, birthdate, e-mail, phone and address are shown to the job seeker
herself, to authorized prescribers and employers, and to the professional who created her account; never to
anonymous visitors, other job seekers, orienteurs who did not create the account, institution members or staff
(outside the back-office).

Pages, XLSX exports and PDF attestations are read as text. A value shared by two people (the factories give many job
seekers the same default birthdate) is only checked when it belongs to no one the viewer may see.
"""

import html
import io
from zipfile import BadZipFile

from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from inclusion.users.enums import UserKind
from inclusion.users.models import User
from tests.access.personas import AUTHORIZED_PRESCRIBER, EMPLOYER, JOB_SEEKER, OTHER_EMPLOYER

# applications.md §16: the roles that see every job seeker's data.
PERSONAS_SEEING_EVERY_JOB_SEEKER = {AUTHORIZED_PRESCRIBER, EMPLOYER, OTHER_EMPLOYER}


def may_see(persona, viewer, job_seeker):
    if viewer is None:
        return False
    if persona == JOB_SEEKER:
        return viewer.pk == job_seeker.pk
    return persona in PERSONAS_SEEING_EVERY_JOB_SEEKER or job_seeker.created_by_id == viewer.pk


def _spaced(digits, groups):
    parts, start = [], 0
    for size in groups:
        parts.append(digits[start : start + size])
        start += size
    return " ".join(part for part in parts if part)


def personal_values(job_seeker):
    """The ways a page may print this person's personal data (raw and formatted)."""
    values = {}
    profile = getattr(job_seeker, "jobseeker_profile", None)
    if profile is not None and profile.nir:
        values["NIR"] = {profile.nir, _spaced(profile.nir, [1, 2, 2, 2, 3, 3, 2])}
    if profile is not None and profile.birthdate:
        values["date de naissance"] = {
            profile.birthdate.strftime("%d/%m/%Y"),
            date_format(profile.birthdate, "j F Y"),
        }
    values["e-mail"] = {job_seeker.email}
    if job_seeker.phone:
        digits = "".join(filter(str.isdigit, job_seeker.phone))
        values["téléphone"] = {job_seeker.phone, digits, _spaced(digits, [2, 2, 2, 2, 2])}
    if job_seeker.address_line_1:
        values["adresse"] = {job_seeker.address_line_1}
    return values


def response_text(response):
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    try:
        if "spreadsheetml" in content_type:
            return _workbook_text(body)
        if content_type.startswith("application/pdf"):
            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    except (BadZipFile, PdfReadError):  # an uploaded file the test made up: search its bytes
        return body.decode("latin-1")
    return html.unescape(body.decode(response.charset or "utf-8", errors="replace"))


def _workbook_text(body):
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    cells = (
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    return "\n".join(cells)


def leaks(response, persona, viewer):
    """The personal data of job seekers `viewer` may not see that the response shows, as readable lines."""
    if response.status_code != 200:
        return []
    job_seekers = list(User.objects.filter(kind=UserKind.JOB_SEEKER).select_related("jobseeker_profile"))
    visible = [job_seeker for job_seeker in job_seekers if may_see(persona, viewer, job_seeker)]
    visible_values = set().union(*(set().union(*personal_values(js).values()) for js in visible)) if visible else set()
    text = response_text(response)
    found = []
    for job_seeker in job_seekers:
        if job_seeker in visible:
            continue
        for label, values in personal_values(job_seeker).items():
            shown = sorted(value for value in values - visible_values if value and value in text)
            if shown:
                found.append(f"{label} de {job_seeker.email} ({', '.join(shown)})")
    return found
