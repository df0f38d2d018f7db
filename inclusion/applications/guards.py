"""Guards at the submission of a job application (applications.md §12, checked by the wizard §13 and direct hire).

Pure rules, no request: the wizard calls them and shows the returned French reason.

Order of the calls in a submission view:
1. `recent_duplicate` first: a double submit (10 s) reuses the application just created instead of being refused by
   the 24-hour rule.
2. `submission_refusal_reason`: None ⇒ allowed, else the first French reason of the refusal.
3. `previous_application_warning`: a previous application ⇒ a confirmation page before creating the new one.
"""

import datetime

from django.utils import timezone

from inclusion.applications.enums import SenderKind
from inclusion.applications.models import JobApplication
from inclusion.approvals.rules import latest_approval, valid_approval, waiting_period_blocks, waiting_period_message
from inclusion.approvals.suspensions import has_unliftable_suspension
from inclusion.companies.models import CompanyMembership, JobDescription
from inclusion.eligibility.rules import siae_self_prescription_withdrawn
from inclusion.prescribers.models import PrescriberMembership

# applications.md §12: a new application of the same job seeker to the same company within 24 h is refused.
SAME_COMPANY_MIN_INTERVAL = datetime.timedelta(hours=24)
# applications.md §12: an application to the same company created in the last 10 s is reused (double submit).
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(seconds=10)

# applications.md §12: each reason written once.
SENDER_NOT_ALLOWED = (
    "Seuls un candidat pour lui-même, un employeur ou un prescripteur peuvent envoyer une candidature."
)
COMPANY_INACTIVE = "Cette structure ne peut pas recevoir de candidature : elle n'est plus active."
COMPANY_WITHOUT_MEMBERS = "Cette structure ne peut pas recevoir de candidature : elle n'a pas encore de membre actif."
COMPANY_BLOCKED = "Cette structure ne reçoit plus de candidature pour le moment."
SPONTANEOUS_CLOSED = "Cette structure ne reçoit pas de candidature spontanée : choisissez une fiche de poste."
JOB_NOT_OPEN = "Au moins une des fiches de poste choisies n'est plus ouverte au recrutement dans cette structure."
SELF_PRESCRIPTION_WITHDRAWN = (
    "La possibilité d'auto-prescrire a été retirée à votre structure à la suite du contrôle a posteriori."
)
PASS_IAE_SUSPENDED = (
    "PASS IAE suspendu : le PASS IAE de ce candidat est suspendu pour un motif qui ne permet ni de candidater ni "
    "d'être embauché pendant la suspension."
)
APPLIED_WITHIN_24_HOURS = (
    "Ce candidat a déjà postulé chez cet employeur il y a moins de 24 heures : une nouvelle candidature pourra être "
    "envoyée 24 heures après la précédente."
)


def _now(now):
    return now or timezone.now()


def _is_company_member(user, company):
    return CompanyMembership.objects.active().filter(organization=company, user=user).exists()


def _is_prescriber_member(user, organization):
    return PrescriberMembership.objects.active().filter(organization=organization, user=user).exists()


def is_self_prescription(*, company, sender_kind, sender_company=None):
    """applications.md §13.1 "auto-prescription": an employer applying to its own (current) company."""
    return sender_kind == SenderKind.EMPLOYER and sender_company is not None and sender_company.pk == company.pk


def _sender_refusal(*, job_seeker, sender, sender_kind, sender_company, sender_prescriber_organization):
    """applications.md §12: the job seeker for himself, an employer or a prescriber; staff and institutions never.

    The sender acts for the organization given (its current one): an employer must be an active member of
    `sender_company`; a prescriber of `sender_prescriber_organization` when given (an orienteur may have none).
    """
    if sender is None or not job_seeker.is_job_seeker:
        return SENDER_NOT_ALLOWED
    if sender_kind == SenderKind.JOB_SEEKER:
        return None if sender.pk == job_seeker.pk else SENDER_NOT_ALLOWED
    if not sender.is_professional:
        return SENDER_NOT_ALLOWED
    if sender_kind == SenderKind.EMPLOYER:
        return (
            None if sender_company is not None and _is_company_member(sender, sender_company) else SENDER_NOT_ALLOWED
        )
    if sender_kind == SenderKind.PRESCRIBER:
        if sender_prescriber_organization is None or _is_prescriber_member(sender, sender_prescriber_organization):
            return None
    # Any other kind (institution member, staff acting as such) cannot apply.
    return SENDER_NOT_ALLOWED


def company_refusal(*, company, sender):
    """applications.md §12 / organizations.md §8.7: active company with active members; a blocked one takes
    applications from its own members only."""
    if not company.is_active:
        return COMPANY_INACTIVE
    if not CompanyMembership.objects.active().filter(organization=company).exists():
        return COMPANY_WITHOUT_MEMBERS
    if company.block_job_applications and not _is_company_member(sender, company):
        return COMPANY_BLOCKED
    return None


def _jobs_refusal(*, company, selected_jobs):
    """applications.md §12: a spontaneous application needs the company open to them; every selected job
    description must belong to the company and still be open (recruitment open, company active)."""
    if not selected_jobs:
        return None if company.is_open_to_spontaneous_applications else SPONTANEOUS_CLOSED
    job_ids = {job.pk if isinstance(job, JobDescription) else job for job in selected_jobs}
    open_count = JobDescription.objects.active().filter(company=company, pk__in=job_ids).count()
    return None if open_count == len(job_ids) else JOB_NOT_OPEN


def _pass_iae_refusal(*, job_seeker, company, sender_kind, sender_prescriber_organization, on):
    # pass_iae.md §13.6: a legacy-reason suspension in progress blocks applying to any company.
    approval = valid_approval(job_seeker, on=on)
    if approval is not None and has_unliftable_suspension(approval, on=on):
        return PASS_IAE_SUSPENDED
    # pass_iae.md §8: enforced at submission with the sender's current prescriber organization (SIAE only).
    organization = sender_prescriber_organization if sender_kind == SenderKind.PRESCRIBER else None
    if waiting_period_blocks(
        job_seeker=job_seeker, company=company, sender_prescriber_organization=organization, on=on
    ):
        return waiting_period_message(latest_approval(job_seeker, on=on))
    return None


def _previous_applications(*, job_seeker, company):
    return JobApplication.objects.filter(job_seeker=job_seeker, to_company=company).order_by("-created_at", "pk")


def submission_refusal_reason(
    *,
    job_seeker,
    company,
    sender,
    sender_kind,
    sender_company=None,
    sender_prescriber_organization=None,
    selected_jobs=(),
    direct_hire=False,
    now=None,
):
    """applications.md §12: the first French reason the submission is refused, None when it is allowed.

    `selected_jobs`: the chosen job descriptions (instances or pks); empty = spontaneous application. A direct hire
    (§13) declares a hiring that happened: it chooses no job, so the jobs guard does not apply to it.
    """
    now = _now(now)
    today = timezone.localdate(now)
    self_prescription = is_self_prescription(company=company, sender_kind=sender_kind, sender_company=sender_company)
    reason = (
        _sender_refusal(
            job_seeker=job_seeker,
            sender=sender,
            sender_kind=sender_kind,
            sender_company=sender_company,
            sender_prescriber_organization=sender_prescriber_organization,
        )
        or company_refusal(company=company, sender=sender)
        or (None if direct_hire else _jobs_refusal(company=company, selected_jobs=selected_jobs))
    )
    if reason:
        return reason
    # control_a_posteriori.md §9 (applications.md §12): a sanctioned SIAE cannot self-prescribe.
    if self_prescription and siae_self_prescription_withdrawn(company, on=today):
        return SELF_PRESCRIPTION_WITHDRAWN
    reason = _pass_iae_refusal(
        job_seeker=job_seeker,
        company=company,
        sender_kind=sender_kind,
        sender_prescriber_organization=sender_prescriber_organization,
        on=today,
    )
    if reason:
        return reason
    # applications.md §12 (README.md §2.1 "within the last 24 h" = created_at > now − 24 h); self-prescription exempt.
    if (
        not self_prescription
        and _previous_applications(job_seeker=job_seeker, company=company)
        .filter(created_at__gt=now - SAME_COMPANY_MIN_INTERVAL)
        .exists()
    ):
        return APPLIED_WITHIN_24_HOURS
    return None


def previous_application_warning(*, job_seeker, company, now=None):
    """applications.md §12 / §13.4: the latest previous application of this job seeker to this company, which the
    wizard shows on a confirmation page; None = nothing to confirm.

    Applications of the last 24 h are refused by `submission_refusal_reason` before this page, except for a
    self-prescription: it is exempt from the refusal, so it gets this confirmation too.
    """
    return _previous_applications(job_seeker=job_seeker, company=company).filter(created_at__lte=_now(now)).first()


def recent_duplicate(*, job_seeker, company, sender, now=None):
    """applications.md §12: the application to this company, for this job seeker, by this sender, created in the last
    10 s (`created_at > now − 10 s`): a double submit reuses it instead of creating a duplicate."""
    return (
        _previous_applications(job_seeker=job_seeker, company=company)
        .filter(sender=sender, created_at__gt=_now(now) - DOUBLE_SUBMIT_WINDOW)
        .first()
    )
