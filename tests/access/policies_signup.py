"""Access policies: professional signup (prescriber organizations, employers) and joining by magic link."""

POLICIES = {}
