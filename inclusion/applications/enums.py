from django.db import models


class JobApplicationState(models.TextChoices):
    """applications.md §2: the 9 states."""

    NEW = "new", "Nouvelle candidature"
    PROCESSING = "processing", "À l'étude"
    POSTPONED = "postponed", "En attente"
    PRIOR_TO_HIRE = "prior_to_hire", "Action préalable à l'embauche"
    POOL = "pool", "Vivier"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Déclinée"
    CANCELLED = "cancelled", "Embauche annulée"
    OBSOLETE = "obsolete", "Embauché ailleurs"


PENDING_STATES = (JobApplicationState.NEW, JobApplicationState.PROCESSING, JobApplicationState.POSTPONED)
PROCESSED_STATES = (
    JobApplicationState.ACCEPTED,
    JobApplicationState.REFUSED,
    JobApplicationState.CANCELLED,
    JobApplicationState.OBSOLETE,
)


class SenderKind(models.TextChoices):
    JOB_SEEKER = "job_seeker", "Demandeur d'emploi"
    PRESCRIBER = "prescriber", "Prescripteur"
    EMPLOYER = "employer", "Employeur"


class Origin(models.TextChoices):
    DEFAULT = "default", "Créée normalement via les emplois"
    PE_APPROVAL = "pe_approval", "Créée lors d'un import d'agrément Pôle emploi"
    AI_STOCK = "ai_stock", "Créée lors de l'import du stock AI"
    ADMIN = "admin", "Créée depuis l'admin"


class ApprovalDeliveryMode(models.TextChoices):
    AUTOMATIC = "automatic", "Automatique"
    MANUAL = "manual", "Manuel"
