import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

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
    is_convergence = models.BooleanField("ACI Convergence / PHC", default=False)
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


# search_and_jobs.md §3.2.
MAX_HOURS_PER_WEEK = 48


class JobDescription(models.Model):
    """A job a company recruits for (fiche de poste), described by a ROME appellation."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(
        Company, verbose_name="entreprise", on_delete=models.CASCADE, related_name="job_descriptions"
    )
    appellation = models.ForeignKey(
        "jobs.Appellation", verbose_name="appellation ROME", on_delete=models.PROTECT, related_name="+"
    )
    custom_name = models.CharField("intitulé personnalisé", max_length=255, blank=True)
    description = models.TextField("missions", blank=True)
    profile_description = models.TextField("profil et prérequis", blank=True)
    contract_type = models.CharField("type de contrat", max_length=30, choices=enums.ContractType.choices)
    other_contract_type = models.CharField("autre type de contrat", max_length=255, blank=True)
    location = models.ForeignKey(
        "geo.Commune", verbose_name="lieu", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hours_per_week = models.PositiveSmallIntegerField("heures par semaine", null=True, blank=True)
    open_positions = models.PositiveSmallIntegerField("postes ouverts", default=1)
    is_resume_mandatory = models.BooleanField("CV obligatoire", default=False)
    is_active = models.BooleanField("recrutement ouvert", default=True)
    creation_source = models.CharField(
        "origine",
        max_length=10,
        choices=enums.JobDescriptionSource.choices,
        default=enums.JobDescriptionSource.MANUALLY,
    )
    last_employer_update_at = models.DateTimeField("dernière mise à jour par l'employeur", default=timezone.now)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "fiche de poste"
        verbose_name_plural = "fiches de poste"
        ordering = ["-is_active", "-last_employer_update_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True) | models.Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="jobdescription_hours_per_week_max",
                violation_error_message="La durée hebdomadaire ne peut pas dépasser 48 heures.",
            ),
            models.CheckConstraint(
                condition=models.Q(open_positions__gte=1),
                name="jobdescription_open_positions_min",
                violation_error_message="Il faut au moins un poste ouvert.",
            ),
            models.CheckConstraint(
                condition=~models.Q(contract_type=enums.ContractType.OTHER) | ~models.Q(other_contract_type=""),
                name="jobdescription_other_contract_type_named",
                violation_error_message="Précisez le type de contrat.",
            ),
        ]
        indexes = [models.Index(fields=["company", "is_active"], name="jobdescription_company_idx")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.custom_name or self.appellation.name

    def clean(self):
        if self.company_id is None:  # reported as a missing field; nothing to compare with
            return
        allowed = enums.contract_types_for(self.company.kind, is_convergence=self.company.is_convergence)
        if self.contract_type and self.contract_type not in allowed:
            raise ValidationError({"contract_type": "Ce type de contrat n'est pas proposé pour ce type de structure."})
