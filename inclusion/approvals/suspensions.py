"""Suspensions of a PASS IAE (pass_iae.md §13).

A suspension is an inclusive range [start_at, end_at] (README.md §2.2) that pushes the PASS end back by
`end − start` days (§13.4). Every function here that changes a suspension locks the PASS row, re-checks the rules
under the lock, moves the PASS end, resets the France Travail notification (§19) and writes the history.

Who acts (membership, current organization) is decided in `perms.py`; the `*_refusal_reason` functions below say
whether the company may act at all and why not, in French, for the screens.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from inclusion.approvals.enums import CURRENT_SUSPENSION_REASONS, ApprovalEventKind, SuspensionReason
from inclusion.approvals.models import Suspension
from inclusion.approvals.rules import (
    last_accepted_siae_application,
    last_hiring_siae,
    lock_approval,
    log_event,
    move_approval_end,
)
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.utils.dates import today as paris_today

# pass_iae.md §13.2: at most 36 months (end ≤ start + 36 months − 1 day), at most 365 days back.
SUSPENSION_MAX_DURATION = relativedelta(months=36)
SUSPENSION_RETROACTIVITY = datetime.timedelta(days=365)
# pass_iae.md §13.1: the "contrat passerelle" experiment is open to ACI and EI only.
CONTRAT_PASSERELLE_KINDS = frozenset({CompanyKind.ACI, CompanyKind.EI})

ONE_DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------------
# Dates (§13.2).


def suspension_max_end(start_at):
    """pass_iae.md §13.2: `start + 36 months − 1 day`; also the end set by "date de fin inconnue".

    relativedelta clamps to the month's last day (29/02/2024 + 36 months = 28/02/2027, so the max end is 27/02/2027).
    """
    return start_at + SUSPENSION_MAX_DURATION - ONE_DAY


def _last_finished_suspension(approval, *, excluding, on):
    suspensions = approval.suspensions.filter(end_at__lt=on)
    if excluding is not None:
        suspensions = suspensions.exclude(pk=excluding.pk)
    return suspensions.order_by("-end_at").first()


def suspension_min_start(approval, *, editing=None, on=None):
    """The earliest start a suspension of `approval` may have (pass_iae.md §13.2).

    The hiring start of the person's last accepted SIAE application, replaced by the day after the end of the last
    already-finished suspension of this PASS (the edited one excluded) when there is one; raised to at least
    `reference − 365 days` (reference = today on creation, the edited suspension's creation date on edit); and never
    before the PASS start ("PASS start_at ≤ start").
    """
    on = on or paris_today()
    floor = None
    application = last_accepted_siae_application(job_seeker_id=approval.user_id)
    if application is not None:
        floor = application.hiring_start_at
    last_finished = _last_finished_suspension(approval, excluding=editing, on=on)
    if last_finished is not None:
        floor = last_finished.end_at + ONE_DAY
    reference = timezone.localdate(editing.created_at) if editing is not None else on
    candidates = [reference - SUSPENSION_RETROACTIVITY, approval.start_at]
    if floor is not None:
        candidates.append(floor)
    return max(candidates)


def suspension_max_start(approval, *, on=None):
    """pass_iae.md §13.2: never in the future, never after the PASS end."""
    return min(on or paris_today(), approval.end_at)


def _suspension_covering(approval, day):
    if "suspensions" in getattr(approval, "_prefetched_objects_cache", {}):  # the PASS pages prefetch them
        return next((one for one in approval.suspensions.all() if suspension_is_in_progress(one, on=day)), None)
    return approval.suspensions.filter(start_at__lte=day, end_at__gte=day).first()


def suspension_is_in_progress(suspension, *, on=None):
    """pass_iae.md §13.3: in progress ⇔ start ≤ today ≤ end (inclusive range); only such a suspension is edited."""
    on = on or paris_today()
    return suspension.start_at <= on <= suspension.end_at


def suspension_first_day_back_bounds(suspension):
    """pass_iae.md §13.5: (earliest, latest) first working day back of an early end, `start < D < end`; earliest >
    latest when the suspension is too short to end early."""
    return suspension.start_at + ONE_DAY, suspension.end_at - ONE_DAY


def suspension_can_end_early(suspension, *, on=None):
    """pass_iae.md §13.3, §13.5: the suspension is in progress and leaves a first day back strictly between its start
    and its end."""
    earliest, latest = suspension_first_day_back_bounds(suspension)
    return suspension_is_in_progress(suspension, on=on) and earliest <= latest


def suspension_days_lost(suspension, *, on=None):
    """pass_iae.md §13.5: deleting an ongoing suspension loses the suspended days already elapsed,
    `today − start + 1`."""
    on = on or paris_today()
    return (on - suspension.start_at).days + 1


def _check_dates(approval, *, start_at, end_at, editing, on):
    """Every date rule of §13.2, with a French message naming the allowed range."""
    min_start, max_start = (
        suspension_min_start(approval, editing=editing, on=on),
        suspension_max_start(approval, on=on),
    )
    if min_start > max_start:
        raise ValidationError(
            f"Aucune date de début n'est possible : elle ne peut être ni antérieure au {min_start:%d/%m/%Y}, "
            f"ni postérieure au {max_start:%d/%m/%Y}."
        )
    if not min_start <= start_at <= max_start:
        raise ValidationError(
            f"La date de début doit être comprise entre le {min_start:%d/%m/%Y} et le {max_start:%d/%m/%Y}."
        )
    max_end = suspension_max_end(start_at)
    if not start_at <= end_at <= max_end:
        raise ValidationError(
            f"La date de fin doit être comprise entre le {start_at:%d/%m/%Y} et le {max_end:%d/%m/%Y} "
            "(36 mois au plus)."
        )
    _check_no_overlap(approval, start_at=start_at, end_at=end_at, editing=editing)


def _check_no_overlap(approval, *, start_at, end_at, editing):
    # pass_iae.md §13.2: inclusive ranges, so a suspension may start the day after another one ends.
    others = approval.suspensions.filter(start_at__lte=end_at, end_at__gte=start_at)
    if editing is not None:
        others = others.exclude(pk=editing.pk)
    other = others.order_by("start_at").first()
    if other is not None:
        raise ValidationError(_overlap_message(other))


def _overlap_message(other):
    return (
        f"Cette période chevauche la suspension du {other.start_at:%d/%m/%Y} au {other.end_at:%d/%m/%Y}. "
        "Les suspensions d'un même PASS IAE ne peuvent pas se chevaucher."
    )


def _save_without_overlap(suspension, update_fields=None):
    """The PostgreSQL exclusion constraint catches the overlap a concurrent transaction could create."""
    try:
        with transaction.atomic():
            suspension.save(update_fields=update_fields)
    except IntegrityError as error:
        raise ValidationError(
            "Cette période chevauche une autre suspension de ce PASS IAE. Les suspensions d'un même PASS IAE ne "
            "peuvent pas se chevaucher."
        ) from error


# ---------------------------------------------------------------------------------------------------------------
# Who (§13.3) and reasons (§13.1).


def _company_refusal_reason(approval, siae):
    if siae is None or siae.kind not in SIAE_KINDS:
        return "Seule une SIAE peut suspendre un PASS IAE."
    # `last_hiring_siae` is None when the last SIAE hiring was not made with this PASS.
    last = last_hiring_siae(approval)
    if last is None or last.pk != siae.pk:
        return "Seule la dernière SIAE ayant embauché le candidat peut suspendre son PASS IAE."
    return None


def suspension_refusal_reason(approval, *, siae, on=None):
    """None when `siae` may create a suspension of `approval` now (pass_iae.md §13.3), else why not, in French."""
    on = on or paris_today()
    if reason := _company_refusal_reason(approval, siae):
        return reason
    if not approval.start_at <= on <= approval.end_at:
        return "Le PASS IAE n'est pas en cours : il ne peut pas être suspendu."
    if _suspension_covering(approval, on) is not None:
        return "Le PASS IAE est déjà suspendu."
    min_start = suspension_min_start(approval, on=on)
    if min_start > suspension_max_start(approval, on=on):
        # pass_iae.md §13.2: the floor (the last hiring start, typically a contract starting later) is after today,
        # and a suspension never starts in the future: no start date exists yet, so no form is offered.
        return (
            f"Une suspension ne peut pas commencer avant le {min_start:%d/%m/%Y} (début du dernier contrat ou "
            f"lendemain de la dernière suspension), ni dans le futur : le PASS IAE pourra être suspendu à partir "
            f"de cette date."
        )
    return None


def _not_in_progress_reason(suspension, on):
    if not suspension_is_in_progress(suspension, on=on):
        return "Seule une suspension en cours peut être modifiée, terminée ou supprimée."
    return None


def suspension_edit_refusal_reason(suspension, *, siae, on=None):
    """None when `siae` may edit, end early or delete `suspension` now (pass_iae.md §13.3), else why not."""
    on = on or paris_today()
    return _company_refusal_reason(suspension.approval, siae) or _not_in_progress_reason(suspension, on)


def selectable_suspension_reasons(siae):
    """pass_iae.md §13.1: the current reasons, "contrat passerelle" for ACI and EI only; legacy ones never."""
    return [
        (reason.value, reason.label)
        for reason in CURRENT_SUSPENSION_REASONS
        if reason != SuspensionReason.CONTRAT_PASSERELLE
        or (siae is not None and siae.kind in CONTRAT_PASSERELLE_KINDS)
    ]


def _check_reason(reason, *, siae, reason_explanation, kept_reason=None):
    # An edit may keep the reason the suspension already has (a legacy one stays displayable, not selectable).
    allowed = {code for code, _label in selectable_suspension_reasons(siae)}
    if kept_reason is not None:
        allowed.add(kept_reason)
    if reason not in allowed:
        labels = ", ".join(f"« {label} »" for _code, label in selectable_suspension_reasons(siae))
        raise ValidationError(f"Ce motif de suspension n'est pas disponible. Motifs possibles : {labels}.")
    if reason == SuspensionReason.FORCE_MAJEURE and not reason_explanation.strip():
        # pass_iae.md §13.1: FORCE_MAJEURE required a free-text explanation.
        raise ValidationError("Expliquez la raison de force majeure.")


# ---------------------------------------------------------------------------------------------------------------
# Changes (§13.4, §13.5): always under the PASS row lock (`rules.lock_approval`).


def _delta(start_at, end_at):
    """pass_iae.md §13.4: `end − start`, one day less than the inclusive length: a one-day suspension moves
    nothing."""
    return end_at - start_at


def _event_data(suspension, *, end_before, end_after, **extra):
    return {
        "suspension": str(suspension.public_id),
        "start_at": suspension.start_at.isoformat(),
        "end_at": suspension.end_at.isoformat(),
        "reason": suspension.reason,
        "approval_end_at_before": end_before.isoformat(),
        "approval_end_at_after": end_after.isoformat(),
        **extra,
    }


def suspension_create(*, approval, siae, start_at, end_at, reason, reason_explanation="", by_user, on=None):
    """pass_iae.md §13: creates a suspension and pushes the PASS end back by `end − start` days."""
    on = on or paris_today()
    with transaction.atomic():
        locked = lock_approval(approval.pk)
        if refusal := suspension_refusal_reason(locked, siae=siae, on=on):
            raise ValidationError(refusal)
        _check_reason(reason, siae=siae, reason_explanation=reason_explanation)
        _check_dates(locked, start_at=start_at, end_at=end_at, editing=None, on=on)
        suspension = Suspension(
            approval=locked,
            start_at=start_at,
            end_at=end_at,
            siae=siae,
            reason=reason,
            reason_explanation=reason_explanation,
            created_by=by_user,
            updated_by=by_user,
        )
        _save_without_overlap(suspension)
        end_before = locked.end_at
        move_approval_end(locked, _delta(start_at, end_at), caller_approval=approval)
        log_event(
            locked,
            ApprovalEventKind.SUSPENSION_CREATED,
            user=by_user,
            **_event_data(suspension, end_before=end_before, end_after=locked.end_at),
        )
    return suspension


def _cached_approval(suspension):
    """The caller's copy of the PASS, when it was loaded, so that it shows the new end without a refresh."""
    return suspension.approval if Suspension.approval.is_cached(suspension) else None


def _lock_in_progress(suspension, on):
    """Locks the PASS, then re-reads the suspension under the lock and checks it is still in progress."""
    locked = lock_approval(suspension.approval_id)
    current = Suspension.objects.get(pk=suspension.pk)
    if refusal := _not_in_progress_reason(current, on):
        raise ValidationError(refusal)
    return locked, current


def suspension_update(suspension, *, start_at, end_at, reason, reason_explanation="", by_user, on=None):
    """pass_iae.md §13.4: removes the old delta from the PASS end and adds the new one."""
    on = on or paris_today()
    with transaction.atomic():
        locked, current = _lock_in_progress(suspension, on)
        _check_reason(reason, siae=current.siae, reason_explanation=reason_explanation, kept_reason=current.reason)
        _check_dates(locked, start_at=start_at, end_at=end_at, editing=current, on=on)
        old_delta = _delta(current.start_at, current.end_at)
        suspension.start_at, suspension.end_at = start_at, end_at
        suspension.reason, suspension.reason_explanation = reason, reason_explanation
        suspension.updated_by = by_user
        _save_without_overlap(
            suspension,
            update_fields=["start_at", "end_at", "reason", "reason_explanation", "updated_by", "updated_at"],
        )
        end_before = locked.end_at
        move_approval_end(locked, _delta(start_at, end_at) - old_delta, caller_approval=_cached_approval(suspension))
        log_event(
            locked,
            ApprovalEventKind.SUSPENSION_UPDATED,
            user=by_user,
            **_event_data(
                suspension,
                end_before=end_before,
                end_after=locked.end_at,
                previous_start_at=current.start_at.isoformat(),
                previous_end_at=current.end_at.isoformat(),
            ),
        )
    return suspension


def suspension_end_early(suspension, *, first_day_back, by_user, on=None):
    """pass_iae.md §13.5 "réintégration": first working day back `D`, `start < D < end`; the new end is `D − 1`."""
    on = on or paris_today()
    with transaction.atomic():
        locked, current = _lock_in_progress(suspension, on)
        earliest, latest = suspension_first_day_back_bounds(current)
        if earliest > latest:
            raise ValidationError("Cette suspension est trop courte pour être terminée de façon anticipée.")
        if not earliest <= first_day_back <= latest:
            raise ValidationError(
                f"La date de réintégration doit être comprise entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y}."
            )
        previous_end = current.end_at
        suspension.end_at = first_day_back - ONE_DAY
        suspension.updated_by = by_user
        suspension.save(update_fields=["end_at", "updated_by", "updated_at"])
        end_before = locked.end_at
        move_approval_end(locked, suspension.end_at - previous_end, caller_approval=_cached_approval(suspension))
        log_event(
            locked,
            ApprovalEventKind.SUSPENSION_UPDATED,
            user=by_user,
            **_event_data(
                suspension,
                end_before=end_before,
                end_after=locked.end_at,
                previous_end_at=previous_end.isoformat(),
                first_day_back=first_day_back.isoformat(),
            ),
        )
    return suspension


def suspension_delete(suspension, *, by_user, on=None):
    """pass_iae.md §13.4, §13.5: removes the delta from the PASS end; returns the suspended days lost
    (`suspension_days_lost`)."""
    on = on or paris_today()
    with transaction.atomic():
        locked, current = _lock_in_progress(suspension, on)
        days_lost = suspension_days_lost(current, on=on)
        end_before = locked.end_at
        move_approval_end(
            locked, -_delta(current.start_at, current.end_at), caller_approval=_cached_approval(suspension)
        )
        log_event(
            locked,
            ApprovalEventKind.SUSPENSION_DELETED,
            user=by_user,
            **_event_data(current, end_before=end_before, end_after=locked.end_at, days_lost=days_lost),
        )
        current.delete()
    return days_lost


# ---------------------------------------------------------------------------------------------------------------
# Hiring (§13.6).


def lift_suspension_at_hiring(approval, *, hiring_start_at, by_user=None, on=None):
    """pass_iae.md §13.6: a hiring attaching the PASS ends its in-progress suspension (current reasons only) the day
    before the hiring start, or deletes it when it starts on the hiring day. The PASS end follows (§13.4).

    Returns the lifted suspension (deleted or shortened), or None when nothing changed.
    """
    on = on or paris_today()
    with transaction.atomic():
        locked = lock_approval(approval.pk)
        suspension = _suspension_covering(locked, on)
        if suspension is None or suspension.reason not in CURRENT_SUSPENSION_REASONS:
            return None
        if hiring_start_at > suspension.end_at:
            # The suspension ends on its own before the hiring starts: nothing to lift.
            return None
        end_before = locked.end_at
        previous_end = suspension.end_at
        if hiring_start_at <= suspension.start_at:
            move_approval_end(locked, -_delta(suspension.start_at, previous_end), caller_approval=approval)
            data = _event_data(suspension, end_before=end_before, end_after=locked.end_at, deleted=True)
            suspension.delete()
        else:
            suspension.end_at = hiring_start_at - ONE_DAY
            suspension.updated_by = by_user
            suspension.save(update_fields=["end_at", "updated_by", "updated_at"])
            move_approval_end(locked, suspension.end_at - previous_end, caller_approval=approval)
            data = _event_data(
                suspension,
                end_before=end_before,
                end_after=locked.end_at,
                deleted=False,
                previous_end_at=previous_end.isoformat(),
            )
        log_event(locked, ApprovalEventKind.SUSPENSION_LIFTED, user=by_user, **data)
    return suspension


def has_unliftable_suspension(approval, *, on=None):
    """pass_iae.md §13.6: a legacy-reason suspension in progress blocks applications and direct hirings."""
    on = on or paris_today()
    return (
        approval.suspensions.filter(start_at__lte=on, end_at__gte=on)
        .exclude(reason__in=CURRENT_SUSPENSION_REASONS)
        .exists()
    )
