"""The job application state machine (applications.md §2, §3, §6, §10; pass_iae.md §6, §10).

`apply_transition` is the only way an application changes state: it checks the table of §3 under a row lock, moves
the state, keeps `processed_at` and the archive flag in line, and writes exactly one log row. The named functions
below (`process`, `accept`, `cancel`...) add each transition's own data and side effects, each in one transaction.

No e-mail is sent from here yet: the notifications of applications.md §4 come with the notifications issue (only the
PASS IAE rules send their own "PASS IAE accepté" and manual-delivery e-mails).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.applications.enums import (
    PENDING_STATES,
    JobApplicationState,
    JobApplicationTransition,
    Origin,
    RefusalReason,
)
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals import rules as approval_rules
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.eligibility import certification as eligibility_certification
from inclusion.eligibility import rules as eligibility_rules
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import upsert_assignment

State = JobApplicationState
Transition = JobApplicationTransition

# applications.md §3: transition → (allowed from-states, to-state). Any other (state, transition) pair is refused.
TRANSITIONS = {
    Transition.PROCESS: ({State.NEW, State.POOL}, State.PROCESSING),
    Transition.POSTPONE: ({State.NEW, State.POOL, State.PROCESSING, State.PRIOR_TO_HIRE}, State.POSTPONED),
    Transition.ADD_TO_POOL: (
        {State.NEW, State.PROCESSING, State.POSTPONED, State.CANCELLED, State.OBSOLETE},
        State.POOL,
    ),
    Transition.MOVE_TO_PRIOR_TO_HIRE: (
        {State.NEW, State.POOL, State.PROCESSING, State.POSTPONED, State.OBSOLETE, State.REFUSED, State.CANCELLED},
        State.PRIOR_TO_HIRE,
    ),
    Transition.CANCEL_PRIOR_TO_HIRE: ({State.PRIOR_TO_HIRE}, State.PROCESSING),
    Transition.ACCEPT: (
        {
            State.NEW,
            State.POOL,
            State.PROCESSING,
            State.POSTPONED,
            State.PRIOR_TO_HIRE,
            State.OBSOLETE,
            State.REFUSED,
            State.CANCELLED,
        },
        State.ACCEPTED,
    ),
    Transition.REFUSE: (
        {State.NEW, State.POOL, State.PROCESSING, State.PRIOR_TO_HIRE, State.POSTPONED},
        State.REFUSED,
    ),
    Transition.CANCEL: ({State.ACCEPTED}, State.CANCELLED),
    Transition.RENDER_OBSOLETE: ({State.NEW, State.PROCESSING, State.POSTPONED}, State.OBSOLETE),
    Transition.TRANSFER: (
        {
            State.NEW,
            State.POOL,
            State.PROCESSING,
            State.POSTPONED,
            State.PRIOR_TO_HIRE,
            State.OBSOLETE,
            State.REFUSED,
            State.CANCELLED,
        },
        State.NEW,
    ),
    Transition.EXTERNAL_TRANSFER: ({State.REFUSED}, State.REFUSED),
    Transition.RESET: ({State.OBSOLETE}, State.NEW),
}

# applications.md §3: these transitions set `processed_at`; all others clear it...
SETS_PROCESSED_AT = {Transition.ACCEPT, Transition.REFUSE, Transition.CANCEL, Transition.RENDER_OBSOLETE}
# ...except `external_transfer`, which only logs on a refused application: it keeps its `processed_at` (§18.4:
# `processed_at` is set exactly in accepted, refused, cancelled, obsolete) and its archive flag (§3).
LOG_ONLY = {Transition.EXTERNAL_TRANSFER}

# The French "Impossible …" message of each transition, completed by the current state's label.
_REFUSAL_PHRASES = {
    Transition.PROCESS: "de mettre à l'étude une candidature",
    Transition.POSTPONE: "de mettre en attente une candidature",
    Transition.ADD_TO_POOL: "de mettre au vivier une candidature",
    Transition.MOVE_TO_PRIOR_TO_HIRE: "de passer en action préalable à l'embauche une candidature",
    Transition.CANCEL_PRIOR_TO_HIRE: "d'annuler l'action préalable à l'embauche d'une candidature",
    Transition.ACCEPT: "d'accepter une candidature",
    Transition.REFUSE: "de décliner une candidature",
    Transition.CANCEL: "d'annuler l'embauche d'une candidature",
    Transition.RENDER_OBSOLETE: "de déclarer « Embauché ailleurs » une candidature",
    Transition.TRANSFER: "de transférer une candidature",
    Transition.EXTERNAL_TRANSFER: "de transférer vers une autre structure une candidature",
    Transition.RESET: "de réinitialiser une candidature",
}

# applications.md §1, §18.8: the fields that hold data only while the application is accepted.
ACCEPTED_ONLY_DEFAULTS = {
    "eligibility_diagnosis": None,
    "geiq_eligibility_diagnosis": None,
    "approval": None,
    "approval_delivery_mode": "",
    "approval_number_sent_by_email": False,
    "approval_number_sent_at": None,
    "approval_manually_delivered_by": None,
    "approval_manually_delivered_at": None,
    "approval_manually_refused_by": None,
    "approval_manually_refused_at": None,
    "accepted_at": None,
}

ANSWERS_DEFAULTS = {
    "answer": "",
    "answer_to_prescriber": "",
    "refusal_reason": "",
    "refusal_reason_shared_with_job_seeker": False,
}


class TransitionError(ValidationError):
    """The state machine refused the operation; the message is French and shown to the user."""


def transition_refusal_message(transition, state):
    return f"Impossible {_REFUSAL_PHRASES[transition]} à l'état « {State(state).label} »."


def is_allowed(state, transition) -> bool:
    from_states, _ = TRANSITIONS[transition]
    return state in from_states


def check_allowed(job_application, transition):
    """Fails early, before any work, on the in-memory state (`apply_transition` checks again under the lock)."""
    if not is_allowed(job_application.state, transition):
        raise TransitionError(transition_refusal_message(transition, job_application.state))


def apply_transition(job_application, transition, *, user=None, target_company=None, changes=None):
    """applications.md §3: move `job_application` through `transition`, saving `changes` (field → value) with it.

    Locks the application row and re-reads its state, so two concurrent transitions run one after the other and the
    second one is checked against the first one's result. Writes exactly one log row. Raises `TransitionError`
    (nothing changed, in the database nor on the instance's other fields) when the pair is not in the table.
    """
    transition = Transition(transition)
    _, to_state = TRANSITIONS[transition]
    changes = changes or {}
    with transaction.atomic():
        job_application.state = (
            JobApplication.objects.select_for_update().values_list("state", flat=True).get(pk=job_application.pk)
        )
        check_allowed(job_application, transition)
        from_state = job_application.state
        fields = {"state": to_state, **changes}
        if transition not in LOG_ONLY:
            fields["processed_at"] = timezone.now() if transition in SETS_PROCESSED_AT else None
            fields |= {"archived_at": None, "archived_by": None}  # every transition unarchives (§3)
        for name, value in fields.items():
            setattr(job_application, name, value)
        job_application.save(update_fields=[*fields, "updated_at"])
        JobApplicationTransitionLog.objects.create(
            job_application=job_application,
            transition=transition,
            from_state=from_state,
            to_state=to_state,
            user=user,
            target_company=target_company,
        )
    return job_application


# --- The named transitions (applications.md §3, §4)


def process(job_application, *, user=None):
    return apply_transition(job_application, Transition.PROCESS, user=user)


def postpone(job_application, *, user=None, answer):
    """The answer to the job seeker is mandatory (applications.md §3)."""
    if not answer or not answer.strip():
        raise ValidationError("Un message au candidat est obligatoire pour mettre une candidature en attente.")
    return apply_transition(job_application, Transition.POSTPONE, user=user, changes={"answer": answer})


def add_to_pool(job_application, *, user=None, answer=""):
    """The answer is optional: the view pre-fills a default text (applications.md §3)."""
    return apply_transition(job_application, Transition.ADD_TO_POOL, user=user, changes={"answer": answer})


def move_to_prior_to_hire(job_application, *, user=None):
    return apply_transition(job_application, Transition.MOVE_TO_PRIOR_TO_HIRE, user=user)


def cancel_prior_to_hire(job_application, *, user=None):
    return apply_transition(job_application, Transition.CANCEL_PRIOR_TO_HIRE, user=user)


def refuse(job_application, *, user=None, reason, answer, answer_to_prescriber="", shared=False):
    """applications.md §7; `user=None` for the system's auto-refusal (reason `auto`)."""
    if reason not in RefusalReason.values:
        raise ValidationError("Choisissez un motif de refus.")
    return apply_transition(
        job_application,
        Transition.REFUSE,
        user=user,
        changes={
            "refusal_reason": reason,
            "refusal_reason_shared_with_job_seeker": shared,
            "answer": answer,
            "answer_to_prescriber": answer_to_prescriber,
        },
    )


def render_obsolete(job_application, *, user=None):
    return apply_transition(job_application, Transition.RENDER_OBSOLETE, user=user)


def reset(job_application, *, user):
    """Staff only, from the back-office (applications.md §3)."""
    return apply_transition(job_application, Transition.RESET, user=user)


def external_transfer(job_application, *, user, target_company):
    """applications.md §10: logged on the original refused application once the new one exists elsewhere."""
    return apply_transition(job_application, Transition.EXTERNAL_TRANSFER, user=user, target_company=target_company)


def transfer(job_application, *, user, target_company):
    """applications.md §10 internal transfer: back to `new` at `target_company`, answers and accepted-only data
    cleared, origin recorded. Membership of both companies is the caller's check (perms)."""
    if target_company.pk == job_application.to_company_id:
        raise ValidationError("La candidature est déjà adressée à cette structure.")
    origin = job_application.to_company
    return apply_transition(
        job_application,
        Transition.TRANSFER,
        user=user,
        target_company=target_company,
        changes={
            "to_company": target_company,
            "transferred_at": timezone.now(),
            "transferred_by": user,
            "transferred_from": origin,
            **ANSWERS_DEFAULTS,
            **ACCEPTED_ONLY_DEFAULTS,
        },
    )
    # Internal comments are deleted too (§10) once they exist.


# --- Acceptance (applications.md §6, pass_iae.md §6)


def check_hiring_dates(job_application, *, hiring_start_at, hiring_end_at=None, on=None):
    """pass_iae.md §5, applications.md §8.1: start mandatory and within `hiring_start_bounds`, end ≥ start."""
    if hiring_start_at is None:
        raise ValidationError("La date de début du contrat est obligatoire.")
    earliest, latest = approval_rules.hiring_start_bounds(
        job_seeker=job_application.job_seeker, company=job_application.to_company, on=on
    )
    if (earliest is not None and hiring_start_at < earliest) or hiring_start_at > latest:
        if earliest is None:
            message = f"La date de début du contrat doit être au plus tard le {latest:%d/%m/%Y}."
        else:
            message = (
                f"La date de début du contrat doit être comprise entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y}."
            )
        raise ValidationError(message)
    if hiring_end_at is not None and hiring_end_at < hiring_start_at:
        raise ValidationError("La date de fin du contrat ne peut pas être antérieure à la date de début.")


def _attach_geiq_diagnosis(job_application):
    """applications.md §6.3: the valid GEIQ diagnosis, if any (optional), whose certification runs again (§6.5,
    eligibility.md §6.2)."""
    diagnosis = eligibility_rules.last_valid_geiq_diagnosis(
        job_application.job_seeker, for_geiq=job_application.to_company
    )
    if diagnosis is not None:
        job_application.geiq_eligibility_diagnosis = diagnosis
        job_application.save(update_fields=["geiq_eligibility_diagnosis", "updated_at"])
        eligibility_certification.schedule_certification(diagnosis)


def _render_other_pending_obsolete(job_application, *, user):
    """applications.md §6.5, §18.5: every other *pending* application of the person, and only those."""
    others = (
        JobApplication.objects.filter(job_seeker_id=job_application.job_seeker_id, state__in=PENDING_STATES)
        .exclude(pk=job_application.pk)
        .order_by("created_at", "pk")
    )
    for other in others:
        render_obsolete(other, user=user)


def accept(
    job_application,
    *,
    user,
    hiring_start_at: datetime.date,
    hiring_end_at: datetime.date | None = None,
    answer="",
    on=None,
):
    """applications.md §6 in one transaction. Returns the application.

    applications.md §8.1: the answers of a previous processing (a refusal's reason and messages) are blanked when
    re-accepting; `answer` is the acceptance message to the job seeker, if any.

    Raises `TransitionError` (state), `ValidationError` (dates) or `ApprovalError` (PASS rules, re-raised as is);
    on any error nothing is saved and the instance is reloaded from the database.
    """
    check_allowed(job_application, Transition.ACCEPT)
    check_hiring_dates(job_application, hiring_start_at=hiring_start_at, hiring_end_at=hiring_end_at, on=on)
    company = job_application.to_company
    try:
        with transaction.atomic():
            apply_transition(
                job_application,
                Transition.ACCEPT,
                user=user,
                changes={
                    **ANSWERS_DEFAULTS,
                    "answer": answer,
                    "accepted_at": timezone.now(),
                    "hiring_start_at": hiring_start_at,
                    "hiring_end_at": hiring_end_at,
                },
            )
            if company.kind in SIAE_KINDS:
                # pass_iae.md §6: diagnosis, waiting period, PASS reuse / creation / manual delivery.
                approval_rules.approval_issue_or_reuse(job_application=job_application, by_user=user, on=on)
            elif company.kind == CompanyKind.GEIQ:
                _attach_geiq_diagnosis(job_application)
            # EA, EATT, OPCS: no diagnosis, no PASS (applications.md §6.4).
            _render_other_pending_obsolete(job_application, user=user)
            if user is not None:
                upsert_assignment(
                    job_seeker=job_application.job_seeker,
                    professional=user,
                    action=AssignmentAction.ACCEPT,
                    company=company,
                )
            # Notifications to the job seeker and the proxy: with the notifications issue (see module docstring).
    except Exception:
        job_application.refresh_from_db()
        raise
    return job_application


# --- Cancellation (pass_iae.md §10)


def cancel(job_application, *, user):
    """pass_iae.md §10: `accepted → cancelled`; the PASS is deleted (with its snapshot) only when this application is
    the only accepted one carrying it; every accepted-only field is reset.

    Refused for applications imported from the AI stock. The "fiche salarié already sent" refusal and the deletion of
    unsent fiches salarié come with the fiches salarié (they do not exist yet).
    """
    check_allowed(job_application, Transition.CANCEL)
    if job_application.origin == Origin.AI_STOCK:
        raise TransitionError(
            "Impossible d'annuler cette embauche : la candidature provient de l'import du stock des "
            "associations intermédiaires."
        )
    approval = job_application.approval
    with transaction.atomic():
        apply_transition(job_application, Transition.CANCEL, user=user, changes=dict(ACCEPTED_ONLY_DEFAULTS))
        # This application is cancelled now: any accepted one still carrying the PASS keeps it alive.
        if approval is not None and not approval.job_applications.filter(state=State.ACCEPTED).exists():
            approval_rules.approval_delete(approval, by_user=user)
    return job_application
