from django.conf import settings
from django.db import models

from inclusion.organizations.models import (
    Invitation,
    Membership,
    Organization,
    invitation_constraints,
    invitation_indexes,
    membership_constraints,
)
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.users.validators import validate_safir, validate_siret


class PrescriberOrganizationQuerySet(models.QuerySet):
    def authorized(self):
        return self.filter(authorization_status=AuthorizationStatus.VALIDATED)


class PrescriberOrganization(Organization):
    """An organization that orients job seekers; authorized (habilitée) ones certify eligibility (§9)."""

    organization_type = "prescriber"

    kind = models.CharField("type", max_length=20, choices=PrescriberOrganizationKind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret], db_index=True)
    is_brsa = models.BooleanField("conventionnée pour le suivi des BRSA", default=False)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("site web", blank=True)
    description = models.TextField("description", blank=True)
    code_safir_pole_emploi = models.CharField("code SAFIR", max_length=5, blank=True, validators=[validate_safir])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    authorization_status = models.CharField(
        "habilitation", max_length=20, choices=AuthorizationStatus.choices, default=AuthorizationStatus.NOT_SET
    )
    authorization_updated_at = models.DateTimeField("habilitation modifiée le", null=True, blank=True)
    authorization_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="habilitation modifiée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="PrescriberMembership",
        through_fields=("organization", "user"),
        related_name="prescriber_organizations",
        verbose_name="membres",
    )

    objects = PrescriberOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation prescriptrice"
        verbose_name_plural = "organisations prescriptrices"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret", "kind"],
                condition=~models.Q(siret=""),
                name="prescriber_siret_kind_unique",
                violation_error_message="Une organisation de ce type existe déjà avec ce SIRET.",
            ),
            models.UniqueConstraint(
                fields=["code_safir_pole_emploi"],
                condition=~models.Q(code_safir_pole_emploi=""),
                name="prescriber_safir_unique",
                violation_error_message="Une agence France Travail a déjà ce code SAFIR.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=PrescriberOrganizationKind.FT) | ~models.Q(siret=""),
                name="prescriber_siret_required_except_ft",
                violation_error_message="Le SIRET est obligatoire (sauf pour les agences France Travail).",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=PrescriberOrganizationKind.FT) | models.Q(code_safir_pole_emploi=""),
                name="prescriber_safir_only_ft",
                violation_error_message="Seules les agences France Travail ont un code SAFIR.",
            ),
            # organizations.md §9.2: "Autre" can never be authorized, and only "Autre" needs no authorization.
            models.CheckConstraint(
                condition=~models.Q(
                    kind=PrescriberOrganizationKind.OTHER, authorization_status=AuthorizationStatus.VALIDATED
                ),
                name="prescriber_other_kind_not_validated",
                violation_error_message="Une organisation de type « Autre » ne peut pas être habilitée.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=PrescriberOrganizationKind.OTHER)
                | ~models.Q(authorization_status=AuthorizationStatus.NOT_REQUIRED),
                name="prescriber_not_required_only_other_kind",
                violation_error_message="Seules les organisations de type « Autre » peuvent se passer d'habilitation.",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    kind=PrescriberOrganizationKind.ODC,
                    authorization_status=AuthorizationStatus.VALIDATED,
                    is_brsa=False,
                ),
                name="prescriber_validated_odc_is_brsa",
                violation_error_message="Une organisation délégataire habilitée suit forcément des BRSA.",
            ),
        ]
        indexes = [
            models.Index(fields=["authorization_status", "department"], name="prescriber_auth_dept_idx"),
            # Bounding-box prefilter of the prescriber search.
            models.Index(fields=["latitude", "longitude"], name="prescriber_lat_lon_idx"),
        ]

    @property
    def is_authorized(self):
        return self.authorization_status == AuthorizationStatus.VALIDATED

    def save(self, *args, **kwargs):
        # organizations.md §9.2: a validated ODC always follows RSA beneficiaries.
        if self.kind == PrescriberOrganizationKind.ODC and self.is_authorized:
            self.is_brsa = True
        super().save(*args, **kwargs)


class PrescriberMembership(Membership):
    organization = models.ForeignKey(
        PrescriberOrganization, verbose_name="organisation", on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = "membre d'une organisation prescriptrice"
        verbose_name_plural = "membres des organisations prescriptrices"
        constraints = membership_constraints("prescriber")


class PrescriberInvitation(Invitation):
    organization = models.ForeignKey(
        PrescriberOrganization, verbose_name="organisation", on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(Invitation.Meta):
        verbose_name = "invitation dans une organisation prescriptrice"
        verbose_name_plural = "invitations dans les organisations prescriptrices"
        constraints = invitation_constraints("prescriber")
        indexes = invitation_indexes("prescriber")
