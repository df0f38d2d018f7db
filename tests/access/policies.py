"""The declared access policy of every URL of the project.

Each later feature adds its URL names here; tests/access/test_access_policy.py fails for a URL without a
policy and requests every declared URL as every persona.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from tests.access.personas import ANONYMOUS, EMPLOYER, PERSONAS


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


POLICIES = {
    # Public pages.
    "home": Policy(everyone(OK)),
    "accessibility": Policy(everyone(OK)),
    "legal_notice": Policy(everyone(OK)),
    "personal_data": Policy(everyone(OK)),
    "no_organization": Policy(everyone(OK)),
    # Authentication.
    "login": Policy(anonymous_only("dashboard")),
    "job_seeker_signup": Policy(anonymous_only("dashboard")),
    "job_seeker_signup_done": Policy(everyone(OK)),
    "email_verification": Policy(
        everyone(OK), url=lambda world: reverse("email_verification", args=["MQ", "lien-invalide"])
    ),
    "logout": Policy(everyone(redirect("home")), method="post"),
    "password_reset": Policy(everyone(OK)),
    "password_reset_done": Policy(everyone(OK)),
    "password_reset_confirm": Policy(
        everyone(OK), url=lambda world: reverse("password_reset_confirm", args=["MQ", "lien-invalide"])
    ),
    "password_reset_complete": Policy(everyone(OK)),
    # Logged-in space.
    "dashboard": Policy(logged_in(OK)),
    "switch_organization": Policy(
        logged_in(NOT_FOUND, **{EMPLOYER: redirect("dashboard")}),
        method="post",
        data=lambda world: {"organization": world.company.switch_key},
    ),
}
