from django.db import models


class UserKind(models.TextChoices):
    JOB_SEEKER = "job_seeker", "candidat"
    PROFESSIONAL = "professional", "professionnel"
    STAFF = "staff", "administrateur"


class Title(models.TextChoices):
    M = "M", "Monsieur"
    MME = "MME", "Madame"


class IdentityProvider(models.TextChoices):
    DJANGO = "DJANGO", "Adresse e-mail et mot de passe"
    PRO_CONNECT = "PC", "ProConnect"
    FRANCE_CONNECT = "FC", "FranceConnect"
    FT_CONNECT = "PEC", "France Travail Connect"


class LackOfNIRReason(models.TextChoices):
    NO_NIR = "NO_NIR", "La personne n'a pas de numéro de sécurité sociale"
    NIR_ASSOCIATED_TO_OTHER = (
        "NIR_ASSOCIATED_TO_OTHER",
        "Le numéro de sécurité sociale est associé à une autre personne",
    )


class LackOfFranceTravailIdReason(models.TextChoices):
    FORGOTTEN = "FORGOTTEN", "Identifiant France Travail oublié"
    NOT_REGISTERED = "NOT_REGISTERED", "Non inscrit auprès de France Travail"


class EducationLevel(models.TextChoices):
    """ASP education level codes (organizations.md §3)."""

    NON_CERTIFYING = "00", "Qualifications non certifiantes"
    NEVER_SCHOOLED = "01", "Jamais scolarisé"
    THIRD_CYCLE = "10", "Troisième cycle ou école d'ingénieur"
    LICENCE = "20", "Formation de niveau licence"
    BTS_DUT = "30", "Formation de niveau BTS ou DUT"
    BAC = "40", "Formation de niveau bac"
    BT_BAC_PRO = "41", "Brevet de technicien ou bac professionnel"
    BEP_CAP = "50", "Formation de niveau BEP ou CAP"
    BEP_CAP_OBTAINED = "51", "Diplôme de niveau BEP ou CAP obtenu"
    SHORT_TRAINING = "60", "Formation courte d'une durée d'un an"
    COMPULSORY_SCHOOLING = "70", "Pas de formation au-delà de la scolarité obligatoire"


class DurationCode(models.TextChoices):
    """ASP duration codes of the administrative situation (organizations.md §3)."""

    LESS_THAN_6_MONTHS = "01", "Moins de 6 mois"
    FROM_6_TO_11_MONTHS = "02", "De 6 à 11 mois"
    FROM_12_TO_23_MONTHS = "03", "De 12 à 23 mois"
    MORE_THAN_24_MONTHS = "04", "24 mois et plus"


class RSAAllocation(models.TextChoices):
    NO = "NON", "Non"
    YES_WITH_MARKUP = "OUI-M", "Oui, avec majoration"
    YES_WITHOUT_MARKUP = "OUI-NM", "Oui, sans majoration"


class AssignmentAction(models.TextChoices):
    """organizations.md §5.5: the last thing a professional did for a job seeker."""

    CREATE = "CREATE", "Création du compte"
    APPLY = "APPLY", "Candidature"
    HIRE = "HIRE", "Embauche directe"
    ACCEPT = "ACCEPT", "Acceptation d'une candidature"
    IAE_ELIGIBILITY = "IAE_ELIGIBILITY", "Diagnostic d'éligibilité IAE"
    GEIQ_ELIGIBILITY = "GEIQ_ELIGIBILITY", "Diagnostic d'éligibilité GEIQ"
    SELF_ASSIGN = "SELF_ASSIGN", "Ajout au suivi"


class IdentityCertifier(models.TextChoices):
    """Sources able to certify a job seeker's identity (eligibility.md §6.3)."""

    API_PARTICULIER = "API_PARTICULIER", "API Particulier"
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", "France Travail"
