"""Ways into the search: the header entry and the home page form."""

from django.urls import reverse

from tests.geo.factories import CommuneFactory


def test_header_offers_the_search_to_everyone(client, db):
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("search_companies")}">Rechercher</a>' in content
    content = client.get(reverse("search_prescribers")).content.decode()
    assert f'href="{reverse("search_companies")}" aria-current="page">Rechercher</a>' in content


def test_home_page_has_a_search_form_with_the_autocomplete(client, db):
    content = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search_companies")}"' in content
    assert '<label class="fr-label" for="home-city-name">' in content
    assert f'data-autocomplete-url="{reverse("commune_autocomplete")}"' in content
    assert 'data-autocomplete-target="home-city"' in content
    assert 'name="city_name"' in content and 'name="city"' in content
    assert "/static/js/autocomplete.js" in content


def test_home_form_works_without_javascript(client, db):
    """Without the script the hidden slug stays empty: the typed text is enough."""
    CommuneFactory()  # Lyon
    response = client.get(reverse("search_companies"), {"city": "", "city_name": "Lyon (69)"})
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["commune"].slug == "lyon-69"
