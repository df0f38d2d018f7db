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
