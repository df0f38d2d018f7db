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


class JobApplicationTransition(models.TextChoices):
    """applications.md §3: the 12 transitions (their table lives in `transitions.py`)."""

    PROCESS = "process", "Mise à l'étude"
    POSTPONE = "postpone", "Mise en attente"
    ADD_TO_POOL = "add_to_pool", "Mise au vivier"
    MOVE_TO_PRIOR_TO_HIRE = "move_to_prior_to_hire", "Passage en action préalable à l'embauche"
    CANCEL_PRIOR_TO_HIRE = "cancel_prior_to_hire", "Annulation de l'action préalable à l'embauche"
    ACCEPT = "accept", "Acceptation"
    REFUSE = "refuse", "Refus"
    CANCEL = "cancel", "Annulation de l'embauche"
    RENDER_OBSOLETE = "render_obsolete", "Embauché ailleurs"
    TRANSFER = "transfer", "Transfert"
    EXTERNAL_TRANSFER = "external_transfer", "Transfert vers une autre structure"
    RESET = "reset", "Réinitialisation"


class RefusalReason(models.TextChoices):
    """applications.md §7: French labels written once and kept stable (UI data)."""

    DID_NOT_COME = "did_not_come", "Candidat non joignable"
    DID_NOT_COME_TO_INTERVIEW = "did_not_come_to_interview", "Candidat non venu à l'entretien"
    HIRED_ELSEWHERE = "hired_elsewhere", "Candidat indisponible : en emploi"
    TRAINING = "training", "Candidat indisponible : en formation"
    NON_ELIGIBLE = "non_eligible", "Candidat non éligible"
    NOT_MOBILE = "not_mobile", "Candidat non mobile"
    NOT_INTERESTED = "not_interested", "Candidat non intéressé"
    LACKING_SKILLS = "lacking_skills", "Le candidat n'a pas encore les compétences requises pour ce poste"
    INCOMPATIBLE = "incompatible", "Freins à l'emploi incompatibles avec le poste proposé"
    PREVENT_OBJECTIVES = (
        "prevent_objectives",
        "L'embauche du candidat empêche la réalisation des objectifs du dialogue de gestion",
    )
    NO_POSITION = "no_position", "Pas de recrutement en cours"
    DUPLICATE = "duplicate", "Candidature en doublon"
    OTHER = "other", "Autre"
    # Historical or system reasons: kept for the existing refusals, never offered (applications.md §7).
    AUTO = "auto", "Refus automatique"
    APPROVAL_EXPIRATION_TOO_CLOSE = "approval_expiration_too_close", "La date de fin du PASS IAE est trop proche"
    UNAVAILABLE = "unavailable", "Candidat indisponible ou non intéressé par le poste"
    ELIGIBILITY_DOUBT = "eligibility_doubt", "Doute sur l'éligibilité du candidat"
    DEACTIVATION = "deactivation", "La structure n'est plus conventionnée"
    POORLY_INFORMED = "poorly_informed", "Candidature pas assez renseignée"

    @classmethod
    def historical(cls):
        return (
            cls.AUTO,
            cls.APPROVAL_EXPIRATION_TOO_CLOSE,
            cls.UNAVAILABLE,
            cls.ELIGIBILITY_DOUBT,
            cls.DEACTIVATION,
            cls.POORLY_INFORMED,
        )

    @classmethod
    def selectable(cls, *, for_geiq=False):
        """The (code, label) pairs an employer may pick; a GEIQ never refuses for eligibility or objectives."""
        excluded = set(cls.historical())
        if for_geiq:
            excluded |= {cls.NON_ELIGIBLE, cls.PREVENT_OBJECTIVES}
        return [(reason.value, reason.label) for reason in cls if reason not in excluded]


class GEIQContractType(models.TextChoices):
    """applications.md §8.2."""

    APPRENTICESHIP = "APPRENTICESHIP", "Contrat d'apprentissage"
    PROFESSIONAL_TRAINING = "PROFESSIONAL_TRAINING", "Contrat de professionnalisation"
    OTHER = "OTHER", "Autre type de contrat"


class QualificationType(models.TextChoices):
    STATE_DIPLOMA = "STATE_DIPLOMA", "Diplôme d'État ou titre homologué"
    CQP = "CQP", "Certificat de qualification professionnelle (CQP)"
    CCN = "CCN", "Positionnement de convention collective (CCN)"


class QualificationLevel(models.TextChoices):
    LEVEL_3 = "LEVEL_3", "Niveau 3 (CAP, BEP)"
    LEVEL_4 = "LEVEL_4", "Niveau 4 (BP, Bac général, technologique ou professionnel)"
    LEVEL_5_OR_MORE = "LEVEL_5_OR_MORE", "Niveau 5 ou plus (BTS, DUT, Licence…)"
    NOT_RELEVANT = "NOT_RELEVANT", "Non pertinent"


class PriorActionKind(models.TextChoices):
    """applications.md §9: "Mise en situation professionnelle" or "Pré-qualification" actions."""

    PMSMP = "PMSMP", "Période de mise en situation en milieu professionnel (PMSMP)"
    MRS = "MRS", "Méthode de recrutement par simulation (MRS)"
    STAGE = "STAGE", "Stage"
    OTHER_PROFESSIONAL_SITUATION = "OTHER_PROFESSIONAL_SITUATION", "Autre mise en situation professionnelle"
    LOCAL_PLAN = "LOCAL_PLAN", "Dispositif régional ou sectoriel"
    AFPR = "AFPR", "Action de formation préalable au recrutement (AFPR)"
    POE = "POE", "Préparation opérationnelle à l'emploi (POE)"
    OTHER_PRE_QUALIFICATION = "OTHER_PRE_QUALIFICATION", "Autre pré-qualification"


PROFESSIONAL_SITUATION_KINDS = (
    PriorActionKind.PMSMP,
    PriorActionKind.MRS,
    PriorActionKind.STAGE,
    PriorActionKind.OTHER_PROFESSIONAL_SITUATION,
)
