"""What the three imports share: row validation, commune lookup, and the delete-or-hide decision."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from inclusion.companies.history import company_holds_history
from inclusion.companies.imports.report import Action, ImportReport
from inclusion.geo.models import Commune, CommuneFormerCode
from inclusion.users.validators import validate_naf, validate_post_code, validate_siret

PHONE_MAX_LENGTH = 20


class RowError(Exception):
    """A row that cannot be imported; the message (French) is the reason written in the report."""


def required(values: dict, column: str, label: str) -> str:
    value = values.get(column, "").strip()
    if not value:
        raise RowError(f"{label} manquant(e)")
    return value


def _checked(validator, value: str, label: str) -> str:
    try:
        validator(value)
    except ValidationError as error:
        raise RowError(f"{label} « {value} » invalide : {' '.join(error.messages)}") from error
    return value


def clean_siret(value: str, label: str = "SIRET") -> str:
    return _checked(validate_siret, value.replace(" ", ""), label)


def clean_naf(value: str) -> str:
    # NAF codes are often written 88.99B: the dot is dropped. Empty is allowed (the model allows it).
    value = value.replace(".", "").upper()
    return _checked(validate_naf, value, "code NAF") if value else ""


def clean_email(value: str, *, required_email: bool) -> str:
    value = value.strip().lower()
    if not value:
        if required_email:
            raise RowError("e-mail manquant : ligne écartée (conventionnement.md §1.2)")
        return ""
    return _checked(validate_email, value, "e-mail")


def clean_post_code(value: str) -> str:
    return _checked(validate_post_code, value, "code postal")


def clean_phone(value: str) -> str:
    # A phone that does not fit is dropped rather than the whole company.
    value = " ".join(value.split())
    return value if len(value) <= PHONE_MAX_LENGTH else ""


class CommuneResolver:
    """INSEE code → commune: a current code first, else a former code held by one current commune."""

    def __init__(self):
        self._cache = {}

    def __call__(self, code_insee: str) -> Commune:
        code = code_insee.strip().upper()
        if not code:
            raise RowError("code INSEE de la commune manquant")
        if code not in self._cache:
            self._cache[code] = self._lookup(code)
        if self._cache[code] is None:
            raise RowError(f"commune inconnue (code INSEE {code})")
        return self._cache[code]

    @staticmethod
    def _lookup(code):
        commune = Commune.objects.filter(code_insee=code).first()
        if commune is not None:
            return commune
        # A merged commune: its former code points at the new one (twice when it is also a commune déléguée).
        current = set(CommuneFormerCode.objects.filter(former_code=code).values_list("commune_id", flat=True))
        return Commune.objects.get(pk=current.pop()) if len(current) == 1 else None


def company_label(company) -> str:
    return f"{company.kind} {company.siret} « {company.display_name} »"


def remove_or_hide(company, *, report: ImportReport, reason: str):
    """Delete a company that holds no history, else hide it from searches (conventionnement.md §1.2, safeguard 3).

    Idempotent: an already hidden company is left as it is and not reported again.
    """
    if not company_holds_history(company):
        try:
            with transaction.atomic():
                company.delete()
        except (ProtectedError, RestrictedError):
            # Another app points at it: that is history too, which company_holds_history does not know yet.
            pass
        else:
            report.add(Action.DELETED, company_label(company), f"{reason} ; aucun historique")
            return
    if company.is_searchable:
        company.is_searchable = False
        company.save(update_fields=["is_searchable", "updated_at"])
        report.add(Action.HIDDEN, company_label(company), f"{reason} ; conservée car elle a un historique")
