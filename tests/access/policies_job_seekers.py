"""Access policies: job seekers (issue 5)."""

POLICIES = {}
