"""Prolongations of a PASS IAE and prolongation requests (pass_iae.md §14, §15, §16).

A prolongation is a half-open range [start_at, end_at) starting at the PASS end; it pushes the PASS end to its own
end (`end_at += end − start`, §14.2). Two reasons take effect at once (`SENIOR_CDI`, `COMPLETE_TRAINING`); the others
go through a request that an authorized prescriber grants or denies (§15).

Every change locks the PASS row, re-checks the rules under the lock, resets the France Travail notification (§19)
and writes the history. E-mails leave after commit (`send_templated_email`).
"""

import datetime
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from inclusion.approvals.enums import (
    ApprovalEventKind,
    ProlongationReason,
    ProlongationRequestDenyProposedAction,
    ProlongationRequestDenyReason,
    ProlongationRequestStatus,
)
from inclusion.approvals.models import Prolongation, ProlongationRequest
from inclusion.approvals.rules import is_hiring_siae, latest_approval, lock_approval, log_event, move_approval_end
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.prescribers.models import PrescriberMembership, PrescriberOrganization
from inclusion.utils import uploads
from inclusion.utils.dates import today as paris_today
from inclusion.utils.emails import absolute_url, send_templated_email


class ProlongationLimit(NamedTuple):
    max_days: int  # longest single prolongation
    cap_days: int | None  # cumulative cap over all the prolongations of the PASS; None = no cap
    needs_validation: bool  # True = a request validated by an authorized prescriber


# pass_iae.md §14.1 (exact day counts; SENIOR_CDI's 3 650 days stand for "until retirement").
PROLONGATION_LIMITS = {
    ProlongationReason.SENIOR_CDI: ProlongationLimit(3650, None, False),
    ProlongationReason.COMPLETE_TRAINING: ProlongationLimit(365, None, False),
    ProlongationReason.RQTH: ProlongationLimit(365, 1095, True),
    ProlongationReason.SENIOR: ProlongationLimit(365, 1825, True),
    ProlongationReason.PARTICULAR_DIFFICULTIES: ProlongationLimit(365, 1095, True),
    ProlongationReason.HEALTH_CONTEXT: ProlongationLimit(365, 365, True),
}
# pass_iae.md §14.1: "Contexte sanitaire" is not selectable since 2021-12-01.
UNSELECTABLE_PROLONGATION_REASONS = frozenset({ProlongationReason.HEALTH_CONTEXT})
# pass_iae.md §14.1: PARTICULAR_DIFFICULTIES only for a declaring AI or ACI.
PARTICULAR_DIFFICULTIES_KINDS = frozenset({CompanyKind.AI, CompanyKind.ACI})
# pass_iae.md §14.2: contact fields, and the AI's fiche bilan, for these three reasons only.
REASONS_WITH_CONTACT = frozenset(
    {ProlongationReason.RQTH, ProlongationReason.SENIOR, ProlongationReason.PARTICULAR_DIFFICULTIES}
)
REASONS_WITH_REPORT_FILE = REASONS_WITH_CONTACT
REPORT_FILE_KINDS = frozenset({CompanyKind.AI})
CONTACT_PHONE_MAX_LENGTH = 20  # Prolongation.contact_phone

# pass_iae.md §14.2: from 12 months before the PASS end to 6 months after it, both inclusive.
PROLONGATION_WINDOW_BEFORE = relativedelta(months=12)
PROLONGATION_WINDOW_AFTER = relativedelta(months=6)

# pass_iae.md §15.4: reminders when the request is 10 to 30 days old, 10 days apart, at most 3.
REMINDER_FIRST_AFTER_DAYS = 10
REMINDER_LAST_AFTER_DAYS = 30
REMINDER_INTERVAL_DAYS = 10
REMINDERS_MAX = 3
# pass_iae.md §15.4: the assignee plus up to 10 other members of the organization.
REMINDER_OTHER_MEMBERS_MAX = 10


def _label(reason):
    return ProlongationReason(reason).label


def _labels(reasons):
    """« A », « B », « C » in the order of the choices."""
    return ", ".join(f"« {reason.label} »" for reason in ProlongationReason if reason in reasons)


# ---------------------------------------------------------------------------------------------------------------
# Window, who, reasons and limits (§14.1, §14.2).


def prolongation_window(approval):
    """pass_iae.md §14.2: `(PASS end − 12 months, PASS end + 6 months)`, both inclusive."""
    return approval.end_at - PROLONGATION_WINDOW_BEFORE, approval.end_at + PROLONGATION_WINDOW_AFTER


def _has_pending_request(approval):
    return approval.prolongation_requests.filter(status=ProlongationRequestStatus.PENDING).exists()


def _is_suspended(approval, on):
    return approval.suspensions.filter(start_at__lte=on, end_at__gte=on).exists()


def prolongation_refusal_reason(approval, *, siae, on=None):
    """None when `siae` may declare a prolongation of `approval` now (pass_iae.md §14.2), else why not, in French."""
    on = on or paris_today()
    if siae is None or siae.kind not in SIAE_KINDS:
        return "Seule une SIAE peut prolonger un PASS IAE."
    if not is_hiring_siae(approval, siae):
        return "Seule une SIAE ayant embauché le candidat avec ce PASS IAE peut le prolonger."
    # The window, read on the PASS itself, before the latest PASS, which takes a query.
    window_start, window_end = prolongation_window(approval)
    if not window_start <= on <= window_end:
        return (
            f"Ce PASS IAE ne peut être prolongé qu'entre le {window_start:%d/%m/%Y} et le {window_end:%d/%m/%Y} "
            "(de 12 mois avant sa fin à 6 mois après)."
        )
    latest = latest_approval(approval.user, on=on)
    if latest is None or latest.pk != approval.pk:
        return "Seul le dernier PASS IAE du candidat peut être prolongé."
    if _is_suspended(approval, on):
        return "Ce PASS IAE est suspendu : il ne peut pas être prolongé pendant la suspension."
    if _has_pending_request(approval):
        return "Une demande de prolongation est déjà en attente pour ce PASS IAE."
    return None


def prolongation_used_days(approval, *, editing=None):
    """pass_iae.md §14.1: Σ (end − start) over all the prolongations of the PASS, whatever their reason; pending
    requests are not counted, the edited prolongation is excluded."""
    prolongations = approval.prolongations.all()
    if editing is not None:
        prolongations = prolongations.exclude(pk=editing.pk)
    return sum((end_at - start_at).days for start_at, end_at in prolongations.values_list("start_at", "end_at"))


def _remaining_cap_days(approval, reason, *, editing=None):
    cap = PROLONGATION_LIMITS[reason].cap_days
    if cap is None:
        return None
    return cap - prolongation_used_days(approval, editing=editing)


def prolongation_max_end(approval, *, reason, start_at=None, editing=None):
    """pass_iae.md §14.1: `min(start + max per prolongation, start + (cap − used))`.

    `start_at` defaults to the edited prolongation's start, else to the current PASS end (where a new one starts).
    A result ≤ start means that no prolongation is possible for this reason (cap used up).
    """
    if start_at is None:
        start_at = editing.start_at if editing is not None else approval.end_at
    days = PROLONGATION_LIMITS[reason].max_days
    remaining = _remaining_cap_days(approval, reason, editing=editing)
    if remaining is not None:
        days = min(days, remaining)
    return start_at + datetime.timedelta(days=days)


def _reason_unavailable_reason(approval, reason, *, siae):
    """Why `reason` may not be selected by `siae` for `approval`, or None."""
    if reason not in PROLONGATION_LIMITS or reason in UNSELECTABLE_PROLONGATION_REASONS:
        return "Ce motif de prolongation n'est pas disponible."
    if reason == ProlongationReason.PARTICULAR_DIFFICULTIES and siae.kind not in PARTICULAR_DIFFICULTIES_KINDS:
        return (
            f"Le motif « {_label(reason)} » est réservé aux associations intermédiaires (AI) et aux ateliers "
            "chantiers d'insertion (ACI)."
        )
    remaining = _remaining_cap_days(approval, reason)
    if remaining is not None and remaining <= 0:
        cap = PROLONGATION_LIMITS[reason].cap_days
        return f"Le plafond de {cap} jours de prolongation du motif « {_label(reason)} » est atteint pour ce PASS IAE."
    return None


def selectable_prolongation_reasons(approval, *, siae):
    """pass_iae.md §14.1: the reasons `siae` may choose for `approval` (capped reasons used up are left out)."""
    return [
        (reason.value, reason.label)
        for reason in ProlongationReason
        if _reason_unavailable_reason(approval, reason, siae=siae) is None
    ]


# ---------------------------------------------------------------------------------------------------------------
# Declaration checks (§14.2, §15.2).


def _check_end(approval, *, reason, start_at, end_at, editing=None):
    # pass_iae.md §14.2: at least one day (end > start), at most the max end of §14.1.
    earliest = start_at + datetime.timedelta(days=1)
    latest = prolongation_max_end(approval, reason=reason, start_at=start_at, editing=editing)
    if earliest > latest:
        raise ValidationError(
            f"Le plafond de prolongation du motif « {_label(reason)} » est atteint : "
            "aucune date de fin n'est possible."
        )
    if not earliest <= end_at <= latest:
        raise ValidationError(
            f"La date de fin doit être comprise entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y}."
        )


def _check_contact(reason, *, require_phone_interview, contact_email, contact_phone):
    """pass_iae.md §14.2: contact fields only for RQTH, SENIOR and PARTICULAR_DIFFICULTIES; an interview needs both."""
    if reason not in REASONS_WITH_CONTACT:
        if require_phone_interview or contact_email or contact_phone:
            raise ValidationError(
                "Les coordonnées de contact et la demande d'entretien ne concernent que les motifs "
                + _labels(REASONS_WITH_CONTACT)
                + "."
            )
        return
    if require_phone_interview and not (contact_email and contact_phone):
        raise ValidationError(
            "Pour demander un entretien téléphonique, indiquez un e-mail et un téléphone de contact."
        )
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError as error:
            raise ValidationError("L'e-mail de contact n'est pas une adresse valide.") from error
    if len(contact_phone) > CONTACT_PHONE_MAX_LENGTH:
        raise ValidationError(f"Le téléphone de contact fait au plus {CONTACT_PHONE_MAX_LENGTH} caractères.")


def validate_report_file(report_file):
    """pass_iae.md §14.2: a real .xlsx of at most 1 MB, without macros, checked by its content (the shared upload
    rules, platform_rules.md §6). The form also has it scanned by the antivirus before this service runs."""
    uploads.check_upload(report_file, uploads.REPORT_FILE)


def report_file_required(reason, *, siae):
    """pass_iae.md §14.2: the fiche bilan is uploaded by an AI, and then mandatory, for the three reasons."""
    return reason in REASONS_WITH_REPORT_FILE and siae.kind in REPORT_FILE_KINDS


def _check_report_file(reason, *, siae, report_file):
    if not report_file_required(reason, siae=siae):
        if report_file:
            raise ValidationError(
                "La fiche bilan n'est demandée qu'aux associations intermédiaires (AI), pour les motifs "
                + _labels(REASONS_WITH_REPORT_FILE)
                + "."
            )
        return
    if not report_file:
        raise ValidationError("La fiche bilan (fichier .xlsx) est obligatoire pour ce motif.")
    validate_report_file(report_file)


def authorized_organizations_of(user):
    """pass_iae.md §15.2: the authorized organizations a validator may be addressed through (active memberships)."""
    return PrescriberOrganization.objects.authorized().filter(
        pk__in=PrescriberMembership.objects.active().filter(user=user).values("organization")
    )


def _check_validator(reason, *, validator, prescriber_organization):
    """pass_iae.md §14.2, §15.2: a validator is an authorized prescriber, addressed through one of his active
    authorized organizations; the immediate reasons have none."""
    if not PROLONGATION_LIMITS[reason].needs_validation:
        if validator is not None or prescriber_organization is not None:
            raise ValidationError(
                f"Le motif « {_label(reason)} » ne demande pas de validation par un prescripteur habilité."
            )
        return
    if validator is None:
        raise ValidationError("Indiquez le prescripteur habilité qui doit valider cette prolongation.")
    organizations = authorized_organizations_of(validator)
    if not organizations.exists():
        raise ValidationError("Ce prescripteur n'est membre d'aucune organisation habilitée.")
    if prescriber_organization is None or not organizations.filter(pk=prescriber_organization.pk).exists():
        raise ValidationError("Choisissez une des organisations habilitées dont ce prescripteur est membre.")


def _check_declarant(siae, by_user):
    # pass_iae.md §14.2: the declarant is a member (active or not) of the declaring SIAE.
    if not siae.memberships.filter(user=by_user).exists():
        raise ValidationError("Le déclarant doit être membre de la SIAE qui déclare la prolongation.")


# ---------------------------------------------------------------------------------------------------------------
# Changes of the PASS end (§14.2): always under the PASS row lock (`rules.lock_approval`).


def _overlap_message(other):
    return (
        f"Cette période chevauche la prolongation du {other.start_at:%d/%m/%Y} au {other.end_at:%d/%m/%Y}. "
        "Les prolongations d'un même PASS IAE ne peuvent pas se chevaucher."
    )


def _check_no_overlap(approval, *, start_at, end_at, editing=None):
    # pass_iae.md §14.2: half-open ranges, consecutive prolongations chain end to start.
    others = approval.prolongations.filter(start_at__lt=end_at, end_at__gt=start_at)
    if editing is not None:
        others = others.exclude(pk=editing.pk)
    if other := others.order_by("start_at").first():
        raise ValidationError(_overlap_message(other))


def _save_prolongation(prolongation):
    """The PostgreSQL exclusion constraint catches an overlap a concurrent transaction could create."""
    try:
        with transaction.atomic():
            prolongation.save()
    except IntegrityError as error:
        raise ValidationError(
            "Cette période chevauche une autre prolongation de ce PASS IAE. Les prolongations d'un même PASS IAE ne "
            "peuvent pas se chevaucher."
        ) from error


def _event_data(obj, *, end_before, end_after, **extra):
    return {
        "prolongation" if isinstance(obj, Prolongation) else "request": str(obj.public_id),
        "start_at": obj.start_at.isoformat(),
        "end_at": obj.end_at.isoformat(),
        "reason": obj.reason,
        "approval_end_at_before": end_before.isoformat(),
        "approval_end_at_after": end_after.isoformat(),
        **extra,
    }


def _cached_approval(obj):
    return obj.approval if type(obj).approval.is_cached(obj) else None


# ---------------------------------------------------------------------------------------------------------------
# Declaration (§14.2, §15.2).


def prolongation_declare(
    *,
    approval,
    siae,
    by_user,
    end_at,
    reason,
    reason_explanation="",
    validator=None,
    prescriber_organization=None,
    report_file=None,
    require_phone_interview=False,
    contact_email="",
    contact_phone="",
    on=None,
):
    """pass_iae.md §14.2: SENIOR_CDI and COMPLETE_TRAINING create a prolongation at once (the PASS end moves to its
    end); the other reasons create a pending request for an authorized prescriber, who is e-mailed (§15.2)."""
    on = on or paris_today()
    contact_email, contact_phone = (contact_email or "").strip(), (contact_phone or "").strip()
    with transaction.atomic():
        locked = lock_approval(approval.pk)
        if refusal := prolongation_refusal_reason(locked, siae=siae, on=on):
            raise ValidationError(refusal)
        if unavailable := _reason_unavailable_reason(locked, reason, siae=siae):
            raise ValidationError(unavailable)
        _check_declarant(siae, by_user)
        # pass_iae.md §14.2: the start is not chosen, it is the current PASS end.
        start_at = locked.end_at
        _check_end(locked, reason=reason, start_at=start_at, end_at=end_at)
        _check_contact(
            reason,
            require_phone_interview=require_phone_interview,
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
        _check_report_file(reason, siae=siae, report_file=report_file)
        _check_validator(reason, validator=validator, prescriber_organization=prescriber_organization)
        _check_no_overlap(locked, start_at=start_at, end_at=end_at)
        fields = {
            "approval": locked,
            "start_at": start_at,
            "end_at": end_at,
            "reason": reason,
            "reason_explanation": reason_explanation,
            "declared_by": by_user,
            "declared_by_siae": siae,
            "prescriber_organization": prescriber_organization,
            "report_file": report_file or "",
            "require_phone_interview": require_phone_interview,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            "created_by": by_user,
        }
        if PROLONGATION_LIMITS[reason].needs_validation:
            return _request_create(locked, fields, validator=validator, by_user=by_user)
        prolongation = Prolongation(**fields, updated_by=by_user)
        _save_prolongation(prolongation)
        end_before = locked.end_at
        move_approval_end(locked, end_at - start_at, caller_approval=approval)
        log_event(
            locked,
            ApprovalEventKind.PROLONGATION_CREATED,
            user=by_user,
            **_event_data(prolongation, end_before=end_before, end_after=locked.end_at),
        )
    return prolongation


def _request_create(locked, fields, *, validator, by_user):
    request = ProlongationRequest(**fields, assigned_to=validator)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        # pass_iae.md §15.1: a concurrent declaration won the "one pending request per PASS" constraint.
        raise ValidationError("Une demande de prolongation est déjà en attente pour ce PASS IAE.") from error
    log_event(
        locked,
        ApprovalEventKind.REQUEST_CREATED,
        user=by_user,
        from_status=None,
        to_status=ProlongationRequestStatus.PENDING.value,
        **_event_data(request, end_before=locked.end_at, end_after=locked.end_at),
    )
    _notify_request_created(request)
    return request


def _check_is_the_last(locked, current):
    """pass_iae.md §14.2: prolongations chain end to start and the PASS ends where the last one ends. Only that one
    may change: moving an earlier one would leave the PASS end apart from the end of the last prolongation."""
    if current.end_at != locked.end_at:
        raise ValidationError(
            f"Seule la dernière prolongation du PASS IAE, celle qui prend fin avec lui le {locked.end_at:%d/%m/%Y}, "
            "peut être modifiée ou supprimée."
        )


def prolongation_update(prolongation, *, end_at, by_user):
    """pass_iae.md §14.2: a new end for the last prolongation of the PASS; the PASS end follows it."""
    with transaction.atomic():
        locked = lock_approval(prolongation.approval_id)
        current = Prolongation.objects.get(pk=prolongation.pk)
        _check_is_the_last(locked, current)
        _check_end(locked, reason=current.reason, start_at=current.start_at, end_at=end_at, editing=current)
        _check_no_overlap(locked, start_at=current.start_at, end_at=end_at, editing=current)
        prolongation.end_at = end_at
        prolongation.updated_by = by_user
        try:
            with transaction.atomic():
                prolongation.save(update_fields=["end_at", "updated_by", "updated_at"])
        except IntegrityError as error:
            raise ValidationError(
                "Cette période chevauche une autre prolongation de ce PASS IAE. Les prolongations d'un même PASS IAE "
                "ne peuvent pas se chevaucher."
            ) from error
        end_before = locked.end_at
        move_approval_end(locked, end_at - current.end_at, caller_approval=_cached_approval(prolongation))
        log_event(
            locked,
            ApprovalEventKind.PROLONGATION_UPDATED,
            user=by_user,
            **_event_data(
                prolongation,
                end_before=end_before,
                end_after=locked.end_at,
                previous_end_at=current.end_at.isoformat(),
            ),
        )
    return prolongation


def prolongation_delete(prolongation, *, by_user):
    """pass_iae.md §14.2: the last prolongation of the PASS is deleted; the PASS end loses its delta."""
    with transaction.atomic():
        locked = lock_approval(prolongation.approval_id)
        current = Prolongation.objects.get(pk=prolongation.pk)
        _check_is_the_last(locked, current)
        end_before = locked.end_at
        move_approval_end(locked, -(current.end_at - current.start_at), caller_approval=_cached_approval(prolongation))
        log_event(
            locked,
            ApprovalEventKind.PROLONGATION_DELETED,
            user=by_user,
            **_event_data(current, end_before=end_before, end_after=locked.end_at),
        )
        current.delete()


# ---------------------------------------------------------------------------------------------------------------
# Processing a request (§15.3).


def _lock_pending_request(request):
    """Locks the PASS then the request, and checks the request is still pending (no double processing)."""
    locked = lock_approval(request.approval_id)
    current = ProlongationRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ProlongationRequestStatus.PENDING:
        raise ValidationError(f"Cette demande de prolongation a déjà été traitée ({current.get_status_display()}).")
    return locked, current


def _check_processor(request, by_user):
    # pass_iae.md §14.2: a validator is an authorized prescriber; §15.3: any member of the addressed organization.
    organization = request.prescriber_organization
    if (
        organization is None
        or not organization.is_authorized
        or not organization.memberships.active().filter(user=by_user).exists()
    ):
        raise ValidationError(
            "Seul un membre de l'organisation habilitée sollicitée peut traiter cette demande de prolongation."
        )


def request_effective_dates(request, approval=None):
    """pass_iae.md §14.2: the dates a request covers if it is granted now, `(start, end)`.

    A prolongation starts at the current PASS end. A suspension created (or ended early, or deleted) while the request
    waited moved that end: a pending request then starts at the new end and keeps its duration,
    `(PASS end, PASS end + (request end − request start))`. A processed request keeps its stored dates (a granted one
    was saved with the dates granted).

    The one place these dates are computed: the grant records them, and every screen and e-mail showing a pending
    request shows them, so that the prescriber decides on the dates the platform applies. `approval` defaults to
    `request.approval` (pass the locked row when there is one).
    """
    if request.status != ProlongationRequestStatus.PENDING:
        return request.start_at, request.end_at
    approval = approval if approval is not None else request.approval
    return approval.end_at, approval.end_at + (request.end_at - request.start_at)


def _rebase_on_the_approval_end(locked, current):
    """Moves the pending request onto its effective dates (`request_effective_dates`) before the grant, so that the
    request and its prolongation agree.

    Returns the dates before the move (for the history), or None when the request already started at the PASS end.
    """
    start_at, end_at = request_effective_dates(current, locked)
    if (start_at, end_at) == (current.start_at, current.end_at):
        return None
    previous = {"previous_start_at": current.start_at.isoformat(), "previous_end_at": current.end_at.isoformat()}
    current.start_at, current.end_at = start_at, end_at
    return previous


def request_grant(request, *, by_user, on=None):
    """pass_iae.md §15.3: the request is granted and, in the same transaction, a prolongation copying it is created,
    validated by the processing user; the PASS end moves to its end. The employer and the job seeker are e-mailed.

    When the PASS end moved while the request waited, the request is moved to start at the new end with the same
    duration (`_rebase_on_the_approval_end`), then the limits and the overlaps are checked again on the new dates.

    `on` is accepted for a uniform signature: granting has no date rule.
    """
    now = timezone.now()
    with transaction.atomic():
        locked, current = _lock_pending_request(request)
        _check_processor(current, by_user)
        rebased = _rebase_on_the_approval_end(locked, current)
        _check_end(locked, reason=current.reason, start_at=current.start_at, end_at=current.end_at)
        _check_no_overlap(locked, start_at=current.start_at, end_at=current.end_at)
        prolongation = Prolongation(
            approval=locked,
            start_at=current.start_at,
            end_at=current.end_at,
            reason=current.reason,
            reason_explanation=current.reason_explanation,
            declared_by=current.declared_by,
            declared_by_siae=current.declared_by_siae,
            prescriber_organization=current.prescriber_organization,
            report_file=current.report_file.name or "",
            require_phone_interview=current.require_phone_interview,
            contact_email=current.contact_email,
            contact_phone=current.contact_phone,
            created_by=current.created_by,
            validated_by=by_user,
            request=current,
            updated_by=by_user,
        )
        _save_prolongation(prolongation)
        _set_processed(request, current, status=ProlongationRequestStatus.GRANTED, by_user=by_user, now=now)
        # The caller's copy shows the dates granted (rebased or not) without a refresh.
        request.start_at, request.end_at = current.start_at, current.end_at
        current.save(update_fields=["start_at", "end_at", "status", "processed_by", "processed_at", "updated_at"])
        end_before = locked.end_at
        move_approval_end(locked, current.end_at - current.start_at, caller_approval=_cached_approval(request))
        log_event(
            locked,
            ApprovalEventKind.REQUEST_GRANTED,
            user=by_user,
            from_status=ProlongationRequestStatus.PENDING.value,
            to_status=ProlongationRequestStatus.GRANTED.value,
            prolongation=str(prolongation.public_id),
            **_event_data(current, end_before=end_before, end_after=locked.end_at, **(rebased or {})),
        )
        _notify_request_processed(current, "approvals/emails/prolongation_request_granted")
    return prolongation


def _set_processed(request, current, *, status, by_user, now):
    # Both the caller's copy and the locked one, so that the caller sees the outcome without a refresh.
    for obj in (request, current):
        obj.status, obj.processed_by, obj.processed_at = status, by_user, now


def _check_deny(reason, reason_explanation, proposed_actions, proposed_actions_explanation):
    """pass_iae.md §15.3: a reason; a mandatory explanation; proposed actions only for IAE, then a non-empty list
    with a mandatory explanation. Returns the actions to store (None unless IAE)."""
    if reason not in ProlongationRequestDenyReason.values:
        raise ValidationError("Choisissez le motif du refus.")
    if not (reason_explanation or "").strip():
        raise ValidationError("Expliquez le motif du refus : un refus doit être motivé par écrit.")
    if reason != ProlongationRequestDenyReason.IAE:
        if proposed_actions or (proposed_actions_explanation or "").strip():
            raise ValidationError(
                "Les actions envisagées ne se renseignent que pour le motif "
                f"« {ProlongationRequestDenyReason.IAE.label} »."
            )
        return None
    actions = list(proposed_actions or [])
    if not actions:
        raise ValidationError("Indiquez au moins une action envisagée pour la personne.")
    if any(action not in ProlongationRequestDenyProposedAction.values for action in actions):
        raise ValidationError("Une des actions envisagées n'existe pas.")
    if not (proposed_actions_explanation or "").strip():
        raise ValidationError("Expliquez les actions envisagées.")
    # Keep the order of the choices, without repetition.
    return [action for action in ProlongationRequestDenyProposedAction.values if action in actions]


def request_deny(
    request, *, by_user, reason, reason_explanation, proposed_actions=None, proposed_actions_explanation=""
):
    """pass_iae.md §15.3: the request is denied with its reason(s); the employer and the job seeker are e-mailed."""
    actions = _check_deny(reason, reason_explanation, proposed_actions, proposed_actions_explanation)
    now = timezone.now()
    with transaction.atomic():
        locked, current = _lock_pending_request(request)
        _check_processor(current, by_user)
        _set_processed(request, current, status=ProlongationRequestStatus.DENIED, by_user=by_user, now=now)
        for obj in (request, current):
            obj.deny_reason = reason
            obj.deny_reason_explanation = reason_explanation.strip()
            obj.deny_proposed_actions = actions
            obj.deny_proposed_actions_explanation = (proposed_actions_explanation or "").strip() if actions else ""
        current.save(
            update_fields=[
                "status",
                "processed_by",
                "processed_at",
                "deny_reason",
                "deny_reason_explanation",
                "deny_proposed_actions",
                "deny_proposed_actions_explanation",
                "updated_at",
            ]
        )
        log_event(
            locked,
            ApprovalEventKind.REQUEST_DENIED,
            user=by_user,
            from_status=ProlongationRequestStatus.PENDING.value,
            to_status=ProlongationRequestStatus.DENIED.value,
            deny_reason=reason,
            **_event_data(current, end_before=locked.end_at, end_after=locked.end_at),
        )
        _notify_request_processed(current, "approvals/emails/prolongation_request_denied")
    return current


def pending_requests_for(organization):
    """pass_iae.md §15.3: the pending requests addressed to `organization`, newest first, ready for a list."""
    return (
        ProlongationRequest.objects.filter(
            prescriber_organization=organization, status=ProlongationRequestStatus.PENDING
        )
        .select_related(
            "approval__user__jobseeker_profile", "declared_by", "declared_by_siae", "assigned_to", "created_by"
        )
        .order_by("-created_at", "-pk")
    )


# ---------------------------------------------------------------------------------------------------------------
# Reminders (§15.4).


def _start_of_day(day):
    """The first instant of a Europe/Paris date (README.md §2.1)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def requests_due_for_reminder(*, on=None):
    """pass_iae.md §15.4: pending, `10 ≤ today − created_date ≤ 30`, and no reminder or the last one sent at least
    10 days ago (dates in Europe/Paris), at most 3 reminders."""
    on = on or paris_today()
    created_from = _start_of_day(on - datetime.timedelta(days=REMINDER_LAST_AFTER_DAYS))
    created_before = _start_of_day(on - datetime.timedelta(days=REMINDER_FIRST_AFTER_DAYS - 1))
    reminded_before = _start_of_day(on - datetime.timedelta(days=REMINDER_INTERVAL_DAYS - 1))
    return (
        ProlongationRequest.objects.filter(
            status=ProlongationRequestStatus.PENDING,
            created_at__gte=created_from,
            created_at__lt=created_before,
            reminders_count__lt=REMINDERS_MAX,
        )
        .exclude(reminder_sent_at__gte=reminded_before)
        .select_related("approval__user", "declared_by_siae", "prescriber_organization", "assigned_to")
        .order_by("created_at", "pk")
    )


def reminder_recipients(request):
    """pass_iae.md §15.4: the assignee plus up to 10 other active members of the organization, admins first, then
    the most recent login, then the most recent arrival."""
    recipients = []
    if request.assigned_to is not None and request.assigned_to.is_active:
        recipients.append(request.assigned_to)
    if request.prescriber_organization is not None:
        others = (
            request.prescriber_organization.memberships.active()
            .exclude(user=request.assigned_to)
            .select_related("user")
            .order_by(
                "-is_admin", F("user__last_login").desc(nulls_last=True), F("joined_at").desc(nulls_last=True), "pk"
            )[:REMINDER_OTHER_MEMBERS_MAX]
        )
        recipients.extend(membership.user for membership in others)
    return recipients


def send_request_reminders(*, on=None, dry_run=False):
    """pass_iae.md §15.4: reminds the prescribers of the requests due; returns how many requests were (or, in a dry
    run, would be) reminded. Idempotent within a day: a reminded request is not due again for 10 days."""
    on = on or paris_today()
    count = 0
    for request in requests_due_for_reminder(on=on):
        if dry_run:
            count += 1
            continue
        with transaction.atomic():
            # Re-read under lock: another run (or a processing) may have changed it meanwhile.
            locked = (
                requests_due_for_reminder(on=on).select_related(None).select_for_update().filter(pk=request.pk).first()
            )
            if locked is None:
                continue
            request.reminder_sent_at = timezone.now()
            request.reminders_count = locked.reminders_count + 1
            request.save(update_fields=["reminder_sent_at", "reminders_count", "updated_at"])
            _notify_reminder(request, on=on)
        count += 1
    return count


# ---------------------------------------------------------------------------------------------------------------
# E-mails (§16): after commit, one per recipient so that nobody sees another's address.


def _email_context(request, **extra):
    approval = request.approval
    profile = getattr(approval.user, "jobseeker_profile", None)
    # A pending request is shown with the dates the grant would record (the PASS end may have moved meanwhile).
    start_at, end_at = request_effective_dates(request, approval)
    return {
        "request": request,
        "start_at": start_at,
        "end_at": end_at,
        "approval": approval,
        "job_seeker": approval.user,
        "birthdate": profile.birthdate if profile else None,
        "proposed_actions": [
            ProlongationRequestDenyProposedAction(action).label for action in request.deny_proposed_actions or []
        ],
        "siae": request.declared_by_siae,
        "reason_label": request.get_reason_display(),
        "duration_days": (request.end_at - request.start_at).days,
        "requests_url": absolute_url(reverse("prolongation_requests")),
        "request_url": absolute_url(reverse("prolongation_request_detail", args=[request.public_id])),
        **extra,
    }


def _notify_request_created(request):
    # pass_iae.md §15.2: non-disableable, to the assignee.
    send_templated_email(
        [request.assigned_to.email], "approvals/emails/prolongation_request_created", _email_context(request)
    )


def _notify_reminder(request, *, on):
    context = _email_context(request, days_waiting=(on - timezone.localdate(request.created_at)).days)
    for user in reminder_recipients(request):
        send_templated_email([user.email], "approvals/emails/prolongation_request_reminder", context)


def _notify_request_processed(request, template_prefix):
    """pass_iae.md §15.3: the declaring employer (when an SIAE declared it) and the job seeker."""
    siae = request.declared_by_siae
    if siae is not None and siae.kind in SIAE_KINDS and request.declared_by is not None:
        send_templated_email([request.declared_by.email], template_prefix, _email_context(request, for_employer=True))
    send_templated_email([request.approval.user.email], template_prefix, _email_context(request, for_employer=False))
