"""The vocabulary of access policies: expected outcomes per persona."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from tests.access.personas import ANONYMOUS, PERSONAS


@dataclass(frozen=True)
class Outcome:
    status: int
    redirect_to: str = ""  # URL name, or "login" for the login page with ?next=

    def __str__(self):
        return f"{self.status} → {self.redirect_to}" if self.redirect_to else str(self.status)


OK = Outcome(200)
NOT_FOUND = Outcome(404)
FORBIDDEN = Outcome(403)
METHOD_NOT_ALLOWED = Outcome(405)
LOGIN = Outcome(302, "login")


def redirect(url_name):
    return Outcome(302, url_name)


@dataclass(frozen=True)
class Policy:
    expected: dict[str, Outcome]
    url: Callable = None  # world -> URL, for URLs with arguments
    method: str = "get"
    data: Callable = field(default=None)  # world -> POST data

    def url_for(self, url_name, world):
        return self.url(world) if self.url else reverse(url_name)


def everyone(outcome, **overrides):
    return {persona: overrides.get(persona, outcome) for persona in PERSONAS}


def logged_in(outcome, **overrides):
    return everyone(outcome, **{ANONYMOUS: LOGIN, **overrides})


def anonymous_only(redirect_others_to):
    return everyone(redirect(redirect_others_to), **{ANONYMOUS: OK})
