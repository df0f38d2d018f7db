import unicodedata

from django.utils.text import slugify


def normalize_name(text):
    """Lower case, no accents, dashes and apostrophes as spaces: how people type a commune name."""
    decomposed = unicodedata.normalize("NFKD", text)
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    for separator in "-'’":
        unaccented = unaccented.replace(separator, " ")
    return " ".join(unaccented.lower().split())


def commune_slug(name, department_code):
    """search_and_jobs.md §2: `<name>-<department>`, what search forms submit (unique in the reference data)."""
    return f"{slugify(name)}-{department_code.lower()}"
