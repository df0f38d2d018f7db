from django.conf import settings
from django.db import models

from inclusion.companies import enums
from inclusion.organizations.models import Membership, Organization, membership_constraints
from inclusion.users.validators import validate_naf, validate_siret


class Company(Organization):
    """An inclusive employer: SIAE, GEIQ, EA / EATT or OPCS (organizations.md §8)."""

    organization_type = "company"

    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret], db_index=True)
    naf = models.CharField("code NAF", max_length=5, blank=True, validators=[validate_naf])
    kind = models.CharField("type", max_length=8, choices=enums.CompanyKind.choices)
    brand = models.CharField("enseigne", max_length=255, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("e-mail public", blank=True)
    auth_email = models.EmailField("e-mail officiel (listes de l'État)", blank=True)
    website = models.URLField("site web", blank=True)
    description = models.TextField("description", blank=True)
    provided_support = models.TextField("accompagnement proposé", blank=True)
    source = models.CharField("source", max_length=20, choices=enums.CompanySource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    block_job_applications = models.BooleanField("candidatures bloquées", default=False)
    job_applications_blocked_at = models.DateTimeField("candidatures bloquées le", null=True, blank=True)
    spontaneous_applications_open_since = models.DateTimeField(
        "candidatures spontanées ouvertes depuis", null=True, blank=True
    )
    job_app_score = models.FloatField("score de candidatures", null=True, blank=True)
    is_searchable = models.BooleanField("visible dans la recherche", default=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CompanyMembership",
        through_fields=("organization", "user"),
        related_name="companies",
        verbose_name="membres",
    )

    class Meta:
        verbose_name = "entreprise"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret", "kind"],
                name="company_siret_kind_unique",
                violation_error_message="Une structure de ce type existe déjà avec ce SIRET.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "department"], name="company_kind_department_idx")]

    @property
    def display_name(self):
        # organizations.md §8.2: the brand overrides the name on display.
        return self.brand or self.name

    @property
    def siren(self):
        return self.siret[:9]

    @property
    def is_siae(self):
        return self.kind in enums.SIAE_KINDS

    @property
    def is_subject_to_eligibility_rules(self):
        return self.kind in enums.ELIGIBILITY_KINDS


class CompanyMembership(Membership):
    organization = models.ForeignKey(
        Company, verbose_name="entreprise", on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = "membre d'une entreprise"
        verbose_name_plural = "membres des entreprises"
        constraints = membership_constraints("company")
