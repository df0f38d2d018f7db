from django.contrib.auth.decorators import login_not_required
from django.db.models import F, Value
from django.db.models.functions import StrIndex
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from inclusion.geo.enums import CommuneKind
from inclusion.geo.models import Commune, PostalCode
from inclusion.geo.text import normalize_name
from inclusion.organizations.middleware import organization_not_required

# search_and_jobs.md §2.
AUTOCOMPLETE_MAX_RESULTS = 50
POST_CODE_LENGTH = 5
MAX_TERM_LENGTH = 100


def communes_for_autocomplete(term):
    """search_and_jobs.md §2 (§9 invariant 6): a post code matches exactly; a name matches anywhere in the
    normalised name (accents, case, hyphens and apostrophes ignored), earliest match first, then most populated.

    Whole communes only: Paris, Lyon and Marseille are searched as a whole, never both whole and by arrondissement
    (search_and_jobs.md §1).
    """
    # PostgreSQL refuses NUL characters in query parameters (a 500); no commune name holds one.
    term = term.replace("\x00", "").strip()[:MAX_TERM_LENGTH]
    communes = Commune.objects.exclude(kind=CommuneKind.ARRONDISSEMENT)
    if term.isdigit():
        if len(term) != POST_CODE_LENGTH:
            return []
        communes = communes.filter(pk__in=PostalCode.objects.filter(code=term).values("commune"))
        return list(communes.order_by(F("population").desc(nulls_last=True), "name")[:AUTOCOMPLETE_MAX_RESULTS])
    normalized = normalize_name(term)
    if not normalized:
        return []
    return list(
        communes.filter(normalized_name__contains=normalized)
        .annotate(match_position=StrIndex("normalized_name", Value(normalized)))
        .order_by("match_position", F("population").desc(nulls_last=True), "name", "code_insee")[
            :AUTOCOMPLETE_MAX_RESULTS
        ]
    )


@login_not_required
@organization_not_required
@require_safe
def commune_autocomplete(request):
    """GET ?term=… → {"results": [{"value": slug, "label": "Lyon (69)"}]} (contract of static/js/autocomplete.js)."""
    communes = communes_for_autocomplete(request.GET.get("term", ""))
    return JsonResponse({"results": [{"value": commune.slug, "label": str(commune)} for commune in communes]})
