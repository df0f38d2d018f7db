"""Access rules about organizations. Each predicate is the one place its rule is decided."""

from inclusion.organizations.current import is_active_member, role_for


def acts_as(user, organization, role) -> bool:
    """organizations.md §1.1: does `user`, acting for `organization`, hold `role`?

    `organization` is the current organization the middleware picked among the user's active ones (None for job
    seekers and staff), so the role follows from its type and authorization. Pages reserved to one role ask this
    before looking anything up.
    """
    return user.is_authenticated and role_for(user, organization) == role


def can_switch_organization(user, organization):
    """A professional may act for an organization they are an active member of (organizations.md §1.1)."""
    if not (user.is_authenticated and user.is_professional and organization is not None):
        return False
    return is_active_member(user, organization)


def member_management_blocked_reason(organization) -> str | None:
    """Why the members of `organization` cannot be managed, in French, or None.

    organizations.md §6 and §8.4: forbidden for a company that is not active, including during the 30-day grace period
    that follows the end of its convention.
    """
    if getattr(organization, "organization_type", None) != "company" or organization.is_active:
        return None
    if organization.is_in_grace_period():
        return (
            "La convention de cette structure n'est plus active : pendant le délai de grâce de 30 jours, la gestion "
            "des collaborateurs est suspendue. Contactez votre DDETS pour régulariser le conventionnement."
        )
    return "Cette structure n'est plus active : la gestion des collaborateurs n'est plus possible."


def can_view_members(user, organization):
    """Any active member sees the members of their current organization (organizations.md §6)."""
    return (
        user.is_authenticated
        and user.is_professional
        and organization is not None
        and member_management_blocked_reason(organization) is None
        and is_active_member(user, organization)
    )


def can_invite(user, organization):
    """organizations.md §7: any active member may invite (the admin flag is not required)."""
    return can_view_members(user, organization)


def is_admin_of(user, organization):
    """organizations.md §6: an active admin member of `organization` (admins manage the other members' rights)."""
    return (
        user.is_authenticated
        and user.is_professional
        and organization is not None
        and organization.memberships.admins().filter(user=user).exists()
    )


def can_change_member(actor, membership):
    """organizations.md §6: admins promote, demote and deactivate other active members, never themselves."""
    return (
        membership.is_active and membership.user_id != actor.pk and can_manage_members(actor, membership.organization)
    )


def can_manage_members(user, organization):
    """Admins manage members, unless member management is blocked for the organization (organizations.md §6, §8.4)."""
    return member_management_blocked_reason(organization) is None and is_admin_of(user, organization)
