"""Access policies of the two_factor URLs (issue 6)."""

POLICIES = {}
