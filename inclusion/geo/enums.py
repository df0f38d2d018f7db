from django.db import models


class Zone(models.TextChoices):
    METRO = "metro", "Métropole"
    DROM = "drom", "Département ou région d'outre-mer"
    COM = "com", "Collectivité d'outre-mer"


class CommuneKind(models.TextChoices):
    COMMUNE = "COM", "Commune"
    ARRONDISSEMENT = "ARM", "Arrondissement municipal"


class ZrrStatus(models.TextChoices):
    CLASSEE = "C", "Classée en ZRR"
    NON_CLASSEE = "NC", "Non classée en ZRR"
    PARTIELLEMENT = "PC", "Partiellement classée en ZRR"


class FormerCodeRelation(models.TextChoices):
    FORMER_CODE = "ancien_code", "Ancien code"
    DELEGATED = "commune_deleguee", "Commune déléguée"
    ASSOCIATED = "commune_associee", "Commune associée"


class CountryKind(models.TextChoices):
    COUNTRY = "country", "Pays"
    FRENCH_OVERSEAS_COMMUNE = "french_overseas_commune", "Commune d'une collectivité d'outre-mer"


class CountryGroup(models.TextChoices):
    FRANCE = "1", "France"
    CEE = "2", "CEE"
    OUTSIDE_CEE = "3", "Hors CEE"
