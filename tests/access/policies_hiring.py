"""Access policies: hiring (issue 5)."""

POLICIES = {}
