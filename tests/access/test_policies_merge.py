"""The access policies are declared once per URL name (tests/access/policies.py)."""

import pytest

from tests.access import policies
from tests.access.personas import JOB_SEEKER
from tests.access.rules import OK, Policy, everyone


def test_a_url_declared_twice_is_refused():
    first, second = Policy(everyone(OK)), Policy(everyone(OK))
    with pytest.raises(ValueError, match="declared twice: dashboard"):
        policies.merge_policies({"home": first, "dashboard": first}, {"dashboard": second})


def test_the_merge_keeps_every_declaration():
    merged = policies.merge_policies({"home": Policy(everyone(OK))}, {"dashboard": Policy(everyone(OK))})
    assert list(merged) == ["home", "dashboard"]


def test_the_dashboard_policy_is_the_core_one():
    # applications.md §17: a job seeker with an incomplete profile goes to their profile first; the one policy of the
    # dashboard says it, where a reader looks for a core page.
    assert policies.POLICIES["dashboard"] is policies.CORE_POLICIES["dashboard"]
    assert policies.CORE_POLICIES["dashboard"].expected[JOB_SEEKER].redirect_to == "job_seeker_profile"
