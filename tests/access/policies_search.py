"""Access policies: Public search, autocompletes, public cards of companies, job descriptions and prescribers."""

POLICIES = {}
