"""Joining an organization: the one place where memberships are created or reactivated (organizations.md §6)."""

from django.db import transaction


@transaction.atomic
def add_member(organization, user, *, by=None):
    """Makes `user` an active member; the first active member of an organization becomes its admin.

    A former member is reactivated (history is kept, never duplicated). Returns the membership.
    """
    # Lock the organization so that two people joining at once cannot both become "the first member".
    type(organization).objects.select_for_update().filter(pk=organization.pk).exists()
    is_first = not organization.memberships.active().exclude(user=user).exists()
    membership, created = organization.memberships.get_or_create(
        user=user, defaults={"is_admin": is_first, "updated_by": by}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.is_admin = is_first
        membership.updated_by = by
        membership.save(update_fields=["is_active", "is_admin", "updated_by", "updated_at"])
    return membership
