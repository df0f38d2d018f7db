"""Whether a company holds history: the single place the imports ask before deleting a company."""


def company_holds_history(company) -> bool:
    """True when deleting `company` would erase something people did with it (conventionnement.md §1.2).

    Today: any membership (active or not: a former member is history) or any invitation (pending, accepted or
    expired). The applications, diagnoses, PASS IAE, prolongation requests and evaluations will add their
    relations here when their apps exist (organizations.md §8.4); every import and clean-up job calls this
    function, so they will all respect the new rule at once.
    """
    return company.memberships.exists() or company.invitations.exists()
