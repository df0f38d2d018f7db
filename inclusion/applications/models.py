"""Job applications (applications.md §1).

This holds the data the rules core needs (sender, target, hiring dates, diagnoses, PASS) and the state machine's
data (archiving, refusal, transfer, transition log). The transitions themselves live in `transitions.py`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inclusion.applications.enums import (
    PENDING_STATES,
    ApprovalDeliveryMode,
    GEIQContractType,
    JobApplicationState,
    JobApplicationTransition,
    Origin,
    PriorActionKind,
    QualificationLevel,
    QualificationType,
    RefusalReason,
    SenderKind,
)
from inclusion.utils import uploads


def resume_upload_to(instance, filename):
    """A random name, never the uploaded one: it could carry personal data or be guessed (applications.md §1,
    platform_rules.md §6)."""
    return uploads.storage_name(uploads.RESUME)


class JobApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state__in=PENDING_STATES)

    def accepted(self):
        return self.filter(state=JobApplicationState.ACCEPTED)


class JobApplication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="candidat", on_delete=models.CASCADE, related_name="job_applications"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="émetteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_job_applications",
    )
    sender_kind = models.CharField("type de l'émetteur", max_length=10, choices=SenderKind.choices)
    sender_company = models.ForeignKey(
        "companies.Company",
        verbose_name="entreprise émettrice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_job_applications",
    )
    sender_prescriber_organization = models.ForeignKey(
        "prescribers.PrescriberOrganization",
        verbose_name="organisation émettrice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_job_applications",
    )
    to_company = models.ForeignKey(
        "companies.Company",
        verbose_name="entreprise destinataire",
        on_delete=models.CASCADE,
        related_name="job_applications",
        db_index=False,  # the (company, state) and (company, date) indexes of Meta start with it
    )
    state = models.CharField(
        "état", max_length=20, choices=JobApplicationState.choices, default=JobApplicationState.NEW, db_index=True
    )
    selected_jobs = models.ManyToManyField(
        "companies.JobDescription", verbose_name="métiers recherchés", blank=True, related_name="job_applications"
    )
    hired_job = models.ForeignKey(
        "companies.JobDescription",
        verbose_name="poste retenu",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hirings",
    )
    message = models.TextField("message de candidature", blank=True)
    # Served only through a view that checks who asks (applications.md §15), never from a public media URL.
    resume = models.FileField("CV", upload_to=resume_upload_to, blank=True)
    answer = models.TextField("message de réponse", blank=True)
    answer_to_prescriber = models.TextField("message privé au prescripteur", blank=True)
    refusal_reason = models.CharField("motif de refus", max_length=30, choices=RefusalReason.choices, blank=True)
    refusal_reason_shared_with_job_seeker = models.BooleanField(
        "motif de refus partagé avec le candidat", default=False
    )

    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="archivée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # applications.md §10: internal transfer.
    transferred_at = models.DateTimeField("transférée le", null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="transférée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        "companies.Company",
        verbose_name="transférée depuis",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    hiring_start_at = models.DateField("date de début du contrat", null=True, blank=True)
    hiring_end_at = models.DateField("date prévisionnelle de fin du contrat", null=True, blank=True)
    origin = models.CharField("origine", max_length=20, choices=Origin.choices, default=Origin.DEFAULT)

    eligibility_diagnosis = models.ForeignKey(
        "eligibility.EligibilityDiagnosis",
        verbose_name="diagnostic d'éligibilité IAE",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_applications",
    )
    geiq_eligibility_diagnosis = models.ForeignKey(
        "eligibility.GEIQEligibilityDiagnosis",
        verbose_name="diagnostic d'éligibilité GEIQ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_applications",
    )
    approval = models.ForeignKey(
        "approvals.Approval",
        verbose_name="PASS IAE",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_applications",
    )
    approval_delivery_mode = models.CharField(
        "mode de délivrance du PASS IAE", max_length=10, choices=ApprovalDeliveryMode.choices, blank=True
    )
    approval_number_sent_by_email = models.BooleanField("PASS IAE envoyé par e-mail", default=False)
    approval_number_sent_at = models.DateTimeField("date d'envoi du PASS IAE", null=True, blank=True)
    approval_manually_delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="PASS IAE délivré manuellement par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_manually_delivered_at = models.DateTimeField("PASS IAE délivré manuellement le", null=True, blank=True)
    approval_manually_refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="PASS IAE refusé manuellement par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_manually_refused_at = models.DateTimeField("PASS IAE refusé manuellement le", null=True, blank=True)

    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    processed_at = models.DateTimeField("traitée le", null=True, blank=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acceptée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # applications.md §8.2: GEIQ contracts only.
    geiq_contract_type = models.CharField(
        "type de contrat", max_length=30, choices=GEIQContractType.choices, blank=True
    )
    geiq_contract_type_details = models.CharField("précisions sur le type de contrat", max_length=150, blank=True)
    geiq_hours_per_week = models.PositiveSmallIntegerField("nombre d'heures par semaine", null=True, blank=True)
    geiq_qualification_type = models.CharField(
        "type de qualification visée", max_length=20, choices=QualificationType.choices, blank=True
    )
    geiq_qualification_level = models.CharField(
        "niveau de qualification", max_length=20, choices=QualificationLevel.choices, blank=True
    )
    geiq_planned_training_hours = models.PositiveIntegerField("nombre d'heures de formation prévues", default=0)
    geiq_inverted_vae_contract = models.BooleanField("contrat associé à une VAE inversée", default=False)

    objects = JobApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["-created_at"]
        # The lists read one company's, organization's or sender's applications newest first. A lone index on
        # created_at led PostgreSQL to walk every application of the country backwards, filtering, to find the 20 of
        # a prescriber's sent list (0.4 s on 3 M applications, docs/performance.md).
        indexes = [
            models.Index(fields=["job_seeker", "state"], name="job_app_seeker_state_idx"),
            # Holds what the inbox's count and counters read (visibility window, archiving): PostgreSQL counts a
            # company's applications from the index alone. It and the next one serve the company's foreign key.
            models.Index(
                fields=["to_company", "state"], include=["created_at", "archived_at"], name="job_app_company_state_idx"
            ),
            models.Index(fields=["to_company", "-created_at"], name="job_application_received_idx"),
            models.Index(
                fields=["sender_prescriber_organization", "-created_at"], name="job_application_sent_org_idx"
            ),
            models.Index(fields=["sender", "-created_at"], name="job_application_sent_idx"),
        ]
        constraints = [
            # eligibility.md §1: never both an IAE and a GEIQ diagnosis.
            models.CheckConstraint(
                condition=Q(eligibility_diagnosis__isnull=True) | Q(geiq_eligibility_diagnosis__isnull=True),
                name="job_application_one_diagnosis",
            ),
            # applications.md §18.8: accepted-only fields are empty unless accepted.
            models.CheckConstraint(
                condition=Q(state=JobApplicationState.ACCEPTED)
                | (
                    Q(eligibility_diagnosis__isnull=True)
                    & Q(geiq_eligibility_diagnosis__isnull=True)
                    & Q(approval__isnull=True)
                ),
                name="job_application_accepted_fields",
            ),
            # applications.md §8.2: 1 to 48 hours a week; "VAE inversée" only with a professional training contract.
            models.CheckConstraint(
                condition=Q(geiq_hours_per_week__isnull=True)
                | Q(geiq_hours_per_week__gte=1, geiq_hours_per_week__lte=48),
                name="job_application_geiq_hours",
            ),
            models.CheckConstraint(
                condition=Q(geiq_inverted_vae_contract=False)
                | Q(geiq_contract_type=GEIQContractType.PROFESSIONAL_TRAINING),
                name="job_application_geiq_vae",
            ),
            models.CheckConstraint(
                condition=Q(hiring_end_at__isnull=True) | Q(hiring_end_at__gte=models.F("hiring_start_at")),
                name="job_application_hiring_dates",
            ),
            # applications.md §1: `archived_by` requires `archived_at`.
            models.CheckConstraint(
                condition=Q(archived_by__isnull=True) | Q(archived_at__isnull=False),
                name="job_application_archived_by_requires_at",
            ),
            # applications.md §1: never archived while accepted or prior_to_hire.
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True)
                | ~Q(state__in=[JobApplicationState.ACCEPTED, JobApplicationState.PRIOR_TO_HIRE]),
                name="job_application_not_archived_when_hired",
            ),
        ]

    def __str__(self):
        return f"Candidature de {self.job_seeker} chez {self.to_company}"

    @property
    def is_accepted(self):
        return self.state == JobApplicationState.ACCEPTED

    @property
    def is_sent_by_prescriber(self):
        """Sent by a prescriber, authorized or orienteur: the one who reads `answer_to_prescriber` (§1, §7)."""
        return self.sender_kind == SenderKind.PRESCRIBER

    @property
    def sender_kind_label(self):
        """applications.md §1 "sender kind display": a prescriber without organization or with a non-authorized one
        is an "Orienteur"; an employer applying to an SIAE is an "Employeur (SIAE)", to another company an
        "Employeur". Reads `sender_prescriber_organization` and `to_company`: select them in lists."""
        if self.sender_kind == SenderKind.PRESCRIBER:
            organization = self.sender_prescriber_organization
            return "Prescripteur habilité" if organization is not None and organization.is_authorized else "Orienteur"
        if self.sender_kind == SenderKind.EMPLOYER:
            return "Employeur (SIAE)" if self.to_company.is_siae else "Employeur"
        return SenderKind(self.sender_kind).label


class JobApplicationTransitionLog(models.Model):
    """applications.md §3: every transition is logged (from, to, user, timestamp, target company for transfers)."""

    job_application = models.ForeignKey(
        JobApplication, verbose_name="candidature", on_delete=models.CASCADE, related_name="logs"
    )
    transition = models.CharField("transition", max_length=30, choices=JobApplicationTransition.choices)
    from_state = models.CharField("état de départ", max_length=20, choices=JobApplicationState.choices)
    to_state = models.CharField("état d'arrivée", max_length=20, choices=JobApplicationState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_company = models.ForeignKey(
        "companies.Company",
        verbose_name="structure destinataire du transfert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        verbose_name = "changement d'état de candidature"
        verbose_name_plural = "changements d'état de candidature"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_transition_display()} : {self.get_from_state_display()} → {self.get_to_state_display()}"


class PriorAction(models.Model):
    """applications.md §9: an action before a GEIQ hiring (professional situation or pre-qualification)."""

    job_application = models.ForeignKey(
        JobApplication, verbose_name="candidature", on_delete=models.CASCADE, related_name="prior_actions"
    )
    kind = models.CharField("type d'action", max_length=30, choices=PriorActionKind.choices)
    start_at = models.DateField("date de début")
    end_at = models.DateField("date de fin")
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "action préalable à l'embauche"
        verbose_name_plural = "actions préalables à l'embauche"
        ordering = ["start_at", "pk"]
        constraints = [
            # Inclusive range: a one-day action starts and ends the same day.
            models.CheckConstraint(condition=Q(end_at__gte=models.F("start_at")), name="prior_action_dates"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.start_at:%d/%m/%Y} au {self.end_at:%d/%m/%Y}"


class JobApplicationComment(models.Model):
    """applications.md §15: internal comments, seen by the members of the target company only."""

    MAX_LENGTH = 2000

    job_application = models.ForeignKey(
        JobApplication, verbose_name="candidature", on_delete=models.CASCADE, related_name="comments"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name="entreprise", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("commentaire", max_length=MAX_LENGTH)
    created_at = models.DateTimeField("écrit le", default=timezone.now)

    class Meta:
        verbose_name = "commentaire interne"
        verbose_name_plural = "commentaires internes"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Commentaire sur {self.job_application_id}"
