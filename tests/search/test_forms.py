"""Search inputs: the commune and the distance (search_and_jobs.md §2, §4.1, §6, §9 invariant 1)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from inclusion.search.forms import CompanySearchForm, PrescriberSearchForm
from inclusion.search.rules import DISTANCE_CHOICES_KM

pytestmark = pytest.mark.usefixtures("reference_data")


def form(data, form_class=CompanySearchForm):
    bound = form_class(data)
    bound.is_valid()
    return bound


@pytest.mark.parametrize("distance", DISTANCE_CHOICES_KM)
def test_every_offered_distance_is_accepted(db, distance):
    assert form({"city": "lyon-69", "distance": str(distance)}).cleaned_data["distance"] == distance


@pytest.mark.parametrize("distance", ["0", "1", "3", "24", "26", "101", "200", "-5", "abc", "25.5"])
def test_any_other_distance_is_refused_in_french(db, distance):
    bound = form({"city": "lyon-69", "distance": distance})
    assert bound.errors["distance"] == ["Choisissez une distance proposée."]


def test_default_distance_is_25_km_and_5_km_for_prescribers(db):
    assert form({"city": "lyon-69"}).cleaned_data["distance"] == 25
    assert form({"city": "lyon-69", "distance": ""}).cleaned_data["distance"] == 25
    assert form({"city": "lyon-69"}, PrescriberSearchForm).cleaned_data["distance"] == 5
    assert CompanySearchForm().fields["distance"].initial == 25
    assert PrescriberSearchForm().fields["distance"].initial == 5


def test_commune_is_required(db):
    assert form({"city": "", "city_name": ""}).errors["city_name"] == ["Indiquez une ville."]


def test_unknown_slug_is_a_french_error(db):
    assert form({"city": "atlantide-99"}).errors["city_name"] == [
        "Cette ville est introuvable : choisissez une ville dans la liste proposée."
    ]


@pytest.mark.parametrize("typed", ["Lyon (69)", "lyon (69)", "Lyon(69)", "lyon-69", "Lyon", "  LYON  "])
def test_without_javascript_the_typed_text_is_resolved(db, typed):
    bound = form({"city": "", "city_name": typed})
    assert bound.cleaned_data["commune"].code_insee == "69123"
    # The resolved commune is shown back in both fields.
    assert bound.data["city"] == "lyon-69"
    assert bound.data["city_name"] == "Lyon (69)"


def test_a_homonym_asks_for_the_department(db):
    bound = form({"city": "", "city_name": "Saint-Denis"})
    [error] = bound.errors["city_name"]
    assert error.startswith("Plusieurs communes portent ce nom : précisez le département")
    assert form({"city": "", "city_name": "Saint-Denis (93)"}).cleaned_data["commune"].code_insee == "93066"


def test_the_slug_wins_over_the_text(db):
    # The autocomplete fills both; the slug is what the form submits (search_and_jobs.md §2).
    bound = form({"city": "villeurbanne-69", "city_name": "Villeurbanne (69)"})
    assert bound.cleaned_data["commune"].code_insee == "69266"


def test_errors_are_shown_on_the_page(client, db):
    response = client.get(reverse("search_companies"), {"city": "atlantide-99", "distance": "3"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert escape("Choisissez une distance proposée.") in content
    assert escape("Cette ville est introuvable") in content
    assert 'aria-invalid="true"' in content
