"""Access policies: application lists (issue 5)."""

POLICIES = {}
