"""Commune autocomplete (search_and_jobs.md §2, §9 invariant 6), on the real reference data."""

import pytest
from django.urls import reverse

from inclusion.geo.views import AUTOCOMPLETE_MAX_RESULTS

pytestmark = pytest.mark.usefixtures("reference_data")


def autocomplete(client, term):
    response = client.get(reverse("commune_autocomplete"), {"term": term})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def labels(results):
    return [result["label"] for result in results]


def test_result_is_the_slug_and_a_label_with_the_department(client, db):
    results = autocomplete(client, "Villeurbanne")
    assert results[0] == {"value": "villeurbanne-69", "label": "Villeurbanne (69)"}


def test_post_code_returns_its_communes_exactly(client, db):
    assert labels(autocomplete(client, "69100")) == ["Villeurbanne (69)"]
    # A post code shared by several communes returns them all, and only them.
    shared = autocomplete(client, "38200")
    assert "Vienne (38)" in labels(shared)
    assert all(label.endswith("(38)") for label in labels(shared))


def test_a_partial_post_code_matches_nothing(client, db):
    assert autocomplete(client, "6910") == []
    assert autocomplete(client, "691000") == []


def test_city_with_arrondissements_is_offered_whole_only(client, db):
    # search_and_jobs.md §1: never both the whole city and its arrondissements.
    assert labels(autocomplete(client, "75011")) == ["Paris (75)"]
    assert labels(autocomplete(client, "69007")) == ["Lyon (69)"]
    results = labels(autocomplete(client, "Marseille"))
    assert results[0] == "Marseille (13)"
    assert not any("Arrondissement" in label for label in results)
    assert not any("Arrondissement" in label for label in labels(autocomplete(client, "Lyon")))


def test_accents_case_and_hyphens_are_ignored(client, db):
    expected = "Saint-Étienne (42)"
    for term in ["Saint-Étienne", "saint etienne", "SAINT-ETIENNE", "saint-etienne", "  saint étienne "]:
        assert labels(autocomplete(client, term))[0] == expected, term
    assert "Vénissieux (69)" in labels(autocomplete(client, "venissieux"))


def test_ordered_by_match_position_then_population(client, db):
    results = labels(autocomplete(client, "lyon"))
    # "Lyon" matches at position 1 and is the most populated; a name matching later comes after.
    assert results[0] == "Lyon (69)"
    assert results.index("Lyons-la-Forêt (27)") < results.index("Sainte-Foy-lès-Lyon (69)")
    assert results.index("Chazelles-sur-Lyon (42)") < results.index("Sainte-Foy-lès-Lyon (69)")


def test_at_most_50_results(client, db):
    assert len(autocomplete(client, "saint")) == AUTOCOMPLETE_MAX_RESULTS


def test_empty_or_odd_terms_return_nothing(client, db):
    assert autocomplete(client, "") == []
    assert autocomplete(client, "   ") == []
    assert autocomplete(client, "---") == []
    assert autocomplete(client, "zzzzzz") == []
    assert client.get(reverse("commune_autocomplete")).json() == {"results": []}


def test_a_very_long_term_is_not_an_error(client, db):
    assert autocomplete(client, "a" * 5000) == []


def test_is_public_and_runs_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("commune_autocomplete"), {"term": "vienne"})
    assert response.status_code == 200


def test_only_get(client, db):
    assert client.post(reverse("commune_autocomplete"), {"term": "lyon"}).status_code == 405


@pytest.mark.parametrize("term", ["Villeur\x00banne", "69100\x00"])
def test_a_nul_character_is_ignored_rather_than_sent_to_the_database(client, db, term):
    # PostgreSQL refuses NUL in text parameters: a pasted or forged term must not become a server error.
    assert labels(autocomplete(client, term))[0] == "Villeurbanne (69)"


def test_a_lone_nul_character_matches_nothing(client, db):
    assert autocomplete(client, "\x00") == []
