"""Access policies: approvals_prolongations (filled by the feature)."""

POLICIES = {}
