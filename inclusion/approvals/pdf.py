"""The "attestation de délivrance du PASS IAE": a PDF the holder or an employer downloads and prints.

It is rendered by WeasyPrint from an HTML template (`approvals/attestation.html`, no external resource: the styles
are inline), so that what it says is written once, in French, in a template, and tested like a page.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals import rules
from inclusion.companies.enums import CompanyKind
from inclusion.utils.dates import today


@dataclass(frozen=True)
class IssuingStructure:
    """The SIAE whose hiring issued the PASS, or what the PASS remembers of it (pass_iae.md §3 origin facts)."""

    name: str  # empty when only the origin facts are known
    siret: str
    kind_label: str


def issuing_structure(approval):
    """The structure that issued the PASS (pass_iae.md §3, §6).

    The PASS records the SIRET and kind of the SIAE whose hiring created it; the company itself is found among the
    accepted applications carrying the PASS: the one with that SIRET, else the first accepted one. A PASS without any
    accepted application (imported, or delivered from the back-office) shows the recorded facts only. Reads
    `approval.job_applications.all()`: prefetch the accepted applications with their company to keep one query.
    """
    accepted = [
        application
        for application in approval.job_applications.all()
        if application.state == JobApplicationState.ACCEPTED
    ]
    accepted.sort(key=_acceptance_order)
    origin_siret = approval.origin_siae_siret
    same_siret = [
        application for application in accepted if origin_siret and application.to_company.siret == origin_siret
    ]
    origin = (same_siret or accepted or [None])[0]
    if origin is not None:
        company = origin.to_company
        return IssuingStructure(name=company.display_name, siret=company.siret, kind_label=company.get_kind_display())
    if approval.origin_siae_siret or approval.origin_siae_kind:
        kind_label = CompanyKind(approval.origin_siae_kind).label if approval.origin_siae_kind else ""
        return IssuingStructure(name="", siret=approval.origin_siae_siret, kind_label=kind_label)
    return None


def _acceptance_order(application):
    # Earliest acceptance first; an acceptance without timestamp (imports) counts by the hiring start.
    accepted_on = application.accepted_at.date() if application.accepted_at else application.hiring_start_at
    return (accepted_on is None, accepted_on, application.created_at)


def holder_birthdate(user):
    """The birthdate from the job seeker profile, None when the person has no profile yet."""
    profile = getattr(user, "jobseeker_profile", None)
    return profile.birthdate if profile is not None else None


def attestation_context(approval, *, on=None):
    on = on or today()
    remainder = rules.approval_remainder(approval, on=on)
    return {
        "approval": approval,
        "holder": approval.user,
        "birthdate": holder_birthdate(approval.user),
        "issued_on": on,
        "remainder": remainder,
        "remainder_text": rules.remainder_display(remainder, on=on),
        "state": rules.approval_state(approval, on=on),
        "issuing_structure": issuing_structure(approval),
    }


def attestation_filename(approval):
    return f"pass-iae-{approval.number}.pdf"


def attestation_document(approval, *, on=None):
    """The laid-out document (WeasyPrint `Document`): its pages can be inspected before being written."""
    # Imported on the first attestation only: loading WeasyPrint (Pango, fonts, default styles) is slow, and most
    # processes never render a PDF.
    from weasyprint import HTML

    html = render_to_string("approvals/attestation.html", attestation_context(approval, on=on))
    return HTML(string=html).render()


def attestation_pdf(approval, *, on=None) -> bytes:
    return attestation_document(approval, on=on).write_pdf()
