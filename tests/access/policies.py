"""The declared access policy of every URL of the project.

Each feature declares its URL names in its own module (policies_<feature>.py), merged here;
tests/access/test_access_policy.py fails for a URL without a policy and requests every declared URL as every persona.
A URL name is declared once: the merge refuses a second declaration rather than letting it override the first.
"""

from django.urls import reverse

from tests.access import (
    policies_antennas,
    policies_application_lists,
    policies_apply,
    policies_approvals,
    policies_eligibility,
    policies_employer,
    policies_followup,
    policies_hiring,
    policies_job_seekers,
    policies_members,
    policies_notifications,
    policies_operations,
    policies_processing,
    policies_search,
    policies_signup,
    policies_suspensions_prolongations,
    policies_two_factor,
)
from tests.access.personas import EMPLOYER, JOB_SEEKER
from tests.access.rules import NOT_FOUND, OK, Policy, anonymous_only, everyone, logged_in, redirect

CORE_POLICIES = {
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
    # Logged-in space. applications.md §17: a job seeker whose profile is incomplete (the JOB_SEEKER persona has no
    # address) completes it before the dashboard.
    "dashboard": Policy(logged_in(OK, **{JOB_SEEKER: redirect("job_seeker_profile")})),
    "switch_organization": Policy(
        logged_in(NOT_FOUND, **{EMPLOYER: redirect("dashboard")}),
        method="post",
        data=lambda world: {"organization": world.company.switch_key},
    ),
}


def merge_policies(*declarations):
    """One dict of every declared policy; a URL name declared twice is an error, not a silent override."""
    merged = {}
    for policies in declarations:
        if duplicated := sorted(merged.keys() & policies.keys()):
            raise ValueError(f"Access policy declared twice: {', '.join(duplicated)}")
        merged.update(policies)
    return merged


POLICIES = merge_policies(
    CORE_POLICIES,
    policies_search.POLICIES,
    policies_employer.POLICIES,
    policies_members.POLICIES,
    policies_signup.POLICIES,
    policies_antennas.POLICIES,
    policies_eligibility.POLICIES,
    policies_approvals.POLICIES,
    policies_suspensions_prolongations.POLICIES,
    policies_followup.POLICIES,
    policies_job_seekers.POLICIES,
    policies_apply.POLICIES,
    policies_processing.POLICIES,
    policies_hiring.POLICIES,
    policies_application_lists.POLICIES,
    policies_notifications.POLICIES,
    policies_two_factor.POLICIES,
    policies_operations.POLICIES,
)
