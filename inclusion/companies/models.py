import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from inclusion.companies import enums
from inclusion.companies.validators import parse_financial_annex_number, validate_financial_annex_number
from inclusion.organizations.models import (
    Invitation,
    Membership,
    Organization,
    invitation_constraints,
    invitation_indexes,
    membership_constraints,
)
from inclusion.users.validators import validate_naf, validate_siret
from inclusion.utils.dates import today

# organizations.md §8.4: members keep a partial access for 30 days after their convention is deactivated.
CONVENTION_GRACE_PERIOD = datetime.timedelta(days=30)


class Convention(models.Model):
    """The agreement between an SIAE and the State, identified by its ASP structure id (conventionnement.md §1.1).

    `is_active` is stored (set by the import from the financial annexes) so that searches can filter on it.
    """

    asp_id = models.PositiveIntegerField("identifiant ASP de la structure")
    kind = models.CharField("type", max_length=8, choices=enums.CompanyKind.choices)
    siret_signature = models.CharField("SIRET à la signature", max_length=14, validators=[validate_siret])
    is_active = models.BooleanField("active", default=True)
    deactivated_at = models.DateTimeField(
        "désactivée le", null=True, blank=True, help_text="Début de la période de grâce de 30 jours."
    )
    reactivated_at = models.DateTimeField("réactivée par le support le", null=True, blank=True)
    reactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réactivée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "convention"
        ordering = ["asp_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["asp_id", "kind"],
                name="convention_asp_id_kind_unique",
                violation_error_message="Une convention de ce type existe déjà pour cet identifiant ASP.",
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True, deactivated_at__isnull=True) | models.Q(is_active=False),
                name="convention_active_not_deactivated",
                violation_error_message="Une convention active n'a pas de date de désactivation.",
            ),
        ]

    def __str__(self):
        return f"{self.kind} - ASP {self.asp_id}"

    def reactivate(self, *, by=None, now=None):
        """Active again: after a new annex (import) or by the support (`by`), which protects it from the next
        imports' deactivation for 90 days (conventionnement.md §1.2)."""
        self.is_active, self.deactivated_at = True, None
        fields = ["is_active", "deactivated_at", "updated_at"]
        if by is not None:
            self.reactivated_at, self.reactivated_by = now or timezone.now(), by
            fields += ["reactivated_at", "reactivated_by"]
        self.save(update_fields=fields)

    def grace_period_end(self):
        if self.is_active or self.deactivated_at is None:
            return None
        return self.deactivated_at + CONVENTION_GRACE_PERIOD

    def is_in_grace_period(self, now=None):
        end = self.grace_period_end()
        return end is not None and (now or timezone.now()) < end


class FinancialAnnexQuerySet(models.QuerySet):
    def active(self, on=None):
        # conventionnement.md §1.1: VALIDE or PROVISOIRE, and ending strictly after today.
        return self.filter(state__in=enums.ACTIVE_FINANCIAL_ANNEX_STATES, end_at__gt=on or today())


class FinancialAnnex(models.Model):
    """Annexe financière: a yearly financial annex of a convention, with its funded posts."""

    number = models.CharField("numéro", max_length=30, unique=True, validators=[validate_financial_annex_number])
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="financial_annexes"
    )
    state = models.CharField("état", max_length=10, choices=enums.FinancialAnnexState.choices)
    start_at = models.DateField("début")
    end_at = models.DateField("fin")
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = FinancialAnnexQuerySet.as_manager()

    class Meta:
        verbose_name = "annexe financière"
        verbose_name_plural = "annexes financières"
        ordering = ["-start_at", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_at__lt=models.F("end_at")),
                name="financial_annex_start_before_end",
                violation_error_message="La fin de l'annexe financière doit suivre son début.",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number_pieces(self):
        return parse_financial_annex_number(self.number)

    def is_active(self, on=None):
        return self.state in enums.ACTIVE_FINANCIAL_ANNEX_STATES and self.end_at > (on or today())


# organizations.md §8.3, the active rule, written once as a query (search, lists) and once in Python (one company
# already loaded); tests/companies/test_activity.py checks that both agree on every case.
ALWAYS_ACTIVE_KINDS = frozenset({enums.CompanyKind.RESERVED})
# OPCS: active ⇔ searchable. GEIQ, EA, EATT: active while listed; the list imports hide (is_searchable = False)
# the companies that leave their list and hold history, so that their members lose access as for an SIAE.
ACTIVE_WHILE_SEARCHABLE_KINDS = frozenset(
    {enums.CompanyKind.OPCS, enums.CompanyKind.GEIQ, enums.CompanyKind.EA, enums.CompanyKind.EATT}
)


def _active_q(prefix=""):
    """`prefix` reads the company through a relation (e.g. "organization__"): one join, no subquery."""
    return (
        models.Q(**{f"{prefix}kind__in": ALWAYS_ACTIVE_KINDS})
        | models.Q(**{f"{prefix}kind__in": ACTIVE_WHILE_SEARCHABLE_KINDS, f"{prefix}is_searchable": True})
        | (
            models.Q(**{f"{prefix}kind__in": enums.SIAE_KINDS})
            & (
                models.Q(**{f"{prefix}source": enums.CompanySource.STAFF_CREATED})
                | models.Q(**{f"{prefix}convention__is_active": True})
            )
        )
    )


def _in_grace_period_q(now, prefix=""):
    return models.Q(
        **{
            f"{prefix}kind__in": enums.SIAE_KINDS,
            f"{prefix}convention__is_active": False,
            f"{prefix}convention__deactivated_at__gt": now - CONVENTION_GRACE_PERIOD,
        }
    ) & ~models.Q(**{f"{prefix}source": enums.CompanySource.STAFF_CREATED})


def active_company_q(prefix=""):
    """The condition of `Company.objects.active()`, read through a relation (`prefix`)."""
    return _active_q(prefix)


def active_or_in_grace_period_company_q(now, prefix=""):
    """The condition of `Company.objects.active_or_in_grace_period()`, read through a relation (`prefix`)."""
    return _active_q(prefix) | _in_grace_period_q(now, prefix)


class CompanyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active_company_q())

    def active_or_in_grace_period(self, now=None):
        return self.filter(active_or_in_grace_period_company_q(now or timezone.now()))

    def searchable(self):
        """What public searches show: active and searchable (organizations.md §8.4: never in grace period)."""
        return self.active().filter(is_searchable=True)


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
    convention = models.ForeignKey(
        Convention,
        verbose_name="convention",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="companies",
    )

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CompanyMembership",
        through_fields=("organization", "user"),
        related_name="companies",
        verbose_name="membres",
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = "entreprise"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret", "kind"],
                name="company_siret_kind_unique",
                violation_error_message="Une structure de ce type existe déjà avec ce SIRET.",
            ),
            # organizations.md §8.2: one ASP-source company per convention (antennas share it).
            models.UniqueConstraint(
                fields=["convention"],
                condition=models.Q(source=enums.CompanySource.ASP),
                name="company_one_asp_source_per_convention",
                violation_error_message="Cette convention a déjà une structure issue de la liste de l'ASP.",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "department"], name="company_kind_department_idx"),
            # Bounding-box prefilter of the distance search.
            models.Index(fields=["latitude", "longitude"], name="company_lat_lon_idx"),
        ]

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

    @property
    def is_active(self):
        """organizations.md §8.3 (same rule as CompanyQuerySet.active)."""
        if self.kind in ALWAYS_ACTIVE_KINDS:
            return True
        if self.kind in ACTIVE_WHILE_SEARCHABLE_KINDS:
            return self.is_searchable
        if self.source == enums.CompanySource.STAFF_CREATED:
            return True
        return self.convention is not None and self.convention.is_active

    def is_in_grace_period(self, now=None):
        # Only an SIAE depends on its convention (same rule as _in_grace_period_q).
        if self.is_active or not self.is_siae or self.convention is None:
            return False
        return self.convention.is_in_grace_period(now)

    def is_active_or_in_grace_period(self, now=None):
        return self.is_active or self.is_in_grace_period(now)

    @property
    def is_open_to_spontaneous_applications(self):
        # organizations.md §8.7.
        return not self.block_job_applications and self.spontaneous_applications_open_since is not None

    def open_spontaneous_applications(self, now=None):
        """Opens them, or confirms they stay open: the 90-day auto-closing counts from this moment (§8.7)."""
        self.spontaneous_applications_open_since = now or timezone.now()
        self.save(update_fields=["spontaneous_applications_open_since", "updated_at"])

    def close_spontaneous_applications(self):
        self.spontaneous_applications_open_since = None
        self.save(update_fields=["spontaneous_applications_open_since", "updated_at"])

    def block_applications(self, now=None):
        """organizations.md §8.7: hides the apply buttons and refuses applications from non-members."""
        self.block_job_applications = True
        self.job_applications_blocked_at = now or timezone.now()
        self.save(update_fields=["block_job_applications", "job_applications_blocked_at", "updated_at"])

    def unblock_applications(self):
        self.block_job_applications = False
        self.save(update_fields=["block_job_applications", "updated_at"])

    @property
    def can_have_antennas(self):
        # organizations.md §8.5: SIAE and GEIQ only (not OPCS, not EA / EATT).
        return self.kind in enums.ELIGIBILITY_KINDS


class CompanyMembership(Membership):
    organization = models.ForeignKey(
        Company, verbose_name="entreprise", on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = "membre d'une entreprise"
        verbose_name_plural = "membres des entreprises"
        constraints = membership_constraints("company")


class CompanyInvitation(Invitation):
    organization = models.ForeignKey(
        Company, verbose_name="entreprise", on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(Invitation.Meta):
        verbose_name = "invitation dans une entreprise"
        verbose_name_plural = "invitations dans les entreprises"
        constraints = invitation_constraints("company")
        indexes = invitation_indexes("company")


# search_and_jobs.md §3.2.
MAX_HOURS_PER_WEEK = 48


class JobDescriptionQuerySet(models.QuerySet):
    def active(self):
        """search_and_jobs.md §3.4: open for recruitment in an active company."""
        return self.filter(is_active=True, company__in=Company.objects.active())


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
    # search_and_jobs.md §3.2: OPCS only.
    market_context = models.TextField("contexte du marché", blank=True)
    is_qpv_mandatory = models.BooleanField("clause QPV", default=False)
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

    objects = JobDescriptionQuerySet.as_manager()

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

    def open_recruitment(self, now=None):
        """Opens (or confirms) the recruitment; search_and_jobs.md §3.4: re-opening refreshes the last update."""
        self.is_active = True
        self.last_employer_update_at = now or timezone.now()
        self.save(update_fields=["is_active", "last_employer_update_at", "updated_at"])

    def close_recruitment(self):
        self.is_active = False
        self.save(update_fields=["is_active", "updated_at"])

    def clean(self):
        if self.company_id is None:  # reported as a missing field; nothing to compare with
            return
        allowed = enums.contract_types_for(self.company.kind, is_convergence=self.company.is_convergence)
        if self.contract_type and self.contract_type not in allowed:
            raise ValidationError({"contract_type": "Ce type de contrat n'est pas proposé pour ce type de structure."})
