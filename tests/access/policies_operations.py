"""Access policies of the operations URLs (issue 6)."""

POLICIES = {}
