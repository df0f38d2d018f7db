"""Who is acting: the request's user, a command, a background task, or "système" (platform_rules.md §1.4).

A context variable, so that the recorder (model signals, far from the view) knows the actor without it being passed
down through every rule. The middleware sets it for each request; commands and huey tasks run under `acting_as`.
The request's user is read only when an entry is written: setting the context costs no query.
"""

import contextlib
import contextvars
from dataclasses import dataclass

SYSTEM_LABEL = "système"
ANONYMOUS_LABEL = "visiteur non connecté"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str
    request_id: str = ""


@dataclass(frozen=True)
class _Context:
    request: object = None
    label: str = ""
    request_id: str = ""


_SYSTEM = _Context(label=SYSTEM_LABEL)
# Outside any request, command or task (a shell, a migration): "système".
_current = contextvars.ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def acting_as(label: str):
    """Changes made inside are recorded as made by `label` ("commande : import_siae", "tâche : …").

    Usable as a decorator too (`@acting_as("tâche : …")`); contexts nest, the innermost wins.
    """
    token = _current.set(_Context(label=label))
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def acting_for_request(request):
    token = _current.set(_Context(request=request))
    try:
        yield
    finally:
        _current.reset(token)


def _request_id(request) -> str:
    # Set by the request-id middleware of the structured logs, when it runs before this one.
    return str(getattr(request, "request_id", "") or "")[:64]


def current_actor() -> Actor:
    context = _current.get() or _SYSTEM
    request = context.request
    if request is None:
        return Actor(user_id=None, label=context.label, request_id=context.request_id)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Actor(user_id=None, label=ANONYMOUS_LABEL, request_id=_request_id(request))
    # The e-mail at the time of the change: it stays readable after the account changes or disappears.
    return Actor(user_id=user.pk, label=user.email or f"utilisateur n° {user.pk}", request_id=_request_id(request))


def forget_deleted_actor(user_pk):
    """The acting account is being deleted: what follows in this context is recorded under its e-mail only, so that
    no entry points to a row that is about to disappear (the reset of the enclosing context restores the rest)."""
    actor = current_actor()
    if actor.user_id is not None and actor.user_id == user_pk:
        _current.set(_Context(label=actor.label, request_id=actor.request_id))
