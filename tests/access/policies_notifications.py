"""Access policies: notifications (issue 5)."""

POLICIES = {}
