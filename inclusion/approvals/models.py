"""PASS IAE, suspensions, prolongations and prolongation requests (pass_iae.md).

Data and database invariants only: every rule that computes or changes dates lives in `rules.py`,
`suspensions.py` and `prolongations.py`, so that the views, the admin and the commands share it.

On PostgreSQL, exclusion constraints (migration 0002) forbid overlapping suspensions and prolongations of one PASS;
the same rule is checked in code on both databases.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from inclusion.applications.enums import SenderKind
from inclusion.approvals.enums import (
    ORIGINS_WITH_DIAGNOSIS,
    ApprovalEventKind,
    FranceTravailNotificationStatus,
    Origin,
    ProlongationReason,
    ProlongationRequestDenyReason,
    ProlongationRequestStatus,
    SuspensionReason,
)
from inclusion.companies.enums import CompanyKind
from inclusion.prescribers.enums import PrescriberOrganizationKind
from inclusion.utils import uploads


class FranceTravailNotificationMixin(models.Model):
    """pass_iae.md §19: every date change makes the item pending again."""

    ft_notification_status = models.CharField(
        "statut de la notification à France Travail",
        max_length=10,
        choices=FranceTravailNotificationStatus.choices,
        default=FranceTravailNotificationStatus.PENDING,
    )
    ft_notification_at = models.DateTimeField("notifié à France Travail le", null=True, blank=True)
    ft_notification_endpoint = models.CharField("point d'accès France Travail", max_length=100, blank=True)
    ft_notification_code = models.CharField("code retour France Travail", max_length=20, blank=True)

    class Meta:
        abstract = True


class OriginFactsMixin(models.Model):
    """pass_iae.md §3: facts copied from the application that created the PASS."""

    origin_siae_siret = models.CharField("SIRET de la SIAE d'origine", max_length=14, blank=True)
    origin_siae_kind = models.CharField(
        "type de la SIAE d'origine", max_length=10, choices=CompanyKind.choices, blank=True
    )
    origin_sender_kind = models.CharField(
        "type de l'émetteur de la candidature d'origine", max_length=10, choices=SenderKind.choices, blank=True
    )
    origin_prescriber_organization_kind = models.CharField(
        "type de l'organisation prescriptrice d'origine",
        max_length=20,
        choices=PrescriberOrganizationKind.choices,
        blank=True,
    )

    class Meta:
        abstract = True


def valid_on(on):
    """pass_iae.md §4: a PASS is valid on `on` ⇔ end_at ≥ on (a future PASS is valid)."""
    return Q(end_at__gte=on)


class ApprovalQuerySet(models.QuerySet):
    def valid(self, on):
        return self.filter(valid_on(on))


class Approval(FranceTravailNotificationMixin, OriginFactsMixin):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("numéro", max_length=12, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="titulaire", on_delete=models.PROTECT, related_name="approvals"
    )
    start_at = models.DateField("date de début", db_index=True)
    end_at = models.DateField("date de fin", db_index=True)
    origin = models.CharField("origine", max_length=20, choices=Origin.choices, default=Origin.DEFAULT)
    eligibility_diagnosis = models.ForeignKey(
        "eligibility.EligibilityDiagnosis",
        verbose_name="diagnostic d'éligibilité",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = "PASS IAE"
        verbose_name_plural = "PASS IAE"
        ordering = ["-created_at"]
        constraints = [
            # pass_iae.md §4: start < end strictly (start = end is how France Travail encodes a cancellation).
            models.CheckConstraint(condition=Q(start_at__lt=F("end_at")), name="approval_start_before_end"),
            # pass_iae.md §3: origins default and admin ⇔ a diagnosis.
            models.CheckConstraint(
                condition=(Q(origin__in=ORIGINS_WITH_DIAGNOSIS) & Q(eligibility_diagnosis__isnull=False))
                | (~Q(origin__in=ORIGINS_WITH_DIAGNOSIS) & Q(eligibility_diagnosis__isnull=True)),
                name="approval_origin_diagnosis",
            ),
            models.CheckConstraint(
                condition=Q(origin_siae_siret="") | Q(origin_siae_siret__regex=r"^[0-9]{14}$"),
                name="approval_origin_siret",
            ),
        ]
        indexes = [models.Index(fields=["user", "-end_at"], name="approval_user_end_idx")]
        permissions = [("handle_manual_approval_requests", "Traiter les demandes de PASS IAE manuelles")]

    def __str__(self):
        return self.number_with_spaces

    @property
    def number_with_spaces(self):
        """pass_iae.md §2: groups of 5, 2 and 5 characters."""
        return f"{self.number[:5]} {self.number[5:7]} {self.number[7:]}"


class CancelledApproval(FranceTravailNotificationMixin, OriginFactsMixin):
    """Snapshot written when a PASS is deleted (pass_iae.md §10); sent to France Travail with end = start."""

    number = models.CharField("numéro", max_length=12, unique=True)
    start_at = models.DateField("date de début")
    end_at = models.DateField("date de fin")
    user_last_name = models.CharField("nom", max_length=150, blank=True)
    user_first_name = models.CharField("prénom", max_length=150, blank=True)
    user_nir = models.CharField("NIR", max_length=15, blank=True)
    user_birthdate = models.DateField("date de naissance", null=True, blank=True)
    user_id_national_pe = models.CharField("identifiant France Travail obfusqué", max_length=64, blank=True)
    created_at = models.DateTimeField("annulé le", default=timezone.now)

    class Meta:
        verbose_name = "PASS IAE annulé"
        verbose_name_plural = "PASS IAE annulés"
        ordering = ["-created_at"]

    def __str__(self):
        return self.number


class ApprovalEvent(models.Model):
    """The history of a PASS: who changed what, when. Kept (with the number) after the PASS is deleted."""

    approval = models.ForeignKey(
        Approval, verbose_name="PASS IAE", on_delete=models.SET_NULL, null=True, related_name="events"
    )
    approval_number = models.CharField("numéro", max_length=12, db_index=True)
    kind = models.CharField("événement", max_length=30, choices=ApprovalEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("le", default=timezone.now)
    # Dates before and after the change, and whatever the event needs to be understood later.
    data = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "historique du PASS IAE"
        verbose_name_plural = "historiques des PASS IAE"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.approval_number})"


class Suspension(models.Model):
    """Inclusive range [start_at, end_at] (README.md §2.2)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    approval = models.ForeignKey(
        Approval, verbose_name="PASS IAE", on_delete=models.CASCADE, related_name="suspensions"
    )
    start_at = models.DateField("date de début")
    end_at = models.DateField("date de fin")
    siae = models.ForeignKey(
        "companies.Company", verbose_name="SIAE", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField("motif", max_length=30, choices=SuspensionReason.choices)
    reason_explanation = models.TextField("explications", blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="modifiée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "suspension"
        verbose_name_plural = "suspensions"
        ordering = ["-start_at"]
        constraints = [
            # pass_iae.md §13.2: a one-day suspension (start = end) is allowed.
            models.CheckConstraint(condition=Q(end_at__gte=F("start_at")), name="suspension_end_after_start"),
        ]

    def __str__(self):
        return f"Suspension du {self.start_at:%d/%m/%Y} au {self.end_at:%d/%m/%Y}"


def report_file_upload_to(instance, filename):
    """A random name, never the uploaded one: it could carry personal data or be guessed (platform_rules.md §6)."""
    return uploads.storage_name(uploads.REPORT_FILE)


class ProlongationFieldsMixin(models.Model):
    """What a prolongation and its request share (pass_iae.md §14.2, §15.3: the grant copies these)."""

    start_at = models.DateField("date de début")
    end_at = models.DateField("date de fin")
    reason = models.CharField("motif", max_length=30, choices=ProlongationReason.choices)
    reason_explanation = models.TextField("explications", blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déclarée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    declared_by_siae = models.ForeignKey(
        "companies.Company", verbose_name="SIAE déclarante", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prescriber_organization = models.ForeignKey(
        "prescribers.PrescriberOrganization",
        verbose_name="organisation du prescripteur habilité",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Served only through `prolongation_request_report`, which checks who asks; never from a public media URL.
    report_file = models.FileField("fiche bilan", upload_to=report_file_upload_to, blank=True)
    require_phone_interview = models.BooleanField("demande d'entretien téléphonique", default=False)
    contact_email = models.EmailField("e-mail de contact", blank=True)
    contact_phone = models.CharField("téléphone de contact", max_length=20, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        abstract = True


class ProlongationRequest(ProlongationFieldsMixin):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    approval = models.ForeignKey(
        Approval, verbose_name="PASS IAE", on_delete=models.CASCADE, related_name="prolongation_requests"
    )
    status = models.CharField(
        "statut",
        max_length=10,
        choices=ProlongationRequestStatus.choices,
        default=ProlongationRequestStatus.PENDING,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="prescripteur habilité sollicité",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    processed_at = models.DateTimeField("traitée le", null=True, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="traitée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField("dernière relance", null=True, blank=True)
    reminders_count = models.PositiveSmallIntegerField("nombre de relances", default=0)
    deny_reason = models.CharField(
        "motif de refus", max_length=10, choices=ProlongationRequestDenyReason.choices, blank=True
    )
    deny_reason_explanation = models.TextField("explications du refus", blank=True)
    # Null, or a non-empty list of ProlongationRequestDenyProposedAction values (pass_iae.md §15.3).
    deny_proposed_actions = models.JSONField("actions envisagées", null=True, blank=True)
    deny_proposed_actions_explanation = models.TextField("explications des actions envisagées", blank=True)

    class Meta:
        verbose_name = "demande de prolongation"
        verbose_name_plural = "demandes de prolongation"
        ordering = ["-created_at"]
        constraints = [
            # pass_iae.md §15.1: at most one pending request per PASS.
            models.UniqueConstraint(
                fields=["approval"],
                condition=Q(status=ProlongationRequestStatus.PENDING),
                name="one_pending_request_per_approval",
                violation_error_message="Une demande de prolongation est déjà en attente pour ce PASS IAE.",
            ),
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="prolongation_request_dates"),
            models.CheckConstraint(
                condition=Q(deny_proposed_actions__isnull=True) | ~Q(deny_proposed_actions=[]),
                name="prolongation_request_actions_not_empty",
            ),
        ]

    def __str__(self):
        return f"Demande de prolongation du PASS IAE {self.approval}"


class Prolongation(ProlongationFieldsMixin):
    """Half-open range [start_at, end_at): end_at becomes the inclusive PASS end (README.md §2.2)."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    approval = models.ForeignKey(
        Approval, verbose_name="PASS IAE", on_delete=models.CASCADE, related_name="prolongations"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.OneToOneField(
        ProlongationRequest,
        verbose_name="demande",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prolongation",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="modifiée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "prolongation"
        verbose_name_plural = "prolongations"
        ordering = ["-start_at"]
        constraints = [
            # pass_iae.md §14.2: at least one day.
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="prolongation_end_after_start"),
        ]

    def __str__(self):
        return f"Prolongation du {self.start_at:%d/%m/%Y} au {self.end_at:%d/%m/%Y}"
