"""The PASS IAE rules (pass_iae.md §1–§12, §16, §19): numbering, dates, states, remainder, waiting period, issuance
at hiring, manual delivery, deletion and termination.

Plain functions with keyword arguments: the views, the admin, the API and the commands call them and never
re-implement them. Dates default to `inclusion.utils.dates.today()` (README.md §2.1); every refusal raises
`ApprovalError` with a French message.

Suspensions and prolongations have their own modules (`suspensions.py`, `prolongations.py`); this module imports them
lazily because they import it.
"""

import datetime
import json

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Case, F, Max, Value, When
from django.urls import reverse
from django.utils import timezone

from inclusion.applications.enums import ApprovalDeliveryMode, JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.approvals.enums import (
    CURRENT_SUSPENSION_REASONS,
    ApprovalEventKind,
    ApprovalState,
    FranceTravailNotificationStatus,
    Origin,
    ProlongationRequestStatus,
)
from inclusion.approvals.models import Approval, ApprovalEvent, CancelledApproval, valid_on
from inclusion.audit.recorder import update_tracked
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.companies.models import Company
from inclusion.eligibility.rules import has_valid_prescriber_diagnosis, last_considered_valid_diagnosis
from inclusion.users.enums import LackOfFranceTravailIdReason
from inclusion.users.models import User
from inclusion.utils.dates import today as today_in_paris
from inclusion.utils.emails import absolute_url, send_templated_email

# pass_iae.md §4: 730 days, fixed (not calendar years): end_at = start_at + 729 days (inclusive range).
APPROVAL_DURATION = datetime.timedelta(days=730)
# pass_iae.md §8: the waiting period (délai de carence) lasts 2 years after the PASS end.
WAITING_PERIOD = relativedelta(years=2)
# pass_iae.md §5: at acceptance, the hiring starts at most 6 months ahead.
HIRING_START_MAX_AHEAD = relativedelta(months=6)
# pass_iae.md §5: a later edit of the hiring start moves it at most 30 days ahead.
HIRING_EDIT_MAX_AHEAD = datetime.timedelta(days=30)

# pass_iae.md §2: 12 characters = issuer prefix (5) + 7-digit zero-padded sequence.
NUMBER_LENGTH = 12
SEQUENCE_LENGTH = 7
MAX_SEQUENCE = 9_999_999
# Any constant identifying "the PASS number allocation" among the advisory locks of the database (pass_iae.md §2).
NUMBER_LOCK_KEY = 730_2021

# pass_iae.md §12: the approximate remainder is shown from one week on.
REMAINDER_APPROXIMATION_MIN_DAYS = 7
DAYS_PER_WEEK = 7


class ApprovalError(ValidationError):
    """A PASS IAE rule refused the operation; the message is French and shown to the user."""


def _today(on):
    return on or today_in_paris()


# --- Events


def log_event(approval, kind, *, user=None, **data):
    """Writes one line of the PASS history (ARCHITECTURE.md: every change of an approval is logged).

    The number is copied so that the line still says which PASS it was about once the PASS is deleted.
    """
    return ApprovalEvent.objects.create(
        approval=approval,
        approval_number=approval.number,
        kind=kind,
        user=user,
        # Dates become ISO strings: the JSON column stores plain values.
        data=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
    )


def reset_ft_notification(approval):
    """pass_iae.md §19: any change of `start_at` or `end_at` makes the PASS pending again for France Travail.

    Saves the status at once (one column), so that the caller may save its date change before or after.
    """
    approval.ft_notification_status = FranceTravailNotificationStatus.PENDING
    if approval.pk:
        approval.save(update_fields=["ft_notification_status", "updated_at"])


# --- Changes of the PASS end (suspensions §13.4, prolongations §14.2, termination §10)


def lock_approval(approval_id):
    """The PASS row, locked until the transaction ends: every change of its end runs under this lock and re-checks
    its rules on the locked copy, so that two changes never both read the same end."""
    return Approval.objects.select_for_update().get(pk=approval_id)


# What the caller's copy of the PASS takes from the locked one after a change of the end.
_MIRRORED_FIELDS = ("end_at", "ft_notification_status", "ft_notification_at", "updated_at")


def move_approval_end(locked, days, *, caller_approval=None):
    """Shifts the end of the locked PASS by `days` (a timedelta, negative to bring it closer), resets the France
    Travail notification (§19) and mirrors the change on the caller's copy so that it shows the new end at once."""
    locked.end_at += days
    locked.save(update_fields=["end_at", "updated_at"])
    reset_ft_notification(locked)
    if caller_approval is not None and caller_approval is not locked:
        for field in _MIRRORED_FIELDS:
            setattr(caller_approval, field, getattr(locked, field))


# --- Dates, states and remainder


def default_end_at(start_at):
    """pass_iae.md §4: a fresh PASS lasts 730 inclusive days."""
    return start_at + APPROVAL_DURATION - datetime.timedelta(days=1)


def approval_is_valid(approval, *, on=None):
    """pass_iae.md §4: valid ⇔ end_at ≥ today (a PASS starting in the future is valid)."""
    return approval.end_at >= _today(on)


def approval_is_in_progress(approval, *, on=None):
    """pass_iae.md §4: in progress ⇔ start_at ≤ today ≤ end_at."""
    return approval.start_at <= _today(on) <= approval.end_at


def _suspension_covers(suspension, day):
    return suspension.start_at <= day <= suspension.end_at


def approval_state(approval, *, on=None):
    """pass_iae.md §11, first match wins: expired, suspended, valid, future.

    Reads `approval.suspensions.all()` so that a list can prefetch them.
    """
    day = _today(on)
    if approval.end_at < day:
        return ApprovalState.EXPIRED
    if any(_suspension_covers(suspension, day) for suspension in approval.suspensions.all()):
        return ApprovalState.SUSPENDED
    if approval.start_at <= day:
        return ApprovalState.VALID
    return ApprovalState.FUTURE


def remaining_days(start, end, *, on=None):
    """pass_iae.md §12: days of the inclusive range [start, end] not yet elapsed, today included."""
    day = _today(on)
    return max((end - day).days + 1, 0) - max((start - day).days, 0)


def approval_remainder(approval, *, on=None):
    """pass_iae.md §12: remaining days of the PASS minus the suspended days still to come (today included).

    Past suspensions remove nothing: their effect is already in `end_at` (§13.4).
    """
    suspended = sum(remaining_days(s.start_at, s.end_at, on=on) for s in approval.suspensions.all())
    return max(remaining_days(approval.start_at, approval.end_at, on=on) - suspended, 0)


def approval_estimated_end(approval, *, on=None):
    """pass_iae.md §12: min(max(start_at, today) + remainder − 1 day, end_at)."""
    day = _today(on)
    estimated = max(approval.start_at, day) + datetime.timedelta(days=approval_remainder(approval, on=on) - 1)
    return min(estimated, approval.end_at)


def _plural(count, singular, plural):
    return f"{count} {singular if count <= 1 else plural}"


def remainder_display(days, *, on=None):
    """pass_iae.md §12: "N jours", with "environ x mois et y semaines" from one week on (calendar days), in brackets.

    Months are counted on the calendar from `on` (today by default), as a person would count them: pass the same
    `on` as to `approval_remainder`.
    """
    display = _plural(days, "jour", "jours")
    if days < REMAINDER_APPROXIMATION_MIN_DAYS:
        return display
    start = _today(on)
    delta = relativedelta(start + datetime.timedelta(days=days), start)
    months = delta.years * 12 + delta.months
    weeks = delta.days // DAYS_PER_WEEK
    parts = []
    if months:
        parts.append(f"{months} mois")
    if weeks:
        parts.append(_plural(weeks, "semaine", "semaines"))
    return f"{display} (environ {' et '.join(parts)})"


# --- Which PASS a person holds


def valid_approval(job_seeker, *, on=None):
    """pass_iae.md §7: the valid (current or future) PASS of the person; there is at most one."""
    return Approval.objects.filter(user=job_seeker).valid(_today(on)).order_by("start_at", "pk").first()


def is_in_waiting_period(approval, *, on=None):
    """pass_iae.md §8: end_at < today ≤ end_at + 2 years."""
    return approval.end_at < _today(on) <= approval.end_at + WAITING_PERIOD


def _waiting_period_elapsed(approval, day):
    return day > approval.end_at + WAITING_PERIOD


def latest_approval(job_seeker, *, on=None):
    """pass_iae.md §8: the first valid PASS if any, else the one with the latest end (tie: earliest start).

    None when that PASS's waiting period has elapsed: the person is then treated as having no PASS at all.
    """
    day = _today(on)
    # One query: the valid PASS first, in `valid_approval`'s order (start, pk); then the others, latest end first.
    is_valid = valid_on(day)
    approval = (
        Approval.objects.filter(user=job_seeker)
        .order_by(
            Case(When(is_valid, then=Value(0)), default=Value(1)),
            Case(When(is_valid, then=F("start_at"))),
            Case(When(is_valid, then=F("pk"))),
            "-end_at",
            "start_at",
            "pk",
        )
        .first()
    )
    if approval is None or _waiting_period_elapsed(approval, day):
        return None
    return approval


def waiting_period_blocks(*, job_seeker, company, sender_prescriber_organization=None, on=None):
    """pass_iae.md §8: a new PASS is blocked ⇔ the latest PASS is in its waiting period, the company is an SIAE, and
    neither the sender organization is an authorized prescriber nor the person holds a valid prescriber diagnosis.

    Employer diagnoses never lift the block; GEIQ, EA, EATT and OPCS are never blocked.
    """
    if company.kind not in SIAE_KINDS:
        return False
    approval = latest_approval(job_seeker, on=on)
    if approval is None or not is_in_waiting_period(approval, on=on):
        return False
    if is_authorized_prescriber_sender(sender_prescriber_organization):
        return False
    return not has_valid_prescriber_diagnosis(job_seeker, on=on)


def is_authorized_prescriber_sender(sender_prescriber_organization):
    """pass_iae.md §8: an application sent by an authorized prescriber organization lifts the waiting period."""
    return sender_prescriber_organization is not None and sender_prescriber_organization.is_authorized


def waiting_period_message(approval):
    return (
        f"Le PASS IAE de ce candidat a pris fin le {approval.end_at:%d/%m/%Y} : un délai de carence de deux ans "
        f"s'applique jusqu'au {approval.end_at + WAITING_PERIOD:%d/%m/%Y}. Pendant ce délai, un nouveau PASS IAE ne "
        "peut être délivré que si la candidature est envoyée par un prescripteur habilité ou si un prescripteur "
        "habilité a réalisé un diagnostic d'éligibilité valide."
    )


# --- Hiring dates


def hiring_start_bounds(*, job_seeker, company, on=None):
    """pass_iae.md §5, at acceptance or direct hire: (earliest, latest) allowed hiring start, both inclusive.

    `today ≤ start ≤ today + 6 months`; GEIQ hirings have no earliest date (None). For an SIAE hiring of a person who
    holds a valid PASS, the start may not be after the PASS end (the PASS is reused, §7).
    """
    day = _today(on)
    earliest = None if company.kind == CompanyKind.GEIQ else day
    latest = day + HIRING_START_MAX_AHEAD
    if company.kind in SIAE_KINDS:
        approval = valid_approval(job_seeker, on=day)
        if approval is not None:
            latest = min(latest, approval.end_at, _latest_start_after_lift(approval, day))
    return earliest, latest


def hiring_start_edit_bounds(*, job_application, on=None):
    """pass_iae.md §5 "later edit" (applications.md §8.3): (earliest, latest) new hiring start of an accepted
    application whose hiring has not started: `today ≤ start ≤ today + 30 days`, and strictly before the end of a PASS
    that has already started (a PASS not started yet moves with the hiring, §4)."""
    day = _today(on)
    latest = day + HIRING_EDIT_MAX_AHEAD
    approval = job_application.approval
    if approval is not None and approval.start_at <= day:
        latest = min(latest, approval.end_at - datetime.timedelta(days=1))
    return day, latest


def hiring_dates_edit(*, job_application, hiring_start_at, hiring_end_at=None, by_user=None, on=None):
    """pass_iae.md §5 "later edit": saves the new contract dates of an accepted application whose hiring has not
    started, then the PASS start follows the hiring start when the PASS has not started (§4). Refusals name the
    allowed range."""
    day = _today(on)
    if job_application.state != JobApplicationState.ACCEPTED:
        # applications.md §8.3 (Reference differs): only an accepted application has contract dates to edit.
        raise ApprovalError("Seules les dates d'une embauche acceptée se modifient.")
    if job_application.hiring_start_at is not None and job_application.hiring_start_at <= day:
        raise ApprovalError("Le contrat a déjà commencé : sa date de début ne se modifie plus.")
    earliest, latest = hiring_start_edit_bounds(job_application=job_application, on=day)
    if not earliest <= hiring_start_at <= latest:
        raise ApprovalError(
            f"La date de début du contrat doit être comprise entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y}."
        )
    if hiring_end_at is not None and hiring_end_at < hiring_start_at:
        raise ApprovalError("La date de fin du contrat ne peut pas précéder sa date de début.")
    with transaction.atomic():
        job_application.hiring_start_at, job_application.hiring_end_at = hiring_start_at, hiring_end_at
        job_application.save(update_fields=["hiring_start_at", "hiring_end_at", "updated_at"])
        approval = job_application.approval
        if approval is not None:
            locked = lock_approval(approval.pk)
            if approval_realign_start(locked, hiring_start_at=hiring_start_at, by_user=by_user, on=day):
                approval.start_at, approval.end_at = locked.start_at, locked.end_at


def _latest_start_after_lift(approval, day):
    """The hiring lifts an in-progress suspension (§13.6), which brings the PASS end back by the suspended days after
    the day before the hiring. A suspension ending on the PASS's last day (it started on the original last day) leaves
    no later start: the lifted PASS would end before the hiring. Only a start on the suspension's first day (then
    deleted) still fits."""
    suspension = approval.suspensions.filter(
        start_at__lte=day, end_at__gte=approval.end_at, reason__in=CURRENT_SUSPENSION_REASONS
    ).first()
    return suspension.start_at if suspension is not None else approval.end_at


# --- Numbering


def _prefixed_numbers_pattern():
    return rf"^{settings.PASS_IAE_NUMBER_PREFIX}[0-9]{{{SEQUENCE_LENGTH}}}$"


def _highest_sequence():
    """pass_iae.md §2: the highest sequence over live AND cancelled PASS with the prefix (legacy numbers included:
    their last 7 characters read as an integer). Fixed-width digits: the greatest string is the greatest number."""
    pattern = _prefixed_numbers_pattern()
    prefix = settings.PASS_IAE_NUMBER_PREFIX
    highest = 0
    for model in (Approval, CancelledApproval):
        # The range lets PostgreSQL read the maximum from the end of the unique index instead of scanning every
        # number; the pattern then discards anything in the range that is not prefix + digits.
        numbers = model.objects.filter(
            number__gte=prefix + "0" * SEQUENCE_LENGTH, number__lte=prefix + "9" * SEQUENCE_LENGTH
        )
        number = numbers.filter(number__regex=pattern).aggregate(highest=Max("number"))["highest"]
        if number:
            highest = max(highest, int(number[-SEQUENCE_LENGTH:]))
    return highest


def _lock_number_allocation():
    """Serialises the allocation until the transaction commits (pass_iae.md §2, ARCHITECTURE.md: no in-process lock).

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback, so that a second hiring reads the
    maximum only once the first PASS is saved. SQLite: nothing to do, the database serialises writers itself (the
    project opens every transaction with BEGIN IMMEDIATE, see config/settings/base.py), so no two transactions can be
    allocating at the same time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBER_LOCK_KEY])


def next_approval_number():
    """pass_iae.md §2: prefix + 7-digit sequence = 1 + the highest one ever issued; cancelled numbers are never reused.

    Must run inside the transaction that saves the PASS: the lock lasts until that transaction ends.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("next_approval_number() doit être appelé dans la transaction qui enregistre le PASS IAE.")
    _lock_number_allocation()
    sequence = _highest_sequence() + 1
    if sequence > MAX_SEQUENCE:
        raise ApprovalError(
            "Plus aucun numéro de PASS IAE n'est disponible avec le préfixe "
            f"{settings.PASS_IAE_NUMBER_PREFIX} (limite de {MAX_SEQUENCE} atteinte) : contactez l'équipe technique."
        )
    return f"{settings.PASS_IAE_NUMBER_PREFIX}{sequence:0{SEQUENCE_LENGTH}d}"


def is_prefixed_number(number):
    return number.startswith(settings.PASS_IAE_NUMBER_PREFIX)


def manual_number_error(number, *, current_number=None):
    """pass_iae.md §2, back-office entry of a number: the French error, or None when the number may be used.

    A new PASS may not be given a prefixed number by hand (left blank, it is generated). A number the platform
    issued (prefixed) never changes: dropping it without a cancelled snapshot would let `next_approval_number` issue
    it again, and France Travail may already know it (§2 "never reused", §19). A legacy number may be corrected to
    another non-prefixed one (a Pôle emploi agrément). 12 alphanumeric characters, unique across live and cancelled
    PASS.
    """
    if current_number is not None and number == current_number:
        return None
    if current_number is not None and is_prefixed_number(current_number):
        return "Un numéro délivré par la plateforme ne se modifie pas."
    if is_prefixed_number(number):
        if current_number is None:
            return (
                f"Les numéros commençant par {settings.PASS_IAE_NUMBER_PREFIX} sont attribués automatiquement : "
                "laissez le champ vide pour en générer un."
            )
        return (
            f"Un numéro ne peut être remplacé que par un numéro d'agrément ne commençant pas par "
            f"{settings.PASS_IAE_NUMBER_PREFIX}."
        )
    if len(number) != NUMBER_LENGTH or not number.isascii() or not number.isalnum():
        return f"Le numéro doit compter exactement {NUMBER_LENGTH} caractères alphanumériques."
    taken = Approval.objects.filter(number=number).exists() or CancelledApproval.objects.filter(number=number).exists()
    if taken:
        return "Ce numéro est déjà attribué à un PASS IAE, en cours ou annulé."
    return None


def origin_for_number(number, origin):
    """pass_iae.md §2: a number without the prefix identifies a legacy Pôle emploi agrément: origin `pe_approval`."""
    if number and not is_prefixed_number(number):
        return Origin.PE_APPROVAL
    return origin


# --- Issuance at hiring


def can_get_automatic_approval(job_seeker):
    """pass_iae.md §6 step 5: a NIR, a France Travail identifier, or "not registered at France Travail"; else the
    PASS IAE is delivered manually by the support (step 6)."""
    profile = getattr(job_seeker, "jobseeker_profile", None)
    if profile is None:
        return False
    return bool(
        profile.nir
        or profile.pole_emploi_id
        or profile.lack_of_pole_emploi_id_reason == LackOfFranceTravailIdReason.NOT_REGISTERED
    )


def _origin_facts(job_application):
    """pass_iae.md §3: facts copied from the application that creates the PASS."""
    organization = job_application.sender_prescriber_organization
    return {
        "origin_siae_siret": job_application.to_company.siret,
        "origin_siae_kind": job_application.to_company.kind,
        "origin_sender_kind": job_application.sender_kind,
        "origin_prescriber_organization_kind": organization.kind if organization else "",
    }


def _create_approval(*, job_application, diagnosis, origin, by_user):
    start_at = job_application.hiring_start_at
    approval = Approval(
        number=next_approval_number(),
        user=job_application.job_seeker,
        start_at=start_at,
        end_at=default_end_at(start_at),
        origin=origin,
        eligibility_diagnosis=diagnosis,
        created_by=by_user,
        **_origin_facts(job_application),
    )
    approval.save()
    log_event(approval, ApprovalEventKind.CREATED, user=by_user, start_at=approval.start_at, end_at=approval.end_at)
    return approval


def approval_realign_start(approval, *, hiring_start_at, by_user=None, on=None):
    """pass_iae.md §4: a PASS that has not started yet starts with the hiring; its end is recomputed (not shifted).

    Returns True when the PASS moved. A PASS already started never moves.
    """
    if approval.start_at <= _today(on) or approval.start_at == hiring_start_at:
        return False
    before = {"start_at": approval.start_at, "end_at": approval.end_at}
    approval.start_at = hiring_start_at
    approval.end_at = default_end_at(hiring_start_at)
    approval.save(update_fields=["start_at", "end_at", "updated_at"])
    reset_ft_notification(approval)
    log_event(
        approval,
        ApprovalEventKind.START_REALIGNED,
        user=by_user,
        before=before,
        after={"start_at": approval.start_at, "end_at": approval.end_at},
    )
    return True


def _check_hiring_starts_by_the_end(approval, hiring_start_at, *, after_lift=False):
    """pass_iae.md §6 step 4, §7: a hiring with the PASS starts at the latest on its last day."""
    if hiring_start_at <= approval.end_at:
        return
    lifted = " une fois sa suspension levée par cette embauche" if after_lift else ""
    raise ApprovalError(
        f"Le PASS IAE de ce candidat prend fin le {approval.end_at:%d/%m/%Y}{lifted} : l'embauche doit commencer au "
        "plus tard ce jour-là."
    )


def _reuse_approval(approval, *, job_application, by_user, on):
    """pass_iae.md §6 step 4 and §7."""
    hiring_start_at = job_application.hiring_start_at
    _check_hiring_starts_by_the_end(approval, hiring_start_at)
    if approval.start_at > hiring_start_at:
        approval_realign_start(approval, hiring_start_at=hiring_start_at, by_user=by_user, on=on)
    log_event(
        approval,
        ApprovalEventKind.REUSED,
        user=by_user,
        job_application=str(job_application.pk),
        company_siret=job_application.to_company.siret,
    )
    return approval


def _birthdate(job_seeker):
    profile = getattr(job_seeker, "jobseeker_profile", None)
    return profile.birthdate if profile else None


def _notify_approval_delivered(job_application):
    """pass_iae.md §16: "PASS IAE accepté" to the accepting employer (SIAE only); returns who will receive it.

    The e-mail is one of the applications journey's notifications: its class says who receives it.
    """
    from inclusion.notifications.applications import ApprovalDeliveredForEmployer

    return ApprovalDeliveredForEmployer(job_application).send()


def _attach_approval(*, job_application, approval, diagnosis, by_user, on):
    """pass_iae.md §6 step 7 (the obsolete pending applications are the caller's transition)."""
    from inclusion.approvals.suspensions import lift_suspension_at_hiring

    # Mirrors the PASS end on `approval` when a suspension is lifted (pass_iae.md §13.6).
    lifted = lift_suspension_at_hiring(
        approval, hiring_start_at=job_application.hiring_start_at, by_user=by_user, on=on
    )
    if lifted is not None:
        # The lift brings the PASS end closer: the hiring checked against the suspended end may now start after it
        # (a suspension starting on the PASS's last day). The caller's transaction rolls the lift back (§7).
        _check_hiring_starts_by_the_end(approval, job_application.hiring_start_at, after_lift=True)
    job_application.approval = approval
    job_application.eligibility_diagnosis = diagnosis
    job_application.approval_delivery_mode = ApprovalDeliveryMode.AUTOMATIC
    # "Sent by e-mail" records that the accepting employer was actually told the number.
    if _notify_approval_delivered(job_application):
        job_application.approval_number_sent_by_email = True
        job_application.approval_number_sent_at = timezone.now()
    _save_application(job_application)
    _schedule_certification(diagnosis)


def _schedule_certification(diagnosis):
    """eligibility.md §6.2: certification runs again at every acceptance that uses the diagnosis."""
    if diagnosis is not None:
        from inclusion.eligibility.certification import schedule_certification

        schedule_certification(diagnosis)


_APPLICATION_FIELDS = [
    # The in-memory state is saved too: the accepted-only fields need the application accepted (model constraint),
    # and the caller may call this function before saving its transition.
    "state",
    "approval",
    "eligibility_diagnosis",
    "approval_delivery_mode",
    "approval_number_sent_by_email",
    "approval_number_sent_at",
    "updated_at",
]


def _save_application(job_application):
    job_application.save(update_fields=_APPLICATION_FIELDS)


def _request_manual_delivery(job_application):
    """pass_iae.md §6 step 6: the support delivers (or refuses) the PASS from the back-office (§9)."""
    job_application.approval_delivery_mode = ApprovalDeliveryMode.MANUAL
    _save_application(job_application)
    path = reverse("admin:applications_jobapplication_change", args=[job_application.pk])
    send_templated_email(
        [settings.SUPPORT_EMAIL],
        "approvals/emails/manual_delivery_required",
        {
            "job_application": job_application,
            "job_seeker": job_application.job_seeker,
            "company": job_application.to_company,
            "admin_url": absolute_url(path),
        },
    )


def _check_no_unliftable_suspension(approval, on):
    from inclusion.approvals.suspensions import has_unliftable_suspension

    if approval is not None and has_unliftable_suspension(approval, on=on):
        raise ApprovalError(
            "PASS IAE suspendu : le PASS IAE de ce candidat est suspendu pour un motif qui ne peut pas être levé par "
            "une embauche. Contactez le support."
        )


def approval_issue_or_reuse(*, job_application, by_user=None, on=None):
    """pass_iae.md §6 steps 2–7, in one transaction: the PASS attached to an SIAE hiring, or None (manual delivery).

    The application's own transition (state accepted, accepted_at, other pending applications made obsolete) belongs
    to the caller; this function does not check the state. It saves the in-memory state together with the PASS
    fields, so the caller sets the state to accepted first (saved or not): the accepted-only fields need it.

    The job seeker's row is locked first: concurrent hirings of the same person run one after the other, so the
    second one sees (and reuses) the PASS the first one created instead of creating another one.
    """
    company = job_application.to_company
    if company.kind not in SIAE_KINDS:
        raise ApprovalError(
            f"Une embauche par une structure de type « {company.get_kind_display()} » ne donne pas lieu à un PASS IAE."
        )
    if job_application.hiring_start_at is None:  # step 1
        raise ApprovalError("La date de début du contrat est obligatoire pour délivrer un PASS IAE.")
    day = _today(on)
    with transaction.atomic():
        job_seeker = User.objects.select_for_update().get(pk=job_application.job_seeker_id)
        approval = valid_approval(job_seeker, on=day)
        _check_no_unliftable_suspension(approval, day)
        # Step 2: the diagnosis (with a valid PASS, expired diagnoses still count: eligibility.md §2.5).
        diagnosis = last_considered_valid_diagnosis(job_seeker, for_siae=company, on=day)
        # Step 3.
        if waiting_period_blocks(
            job_seeker=job_seeker,
            company=company,
            sender_prescriber_organization=job_application.sender_prescriber_organization,
            on=day,
        ):
            raise ApprovalError(waiting_period_message(latest_approval(job_seeker, on=day)))
        if approval is not None:  # step 4
            approval = _reuse_approval(approval, job_application=job_application, by_user=by_user, on=day)
        elif can_get_automatic_approval(job_seeker):  # step 5
            if diagnosis is None:
                raise ApprovalError(
                    "Un diagnostic d'éligibilité valide est nécessaire pour délivrer un PASS IAE à ce candidat."
                )
            approval = _create_approval(
                job_application=job_application, diagnosis=diagnosis, origin=Origin.DEFAULT, by_user=by_user
            )
        else:  # step 6
            job_application.eligibility_diagnosis = diagnosis
            _request_manual_delivery(job_application)
            _schedule_certification(diagnosis)
            return None
        _attach_approval(
            job_application=job_application, approval=approval, diagnosis=diagnosis, by_user=by_user, on=day
        )
    return approval


# --- Manual delivery and refusal by the support (§9)


def _accepting_employers(job_application):
    """Who hears about the manual decision: the employer who accepted; for an application accepted before the
    platform recorded it (imports), the administrators of the hiring company, all its members when it has none."""
    accepted_by = job_application.accepted_by
    if accepted_by is not None and accepted_by.is_active:
        return [accepted_by.email]
    memberships = job_application.to_company.memberships.active().select_related("user")
    admins = [m.user.email for m in memberships if m.is_admin]
    return admins or [m.user.email for m in memberships]


def manual_request_refusal_reason(job_application):
    """pass_iae.md §9: the French reason why the support cannot process this request, or None."""
    if job_application.state != JobApplicationState.ACCEPTED:
        return "La candidature n'est pas acceptée."
    if job_application.approval_id is not None:
        return "Un PASS IAE est déjà rattaché à cette candidature."
    if job_application.approval_manually_refused_at is not None:
        return "La délivrance du PASS IAE a déjà été refusée pour cette candidature."
    if job_application.approval_manually_delivered_at is not None:
        return "Le PASS IAE a déjà été délivré pour cette candidature."
    if job_application.to_company.kind not in SIAE_KINDS:
        return "Seule une embauche en SIAE donne lieu à un PASS IAE."
    return None


def approval_deliver_manually(*, job_application, by_user):
    """pass_iae.md §9 "Deliver": a PASS of origin `admin`, starting with the hiring, with a generated number."""
    reason = manual_request_refusal_reason(job_application)
    if reason is None and job_application.eligibility_diagnosis_id is None:
        reason = "La candidature n'a pas de diagnostic d'éligibilité : impossible de délivrer un PASS IAE."
    if reason is None and job_application.hiring_start_at is None:
        reason = "La candidature n'a pas de date de début de contrat."
    if reason:
        raise ApprovalError(reason)
    with transaction.atomic():
        job_seeker = User.objects.select_for_update().get(pk=job_application.job_seeker_id)
        if valid_approval(job_seeker) is not None:
            raise ApprovalError("Ce candidat a déjà un PASS IAE valide : il ne peut pas en recevoir un second.")
        approval = _create_approval(
            job_application=job_application,
            diagnosis=job_application.eligibility_diagnosis,
            origin=Origin.ADMIN,
            by_user=by_user,
        )
        now = timezone.now()
        job_application.approval = approval
        job_application.approval_manually_delivered_by = by_user
        job_application.approval_manually_delivered_at = now
        job_application.approval_number_sent_by_email = True
        job_application.approval_number_sent_at = now
        job_application.save(
            update_fields=[
                "approval",
                "approval_manually_delivered_by",
                "approval_manually_delivered_at",
                "approval_number_sent_by_email",
                "approval_number_sent_at",
                "updated_at",
            ]
        )
        _notify_approval_delivered(job_application)
    return approval


def approval_refuse_manually(*, job_application, by_user):
    """pass_iae.md §9 "Refuse": recorded, and the employer is told how to obtain a derogation."""
    reason = manual_request_refusal_reason(job_application)
    if reason:
        raise ApprovalError(reason)
    job_application.approval_manually_refused_by = by_user
    job_application.approval_manually_refused_at = timezone.now()
    job_application.save(update_fields=["approval_manually_refused_by", "approval_manually_refused_at", "updated_at"])
    send_templated_email(
        _accepting_employers(job_application),
        "approvals/emails/manual_delivery_refused",
        {
            "job_application": job_application,
            "job_seeker": job_application.job_seeker,
            "company": job_application.to_company,
        },
    )


# --- Deletion and termination (§10)


def approval_delete(approval, *, by_user=None):
    """pass_iae.md §10: snapshot, detach from the applications (they keep their state), delete.

    The suspensions, prolongations and requests go with the PASS; its history stays, with the number.
    """
    with transaction.atomic():
        user = approval.user
        profile = getattr(user, "jobseeker_profile", None)
        cancelled = CancelledApproval.objects.create(
            number=approval.number,
            start_at=approval.start_at,
            end_at=approval.end_at,
            user_last_name=user.last_name,
            user_first_name=user.first_name,
            user_nir=profile.nir if profile else "",
            user_birthdate=profile.birthdate if profile else None,
            # No obfuscated France Travail id is known yet (it comes with the France Travail identity call).
            user_id_national_pe="",
            origin_siae_siret=approval.origin_siae_siret,
            origin_siae_kind=approval.origin_siae_kind,
            origin_sender_kind=approval.origin_sender_kind,
            origin_prescriber_organization_kind=approval.origin_prescriber_organization_kind,
        )
        JobApplication.objects.filter(approval=approval).update(approval=None, updated_at=timezone.now())
        log_event(
            approval, ApprovalEventKind.DELETED, user=by_user, start_at=approval.start_at, end_at=approval.end_at
        )
        approval.delete()
    return cancelled


def _termination_refusal(approval, day):
    """pass_iae.md §10: why the PASS cannot end on `day`, in French, or None."""
    if approval.end_at < day:
        return f"Ce PASS IAE a déjà pris fin le {approval.end_at:%d/%m/%Y}."
    if approval.start_at > day:
        return "Ce PASS IAE n'a pas encore commencé : il ne peut pas prendre fin aujourd'hui. Supprimez-le si besoin."
    if approval.start_at == day:
        # pass_iae.md §20.2: start < end, strictly.
        return (
            "Ce PASS IAE commence aujourd'hui : il ne peut pas prendre fin le jour même, sa date de fin doit être "
            "postérieure à sa date de début. Supprimez-le si besoin."
        )
    if approval.prolongation_requests.filter(status=ProlongationRequestStatus.PENDING).exists():
        # pass_iae.md §14.2: a granted request starts at the PASS end; ending the PASS first would leave the
        # prescriber a decision on dates that no longer exist.
        return "Une demande de prolongation est en attente pour ce PASS IAE : elle doit d'abord être traitée."
    return None


def approval_terminate(approval, *, by_user, on=None):
    """pass_iae.md §10, staff "terminate": the PASS ends today.

    Suspensions and prolongations starting today or later are deleted, the ones in progress end today. Refused
    while a prolongation request is pending. Checked on the locked PASS: a request declared at the same time (the
    declaration locks the PASS too) is seen.
    """
    day = _today(on)
    with transaction.atomic():
        locked = lock_approval(approval.pk)
        if refusal := _termination_refusal(locked, day):
            raise ApprovalError(refusal)
        before = {"start_at": locked.start_at, "end_at": locked.end_at}
        deleted_suspensions, _ = locked.suspensions.filter(start_at__gte=day).delete()
        # update_tracked: QuerySet.update() with the audit trail of the suspension and prolongation shortened.
        update_tracked(locked.suspensions.filter(start_at__lt=day, end_at__gt=day), end_at=day, updated_by=by_user)
        deleted_prolongations, _ = locked.prolongations.filter(start_at__gte=day).delete()
        # Prolongations are half-open [start, end): in progress ⇔ start < today < end.
        update_tracked(locked.prolongations.filter(start_at__lt=day, end_at__gt=day), end_at=day, updated_by=by_user)
        move_approval_end(locked, day - locked.end_at, caller_approval=approval)
        log_event(
            locked,
            ApprovalEventKind.TERMINATED,
            user=by_user,
            before=before,
            after={"start_at": locked.start_at, "end_at": locked.end_at},
            remark=f"PASS IAE clôturé le {day:%d/%m/%Y} par le support.",
            deleted_suspensions=deleted_suspensions,
            deleted_prolongations=deleted_prolongations,
        )
    return approval


# --- Who hired with the PASS (§13.3, §17)


def hiring_siaes(approval):
    """The SIAE holding an accepted application that carries this PASS (pass_iae.md §14.2, §17)."""
    carrying = JobApplication.objects.filter(approval=approval, state=JobApplicationState.ACCEPTED)
    return Company.objects.filter(kind__in=SIAE_KINDS, pk__in=carrying.values("to_company"))


def prefetched_accepted_company_ids(approval):
    """The companies of the accepted applications carrying the PASS when the page prefetched its applications
    (`approval.job_applications`, as the PASS pages do), else None: the rules then ask the database."""
    if "job_applications" not in getattr(approval, "_prefetched_objects_cache", {}):
        return None
    return {
        application.to_company_id
        for application in approval.job_applications.all()
        if application.state == JobApplicationState.ACCEPTED
    }


def is_hiring_siae(approval, company):
    """`company` is one of `hiring_siaes(approval)`. Several rules of one page ask it of the same PASS (who prolongs,
    who reads the reasons): answered once per PASS object, which lives as long as the request, from its prefetched
    applications when it has them."""
    answers = approval.__dict__.setdefault("_hiring_siae_answers", {})
    if company.pk not in answers:
        accepted = prefetched_accepted_company_ids(approval)
        if accepted is None:
            answers[company.pk] = hiring_siaes(approval).filter(pk=company.pk).exists()
        else:
            answers[company.pk] = company.kind in SIAE_KINDS and company.pk in accepted
    return answers[company.pk]


def last_accepted_siae_application(*, job_seeker_id):
    """pass_iae.md §13.3: the person's last accepted SIAE hiring: latest acceptance time, then latest hiring start;
    GEIQ, EA, EATT and OPCS hirings are ignored. None when there is none."""
    return (
        JobApplication.objects.filter(
            job_seeker_id=job_seeker_id, state=JobApplicationState.ACCEPTED, to_company__kind__in=SIAE_KINDS
        )
        .select_related("to_company")
        .order_by(F("accepted_at").desc(nulls_last=True), F("hiring_start_at").desc(nulls_last=True), "-created_at")
        .first()
    )


def last_hiring_siae(approval):
    """pass_iae.md §13.3: the SIAE of the person's last accepted SIAE hiring, provided it holds an accepted
    application carrying this PASS.

    None when the last SIAE hiring was not made with this PASS: nobody may then suspend it. Answered once per PASS
    object (who suspends and who edits a suspension ask it on the same page).
    """
    if "_last_hiring_siae" not in approval.__dict__:
        approval.__dict__["_last_hiring_siae"] = _last_hiring_siae(approval)
    return approval.__dict__["_last_hiring_siae"]


def _last_hiring_siae(approval):
    last = last_accepted_siae_application(job_seeker_id=approval.user_id)
    if last is None:
        return None
    accepted = prefetched_accepted_company_ids(approval)
    if accepted is None:
        carries_this_approval = JobApplication.objects.filter(
            approval=approval, state=JobApplicationState.ACCEPTED, to_company=last.to_company
        ).exists()
    else:
        carries_this_approval = last.to_company_id in accepted
    return last.to_company if carries_this_approval else None
