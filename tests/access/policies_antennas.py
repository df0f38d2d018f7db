"""Access policies: antenna creation."""

POLICIES = {}
