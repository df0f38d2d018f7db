"""One request of the access harness: a URL asked as a persona, and what is wrong with the answer.

Used by test_access_policy.py (every URL × persona) and test_perms_mutations.py (the same requests with a perms.py
check removed).
"""

from django.urls import reverse

from tests.access import personal_data
from tests.access.policies import POLICIES
from tests.access.rules import Outcome
from tests.users.auth import login


def request_as(client, world, persona, policy, url_name):
    user = world.user(persona)
    if user is not None:
        login(client, user)
    url = policy.url_for(url_name, world)
    data = policy.data(world) if policy.data else {}
    return url, getattr(client, policy.method)(url, data)


def outcome_of(response, url):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("login") + "?next="):
            return Outcome(302, "login")
        return Outcome(302, location)
    return Outcome(response.status_code)


def expected_outcome(outcome):
    if outcome.redirect_to and outcome.redirect_to != "login":
        return Outcome(302, reverse(outcome.redirect_to))
    return outcome


def failures(client, world, url_name, persona):
    """What differs from the declared policy: the outcome, and any personal data the persona may not see."""
    policy = POLICIES[url_name]
    url, response = request_as(client, world, persona, policy, url_name)
    label = f"{policy.method.upper()} {url} as {persona}"
    problems = []
    outcome, expected = outcome_of(response, url), expected_outcome(policy.expected[persona])
    if outcome != expected:
        problems.append(f"{label}: {outcome} instead of {expected}")
    problems.extend(f"{label} shows {leak}" for leak in personal_data.leaks(response, persona, world.user(persona)))
    return problems
