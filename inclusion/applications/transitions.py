"""The job application state machine (applications.md §2, §3, §6, §10; pass_iae.md §6, §10).

`apply_transition` is the only way an application changes state: it checks the table of §3 under a row lock, moves
the state, keeps `processed_at` and the archive flag in line, and writes exactly one log row. The named functions
below (`process`, `accept`, `cancel`...) add each transition's own data and side effects, each in one transaction.

The e-mails of applications.md §4 go through the hooks of `inclusion/notifications/applications.py`, which
`postpone`, `add_to_pool`, `refuse`, `accept`, `cancel` and `transfer` call (sent after commit); the PASS IAE rules
send their own "PASS IAE accepté" and manual-delivery e-mails. `process`, the prior-action moves, `render_obsolete`,
`reset` and `external_transfer` notify nobody (§4; the new application of an external transfer notifies as any
creation does).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.applications.enums import (
    PENDING_STATES,
    GEIQContractType,
    JobApplicationState,
    JobApplicationTransition,
    Origin,
    QualificationLevel,
    QualificationType,
    RefusalReason,
)
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from inclusion.approvals import rules as approval_rules
from inclusion.companies.enums import SIAE_KINDS, CompanyKind
from inclusion.eligibility import certification as eligibility_certification
from inclusion.eligibility import rules as eligibility_rules
from inclusion.notifications import applications as notifications
from inclusion.users.enums import AssignmentAction
from inclusion.users.models import User, upsert_assignment

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


def changed_state_message(state):
    """The refusal of a confirmation whose application changed state since the employer read it (a race)."""
    if state == State.OBSOLETE:
        return (
            "Ce candidat vient d'être embauché par une autre structure : votre candidature est passée à l'état "
            "« Embauché ailleurs » pendant que vous la traitiez. Vérifiez sa situation avant de confirmer l'embauche."
        )
    return (
        f"Cette candidature est passée à l'état « {State(state).label} » pendant que vous la traitiez : vérifiez-la "
        "avant de confirmer."
    )


def is_allowed(state, transition) -> bool:
    from_states, _ = TRANSITIONS[transition]
    return state in from_states


def check_allowed(job_application, transition):
    """Fails early, before any work, on the in-memory state (`apply_transition` checks again under the lock)."""
    if not is_allowed(job_application.state, transition):
        raise TransitionError(transition_refusal_message(transition, job_application.state))


def apply_transition(
    job_application, transition, *, user=None, target_company=None, changes=None, expected_state=None
):
    """applications.md §3: move `job_application` through `transition`, saving `changes` (field → value) with it.

    Locks the application row and re-reads its state, so two concurrent transitions run one after the other and the
    second one is checked against the first one's result. Writes exactly one log row. Raises `TransitionError`
    (nothing changed, in the database nor on the instance's other fields) when the pair is not in the table, or when
    `expected_state` (the state the user saw when deciding) is given and the application is no longer in it.
    """
    transition = Transition(transition)
    _, to_state = TRANSITIONS[transition]
    changes = changes or {}
    with transaction.atomic():
        job_application.state = (
            JobApplication.objects.select_for_update().values_list("state", flat=True).get(pk=job_application.pk)
        )
        if expected_state is not None and job_application.state != expected_state:
            raise TransitionError(changed_state_message(job_application.state))
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
    apply_transition(job_application, Transition.POSTPONE, user=user, changes={"answer": answer})
    notifications.application_postponed(job_application, user=user)
    return job_application


def add_to_pool(job_application, *, user=None, answer=""):
    """The answer is optional: the view pre-fills a default text (applications.md §3)."""
    apply_transition(job_application, Transition.ADD_TO_POOL, user=user, changes={"answer": answer})
    notifications.application_added_to_pool(job_application, user=user)
    return job_application


def move_to_prior_to_hire(job_application, *, user=None):
    return apply_transition(job_application, Transition.MOVE_TO_PRIOR_TO_HIRE, user=user)


def cancel_prior_to_hire(job_application, *, user=None):
    return apply_transition(job_application, Transition.CANCEL_PRIOR_TO_HIRE, user=user)


def refuse(job_application, *, user=None, reason, answer, answer_to_prescriber="", shared=False):
    """applications.md §7; `user=None` for the system's auto-refusal (reason `auto`)."""
    if reason not in RefusalReason.values:
        raise ValidationError("Choisissez un motif de refus.")
    if not job_application.is_sent_by_prescriber:
        # applications.md §1, §7: the private answer is for a prescriber; nobody else would ever read it.
        answer_to_prescriber = ""
    apply_transition(
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
    notifications.application_refused(job_application, user=user)
    return job_application


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
    cleared, origin recorded (from, by, at), internal comments deleted. Membership of both companies is the caller's
    check (`perms.can_transfer_to`).

    The origin company's job descriptions and GEIQ prior actions mean nothing to the target company: the selected
    jobs are unlinked (the application becomes spontaneous there) and the prior actions deleted, so that the new
    company starts from a plain new application.
    """
    if target_company.pk == job_application.to_company_id:
        raise ValidationError("La candidature est déjà adressée à cette structure.")
    origin = job_application.to_company
    # The hiring of an earlier acceptance (cancelled since) and the GEIQ contract were decided by the origin company.
    cleared_hiring = {
        "hired_job": None,
        "hiring_start_at": None,
        "hiring_end_at": None,
        "accepted_by": None,
        "geiq_contract_type": "",
        "geiq_contract_type_details": "",
        "geiq_hours_per_week": None,
        "geiq_qualification_type": "",
        "geiq_qualification_level": "",
        "geiq_planned_training_hours": 0,
        "geiq_inverted_vae_contract": False,
    }
    with transaction.atomic():
        apply_transition(
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
                **cleared_hiring,
            },
        )
        # Internal comments are the origin company's notes: never shown to the target company (§10, §15).
        job_application.comments.all().delete()
        job_application.prior_actions.all().delete()
        job_application.selected_jobs.clear()
        notifications.application_transferred(job_application, user=user)
    return job_application


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


def lock_job_seeker(job_application):
    """Locks the job seeker's row until the transaction ends: the hirings of one person run one after the other.

    An acceptance locks its application, the person (PASS rules, pass_iae.md §6) and the person's other pending
    applications (§6.5). Taking the person first gives every hiring the same lock order; otherwise two companies
    accepting the same person at once would each hold the application the other one renders obsolete, and the
    database would abort one of them (a deadlock).
    """
    list(User.objects.select_for_update().filter(pk=job_application.job_seeker_id).values_list("pk", flat=True))


def _render_other_pending_obsolete(job_application, *, user):
    """applications.md §6.5, §18.5: every other *pending* application of the person, and only those."""
    others = (
        JobApplication.objects.filter(job_seeker_id=job_application.job_seeker_id, state__in=PENDING_STATES)
        .exclude(pk=job_application.pk)
        .order_by("created_at", "pk")
    )
    for other in others:
        render_obsolete(other, user=user)


def _check_hired_job(company, hired_job):
    """applications.md §8.1: the hired job is one of the company's job descriptions (open or closed), or none."""
    if hired_job is not None and hired_job.company_id != company.pk:
        raise ValidationError({"hired_job": "Choisissez une fiche de poste de votre structure."})


# applications.md §8.2: the GEIQ contract fields, with the values they hold on any other application (§1: forbidden
# on non-GEIQ applications).
GEIQ_CONTRACT_DEFAULTS = {
    "geiq_contract_type": "",
    "geiq_contract_type_details": "",
    "geiq_hours_per_week": None,
    "geiq_qualification_type": "",
    "geiq_qualification_level": "",
    "geiq_planned_training_hours": 0,
    "geiq_inverted_vae_contract": False,
}
# applications.md §8.2, eligibility.md §7.1: 1 to 48 hours a week.
GEIQ_HOURS_PER_WEEK_RANGE = (1, 48)
# The notes set no maximum to the planned training hours; this is what their column holds (a PositiveIntegerField is
# a 4-byte integer on PostgreSQL): a larger number is refused with a message instead of failing in the database.
GEIQ_PLANNED_TRAINING_HOURS_MAX = 2**31 - 1


def geiq_contract_errors(contract) -> dict[str, str]:
    """applications.md §8.2: what is wrong with a GEIQ contract, as {field: French message}; empty: acceptable.

    Every field is required except the details (required ⇔ contract type "other") and the "VAE inversée" (only with a
    professional training contract); "not relevant" is no qualification level for a state diploma.
    """
    errors = {}
    contract_type = contract.get("geiq_contract_type")
    if contract_type not in GEIQContractType.values:
        errors["geiq_contract_type"] = "Choisissez le type de contrat."
    elif contract_type == GEIQContractType.OTHER and not (contract.get("geiq_contract_type_details") or "").strip():
        errors["geiq_contract_type_details"] = "Précisez le type de contrat : c'est obligatoire pour « Autre »."
    hours, (min_hours, max_hours) = contract.get("geiq_hours_per_week"), GEIQ_HOURS_PER_WEEK_RANGE
    if hours is None or not min_hours <= hours <= max_hours:
        errors["geiq_hours_per_week"] = f"Indiquez un nombre d'heures par semaine entre {min_hours} et {max_hours}."
    qualification_type = contract.get("geiq_qualification_type")
    if qualification_type not in QualificationType.values:
        errors["geiq_qualification_type"] = "Choisissez le type de qualification visée."
    level = contract.get("geiq_qualification_level")
    if level not in QualificationLevel.values:
        errors["geiq_qualification_level"] = "Choisissez le niveau de qualification visé."
    elif level == QualificationLevel.NOT_RELEVANT and qualification_type == QualificationType.STATE_DIPLOMA:
        errors["geiq_qualification_level"] = (
            "Un diplôme d'État ou un titre homologué a toujours un niveau : « Non pertinent » n'est pas possible."
        )
    training_hours = contract.get("geiq_planned_training_hours")
    if training_hours is None or training_hours < 0:
        errors["geiq_planned_training_hours"] = "Indiquez le nombre d'heures de formation prévues (0 si aucune)."
    elif training_hours > GEIQ_PLANNED_TRAINING_HOURS_MAX:
        errors["geiq_planned_training_hours"] = "Ce nombre d'heures de formation prévues est trop grand."
    if contract.get("geiq_inverted_vae_contract") and contract_type != GEIQContractType.PROFESSIONAL_TRAINING:
        errors["geiq_inverted_vae_contract"] = (
            "La VAE inversée n'est possible qu'avec un contrat de professionnalisation."
        )
    return errors


def _geiq_contract_changes(company, geiq_contract):
    """The GEIQ fields the acceptance saves: the defaults without a contract (back-office, older callers), else the
    checked contract; never on a non-GEIQ application (applications.md §1)."""
    if geiq_contract is None:
        return dict(GEIQ_CONTRACT_DEFAULTS)
    if company.kind != CompanyKind.GEIQ:
        raise ValidationError("Les informations du contrat GEIQ ne concernent que les embauches en GEIQ.")
    errors = geiq_contract_errors(geiq_contract)
    if errors:
        raise ValidationError(errors)
    changes = {name: geiq_contract.get(name, default) for name, default in GEIQ_CONTRACT_DEFAULTS.items()}
    if changes["geiq_contract_type"] != GEIQContractType.OTHER:
        changes["geiq_contract_type_details"] = ""  # details only qualify "other" (§8.2)
    changes["geiq_contract_type_details"] = changes["geiq_contract_type_details"].strip()
    return changes


def _record_hiring_follow_up(job_application, *, user, advisor, advisor_unknown, action):
    """applications.md §6.5, organizations.md §5.5: the advisor chosen in the hiring form (by default the accepting
    user) follows the person for the company; "non référencé" flags the assignment as an unknown advisor."""
    professional = advisor or user
    if professional is None:
        return
    assignment = upsert_assignment(
        job_seeker=job_application.job_seeker,
        professional=professional,
        action=action,
        company=job_application.to_company,
    )
    if assignment.is_unknown_advisor != advisor_unknown:
        assignment.is_unknown_advisor = advisor_unknown
        assignment.save(update_fields=["is_unknown_advisor"])


def accept(
    job_application,
    *,
    user,
    hiring_start_at: datetime.date,
    hiring_end_at: datetime.date | None = None,
    answer="",
    hired_job=None,
    geiq_contract=None,
    advisor=None,
    advisor_unknown=False,
    assignment_action=AssignmentAction.ACCEPT,
    expected_state=None,
    on=None,
):
    """applications.md §6 in one transaction. Returns the application.

    applications.md §8.1: the answers of a previous processing (a refusal's reason and messages) are blanked when
    re-accepting; `answer` is the acceptance message to the job seeker, if any. `hired_job`: a job description of the
    company, or None (`hiring.find_or_create_hired_job` gives the one of a "new job"). `geiq_contract`: the GEIQ fields
    of §8.2 (GEIQ only; checked by `geiq_contract_errors`). `advisor` / `advisor_unknown`: who follows the person
    (default: `user`). `assignment_action`: `HIRE` for a direct hire (§6.5). `user` is recorded as `accepted_by`.
    `expected_state`: the state the employer saw on the confirmation page; when another company's hiring made the
    application obsolete meanwhile, the acceptance is refused (`TransitionError`) instead of hiring the person twice
    without knowing it (accepting an obsolete application knowingly stays possible, §3).

    Raises `TransitionError` (state), `ValidationError` (dates, hired job, GEIQ contract) or `ApprovalError` (PASS
    rules, re-raised as is); on any error nothing is saved and the instance is reloaded from the database.
    """
    check_allowed(job_application, Transition.ACCEPT)
    check_hiring_dates(job_application, hiring_start_at=hiring_start_at, hiring_end_at=hiring_end_at, on=on)
    company = job_application.to_company
    _check_hired_job(company, hired_job)
    geiq_changes = _geiq_contract_changes(company, geiq_contract)
    try:
        with transaction.atomic():
            lock_job_seeker(job_application)
            apply_transition(
                job_application,
                Transition.ACCEPT,
                user=user,
                expected_state=expected_state,
                changes={
                    **ANSWERS_DEFAULTS,
                    "answer": answer,
                    "accepted_at": timezone.now(),
                    "accepted_by": user,
                    "hiring_start_at": hiring_start_at,
                    "hiring_end_at": hiring_end_at,
                    "hired_job": hired_job,
                    **geiq_changes,
                },
            )
            if company.kind in SIAE_KINDS:
                # pass_iae.md §6: diagnosis, waiting period, PASS reuse / creation / manual delivery.
                approval_rules.approval_issue_or_reuse(job_application=job_application, by_user=user, on=on)
            elif company.kind == CompanyKind.GEIQ:
                _attach_geiq_diagnosis(job_application)
            # EA, EATT, OPCS: no diagnosis, no PASS (applications.md §6.4).
            _render_other_pending_obsolete(job_application, user=user)
            _record_hiring_follow_up(
                job_application,
                user=user,
                advisor=advisor,
                advisor_unknown=advisor_unknown,
                action=assignment_action,
            )
            notifications.application_accepted(job_application, user=user)
    except Exception:
        job_application.refresh_from_db()
        raise
    return job_application


# --- Cancellation (pass_iae.md §10)

AI_STOCK_CANCEL_REFUSAL = (
    "Impossible d'annuler cette embauche : la candidature provient de l'import du stock des associations "
    "intermédiaires."
)


def cancel_refusal_reason(job_application) -> str | None:
    """pass_iae.md §10, applications.md §18.9: why this hiring cannot be cancelled (French), or None.

    The "fiche salarié already sent" refusal comes with the fiches salarié (they do not exist yet).
    """
    if not is_allowed(job_application.state, Transition.CANCEL):
        return transition_refusal_message(Transition.CANCEL, job_application.state)
    if job_application.origin == Origin.AI_STOCK:
        return AI_STOCK_CANCEL_REFUSAL
    return None


def cancel_deletes_approval(job_application) -> bool:
    """pass_iae.md §10: cancelling deletes the PASS only when this application is the only accepted one carrying it
    (asked before the cancellation, to warn the employer)."""
    if job_application.approval_id is None:
        return False
    return (
        not JobApplication.objects.filter(approval_id=job_application.approval_id, state=State.ACCEPTED)
        .exclude(pk=job_application.pk)
        .exists()
    )


def cancel(job_application, *, user):
    """pass_iae.md §10: `accepted → cancelled`; the PASS is deleted (with its snapshot) only when this application is
    the only accepted one carrying it; every accepted-only field is reset (and who accepted, like when).

    Refused for applications imported from the AI stock. The "fiche salarié already sent" refusal and the deletion of
    unsent fiches salarié come with the fiches salarié (they do not exist yet).
    """
    reason = cancel_refusal_reason(job_application)
    if reason:
        raise TransitionError(reason)
    approval = job_application.approval
    with transaction.atomic():
        apply_transition(
            job_application,
            Transition.CANCEL,
            user=user,
            changes={**ACCEPTED_ONLY_DEFAULTS, "accepted_by": None},
        )
        # This application is cancelled now: any accepted one still carrying the PASS keeps it alive.
        if approval is not None and not approval.job_applications.filter(state=State.ACCEPTED).exists():
            approval_rules.approval_delete(approval, by_user=user)
        notifications.hiring_cancelled(job_application, user=user)
    return job_application
