"""Access policies: processing (issue 5)."""

POLICIES = {}
