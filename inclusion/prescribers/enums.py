from django.db import models


class PrescriberOrganizationKind(models.TextChoices):
    """organizations.md §9.1; shown alphabetically by label."""

    AFPA = "AFPA", "Agence nationale pour la formation professionnelle des adultes"
    ASE = "ASE", "Aide sociale à l'enfance"
    ORIENTEUR = "Orienteur", "Autre organisation (orienteur)"
    CAARUD = (
        "CAARUD",
        "Centre d'accueil et d'accompagnement à la réduction de risques pour usagers de drogues",
    )
    CADA = "CADA", "Centre d'accueil de demandeurs d'asile"
    CAF = "CAF", "Caisse d'allocations familiales"
    CAP_EMPLOI = "CAP_EMPLOI", "Cap emploi"
    CAVA = "CAVA", "Centre d'adaptation à la vie active"
    CCAS = "CCAS", "Centre communal (ou intercommunal) d'action sociale"
    CHRS = "CHRS", "Centre d'hébergement et de réinsertion sociale"
    CHU = "CHU", "Centre d'hébergement d'urgence"
    CIDFF = "CIDFF", "Centre d'information sur les droits des femmes et des familles"
    CPH = "CPH", "Centre provisoire d'hébergement"
    CSAPA = "CSAPA", "Centre de soins, d'accompagnement et de prévention en addictologie"
    E2C = "E2C", "École de la deuxième chance"
    EPIDE = "EPIDE", "Établissement pour l'insertion dans l'emploi"
    FT = "FT", "France Travail"
    HUDA = "HUDA", "Hébergement d'urgence pour demandeurs d'asile"
    ML = "ML", "Mission locale"
    MSA = "MSA", "Mutualité sociale agricole"
    OACAS = (
        "OACAS",
        "Structure porteuse d'un agrément national organisme d'accueil communautaire et d'activité solidaire (OACAS)",
    )
    OIL = "OIL", "Opérateur d'intermédiation locative"
    ODC = "ODC", "Organisation délégataire d'un Conseil départemental (suivi des BRSA)"
    OHPD = "OHPD", "Organisme habilité par le préfet de département"
    OCASF = (
        "OCASF",
        "Organisme mentionné au 8° du I de l'article L. 312-1 du code de l'action sociale et des familles",
    )
    PENSION = "PENSION", "Pension de famille / résidence accueil"
    PIJ_BIJ = "PIJ_BIJ", "Point ou bureau information jeunesse"
    PJJ = "PJJ", "Protection judiciaire de la jeunesse"
    PLIE = "PLIE", "Plan local pour l'insertion et l'emploi"
    RS_FJT = "RS_FJT", "Résidence sociale / Foyer de jeunes travailleurs"
    PREVENTION = "PREVENTION", "Service ou club de prévention"
    DEPT = "DEPT", "Service social du conseil départemental"
    SPIP = "SPIP", "Service pénitentiaire d'insertion et de probation"
    OTHER = "Autre", "Autre"


# organizations.md §9.1: kinds the signup form does not offer.
KINDS_HIDDEN_AT_SIGNUP = frozenset(
    {
        PrescriberOrganizationKind.FT,
        PrescriberOrganizationKind.OHPD,
        PrescriberOrganizationKind.OCASF,
        PrescriberOrganizationKind.ORIENTEUR,
    }
)


class AuthorizationStatus(models.TextChoices):
    NOT_SET = "NOT_SET", "Habilitation en attente de validation"
    VALIDATED = "VALIDATED", "Habilitation validée"
    REFUSED = "REFUSED", "Habilitation refusée"
    NOT_REQUIRED = "NOT_REQUIRED", "Pas d'habilitation nécessaire"
