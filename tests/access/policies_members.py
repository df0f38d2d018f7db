"""Access policies: Members, invitations, prescriber organization signup."""

POLICIES = {}
