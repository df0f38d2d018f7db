"""Access policies: professional signup (prescriber organizations, employers) and joining by magic link."""

from django.urls import reverse

from inclusion.companies.signup import make_magic_link_token
from tests.access.personas import ANONYMOUS, JOB_SEEKER, STAFF
from tests.access.rules import FORBIDDEN, NOT_FOUND, OK, Policy, anonymous_only, everyone, redirect
from tests.companies.factories import CompanyFactory


def join_link(world):
    # A company nobody has joined yet, as the magic link designates it.
    company = CompanyFactory(auth_email="direction@structure.example")
    return reverse("employer_signup_join", args=[make_magic_link_token(company)])


POLICIES = {
    "prescriber_signup": Policy(anonymous_only("dashboard")),
    "prescriber_signup_create": Policy(anonymous_only("dashboard")),
    "prescriber_signup_done": Policy(everyone(OK)),
    "prescriber_request_invitation": Policy(
        anonymous_only("dashboard"),
        url=lambda world: reverse("prescriber_request_invitation", args=[world.prescriber_organization.uid]),
    ),
    "employer_signup": Policy(anonymous_only("dashboard")),
    # An unknown structure: the anonymous visitor reaches the view (404), logged-in people are sent away first.
    "employer_signup_send_link": Policy(
        everyone(redirect("dashboard"), **{ANONYMOUS: NOT_FOUND}),
        method="post",
        data=lambda world: {"company": "00000000-0000-0000-0000-000000000000"},
    ),
    # Anyone holding the link may join with a professional account; other accounts are told to log out.
    "employer_signup_join": Policy(everyone(OK, **{JOB_SEEKER: FORBIDDEN, STAFF: FORBIDDEN}), url=join_link),
    "employer_signup_done": Policy(everyone(OK)),
}
