"""Access policies: apply (issue 5)."""

POLICIES = {}
