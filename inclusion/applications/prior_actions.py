"""GEIQ prior actions (applications.md §9): what a GEIQ does with a candidate before hiring them.

The two state rules live here, not in the views: adding the **first** action moves the application to
`prior_to_hire` (`move_to_prior_to_hire`), deleting the **last** one brings it back to `processing`
(`cancel_prior_to_hire`). Both go through the state machine (`transitions.py`), in the same transaction as the write.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from inclusion.applications import transitions
from inclusion.applications.enums import JobApplicationState as State
from inclusion.applications.models import JobApplication, PriorAction
from inclusion.companies.enums import CompanyKind

# applications.md §9: prior actions are editable in these states (never once accepted).
EDITABLE_STATES = frozenset(
    {
        State.PRIOR_TO_HIRE,
        State.NEW,
        State.POOL,
        State.PROCESSING,
        State.POSTPONED,
        State.OBSOLETE,
        State.REFUSED,
        State.CANCELLED,
    }
)

NOT_A_GEIQ = "Les actions préalables à l'embauche ne concernent que les candidatures reçues par un GEIQ."
DATES_IN_WRONG_ORDER = "La date de fin ne peut pas être antérieure à la date de début."


class PriorActionError(ValidationError):
    """The prior action cannot be written; the message is French and shown to the user."""


def prior_actions_refusal_reason(job_application) -> str | None:
    """applications.md §9: None when prior actions may be added, changed or deleted, else the French reason."""
    if job_application.to_company.kind != CompanyKind.GEIQ:
        return NOT_A_GEIQ
    if job_application.state not in EDITABLE_STATES:
        return (
            "Impossible de modifier les actions préalables à l'embauche d'une candidature à l'état "
            f"« {State(job_application.state).label} »."
        )
    return None


def _check(job_application, *, start_at: datetime.date, end_at: datetime.date):
    reason = prior_actions_refusal_reason(job_application)
    if reason:
        raise PriorActionError(reason)
    # applications.md §9: an inclusive range, so a one-day action starts and ends the same day.
    if end_at < start_at:
        raise PriorActionError({"end_at": DATES_IN_WRONG_ORDER})


def _lock(job_application):
    """Serialises the writes on the prior actions of one application (the first / last action rules count them)."""
    locked = JobApplication.objects.select_for_update().only("state").get(pk=job_application.pk)
    job_application.state = locked.state


def prior_action_add(*, job_application, user, kind, start_at, end_at) -> PriorAction:
    """Adds an action; the first one moves the application to `prior_to_hire` (applications.md §9).

    The same action (kind and dates) twice on one application means the form was posted twice (a double click): the
    one already recorded is returned.
    """
    with transaction.atomic():
        _lock(job_application)
        _check(job_application, start_at=start_at, end_at=end_at)
        same = job_application.prior_actions.filter(kind=kind, start_at=start_at, end_at=end_at).first()
        if same is not None:
            return same
        is_first = not job_application.prior_actions.exists()
        prior_action = PriorAction.objects.create(
            job_application=job_application, kind=kind, start_at=start_at, end_at=end_at
        )
        if is_first and job_application.state != State.PRIOR_TO_HIRE:
            transitions.move_to_prior_to_hire(job_application, user=user)
    return prior_action


def prior_action_update(prior_action, *, kind, start_at, end_at) -> PriorAction:
    """Changes an action's kind or dates; no state change."""
    job_application = prior_action.job_application
    with transaction.atomic():
        _lock(job_application)
        _check(job_application, start_at=start_at, end_at=end_at)
        prior_action.kind, prior_action.start_at, prior_action.end_at = kind, start_at, end_at
        prior_action.save(update_fields=["kind", "start_at", "end_at"])
    return prior_action


def prior_action_delete(prior_action, *, user):
    """Deletes an action; deleting the last one brings a `prior_to_hire` application back to `processing`
    (applications.md §9). In any other state (postponed after the actions, for instance) the state stays."""
    job_application = prior_action.job_application
    with transaction.atomic():
        _lock(job_application)
        reason = prior_actions_refusal_reason(job_application)
        if reason:
            raise PriorActionError(reason)
        prior_action.delete()
        if job_application.state == State.PRIOR_TO_HIRE and not job_application.prior_actions.exists():
            transitions.cancel_prior_to_hire(job_application, user=user)
