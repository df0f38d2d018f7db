from django.db import models


class CompanyKind(models.TextChoices):
    ACI = "ACI", "Atelier chantier d'insertion"
    AI = "AI", "Association intermédiaire"
    EA = "EA", "Entreprise adaptée"
    EATT = "EATT", "Entreprise adaptée de travail temporaire"
    EI = "EI", "Entreprise d'insertion"
    EITI = "EITI", "Entreprise d'insertion par le travail indépendant"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion"
    GEIQ = "GEIQ", "Groupement d'employeurs pour l'insertion et la qualification"
    OPCS = "OPCS", "Organisation porteuse de la clause sociale"
    # Internal: hosts external job offers, never selectable (organizations.md §8.1).
    RESERVED = "RESERVED", "Réservé"

    @classmethod
    def selectable(cls):
        return [(kind.value, kind.label) for kind in cls if kind != cls.RESERVED]


# README.md §2.4: the SIAE are exactly these five kinds; they alone are subject to the PASS IAE.
SIAE_KINDS = frozenset({CompanyKind.ACI, CompanyKind.AI, CompanyKind.EI, CompanyKind.EITI, CompanyKind.ETTI})
# README.md §2.4: subject to eligibility rules = SIAE + GEIQ.
ELIGIBILITY_KINDS = SIAE_KINDS | {CompanyKind.GEIQ}


class CompanySource(models.TextChoices):
    ASP = "ASP", "Liste des structures de l'ASP"
    GEIQ = "GEIQ", "Liste des GEIQ"
    EA_EATT = "EA_EATT", "Liste des EA et EATT"
    USER_CREATED = "USER_CREATED", "Créée par un utilisateur"
    STAFF_CREATED = "STAFF_CREATED", "Créée par le support"


class ContractType(models.TextChoices):
    FIXED_TERM_I = "FIXED_TERM_I", "CDD insertion"
    FIXED_TERM_USAGE = "FIXED_TERM_USAGE", "CDD d'usage"
    TEMPORARY = "TEMPORARY", "Mission d'intérim"
    PROFESSIONAL_TRAINING = "PROFESSIONAL_TRAINING", "Contrat de professionnalisation"
    APPRENTICESHIP = "APPRENTICESHIP", "Contrat d'apprentissage"
    PERMANENT = "PERMANENT", "CDI"
    FIXED_TERM = "FIXED_TERM", "CDD"
    FIXED_TERM_TREMPLIN = "FIXED_TERM_TREMPLIN", "CDD Tremplin"
    PERMANENT_I = "PERMANENT_I", "CDI inclusion"
    BUSINESS_CREATION = "BUSINESS_CREATION", "Accompagnement à la création d'entreprise"
    FIXED_TERM_I_PHC = "FIXED_TERM_I_PHC", "CDD-I PHC"
    FIXED_TERM_I_CVG = "FIXED_TERM_I_CVG", "CDD-I CVG"
    OTHER = "OTHER", "Autre type de contrat"


_SIAE_CONTRACTS = (
    ContractType.FIXED_TERM_I,
    ContractType.FIXED_TERM_USAGE,
    ContractType.TEMPORARY,
    ContractType.PROFESSIONAL_TRAINING,
)
_EA_CONTRACTS = (
    ContractType.PERMANENT,
    ContractType.FIXED_TERM,
    ContractType.TEMPORARY,
    ContractType.FIXED_TERM_TREMPLIN,
    ContractType.APPRENTICESHIP,
    ContractType.PROFESSIONAL_TRAINING,
)
# search_and_jobs.md §3.3: the contract types a job description may offer, per company kind ("autre" always).
CONTRACT_TYPES_BY_KIND = {
    CompanyKind.AI: _SIAE_CONTRACTS,
    CompanyKind.ACI: _SIAE_CONTRACTS,
    CompanyKind.EI: _SIAE_CONTRACTS,
    CompanyKind.ETTI: _SIAE_CONTRACTS,
    CompanyKind.EITI: (ContractType.BUSINESS_CREATION,),
    CompanyKind.GEIQ: (ContractType.APPRENTICESHIP, ContractType.PROFESSIONAL_TRAINING),
    CompanyKind.EA: _EA_CONTRACTS,
    CompanyKind.EATT: _EA_CONTRACTS,
    CompanyKind.OPCS: (
        ContractType.PERMANENT,
        ContractType.FIXED_TERM,
        ContractType.APPRENTICESHIP,
        ContractType.PROFESSIONAL_TRAINING,
    ),
    CompanyKind.RESERVED: (),
}
# ACI flagged Convergence / PHC offer two more.
CONVERGENCE_EXTRA_CONTRACT_TYPES = (ContractType.FIXED_TERM_I_PHC, ContractType.FIXED_TERM_I_CVG)


def contract_types_for(kind, *, is_convergence=False):
    types = CONTRACT_TYPES_BY_KIND[kind]
    if kind == CompanyKind.ACI and is_convergence:
        types += CONVERGENCE_EXTRA_CONTRACT_TYPES
    return (*types, ContractType.OTHER)


class JobDescriptionSource(models.TextChoices):
    MANUALLY = "MANUALLY", "Créée par l'employeur"
    HIRING = "HIRING", "Créée lors d'une embauche"


class FinancialAnnexState(models.TextChoices):
    VALID = "VALIDE", "Validée"
    PROVISIONAL = "PROVISOIRE", "Provisoire"
    ARCHIVED = "HISTORISE", "Historisée"
    CANCELLED = "ANNULE", "Annulée"
    ENTERED = "SAISI", "Saisie"
    DRAFT = "BROUILLON", "Brouillon"
    CLOSED = "CLOTURE", "Clôturée"
    REJECTED = "REJETE", "Rejetée"


# conventionnement.md §1.1: only these states make an annex (and so its convention) active.
ACTIVE_FINANCIAL_ANNEX_STATES = frozenset({FinancialAnnexState.VALID, FinancialAnnexState.PROVISIONAL})
