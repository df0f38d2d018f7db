import pytest

from inclusion.geo.models import Commune
from inclusion.geo.text import commune_slug, normalize_name


@pytest.mark.parametrize(
    "name,normalized",
    [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("  Œuilly ", "œuilly"),
        ("Châlons-en-Champagne", "chalons en champagne"),
    ],
)
def test_normalize_name_ignores_case_accents_dashes_and_apostrophes(name, normalized):
    assert normalize_name(name) == normalized


def test_commune_slug_is_name_then_department():
    assert commune_slug("Saint-Étienne", "42") == "saint-etienne-42"
    assert commune_slug("Ajaccio", "2A") == "ajaccio-2a"


@pytest.mark.usefixtures("reference_data", "db")
def test_reference_communes_get_their_slug_and_normalized_name():
    lyon = Commune.objects.get(code_insee="69123")
    assert (lyon.slug, lyon.normalized_name) == ("lyon-69", "lyon")
    assert Commune.objects.get(code_insee="2A004").slug == "ajaccio-2a"
