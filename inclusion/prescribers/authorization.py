"""The authorization (habilitation) workflow of prescriber organizations (organizations.md §9.2).

Plain functions, called by the signup and by the back-office; they never trust their caller to have checked.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.prescribers.perms import can_manage_authorization
from inclusion.utils.emails import absolute_url, send_templated_email

Kind = PrescriberOrganizationKind
Status = AuthorizationStatus

# organizations.md §9.2: who may leave which status (super-admins may leave any).
VALIDATION_ALLOWED_FROM = frozenset({Status.NOT_SET, Status.REFUSED})
REFUSAL_ALLOWED_FROM = frozenset({Status.NOT_SET})


class AuthorizationError(Exception):
    """A transition the rules forbid; the message is French and shown as is."""


def status_for_kind(kind):
    """The status an organization starts with, or falls back to when its kind changes (organizations.md §9.2)."""
    return Status.NOT_REQUIRED if kind == Kind.OTHER else Status.NOT_SET


def validation_error(organization, by):
    """Why `by` may not validate the organization now, or None."""
    if not can_manage_authorization(by):
        return "Vous n'avez pas le droit de modifier l'habilitation des organisations."
    if organization.kind == Kind.OTHER:
        return (
            "Une organisation de type « Autre » ne peut pas être habilitée : choisissez d'abord son type, "
            "puis validez l'habilitation."
        )
    if organization.authorization_status not in VALIDATION_ALLOWED_FROM and not by.is_superuser:
        return (
            f"L'habilitation de « {organization.display_name} » ne peut être validée que si elle est en attente "
            f"ou refusée (statut actuel : {organization.get_authorization_status_display().lower()})."
        )
    return None


def refusal_error(organization, by):
    """Why `by` may not refuse the organization now, or None."""
    if not can_manage_authorization(by):
        return "Vous n'avez pas le droit de modifier l'habilitation des organisations."
    if organization.authorization_status not in REFUSAL_ALLOWED_FROM and not by.is_superuser:
        return (
            f"L'habilitation de « {organization.display_name} » ne peut être refusée que si elle est en attente "
            f"(statut actuel : {organization.get_authorization_status_display().lower()})."
        )
    # The refusal turns the kind into "Autre", and (SIRET, kind) is unique.
    duplicate = (
        PrescriberOrganization.objects.filter(siret=organization.siret, kind=Kind.OTHER)
        .exclude(pk=organization.pk)
        .exclude(siret="")
        .first()
    )
    if duplicate is not None:
        return (
            f"Refus impossible : l'organisation « {duplicate.display_name} » est déjà de type « Autre » avec le "
            f"même SIRET ({organization.siret}). Fusionnez ou corrigez les deux organisations d'abord."
        )
    return None


@transaction.atomic
def validate(organization, by):
    """organizations.md §9.2: the organization becomes authorized; its members are told."""
    organization = _locked(organization)
    if error := validation_error(organization, by):
        raise AuthorizationError(error)
    _set_status(organization, Status.VALIDATED, by)
    organization.save()
    _notify_members(organization, "prescribers/emails/authorization_validated")
    return organization


@transaction.atomic
def refuse(organization, by):
    """organizations.md §9.2: a refused organization becomes of kind "Autre"; its members are told."""
    organization = _locked(organization)
    if error := refusal_error(organization, by):
        raise AuthorizationError(error)
    organization.kind = Kind.OTHER
    _set_status(organization, Status.REFUSED, by)
    organization.save()
    _notify_members(organization, "prescribers/emails/authorization_refused")
    return organization


def apply_kind_change(organization, by):
    """organizations.md §9.2: a new kind resets the authorization (not saved: the caller saves)."""
    _set_status(organization, status_for_kind(organization.kind), by)


def notify_support_of_pending_organization(organization):
    """organizations.md §9.2: an organization created pending validation is e-mailed to the support."""
    support_email = settings.SUPPORT_EMAIL
    admin_path = reverse("admin:prescribers_prescriberorganization_change", args=[organization.pk])
    send_templated_email(
        [support_email],
        "prescribers/emails/authorization_requested",
        {"organization": organization, "admin_url": absolute_url(admin_path)},
    )


def _locked(organization):
    # Two support agents deciding at once: the second one sees the first decision.
    return PrescriberOrganization.objects.select_for_update().get(pk=organization.pk)


def _set_status(organization, status, by):
    organization.authorization_status = status
    organization.authorization_updated_at = timezone.now()
    organization.authorization_updated_by = by


def _notify_members(organization, template_prefix):
    emails = organization.memberships.active().values_list("user__email", flat=True)
    send_templated_email(list(emails), template_prefix, {"organization": organization})


# The two choices of the signup list that are not kinds (organizations.md §9.2).
KIND_NOT_FOUND = "NOT_FOUND"
KIND_UNAUTHORIZED = "UNAUTHORIZED"


def kind_and_status_at_signup(kind_choice, *, has_prefectoral_decision=None):
    """organizations.md §9.2: the kind and status of an organization created at signup.

    A listed kind waits for validation. "I don't find my kind" with a prefectoral authorization decision becomes
    "Autre" waiting for validation (the support asks for the proof); without one, and for an unauthorized
    organization (orienteur), "Autre" needing no authorization.
    """
    if kind_choice == KIND_NOT_FOUND:
        return Kind.OTHER, (Status.NOT_SET if has_prefectoral_decision else Status.NOT_REQUIRED)
    if kind_choice == KIND_UNAUTHORIZED:
        return Kind.OTHER, Status.NOT_REQUIRED
    return Kind(kind_choice), Status.NOT_SET
