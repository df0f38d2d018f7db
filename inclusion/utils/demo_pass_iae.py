"""The rules-core part of the demo: diagnoses, PASS IAE, a suspension and a prolongation request.

Dates are relative to today so that the demo always shows a PASS in progress and a request to process.
Everything goes through the rules (as a hiring would), except the history of the older PASS, written as an import
would write it: its hiring happened before the demo's diagnosis rules could have been applied.
"""

import datetime

from django.utils import timezone

from inclusion.applications.enums import JobApplicationState, SenderKind
from inclusion.applications.models import JobApplication
from inclusion.approvals.enums import ApprovalEventKind, Origin, ProlongationReason, SuspensionReason
from inclusion.approvals.models import Approval
from inclusion.approvals.prolongations import prolongation_declare
from inclusion.approvals.rules import approval_issue_or_reuse, default_end_at, log_event, next_approval_number
from inclusion.approvals.suspensions import suspension_create
from inclusion.eligibility.rules import create_employer_diagnosis, save_prescriber_diagnosis
from inclusion.utils.dates import today

# How long ago the demo hirings started.
RECENT_HIRING_DAYS_AGO = 90
OLD_HIRING_DAYS_AGO = 700  # the PASS ends in a month: its prolongation request is due


def load_pass_iae_demo(
    *,
    job_seeker,
    prescriber,
    prescriber_organization,
    employer,
    aci,
    other_job_seeker,
    ei_employer,
    ei,
    third_job_seeker,
):
    """Idempotent: does nothing once the demo job seeker holds a PASS."""
    if Approval.objects.filter(user=job_seeker).exists():
        return
    _recent_hiring(job_seeker, prescriber, prescriber_organization, employer, aci)
    _pass_near_its_end(other_job_seeker, prescriber, prescriber_organization, ei_employer, ei)
    create_employer_diagnosis(job_seeker=third_job_seeker, author=employer, siae=aci, codes=["DETLD"])


def _accepted_application(*, job_seeker, sender, to_company, hiring_start_at, **sender_fields):
    accepted_at = timezone.now() - datetime.timedelta(days=(today() - hiring_start_at).days + 3)
    return JobApplication.objects.create(
        job_seeker=job_seeker,
        sender=sender,
        to_company=to_company,
        state=JobApplicationState.ACCEPTED,
        hiring_start_at=hiring_start_at,
        created_at=accepted_at - datetime.timedelta(days=10),
        accepted_at=accepted_at,
        processed_at=accepted_at,
        **sender_fields,
    )


def _recent_hiring(job_seeker, prescriber, organization, employer, aci):
    """A France Travail adviser diagnosed the person, oriented her to the ACI, which hired her 3 months ago."""
    hiring_start_at = today() - datetime.timedelta(days=RECENT_HIRING_DAYS_AGO)
    save_prescriber_diagnosis(
        job_seeker=job_seeker,
        author=prescriber,
        organization=organization,
        codes=["RSA", "CAP_BEP"],
        now=timezone.now() - datetime.timedelta(days=RECENT_HIRING_DAYS_AGO + 15),
    )
    application = _accepted_application(
        job_seeker=job_seeker,
        sender=prescriber,
        to_company=aci,
        hiring_start_at=hiring_start_at,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
    )
    approval = approval_issue_or_reuse(job_application=application, by_user=employer)
    # A past 10-day suspension: the PASS end moved 9 days later.
    suspension_create(
        approval=approval,
        siae=aci,
        start_at=today() - datetime.timedelta(days=40),
        end_at=today() - datetime.timedelta(days=31),
        reason=SuspensionReason.CONTRACT_SUSPENDED,
        by_user=employer,
    )


def _pass_near_its_end(job_seeker, prescriber, organization, ei_employer, ei):
    """An EI hired the person almost two years ago; it asks the France Travail adviser for an RQTH prolongation."""
    hiring_start_at = today() - datetime.timedelta(days=OLD_HIRING_DAYS_AGO)
    diagnosis = save_prescriber_diagnosis(
        job_seeker=job_seeker,
        author=prescriber,
        organization=organization,
        codes=["DETLD", "TH"],
        now=timezone.now() - datetime.timedelta(days=OLD_HIRING_DAYS_AGO + 20),
    )
    approval = Approval.objects.create(
        number=next_approval_number(),
        user=job_seeker,
        start_at=hiring_start_at,
        end_at=default_end_at(hiring_start_at),
        origin=Origin.DEFAULT,
        eligibility_diagnosis=diagnosis,
        origin_siae_siret=ei.siret,
        origin_siae_kind=ei.kind,
        origin_sender_kind=SenderKind.PRESCRIBER,
        origin_prescriber_organization_kind=organization.kind,
    )
    log_event(approval, ApprovalEventKind.CREATED, user=ei_employer)
    application = _accepted_application(
        job_seeker=job_seeker,
        sender=prescriber,
        to_company=ei,
        hiring_start_at=hiring_start_at,
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
    )
    JobApplication.objects.filter(pk=application.pk).update(approval=approval, eligibility_diagnosis=diagnosis)
    prolongation_declare(
        approval=approval,
        siae=ei,
        by_user=ei_employer,
        end_at=approval.end_at + datetime.timedelta(days=365),
        reason=ProlongationReason.RQTH,
        reason_explanation="Reconnaissance de la qualité de travailleur handicapé obtenue en cours de parcours.",
        validator=prescriber,
        prescriber_organization=organization,
    )
