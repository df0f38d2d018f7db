"""XLSX export of applications by month (applications.md §15).

The rows are read with `.iterator(chunk_size=…)`: the related data is prefetched chunk by chunk and the workbook is
written in openpyxl's write-only mode, so a large export neither loads every application at once nor runs a query per
row. Personal columns are masked or blanked when the viewer may not see them (applications.md §16).
"""

import datetime
import io
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.filters import department_code_expression, has_valid_pass, jobs_queryset
from inclusion.approvals.rules import approval_state, is_prefixed_number
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.models import EligibilityDiagnosis
from inclusion.users.display import masked_text
from inclusion.users.perms import can_view_personal_information
from inclusion.utils.dates import today

# The URL value exporting every month at once.
ALL_MONTHS = "toutes"
MONTH_PATTERN = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
# The years a month of the URL may name: the month's bounds, shifted to UTC, must stay within Python's dates (years 1
# to 9999); no application is that old or that far ahead anyway.
MONTH_YEARS = range(datetime.MINYEAR + 1, datetime.MAXYEAR)
CHUNK_SIZE = 1000
DATE_FORMAT = "DD/MM/YYYY"

# applications.md §15 "Eligible to control": the SIAE kinds the contrôle a posteriori covers (EITI excluded).
CONTROLLED_COMPANY_KINDS = frozenset({CompanyKind.AI, CompanyKind.EI, CompanyKind.ACI, CompanyKind.ETTI})

# applications.md §15: the columns, in this order.
HEADERS = (
    "Civilité",
    "Nom",
    "Prénom",
    "E-mail",
    "Téléphone",
    "Date de naissance",
    "Ville",
    "Département",
    "Nom de la structure",
    "Type de structure",
    "Métiers recherchés",
    "Source de la candidature",
    "Organisation prescriptrice",
    "Nom de l'émetteur",
    "Date de la candidature",
    "Statut de la candidature",
    "Date de début du contrat",
    "Date de fin du contrat",
    "Motif de refus",
    "Éligibilité IAE validée",
    "Éligible au contrôle a posteriori",
    "Numéro de PASS IAE",
    "Début du PASS IAE",
    "Fin du PASS IAE",
    "Statut du PASS IAE",
)

YES, NO = "oui", "non"


# --- Period


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first_day(self):
        return datetime.date(self.year, self.month, 1)

    @property
    def next_first_day(self):
        return datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)


def parse_month(value):
    """`YYYY-MM` → Month; `ALL_MONTHS` → None (every month). Raises ValueError for anything else."""
    if value == ALL_MONTHS:
        return None
    match = MONTH_PATTERN.fullmatch(value)
    if not match or not 1 <= int(match["month"]) <= 12 or int(match["year"]) not in MONTH_YEARS:
        raise ValueError(f"Mois invalide : {value}")
    return Month(int(match["year"]), int(match["month"]))


def _start_of(day):
    # README.md §2.1: months are Europe/Paris calendar months (the current time zone).
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def in_period(scope, month):
    if month is None:
        return scope
    return scope.filter(created_at__gte=_start_of(month.first_day), created_at__lt=_start_of(month.next_first_day))


def filename(month):
    return f"candidatures-{ALL_MONTHS if month is None else f'{month.year}-{month.month:02d}'}.xlsx"


# --- Rules of the columns


def is_eligible_to_control(job_application):
    """applications.md §15 "Eligible to the contrôle a posteriori": a PASS, a company of kind AI, EI, ACI or ETTI, the
    application accepted, its diagnosis made by this same SIAE's employer, the PASS starting on the hiring start and a
    PASS number issued by the platform (prefixed, pass_iae.md §2)."""
    approval = job_application.approval
    diagnosis = job_application.eligibility_diagnosis
    return (
        approval is not None
        and job_application.to_company.kind in CONTROLLED_COMPANY_KINDS
        and job_application.state == JobApplicationState.ACCEPTED
        and diagnosis is not None
        and diagnosis.author_kind == AuthorKind.EMPLOYER
        and diagnosis.author_siae_id == job_application.to_company_id
        and approval.start_at == job_application.hiring_start_at
        and is_prefixed_number(approval.number)
    )


def source_label(job_application):
    """applications.md §15 "source": spontaneous, employer, own structure, orienteur or authorized prescriber."""
    if job_application.sender_kind == SenderKind.JOB_SEEKER:
        return "Candidature spontanée"
    if job_application.sender_kind == SenderKind.EMPLOYER:
        if job_application.sender_company_id == job_application.to_company_id:
            return "Ma structure"
        return "Employeur"
    organization = job_application.sender_prescriber_organization
    if organization is not None and organization.is_authorized:
        return "Prescripteur habilité"
    return "Orienteur"


def _yes_no(value):
    return YES if value else NO


def _jobs_label(job_application):
    jobs = [job.display_name for job in job_application.selected_jobs.all()]
    return ", ".join(jobs) if jobs else "Candidature spontanée"


def _person_columns(job_application, *, allowed):
    """Title, last name, first name, e-mail, phone, birthdate, city: blanked (names masked) when not allowed."""
    job_seeker = job_application.job_seeker
    if not allowed:
        return ["", masked_text(job_seeker.last_name), masked_text(job_seeker.first_name), "", "", None, ""]
    profile = getattr(job_seeker, "jobseeker_profile", None)
    return [
        job_seeker.get_title_display(),
        job_seeker.last_name.upper(),
        job_seeker.first_name,
        job_seeker.email or "",
        job_seeker.phone,
        profile.birthdate if profile else None,
        job_seeker.city,
    ]


def _sender_name(job_application, *, job_seeker_allowed):
    sender = job_application.sender
    if sender is None:
        return ""
    if job_application.sender_kind == SenderKind.JOB_SEEKER and not job_seeker_allowed:
        return masked_text(sender.get_full_name())
    return sender.get_full_name()


def _approval_columns(job_application, on):
    approval = job_application.approval
    if approval is None:
        return ["", None, None, ""]
    return [approval.number, approval.start_at, approval.end_at, approval_state(approval, on=on).label]


def export_row(job_application, *, viewer, organization, on):
    """One line of the export (HEADERS order)."""
    allowed = can_view_personal_information(viewer, job_application.job_seeker, organization=organization)
    company = job_application.to_company
    prescriber_organization = job_application.sender_prescriber_organization
    return [
        *_person_columns(job_application, allowed=allowed),
        job_application.job_seeker_department,
        company.display_name,
        company.kind,
        _jobs_label(job_application),
        source_label(job_application),
        prescriber_organization.display_name if prescriber_organization else "",
        _sender_name(job_application, job_seeker_allowed=allowed),
        timezone.localdate(job_application.created_at),
        job_application.get_state_display(),
        job_application.hiring_start_at,
        job_application.hiring_end_at,
        job_application.get_refusal_reason_display() if job_application.refusal_reason else "",
        # eligibility.md §2.5 export flag: a valid PASS or a valid authorized-prescriber diagnosis.
        _yes_no(job_application.export_has_valid_pass or job_application.export_has_prescriber_diagnosis),
        _yes_no(is_eligible_to_control(job_application)),
        *_approval_columns(job_application, on),
    ]


def export_queryset(applications, *, on):
    """The applications with every column's data, prefetched chunk by chunk (see `rows`)."""
    valid_prescriber_diagnoses = (
        EligibilityDiagnosis.objects.by_prescribers().valid(on).filter(job_seeker=OuterRef("job_seeker_id"))
    )
    return (
        applications.select_related(
            "job_seeker__jobseeker_profile",
            "sender",
            "sender_prescriber_organization",
            "to_company",
            "approval",
            "eligibility_diagnosis",
        )
        .annotate(
            job_seeker_department=department_code_expression(),
            export_has_valid_pass=has_valid_pass(on),
            export_has_prescriber_diagnosis=Exists(valid_prescriber_diagnoses),
        )
        .prefetch_related(Prefetch("selected_jobs", queryset=jobs_queryset()), "approval__suspensions")
        .order_by("created_at", "pk")
    )


def rows(applications, *, viewer, organization, on=None):
    on = on or today()
    for job_application in export_queryset(applications, on=on).iterator(chunk_size=CHUNK_SIZE):
        yield export_row(job_application, viewer=viewer, organization=organization, on=on)


def _cell(sheet, value):
    if isinstance(value, str):
        # Typed text (names, job titles, company names) may hold control characters, which the XLSX format forbids.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and cell.data_type == "f":
        # openpyxl turns a text starting with "=" into a formula: a name like "=HYPERLINK(…)" must stay text
        # (formula injection).
        cell.data_type = "s"
    return cell


def export_xlsx(applications, *, viewer, organization, on=None):
    """The XLSX file (bytes) of `applications` as `viewer`, acting for `organization`, may see them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Candidatures")
    sheet.append(HEADERS)
    for row in rows(applications, viewer=viewer, organization=organization, on=on):
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
