from django.db import models


class AuthorKind(models.TextChoices):
    """eligibility.md §2.1."""

    PRESCRIBER = "prescriber", "Prescripteur habilité"
    EMPLOYER = "employer", "Employeur"
    GEIQ = "geiq", "GEIQ"


class CriteriaLevel(models.TextChoices):
    LEVEL_1 = "1", "Niveau 1"
    LEVEL_2 = "2", "Niveau 2"


class GEIQAnnex(models.TextChoices):
    """eligibility.md §7.2: annex `0` is a structural grouping item, hidden in summaries."""

    NONE = "0", "Aucune annexe"
    ANNEX_1 = "1", "Annexe 1"
    ANNEX_2 = "2", "Annexe 2"
    BOTH = "1+2", "Annexes 1 et 2"


class CertificationSource(models.TextChoices):
    """eligibility.md §6.1: the State data sources able to certify a criterion."""

    API_PARTICULIER = "API_PARTICULIER", "API Particulier"
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", "France Travail"


class CertificationState(models.TextChoices):
    """eligibility.md §6.5 (display)."""

    IN_PROGRESS = "IN_PROGRESS", "En cours"
    ERROR = "ERROR", "Erreur"
    NOT_CERTIFIED = "NOT_CERTIFIED", "Non certifié"
    CERTIFIED = "CERTIFIED", "Certifié"
    CERTIFIED_TEMPORARILY = "CERTIFIED_TEMPORARILY", "Certifié temporairement"
    FUTURE = "FUTURE", "À venir"
    EXPIRED = "EXPIRED", "Expiré"
