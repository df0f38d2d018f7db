"""Commune.objects.named / served_by: how every form turns typed text into a commune (search_and_jobs.md §2)."""

import pytest

from inclusion.geo.models import Commune

pytestmark = pytest.mark.usefixtures("reference_data", "db")


def codes(queryset, limit=5):
    return [commune.code_insee for commune in queryset[:limit]]


@pytest.mark.parametrize("text", ["lyon-69", "Lyon (69)", "lyon(69)", "LYON", " lyon "])
def test_a_slug_a_label_or_a_name_finds_the_whole_commune(text):
    assert codes(Commune.objects.named(text)) == ["69123"]


def test_accents_case_and_dashes_are_ignored():
    assert codes(Commune.objects.named("saint etienne (42)")) == ["42218"]
    assert codes(Commune.objects.named("SAINT-ÉTIENNE")) == ["42218"]


def test_arrondissements_are_never_returned():
    assert codes(Commune.objects.named("lyon-1er-arrondissement-69")) == []
    assert codes(Commune.objects.named("69001")) == ["69123"]  # the whole city serves the arrondissement's code


def test_a_post_code_returns_exactly_the_whole_communes_it_serves():
    assert set(codes(Commune.objects.named("69100"))) == {"69266"}
    assert codes(Commune.objects.named("00000")) == []
    assert codes(Commune.objects.named("6910")) == []  # four digits: not a post code, no commune of that name


def test_a_shared_name_lists_the_most_populated_first_so_callers_see_the_ambiguity():
    homonyms = Commune.objects.named("Saint-Denis")
    assert len(codes(homonyms)) > 1
    assert codes(homonyms, 2) == ["97411", "93066"]  # La Réunion's Saint-Denis is the larger one
    assert codes(Commune.objects.named("Saint-Denis (93)")) == ["93066"]


def test_served_by_includes_arrondissements_for_addresses():
    assert "69381" in codes(Commune.objects.served_by("69001"), 10)
