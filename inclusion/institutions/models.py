from django.conf import settings
from django.db import models

from inclusion.institutions.enums import DEPARTMENTAL_KINDS, InstitutionKind
from inclusion.organizations.models import (
    Invitation,
    Membership,
    Organization,
    invitation_constraints,
    invitation_indexes,
    membership_constraints,
)


class Institution(Organization):
    """A State service or partner network (DDETS, DREETS, DGEFP...) (organizations.md §10)."""

    organization_type = "institution"

    kind = models.CharField("type", max_length=20, choices=InstitutionKind.choices)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="InstitutionMembership",
        through_fields=("organization", "user"),
        related_name="institutions",
        verbose_name="membres",
    )

    class Meta:
        verbose_name = "institution"
        ordering = ["name"]
        constraints = [
            # One DDETS of each kind per department.
            models.UniqueConstraint(
                fields=["kind", "department"],
                condition=models.Q(kind__in=sorted(DEPARTMENTAL_KINDS)),
                name="institution_departmental_kind_unique",
                violation_error_message="Ce département a déjà une institution de ce type.",
            ),
        ]


class InstitutionMembership(Membership):
    organization = models.ForeignKey(
        Institution, verbose_name="institution", on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = "membre d'une institution"
        verbose_name_plural = "membres des institutions"
        constraints = membership_constraints("institution")


class InstitutionInvitation(Invitation):
    organization = models.ForeignKey(
        Institution, verbose_name="institution", on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(Invitation.Meta):
        verbose_name = "invitation dans une institution"
        verbose_name_plural = "invitations dans les institutions"
        constraints = invitation_constraints("institution")
        indexes = invitation_indexes("institution")
