import re

from django.core.exceptions import ValidationError

# conventionnement.md §1.1: <measure><department: 2 digits + 1 digit or letter><year: 2 digits><order: 4 digits>
# A<amendment>M<modification>, e.g. ACI069240012A1M0. The measures are the SIAE kinds (EITI tried before EI).
FINANCIAL_ANNEX_NUMBER_RE = re.compile(
    r"^(?P<measure>ACI|AI|EITI|EI|ETTI)(?P<department>\d{2}[0-9A-Z])(?P<year>\d{2})(?P<order>\d{4})"
    r"A(?P<amendment>\d+)M(?P<modification>\d+)$"
)


def parse_financial_annex_number(number):
    """The pieces of an AF number as a dict, or None when it does not follow the ASP format."""
    match = FINANCIAL_ANNEX_NUMBER_RE.match(number)
    return match.groupdict() if match else None


def validate_financial_annex_number(number):
    if parse_financial_annex_number(number) is None:
        raise ValidationError(
            "Numéro d'annexe financière invalide : attendu par exemple ACI069240012A1M0 "
            "(mesure, département, année, numéro d'ordre, avenant, modification).",
            code="invalid_financial_annex_number",
        )
