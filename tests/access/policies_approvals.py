"""Access policies: approvals (filled by the feature)."""

POLICIES = {}
