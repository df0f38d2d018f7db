from django.db import models


class InstitutionKind(models.TextChoices):
    """organizations.md §10."""

    DDETS_GEIQ = "DDETS GEIQ", "DDETS GEIQ"
    DDETS_IAE = "DDETS IAE", "DDETS IAE"
    DDETS_LOG = "DDETS LOG", "DDETS logement"
    DREETS_GEIQ = "DREETS GEIQ", "DREETS GEIQ"
    DREETS_IAE = "DREETS IAE", "DREETS IAE"
    DRIHL = "DRIHL", "DRIHL"
    DGEFP_GEIQ = "DGEFP GEIQ", "DGEFP GEIQ"
    DGEFP_IAE = "DGEFP IAE", "DGEFP IAE"
    DIHAL = "DIHAL", "DIHAL"
    CONVERGENCE = "CONVERGENCE", "Convergence France"
    FFGEIQ = "FFGEIQ", "Fédération française des GEIQ"
    IAE_NETWORK = "Réseau IAE", "Réseau IAE"
    OTHER = "Autre", "Autre"


DEPARTMENTAL_KINDS = frozenset({InstitutionKind.DDETS_GEIQ, InstitutionKind.DDETS_IAE, InstitutionKind.DDETS_LOG})
