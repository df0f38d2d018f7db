"""Hiring: what the accept wizard and the direct hire decide around `transitions.accept` (applications.md §6, §8,
§12, §13 "Direct hire"; pass_iae.md §5, §8, §13.6).

Plain functions without request: the hired job of the hiring form, what blocks a hiring, which eligibility step the
wizard shows, the previous applications a direct hire lists, and `hire`, the one transaction that saves a hiring.
The state change itself, its dates and its PASS IAE belong to `transitions.accept` and the PASS rules.
"""

import datetime
import enum
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from inclusion.applications import guards, transitions
from inclusion.applications.enums import GEIQContractType, JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.approvals.rules import latest_approval, valid_approval, waiting_period_blocks, waiting_period_message
from inclusion.approvals.suspensions import has_unliftable_suspension
from inclusion.companies.enums import SIAE_KINDS, CompanyKind, ContractType, JobDescriptionSource, contract_types_for
from inclusion.companies.models import JobDescription
from inclusion.eligibility.rules import employer_must_make_diagnosis, siae_self_prescription_withdrawn
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import User
from inclusion.utils.dates import today as today_in_paris

# applications.md §13 "Direct hire": SIAE and GEIQ employers; EA, EATT and OPCS hire by accepting an application.
DIRECT_HIRE_KINDS = frozenset({*SIAE_KINDS, CompanyKind.GEIQ})
# applications.md §12: the direct hire warning lists the non-accepted applications of the last 12 months.
DIRECT_HIRE_PREVIOUS_APPLICATIONS_WINDOW = relativedelta(months=12)
# The `other_contract_type` of a job description created at hiring when its kind offers no contract type of its own
# (the model requires a text with "autre").
UNSPECIFIED_CONTRACT = "Non précisé"


def can_hire_directly(company) -> bool:
    return company is not None and company.kind in DIRECT_HIRE_KINDS


# --- The hired job (applications.md §8.1)


def hired_job_is_required(company) -> bool:
    """applications.md §8.1: optional for an SIAE (and the other kinds), required for a GEIQ."""
    return company.kind == CompanyKind.GEIQ


def hired_job_options(company):
    """applications.md §8.1: every job description of the company, open or closed (open ones first)."""
    return (
        JobDescription.objects.filter(company=company)
        .select_related("appellation", "location")
        .order_by("-is_active", "appellation__name", "custom_name", "pk")
    )


def new_job_contract_type(company, *, geiq_contract_type="", geiq_contract_type_details=""):
    """(contract type, "other" text) of a job description created at hiring: a GEIQ's follows the GEIQ contract of
    the hiring; any other kind takes the first contract type it offers (search_and_jobs.md §3.3), e.g. "CDD
    insertion" for an SIAE."""
    if company.kind == CompanyKind.GEIQ and geiq_contract_type:
        if geiq_contract_type == GEIQContractType.OTHER:
            return ContractType.OTHER, geiq_contract_type_details.strip() or UNSPECIFIED_CONTRACT
        return ContractType(geiq_contract_type), ""  # apprenticeship and professional training share their codes
    first = contract_types_for(company.kind, is_convergence=company.is_convergence)[0]
    return first, UNSPECIFIED_CONTRACT if first == ContractType.OTHER else ""


def find_or_create_hired_job(*, company, appellation, location, geiq_contract_type="", geiq_contract_type_details=""):
    """applications.md §8.1 "new job": a job description of the company with the same appellation and location
    (open or closed) is reused; else one is created **inactive** with source `HIRING`, so that recording the hiring
    never opens a recruitment."""
    existing = (
        JobDescription.objects.filter(company=company, appellation=appellation, location=location)
        .order_by("-is_active", "created_at", "pk")
        .first()
    )
    if existing is not None:
        return existing
    contract_type, other_contract_type = new_job_contract_type(
        company, geiq_contract_type=geiq_contract_type, geiq_contract_type_details=geiq_contract_type_details
    )
    return JobDescription.objects.create(
        company=company,
        appellation=appellation,
        location=location,
        contract_type=contract_type,
        other_contract_type=other_contract_type,
        is_active=False,
        creation_source=JobDescriptionSource.HIRING,
    )


def contract_end_error(job_description, hiring_end_at) -> str | None:
    """pass_iae.md §5, applications.md §8.1: a CDI inclusion has no end date."""
    if hiring_end_at is not None and job_description is not None:
        if job_description.contract_type == ContractType.PERMANENT_I:
            return "Un CDI inclusion n'a pas de date de fin : laissez la date de fin vide."
    return None


# --- What blocks a hiring (pass_iae.md §8, §13.6)


def hiring_block_reason(job_application, *, on=None) -> str | None:
    """The French reason why this application cannot be accepted now, or None.

    pass_iae.md §8: the waiting period, checked at the start and at every step of the accept wizard with the
    application's sender organization (the accept transition checks it again); §13.6: a legacy-reason suspension of the
    PASS cannot be lifted by a hiring. SIAE only: GEIQ, EA, EATT and OPCS hirings are never blocked by the PASS.
    """
    company, job_seeker = job_application.to_company, job_application.job_seeker
    if company.kind not in SIAE_KINDS:
        return None
    approval = valid_approval(job_seeker, on=on)
    if approval is not None and has_unliftable_suspension(approval, on=on):
        return guards.PASS_IAE_SUSPENDED
    if waiting_period_blocks(
        job_seeker=job_seeker,
        company=company,
        sender_prescriber_organization=job_application.sender_prescriber_organization,
        on=on,
    ):
        return waiting_period_message(latest_approval(job_seeker, on=on))
    return None


# --- The eligibility step of the accept wizard (applications.md §8.4)


class EligibilityStep(enum.Enum):
    NONE = "none"  # EA, EATT, OPCS; or an SIAE with a valid diagnosis or a valid PASS
    IAE_DIAGNOSIS_REQUIRED = "iae_required"  # an SIAE must make its own diagnosis
    IAE_SANCTIONED = "iae_sanctioned"  # ...but a self-prescription sanction forbids it: no hiring
    GEIQ_OPTIONAL = "geiq_optional"  # a GEIQ may make or update its diagnosis, or continue without


def eligibility_step(job_application, *, on=None) -> EligibilityStep:
    """applications.md §8.4: the IAE diagnosis step only for an SIAE without a diagnosis considered valid nor a valid
    PASS (blocked under a self-prescription sanction, eligibility.md §2.2); the optional GEIQ step for a GEIQ."""
    company, job_seeker = job_application.to_company, job_application.job_seeker
    if company.kind == CompanyKind.GEIQ:
        return EligibilityStep.GEIQ_OPTIONAL
    if company.kind in SIAE_KINDS and employer_must_make_diagnosis(job_seeker, company, on=on):
        if siae_self_prescription_withdrawn(company, on=on):
            return EligibilityStep.IAE_SANCTIONED
        return EligibilityStep.IAE_DIAGNOSIS_REQUIRED
    return EligibilityStep.NONE


# --- Later edit of the contract (applications.md §8.3)


def contract_has_started(job_application, *, on=None) -> bool:
    """pass_iae.md §5: the contract dates of an accepted application are edited only while the hiring has not started
    (`approvals.rules.hiring_dates_edit` refuses it afterwards); the page then explains instead of showing a form."""
    day = on or today_in_paris()
    return job_application.hiring_start_at is not None and job_application.hiring_start_at <= day


def contract_dates_editable(job_application, *, on=None) -> bool:
    """applications.md §8.3, pass_iae.md §5 "later edit": the contract dates of an accepted application may be edited
    while its hiring has not started (the detail page links to the edit only then)."""
    return job_application.is_accepted and not contract_has_started(job_application, on=on)


# --- Direct hire (applications.md §12, §13 "Direct hire")


def direct_hire_refusal_reason(*, job_seeker, company, employer, now=None) -> str | None:
    """applications.md §12 for a direct hire: the guards of a self-prescription by `employer` for `company` (the 24 h
    rule does not apply to it; waiting period, suspension, sanction and company rules do). None: allowed."""
    return guards.submission_refusal_reason(
        job_seeker=job_seeker,
        company=company,
        sender=employer,
        sender_kind=SenderKind.EMPLOYER,
        sender_company=company,
        direct_hire=True,
        now=now,
    )


def direct_hire_previous_applications(*, job_seeker, company, now=None):
    """applications.md §12: the warning of a direct hire lists the non-accepted applications of the job seeker to
    this company created during the last 12 months (`created_at > now − 12 months`), newest first."""
    now = now or timezone.now()
    return (
        JobApplication.objects.filter(
            job_seeker=job_seeker, to_company=company, created_at__gt=now - DIRECT_HIRE_PREVIOUS_APPLICATIONS_WINDOW
        )
        .exclude(state=JobApplicationState.ACCEPTED)
        .select_related("sender", "sender_company", "sender_prescriber_organization")
        .order_by("-created_at", "pk")
    )


# --- Saving a hiring


@dataclass(frozen=True)
class HiringContract:
    """The hiring form of applications.md §8.1–§8.2, once checked by the form.

    `job_description`: an existing job description of the company; or `new_job_appellation` + `new_job_location` for a
    "new job"; or neither (no hired job). `geiq_contract`: the `geiq_*` fields (GEIQ only), else None.
    """

    hiring_start_at: datetime.date
    hiring_end_at: datetime.date | None = None
    job_description: JobDescription | None = None
    new_job_appellation: object = None
    new_job_location: object = None
    geiq_contract: dict | None = None
    answer: str = ""
    advisor: User | None = None
    advisor_unknown: bool = False


def _hired_job(company, contract):
    if contract.job_description is not None:
        return contract.job_description
    if contract.new_job_appellation is None:
        return None
    geiq_contract = contract.geiq_contract or {}
    return find_or_create_hired_job(
        company=company,
        appellation=contract.new_job_appellation,
        location=contract.new_job_location,
        geiq_contract_type=geiq_contract.get("geiq_contract_type", ""),
        geiq_contract_type_details=geiq_contract.get("geiq_contract_type_details", ""),
    )


def hire(job_application, *, user, contract: HiringContract, direct_hire=False, expected_state=None, now=None):
    """applications.md §6, §8.4 (confirmation), §13 "Direct hire": in one transaction, the hired job (a "new job" is
    found or created), `process` first for a direct hire still new, `transitions.accept` (dates, PASS IAE, obsolete
    pending applications, assignment `ACCEPT` or `HIRE`), and the job seeker's data marked as checked.

    Raises what `transitions.accept` raises (`TransitionError`, `ValidationError`, `ApprovalError`); nothing is saved
    then (a job description created for the hiring neither). `expected_state`: see `transitions.accept` (not for a
    direct hire, whose `process` moves the state first).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # The `process` of a direct hire locks the application: the person first, as `accept` does.
            transitions.lock_job_seeker(job_application)
            hired_job = _hired_job(job_application.to_company, contract)
            if direct_hire and transitions.is_allowed(job_application.state, transitions.Transition.PROCESS):
                transitions.process(job_application, user=user)
            transitions.accept(
                job_application,
                user=user,
                hiring_start_at=contract.hiring_start_at,
                hiring_end_at=contract.hiring_end_at,
                answer=contract.answer,
                hired_job=hired_job,
                geiq_contract=contract.geiq_contract,
                advisor=contract.advisor,
                advisor_unknown=contract.advisor_unknown,
                assignment_action=AssignmentAction.HIRE if direct_hire else AssignmentAction.ACCEPT,
                expected_state=None if direct_hire else expected_state,
            )
            # applications.md §8.4: the confirmation marks the job seeker's data as checked.
            User.objects.filter(pk=job_application.job_seeker_id).update(last_checked_at=now)
    except Exception:
        # The `process` of a direct hire is rolled back too: the instance shows what the database holds.
        job_application.refresh_from_db()
        raise
    job_application.job_seeker.last_checked_at = now
    return job_application
