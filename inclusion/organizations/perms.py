"""Access rules about organizations. Each predicate is the one place its rule is decided."""


def can_switch_organization(user, organization):
    """A professional may act for an organization they are an active member of (organizations.md §1.1)."""
    if not (user.is_authenticated and user.is_professional and organization is not None):
        return False
    return organization.memberships.active().filter(user=user).exists()
