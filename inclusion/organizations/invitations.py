"""Invitations to join a company, a prescriber organization or an institution (organizations.md §7).

Every invitation rule lives here: who may be invited, how many may be pending, when an invitation can be accepted,
and what joining does. Views, forms and the login hook call these functions; they never re-check on their own.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from inclusion.companies.models import CompanyInvitation
from inclusion.institutions.models import InstitutionInvitation
from inclusion.organizations.current import SESSION_KEY
from inclusion.organizations.memberships import add_member
from inclusion.organizations.models import INVITATION_DEFAULT_VALIDITY_DAYS, MAX_PENDING_INVITATIONS
from inclusion.prescribers.enums import PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberInvitation
from inclusion.users.models import User
from inclusion.users.validators import FRANCE_TRAVAIL_EMAIL_SUFFIXES
from inclusion.utils.emails import absolute_url, send_templated_email

# The organization type in the acceptance URL → the invitation table (organizations.md §7: three types).
INVITATION_MODELS = {
    "company": CompanyInvitation,
    "prescriber": PrescriberInvitation,
    "institution": InstitutionInvitation,
}


@dataclass(frozen=True)
class Invitee:
    email: str
    first_name: str
    last_name: str


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email) or ""


def pending_invitations(organization, now=None):
    return organization.invitations.pending(now)


def remaining_invitation_slots(organization, now=None) -> int:
    """organizations.md §7: at most 50 pending invitations per organization."""
    return max(0, MAX_PENDING_INVITATIONS - pending_invitations(organization, now).count())


def requires_france_travail_email(organization) -> bool:
    # organizations.md §4.2: invitations to France Travail organizations require a France Travail e-mail.
    return organization.organization_type == "prescriber" and organization.kind == PrescriberOrganizationKind.FT


def invitee_email_error(organization, email: str) -> str | None:
    """Why `email` cannot be invited into `organization` (organizations.md §7), or None when it can."""
    email = normalize_email(email)
    if requires_france_travail_email(organization) and not email.endswith(FRANCE_TRAVAIL_EMAIL_SUFFIXES):
        return "Seule une adresse e-mail France Travail (@francetravail.fr ou @pole-emploi.fr) peut être invitée."
    user = User.objects.filter(email=email).first()
    if user is None:
        return None
    if not user.is_professional:
        return (
            "Cette adresse correspond à un compte candidat ou administrateur : seul un professionnel peut rejoindre "
            "une organisation."
        )
    if organization.memberships.active().filter(user=user).exists():
        return "Cette personne est déjà membre de l'organisation."
    return None


def invitation_url(invitation) -> str:
    path = reverse(
        "invitation_accept",
        kwargs={"organization_type": invitation.organization.organization_type, "invitation_uid": invitation.uid},
    )
    return absolute_url(path)


@transaction.atomic
def invitations_send(*, organization, sender, invitees: list[Invitee]):
    """Creates (or renews) one invitation per invitee and mails each of them the acceptance link.

    An address that already has a pending invitation gets it renewed (sent again, validity restarted) rather than a
    second one. Raises ValueError when the batch would exceed the pending limit: forms check it first with the same
    function, this is the last line against two batches sent at once.
    """
    # Lock the organization so that two batches sent at once cannot both pass the 50-pending limit.
    type(organization).objects.select_for_update().filter(pk=organization.pk).exists()
    now = timezone.now()
    pending = {invitation.email: invitation for invitation in pending_invitations(organization, now)}
    new_count = sum(1 for invitee in invitees if normalize_email(invitee.email) not in pending)
    if new_count > MAX_PENDING_INVITATIONS - len(pending):
        raise ValueError("Trop d'invitations en attente.")
    sent = []
    for invitee in invitees:
        email = normalize_email(invitee.email)
        invitation = pending.get(email) or organization.invitations.model(organization=organization, email=email)
        invitation.first_name, invitation.last_name = invitee.first_name, invitee.last_name
        invitation.sender, invitation.sent_at = sender, now
        invitation.validity_days = INVITATION_DEFAULT_VALIDITY_DAYS
        invitation.save()
        send_templated_email(
            [invitation.email],
            "organizations/emails/invitation",
            {
                "invitation": invitation,
                "organization": organization,
                "sender": sender,
                "url": invitation_url(invitation),
            },
        )
        sent.append(invitation)
    return sent


# Why an invitation cannot be accepted, as shown to the person who followed the link.
EXPIRED = "expired"
ALREADY_ACCEPTED = "accepted"
COMPANY_INACTIVE = "company_inactive"


def invitation_problem(invitation, now=None) -> str | None:
    """None when the invitation can still be accepted, else one of EXPIRED, ALREADY_ACCEPTED, COMPANY_INACTIVE."""
    if invitation.accepted_at is not None:
        return ALREADY_ACCEPTED
    if invitation.is_expired(now):  # README.md §2.2: expired ⇔ now ≥ sent_at + validity days
        return EXPIRED
    organization = invitation.organization
    # organizations.md §7: employer invitations are only acceptable while the company is active (not in grace period).
    if organization.organization_type == "company" and not organization.is_active:
        return COMPANY_INACTIVE
    return None


def can_accept_invitation(user, invitation) -> bool:
    """The invitee is the professional whose e-mail the invitation was sent to."""
    return user.is_authenticated and user.is_professional and user.email == invitation.email


@transaction.atomic
def invitation_accept(*, invitation, user):
    """Joins the organization: membership created or reactivated, invitation accepted, sender told by e-mail.

    Returns the membership. The caller has checked `invitation_problem` and `can_accept_invitation`; the row is
    locked and checked again here so that a double click cannot accept twice.
    """
    # No select_related: PostgreSQL cannot lock the nullable side (sender) of an outer join.
    invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
    if invitation_problem(invitation) is not None or not can_accept_invitation(user, invitation):
        raise ValueError("Cette invitation ne peut pas être acceptée.")
    membership = add_member(invitation.organization, user, by=invitation.sender)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if invitation.sender is not None:
        send_templated_email(
            [invitation.sender.email],
            "organizations/emails/invitation_accepted",
            {"invitation": invitation, "organization": invitation.organization, "member": user},
        )
    return membership


def pending_invitations_for(user, now=None):
    """Every pending invitation sent to the user's e-mail, whatever the organization type."""
    if not user.email:
        return []
    invitations = []
    for model in INVITATION_MODELS.values():
        invitations.extend(model.objects.pending(now).for_email(user.email).select_related("organization", "sender"))
    return invitations


def accept_pending_invitations(user):
    """organizations.md §7: at login, all pending invitations for the user's e-mail are accepted.

    Invitations that cannot be accepted (employer invitation to a company no longer active) stay pending.
    Returns the organizations joined.
    """
    if not user.is_professional:
        return []
    joined = []
    for invitation in pending_invitations_for(user):
        if invitation_problem(invitation) is not None:
            continue
        try:
            invitation_accept(invitation=invitation, user=user)
        except ValueError:  # accepted or expired by someone else since it was read: the login goes on
            continue
        joined.append(invitation.organization)
    return joined


def switch_to(request, organization):
    """organizations.md §7: on join, the current organization becomes the one joined."""
    request.session[SESSION_KEY] = organization.switch_key


@receiver(user_logged_in, dispatch_uid="organizations_accept_pending_invitations")
def accept_pending_invitations_at_login(sender, request, user, **kwargs):
    joined = accept_pending_invitations(user)
    if request is None or not joined:
        return
    switch_to(request, joined[0])
    for organization in joined:
        messages.success(request, f"Vous avez rejoint « {organization.display_name} ».", fail_silently=True)
