"""Access rules about organizations. Each predicate is the one place its rule is decided."""

from inclusion.users.enums import UserKind


def can_switch_organization(user, organization):
    """A professional may act for any organization they are an active member of (organizations.md §1.1).

    The caller passes an organization taken from `request.organizations`, which holds only active memberships.
    """
    return user.is_authenticated and user.kind == UserKind.PROFESSIONAL and organization is not None
