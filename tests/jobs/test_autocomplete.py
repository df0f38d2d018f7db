"""The appellation autocomplete (search_and_jobs.md §3.1), on the real ROME référentiel."""

import pytest
from django.urls import reverse

from inclusion.jobs.views import AUTOCOMPLETE_LIMIT, search_appellations, search_words


@pytest.fixture
def search(client, reference_data, db):
    def search(term):
        response = client.get(reverse("appellation_autocomplete"), {"term": term})
        assert response.status_code == 200
        return response.json()["results"]

    return search


def labels(results):
    return [result["label"] for result in results]


def test_answers_value_and_label_name_with_rome_code(search):
    results = search("agent propreté locaux")
    assert {"value": "10571", "label": "Agent / Agente de propreté de locaux (K2204)"} in results


def test_every_word_must_match_the_start_of_a_word_of_the_name(search):
    # AND: both words; order does not matter.
    assert "Agent / Agente de propreté de locaux (K2204)" in labels(search("propreté agent"))
    # "ropre" is inside "propreté", not at the start of a word.
    assert "Agent / Agente de propreté de locaux (K2204)" not in labels(search("agent ropre"))
    assert all("agent" in label.lower() and "propret" in label.lower() for label in labels(search("agent propre")))


def test_accents_and_case_are_ignored(search):
    assert labels(search("PROPRETE LOCAUX")) == labels(search("propreté locaux"))
    assert "Boulanger-pâtissier / Boulangère-pâtissière (D1102)" in labels(search("boulangere patissiere"))


def test_ligature_typed_as_two_letters(search):
    assert any("oeuvre" in label or "œuvre" in label for label in labels(search("oeuvre")))


def test_rome_code_matches(search):
    results = search("K2204")
    assert results and all(label.endswith("(K2204)") for label in labels(results))
    assert labels(search("k2204 locaux")) == labels(search("K2204 locaux"))


def test_at_most_ten_results_names_starting_with_the_word_first(search):
    results = search("agent")
    assert len(results) == AUTOCOMPLETE_LIMIT == 10
    assert all(label.startswith("Agent") for label in labels(results))


@pytest.mark.parametrize("term", ["", "   ", "-/'", "zzzzqx"])
def test_nothing_to_search_or_nothing_found(search, term):
    assert search(term) == []


def test_no_term_at_all(client, db):
    assert client.get(reverse("appellation_autocomplete")).json() == {"results": []}


def test_public_and_get_only(client, db):
    assert client.get(reverse("appellation_autocomplete"), {"term": "x"}).status_code == 200  # not logged in
    assert client.post(reverse("appellation_autocomplete"), {"term": "x"}).status_code == 405


def test_long_or_hostile_terms_do_not_break_the_regex(search):
    assert search("a" * 5000) == []
    assert isinstance(search("agent (.* [ \\ ^$ ' % _"), list)


def test_search_words_normalises_what_people_type():
    assert search_words("Chef d'Œuvre / Maçon-Coffreur") == ["chef", "d", "oeuvre", "macon", "coffreur"]


def test_one_query(reference_data, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(search_appellations("agent propreté"))
