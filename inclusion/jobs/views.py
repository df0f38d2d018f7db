"""The ROME référentiel on the web: the appellation autocomplete (search_and_jobs.md §3.1)."""

import re

from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from inclusion.geo.text import normalize_name
from inclusion.jobs.models import Appellation
from inclusion.organizations.middleware import organization_not_required

# search_and_jobs.md §3.1: 10 results.
AUTOCOMPLETE_LIMIT = 10
# A longer term is a paste or an attack, not a search.
MAX_TERM_LENGTH = 100

# What each unaccented letter may be in a name, upper case included: PostgreSQL's case-insensitive regex only folds
# accented letters under some locales, so both cases are spelled out.
_ACCENTED = {
    "a": "aàâäAÀÂÄ",
    "c": "cçCÇ",
    "e": "eéèêëEÉÈÊË",
    "i": "iîïIÎÏ",
    "o": "oôöOÔÖ",
    "u": "uùûüUÙÛÜ",
    "y": "yÿYŸ",
}
_LIGATURES = {"oe": "(?:oe|œ|Œ)", "ae": "(?:ae|æ|Æ)"}
# What may precede a word in an appellation name: start, space, slash, apostrophe, parenthesis, hyphen, comma.
_WORD_START = r"(^|[\s/'’(,-])"


def appellation_label(appellation):
    """How an appellation is shown and chosen: "Agent / Agente de propreté de locaux (K2204)"."""
    return f"{appellation.name} ({appellation.rome.code})"


def search_words(term):
    """The words of a typed term, lower case and unaccented ("Œuvre d'Art" → ["oeuvre", "d", "art"])."""
    text = term[:MAX_TERM_LENGTH].replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return re.findall(r"[a-z0-9]+", normalize_name(text))


def _letters_pattern(word):
    pattern, index = [], 0
    while index < len(word):
        pair = word[index : index + 2]
        if pair in _LIGATURES:
            pattern.append(_LIGATURES[pair])
            index += 2
            continue
        letter = word[index]
        pattern.append(f"[{_ACCENTED[letter]}]" if letter in _ACCENTED else letter)
        index += 1
    return "".join(pattern)


def word_prefix_regex(word):
    """A portable regex (PostgreSQL and SQLite's Python `re`) matching `word` at the start of any word of a name,
    whatever the accents and the case."""
    return _WORD_START + _letters_pattern(word)


def search_appellations(term, limit=AUTOCOMPLETE_LIMIT):
    """search_and_jobs.md §3.1: every typed word is the prefix of a word of the name (AND), or the ROME code, or the
    appellation code. Names starting with the first word come first, then alphabetical order."""
    words = search_words(term)
    if not words:
        return Appellation.objects.none()
    condition = Q()
    for word in words:
        condition &= Q(name__iregex=word_prefix_regex(word)) | Q(rome__code__istartswith=word) | Q(code=word)
    return (
        Appellation.objects.filter(condition)
        .select_related("rome")
        .annotate(
            starts_with_first_word=Case(
                When(name__iregex="^" + _letters_pattern(words[0]), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts_with_first_word", Lower("name"), "code")[:limit]
    )


@login_not_required
@organization_not_required
@require_safe
def appellation_autocomplete(request):
    """Reference data, public like the search pages that use it."""
    results = [
        {"value": appellation.code, "label": appellation_label(appellation)}
        for appellation in search_appellations(request.GET.get("term", ""))
    ]
    return JsonResponse({"results": results})
