"""Administrative criteria and eligibility diagnoses (eligibility.md).

The rules that use these objects (validity, precedence, counts, aid amounts) live in `rules.py`; this module only
holds the data and the invariants the database can enforce.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inclusion.eligibility.enums import AuthorKind, CertificationSource, CriteriaLevel, GEIQAnnex


class AdministrativeCriteria(models.Model):
    """One of the 18 IAE criteria (eligibility.md §3), seeded by `criteria.sync_criteria`."""

    code = models.CharField("code", max_length=20, primary_key=True)
    level = models.CharField("niveau", max_length=1, choices=CriteriaLevel.choices)
    name = models.CharField("libellé", max_length=255)
    desc = models.CharField("libellé long", max_length=255, blank=True)
    proof = models.TextField("justificatif", blank=True)
    proof_freshness = models.CharField("ancienneté maximale du justificatif", max_length=100, blank=True)
    ui_rank = models.PositiveSmallIntegerField("rang d'affichage dans le niveau")
    certifiable_by = models.CharField(
        "certifiable par", max_length=20, choices=CertificationSource.choices, blank=True
    )

    class Meta:
        verbose_name = "critère administratif IAE"
        verbose_name_plural = "critères administratifs IAE"
        ordering = ["level", "ui_rank"]

    def __str__(self):
        return self.name

    @property
    def is_certifiable(self):
        return bool(self.certifiable_by)


class GEIQAdministrativeCriteria(models.Model):
    """One of the 28 GEIQ criteria (eligibility.md §7.2)."""

    code = models.CharField("code", max_length=20, primary_key=True)
    name = models.CharField("libellé", max_length=255)
    annex = models.CharField("annexe", max_length=3, choices=GEIQAnnex.choices)
    level = models.CharField("niveau", max_length=1, choices=CriteriaLevel.choices, null=True, blank=True)  # noqa: DJ001 (eligibility.md §7.2: "level null")
    parent = models.ForeignKey(
        "self", verbose_name="critère parent", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    api_code = models.CharField("code de l'API Label", max_length=100, blank=True)
    slug = models.SlugField("clé de formulaire", max_length=30, unique=True)
    ui_rank = models.PositiveSmallIntegerField("rang d'affichage")

    class Meta:
        verbose_name = "critère administratif GEIQ"
        verbose_name_plural = "critères administratifs GEIQ"
        ordering = ["ui_rank"]
        constraints = [
            # eligibility.md §7.2: level null ⇔ annex ∈ {0, 1}; level ∈ {1, 2} ⇔ annex ∈ {2, 1+2}.
            models.CheckConstraint(
                condition=(Q(level__isnull=True) & Q(annex__in=[GEIQAnnex.NONE, GEIQAnnex.ANNEX_1]))
                | (Q(level__isnull=False) & Q(annex__in=[GEIQAnnex.ANNEX_2, GEIQAnnex.BOTH])),
                name="geiq_criteria_level_annex",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_certifiable(self):
        # eligibility.md §6.1: the same sources certify the same benefits whatever the diagnosis kind.
        return self.code in {"RSA", "AAH", "PI", "TH"}

    @property
    def certifiable_by(self):
        if self.code == "TH":
            return CertificationSource.FRANCE_TRAVAIL
        return CertificationSource.API_PARTICULIER if self.is_certifiable else ""


class SelectedCriteriaBase(models.Model):
    """A criterion ticked in a diagnosis, with its certification (eligibility.md §6.3).

    The certification period is an inclusive date range stored portably:
    - never attempted, or attempted with an error: `certification_period_empty` False and no start;
    - empty period (not certified): `certification_period_empty` True;
    - `[start, end]`, with `end` null for an open-ended period.
    """

    created_at = models.DateTimeField("créé le", default=timezone.now)
    certified_at = models.DateTimeField("certifié le", null=True, blank=True)
    certification_period_start = models.DateField("début de la période certifiée", null=True, blank=True)
    certification_period_end = models.DateField("fin de la période certifiée", null=True, blank=True)
    certification_period_empty = models.BooleanField("période certifiée vide", default=False)
    certification_data = models.JSONField("réponse brute du fournisseur", null=True, blank=True)
    last_certification_attempt_at = models.DateTimeField("dernière tentative de certification", null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def period_constraints(prefix):
        return [
            models.CheckConstraint(
                condition=Q(certification_period_empty=False)
                | (Q(certification_period_start__isnull=True) & Q(certification_period_end__isnull=True)),
                name=f"{prefix}_empty_period",
            ),
            models.CheckConstraint(
                condition=Q(certification_period_end__isnull=True)
                | (
                    Q(certification_period_start__isnull=False)
                    & Q(certification_period_end__gte=models.F("certification_period_start"))
                ),
                name=f"{prefix}_period_order",
            ),
        ]


class EligibilityDiagnosisQuerySet(models.QuerySet):
    def valid(self, on):
        # eligibility.md §2.3: valid ⇔ expires_at > today (expires_at is the first invalid day).
        return self.filter(expires_at__gt=on)

    def by_prescribers(self):
        return self.filter(author_kind=AuthorKind.PRESCRIBER)


class EligibilityDiagnosis(models.Model):
    """An IAE eligibility diagnosis (eligibility.md §2)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="candidat",
        on_delete=models.CASCADE,
        related_name="eligibility_diagnoses",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_kind = models.CharField("type de l'auteur", max_length=10, choices=AuthorKind.choices)
    author_siae = models.ForeignKey(
        "companies.Company",
        verbose_name="SIAE de l'auteur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    author_prescriber_organization = models.ForeignKey(
        "prescribers.PrescriberOrganization",
        verbose_name="organisation prescriptrice de l'auteur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    administrative_criteria = models.ManyToManyField(
        AdministrativeCriteria, through="SelectedAdministrativeCriteria", blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    expires_at = models.DateField("date d'expiration", help_text="Premier jour où le diagnostic n'est plus valide.")

    objects = EligibilityDiagnosisQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic d'éligibilité IAE"
        verbose_name_plural = "diagnostics d'éligibilité IAE"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["job_seeker", "-created_at"], name="diag_job_seeker_idx")]
        constraints = [
            # eligibility.md §2.1: each author kind has exactly its own link.
            models.CheckConstraint(
                condition=(
                    Q(author_kind=AuthorKind.PRESCRIBER)
                    & Q(author_prescriber_organization__isnull=False)
                    & Q(author_siae__isnull=True)
                )
                | (
                    Q(author_kind=AuthorKind.EMPLOYER)
                    & Q(author_siae__isnull=False)
                    & Q(author_prescriber_organization__isnull=True)
                ),
                name="diagnosis_author_links",
            ),
        ]

    def __str__(self):
        return f"Diagnostic IAE de {self.job_seeker} ({self.get_author_kind_display()})"

    @property
    def is_by_prescriber(self):
        return self.author_kind == AuthorKind.PRESCRIBER

    @property
    def author_structure(self):
        return self.author_prescriber_organization or self.author_siae


class SelectedAdministrativeCriteria(SelectedCriteriaBase):
    eligibility_diagnosis = models.ForeignKey(
        EligibilityDiagnosis, on_delete=models.CASCADE, related_name="selected_criteria"
    )
    administrative_criteria = models.ForeignKey(AdministrativeCriteria, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "critère sélectionné"
        verbose_name_plural = "critères sélectionnés"
        constraints = [
            models.UniqueConstraint(
                fields=["eligibility_diagnosis", "administrative_criteria"], name="selected_criteria_unique"
            ),
            *SelectedCriteriaBase.period_constraints("selected_criteria"),
        ]

    def __str__(self):
        return str(self.administrative_criteria)

    @property
    def criterion(self):
        return self.administrative_criteria


class GEIQEligibilityDiagnosisQuerySet(models.QuerySet):
    def valid(self, on):
        return self.filter(expires_at__gt=on)


class GEIQEligibilityDiagnosis(models.Model):
    """A GEIQ eligibility diagnosis (eligibility.md §7)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="candidat",
        on_delete=models.CASCADE,
        related_name="geiq_eligibility_diagnoses",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_kind = models.CharField("type de l'auteur", max_length=10, choices=AuthorKind.choices)
    author_geiq = models.ForeignKey(
        "companies.Company",
        verbose_name="GEIQ de l'auteur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    author_prescriber_organization = models.ForeignKey(
        "prescribers.PrescriberOrganization",
        verbose_name="organisation prescriptrice de l'auteur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    administrative_criteria = models.ManyToManyField(
        GEIQAdministrativeCriteria, through="GEIQSelectedAdministrativeCriteria", blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    expires_at = models.DateField("date d'expiration", help_text="Premier jour où le diagnostic n'est plus valide.")

    objects = GEIQEligibilityDiagnosisQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic d'éligibilité GEIQ"
        verbose_name_plural = "diagnostics d'éligibilité GEIQ"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["job_seeker", "-created_at"], name="geiq_diag_job_seeker_idx")]
        constraints = [
            # eligibility.md §7.1: exactly one of author GEIQ / author prescriber organization.
            models.CheckConstraint(
                condition=(
                    Q(author_kind=AuthorKind.PRESCRIBER)
                    & Q(author_prescriber_organization__isnull=False)
                    & Q(author_geiq__isnull=True)
                )
                | (
                    Q(author_kind=AuthorKind.GEIQ)
                    & Q(author_geiq__isnull=False)
                    & Q(author_prescriber_organization__isnull=True)
                ),
                name="geiq_diagnosis_author_links",
            ),
        ]

    def __str__(self):
        return f"Diagnostic GEIQ de {self.job_seeker} ({self.get_author_kind_display()})"

    @property
    def is_by_prescriber(self):
        return self.author_kind == AuthorKind.PRESCRIBER

    @property
    def author_structure(self):
        return self.author_prescriber_organization or self.author_geiq


class GEIQSelectedAdministrativeCriteria(SelectedCriteriaBase):
    eligibility_diagnosis = models.ForeignKey(
        GEIQEligibilityDiagnosis, on_delete=models.CASCADE, related_name="selected_criteria"
    )
    administrative_criteria = models.ForeignKey(GEIQAdministrativeCriteria, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "critère GEIQ sélectionné"
        verbose_name_plural = "critères GEIQ sélectionnés"
        constraints = [
            models.UniqueConstraint(
                fields=["eligibility_diagnosis", "administrative_criteria"], name="geiq_selected_criteria_unique"
            ),
            *SelectedCriteriaBase.period_constraints("geiq_selected_criteria"),
        ]

    def __str__(self):
        return str(self.administrative_criteria)

    @property
    def criterion(self):
        return self.administrative_criteria
