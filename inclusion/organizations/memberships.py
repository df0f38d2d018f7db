"""Memberships (organizations.md §6): the one place where they are created, reactivated, promoted and deactivated."""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from inclusion.utils.emails import send_templated_email


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


# organizations.md §8.6, §9.3: an admin preferably, the oldest first.
CONTACT_ORDER = ("-is_admin", "joined_at", "pk")


def first_contact(organization):
    """Who to ask for an invitation: the first admin, else the first member, or None (organizations.md §8.6, §9.3).

    Uses `organization.contact_memberships` when the caller prefetched it (see `with_first_contacts`).
    """
    memberships = getattr(organization, "contact_memberships", None)
    if memberships is None:
        memberships = organization.memberships.active().select_related("user").order_by(*CONTACT_ORDER)[:1]
    return next((membership.user for membership in memberships), None)


def with_first_contacts(organizations):
    """The queryset of organizations with what `first_contact` needs prefetched: one query for all of them."""
    membership_model = organizations.model.memberships.rel.related_model
    return organizations.prefetch_related(
        Prefetch(
            "memberships",
            queryset=membership_model.objects.active().select_related("user").order_by(*CONTACT_ORDER),
            to_attr="contact_memberships",
        )
    )


def member_emails_context(membership, by):
    return {"organization": membership.organization, "member": membership.user, "by": by}


@transaction.atomic
def member_set_admin(*, membership, is_admin: bool, by):
    """Promotes or demotes an active member; the person is told by e-mail (organizations.md §6).

    Who may do it is decided by perms.can_change_member. Setting the flag it already has changes nothing.
    """
    if membership.is_admin == is_admin:
        return membership
    membership.is_admin = is_admin
    membership.updated_by = by
    membership.save(update_fields=["is_admin", "updated_by", "updated_at"])
    template = "member_promoted" if is_admin else "member_demoted"
    send_templated_email(
        [membership.user.email], f"organizations/emails/{template}", member_emails_context(membership, by)
    )
    return membership


@transaction.atomic
def member_deactivate(*, membership, by):
    """organizations.md §6: the member leaves; the row stays (history), without admin rights.

    Pending invitations of this organization sent by or to that person are expired, so that nobody joins through
    them afterwards. The person is told by e-mail.
    """
    now = timezone.now()
    membership.is_active = False
    membership.is_admin = False  # an inactive member is never an admin (database constraint)
    membership.updated_by = by
    membership.save(update_fields=["is_active", "is_admin", "updated_by", "updated_at"])
    user = membership.user
    by_or_to = Q(sender=user) | Q(email=user.email) if user.email else Q(sender=user)
    membership.organization.invitations.pending(now).filter(by_or_to).update(expires_at=now)
    send_templated_email(
        [user.email], "organizations/emails/member_deactivated", member_emails_context(membership, by)
    )
    return membership
