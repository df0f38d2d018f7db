from django.db import models


class Origin(models.TextChoices):
    """pass_iae.md §3."""

    DEFAULT = "default", "Parcours normal d'embauche"
    ADMIN = "admin", "Délivrance manuelle par le support"
    PE_APPROVAL = "pe_approval", "Agrément Pôle emploi repris en PASS IAE"
    AI_STOCK = "ai_stock", "Stock des salariés d'AI (30 novembre 2021)"


ORIGINS_WITH_DIAGNOSIS = (Origin.DEFAULT, Origin.ADMIN)


class ApprovalState(models.TextChoices):
    """pass_iae.md §11, evaluated in this order."""

    EXPIRED = "EXPIRED", "Expiré"
    SUSPENDED = "SUSPENDED", "Valide (suspendu)"
    VALID = "VALID", "Valide"
    FUTURE = "FUTURE", "Valide (non démarré)"


class SuspensionReason(models.TextChoices):
    """pass_iae.md §13.1. The last six are legacy: displayed, never selectable."""

    CONTRACT_SUSPENDED = "CONTRACT_SUSPENDED", "Contrat de travail suspendu depuis plus de 15 jours"
    CONTRACT_BROKEN = "CONTRACT_BROKEN", "Contrat de travail rompu"
    FINISHED_CONTRACT = "FINISHED_CONTRACT", "Contrat de travail terminé"
    APPROVAL_BETWEEN_CTA_MEMBERS = (
        "APPROVAL_BETWEEN_CTA_MEMBERS",
        "Situation faisant l'objet d'un accord entre les acteurs membres du CTA (Comité technique d'animation)",
    )
    CONTRAT_PASSERELLE = "CONTRAT_PASSERELLE", "Bascule dans l'expérimentation contrat passerelle"
    SICKNESS = "SICKNESS", "Arrêt pour longue maladie"
    MATERNITY = "MATERNITY", "Congé de maternité"
    INCARCERATION = "INCARCERATION", "Incarcération"
    TRIAL_OUTSIDE_IAE = "TRIAL_OUTSIDE_IAE", "Période d'essai auprès d'un employeur ne relevant pas de l'IAE"
    DETOXIFICATION = "DETOXIFICATION", "Période de cure pour désintoxication"
    FORCE_MAJEURE = (
        "FORCE_MAJEURE",
        "Raison de force majeure conduisant le salarié à quitter son emploi ou toute autre situation faisant l'objet "
        "d'un accord entre les acteurs membres du CTA",
    )


CURRENT_SUSPENSION_REASONS = (
    SuspensionReason.CONTRACT_SUSPENDED,
    SuspensionReason.CONTRACT_BROKEN,
    SuspensionReason.FINISHED_CONTRACT,
    SuspensionReason.APPROVAL_BETWEEN_CTA_MEMBERS,
    SuspensionReason.CONTRAT_PASSERELLE,
)


class ProlongationReason(models.TextChoices):
    """pass_iae.md §14.1."""

    SENIOR_CDI = "SENIOR_CDI", "CDI conclu avec une personne de plus de 57 ans"
    COMPLETE_TRAINING = "COMPLETE_TRAINING", "Fin d'une formation"
    RQTH = "RQTH", "RQTH - Reconnaissance de la qualité de travailleur handicapé"
    SENIOR = "SENIOR", "50 ans et plus"
    PARTICULAR_DIFFICULTIES = (
        "PARTICULAR_DIFFICULTIES",
        "Difficultés particulièrement importantes dont l'absence de prise en charge ferait obstacle à l'insertion "
        "professionnelle",
    )
    HEALTH_CONTEXT = "HEALTH_CONTEXT", "Contexte sanitaire"


class ProlongationRequestStatus(models.TextChoices):
    """pass_iae.md §15.1."""

    PENDING = "PENDING", "À traiter"
    GRANTED = "GRANTED", "Acceptée"
    DENIED = "DENIED", "Refusée"


class ProlongationRequestDenyReason(models.TextChoices):
    """pass_iae.md §15.3."""

    IAE = "IAE", "L’IAE ne correspond plus aux besoins / à la situation de la personne."
    SIAE = "SIAE", "La typologie de SIAE ne correspond plus aux besoins / à la situation de la personne."
    DURATION = "DURATION", "La durée de prolongation demandée n’est pas adaptée à la situation du candidat."
    REASON = "REASON", "Le motif de prolongation demandé n’est pas adapté à la situation du candidat."


class ProlongationRequestDenyProposedAction(models.TextChoices):
    EXIT_IAE = "EXIT_IAE", "Accompagnement à la recherche d’emploi hors IAE"
    SOCIAL_PARTNER = "SOCIAL_PARTNER", "Orientation vers un partenaire de l’accompagnement social ou professionnel"
    OTHER = "OTHER", "Autre"


class FranceTravailNotificationStatus(models.TextChoices):
    """pass_iae.md §19: the outbox of PASS changes sent to France Travail."""

    PENDING = "pending", "À envoyer"
    READY = "ready", "Prêt à l'envoi"
    SUCCESS = "success", "Envoyé"
    ERROR = "error", "Erreur"


class ApprovalEventKind(models.TextChoices):
    """What the history of a PASS records (ARCHITECTURE.md: every change of an approval is logged)."""

    CREATED = "CREATED", "PASS IAE délivré"
    REUSED = "REUSED", "PASS IAE repris lors d'une embauche"
    START_REALIGNED = "START_REALIGNED", "Date de début alignée sur l'embauche"
    SUSPENSION_CREATED = "SUSPENSION_CREATED", "Suspension enregistrée"
    SUSPENSION_UPDATED = "SUSPENSION_UPDATED", "Suspension modifiée"
    SUSPENSION_DELETED = "SUSPENSION_DELETED", "Suspension supprimée"
    SUSPENSION_LIFTED = "SUSPENSION_LIFTED", "Suspension levée par une embauche"
    PROLONGATION_CREATED = "PROLONGATION_CREATED", "Prolongation enregistrée"
    PROLONGATION_UPDATED = "PROLONGATION_UPDATED", "Prolongation modifiée"
    PROLONGATION_DELETED = "PROLONGATION_DELETED", "Prolongation supprimée"
    REQUEST_CREATED = "REQUEST_CREATED", "Demande de prolongation envoyée"
    REQUEST_GRANTED = "REQUEST_GRANTED", "Demande de prolongation acceptée"
    REQUEST_DENIED = "REQUEST_DENIED", "Demande de prolongation refusée"
    TERMINATED = "TERMINATED", "PASS IAE clôturé par le support"
    DELETED = "DELETED", "PASS IAE supprimé"
