"""Validators of the identifiers of the field, exactly as organizations.md §4 states them."""

import datetime
import re
import string

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

NIR_LENGTH = 15
NIR_SEX_DIGITS = "123478"
NIR_MALE_DIGITS = "137"
NIR_LAYOUT = re.compile(r"^\d{5}(\d{2}|2A|2B)\d{8}$", re.ASCII)
# Corsican departments are replaced by numbers to compute the key (organizations.md §4.1, 6).
NIR_CORSICA_SUBSTITUTIONS = {"2A": "19", "2B": "18"}
# organizations.md §4.2: strictly between 16 and 100 years old.
BIRTHDATE_MIN_AGE_YEARS = 16
BIRTHDATE_MAX_AGE_YEARS = 100
FRANCE_TRAVAIL_EMAIL_SUFFIXES = ("@pole-emploi.fr", "@francetravail.fr")


def normalize_nir(value: str) -> str:
    return "".join(value.split()).upper()


def _nir_month_is_valid(month: int) -> bool:
    # Real months, then the fictitious ranges used when the month of birth is unknown.
    return 1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99


def nir_key(first_13: str) -> int:
    department = first_13[5:7]
    digits = first_13[:5] + NIR_CORSICA_SUBSTITUTIONS.get(department, department) + first_13[7:]
    return 97 - int(digits) % 97


def validate_nir(value: str) -> None:
    nir = normalize_nir(value)
    if len(nir) > NIR_LENGTH:
        raise ValidationError("Le numéro de sécurité sociale est trop long (15 caractères attendus).", "nir_too_long")
    if len(nir) < NIR_LENGTH:
        raise ValidationError(
            "Le numéro de sécurité sociale est trop court (15 caractères attendus).", "nir_too_short"
        )
    if not NIR_LAYOUT.match(nir):
        raise ValidationError(
            "Le numéro de sécurité sociale ne doit contenir que des chiffres (et 2A ou 2B pour la Corse).",
            "nir_layout",
        )
    if nir[0] not in NIR_SEX_DIGITS:
        raise ValidationError("Le numéro de sécurité sociale doit commencer par 1, 2, 3, 4, 7 ou 8.", "nir_sex_digit")
    if not _nir_month_is_valid(int(nir[3:5])):
        raise ValidationError(
            "Le mois de naissance du numéro de sécurité sociale (4e et 5e chiffres) n'est pas valide.", "nir_month"
        )
    if nir_key(nir[:13]) != int(nir[13:]):
        raise ValidationError(
            "La clé de contrôle du numéro de sécurité sociale ne correspond pas : vérifiez chaque chiffre.", "nir_key"
        )
    if nir in settings.NIR_DENYLIST:
        raise ValidationError(
            "Ce numéro de sécurité sociale est un exemple tiré d'une documentation : saisissez le vrai numéro.",
            "nir_specimen",
        )


def nir_identity_errors(nir: str, *, title: str | None, birthdate: datetime.date | None) -> list[str]:
    """Inconsistencies between a valid NIR and the title / birthdate typed beside it (organizations.md §4.1)."""
    nir = normalize_nir(nir)
    errors = []
    if title:
        expected_title = "M" if nir[0] in NIR_MALE_DIGITS else "MME"
        if title != expected_title:
            errors.append("La civilité ne correspond pas au premier chiffre du numéro de sécurité sociale.")
    if birthdate and nir[0] in "12":
        month = int(nir[3:5])
        if 1 <= month <= 12:
            if nir[1:5] != birthdate.strftime("%y%m"):
                errors.append("L'année et le mois de naissance ne correspondent pas au numéro de sécurité sociale.")
        elif nir[1:3] != birthdate.strftime("%y"):
            errors.append("L'année de naissance ne correspond pas au numéro de sécurité sociale.")
    return errors


def validate_birthdate(value: datetime.date) -> None:
    today = timezone.localdate()
    if not today - relativedelta(years=BIRTHDATE_MAX_AGE_YEARS) < value:
        raise ValidationError("La personne doit avoir moins de 100 ans.", "birthdate_too_old")
    if not value < today - relativedelta(years=BIRTHDATE_MIN_AGE_YEARS):
        raise ValidationError("La personne doit avoir plus de 16 ans.", "birthdate_too_young")


def validate_france_travail_id(value: str) -> None:
    if not value.isascii() or not re.fullmatch(r"\d{7}[0-9A-Za-z]|\d{11}", value):
        raise ValidationError(
            "L'identifiant France Travail comporte 8 caractères (7 chiffres suivis d'un chiffre ou d'une lettre) "
            "ou 11 chiffres.",
            "france_travail_id",
        )


def validate_job_seeker_email(value: str) -> None:
    if value.lower().endswith(FRANCE_TRAVAIL_EMAIL_SUFFIXES):
        raise ValidationError(
            "Une adresse e-mail France Travail ne peut pas être celle d'un candidat : "
            "saisissez une adresse personnelle.",
            "france_travail_email",
        )


# [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic...), which no register would hold.
# Plain functions, so that migrations refer to them by name and a changed message needs no migration.
def validate_siret(value):
    RegexValidator(r"^[0-9]{14}\Z", "Le numéro SIRET doit comporter 14 chiffres.", "siret")(value)


def validate_siren(value):
    RegexValidator(r"^[0-9]{9}\Z", "Le numéro SIREN doit comporter 9 chiffres.", "siren")(value)


def validate_safir(value):
    RegexValidator(r"^[0-9]{5}\Z", "Le code SAFIR doit comporter 5 chiffres.", "safir")(value)


def validate_post_code(value):
    RegexValidator(r"^[0-9]{5}\Z", "Le code postal doit comporter 5 chiffres.", "post_code")(value)


def validate_naf(value):
    RegexValidator(
        r"^[0-9]{4}[A-Z]\Z",
        "Le code NAF doit comporter 4 chiffres suivis d'une lettre majuscule (ex. : 8810C).",
        "naf",
    )(value)


class CharacterClassesValidator:
    """platform_rules.md §3: at least 3 of the 4 classes (lower case, upper case, digit, special character)."""

    REQUIRED_CLASSES = 3

    def _classes(self, password):
        return [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() or c in string.punctuation for c in password),
        ]

    def validate(self, password, user=None):
        if sum(self._classes(password)) < self.REQUIRED_CLASSES:
            raise ValidationError(self.get_help_text(), "password_character_classes")

    def get_help_text(self):
        return (
            "Le mot de passe doit contenir au moins 3 des 4 types de caractères suivants : minuscules, majuscules, "
            "chiffres, caractères spéciaux."
        )
