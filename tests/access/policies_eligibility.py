"""Access policies: eligibility (filled by the feature)."""

POLICIES = {}
