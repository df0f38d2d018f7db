"""Access policies: The employer space: company card edition, job descriptions, spontaneous applications, blocking."""

POLICIES = {}
