"""Real places for the search tests (the `reference_data` fixture loads every commune)."""

from django.urls import reverse

from inclusion.companies.enums import CompanySource
from inclusion.geo.models import Commune
from tests.companies.factories import CompanyFactory

LYON, VILLEURBANNE, VIENNE, GIVORS, TARARE, VENISSIEUX = "69123", "69266", "38544", "69091", "69243", "69259"


def commune(code_insee):
    return Commune.objects.select_related("department").get(code_insee=code_insee)


def company_in(code_insee, **kwargs):
    place = commune(code_insee)
    return CompanyFactory(
        commune=place, post_code=place.postal_code_list[0], city=place.name, department=place.department_code, **kwargs
    )


def inactive_company_in(code_insee, **kwargs):
    # organizations.md §8.3: an SIAE from the ASP list without an active convention is inactive.
    return company_in(code_insee, source=CompanySource.ASP, convention=None, **kwargs)


def search(client, url_name, **params):
    params.setdefault("city", "lyon-69")
    return client.get(reverse(url_name), params)


def names(response):
    return [row.display_name for row in response.context["page_obj"].object_list]


def names_and_distances(response):
    return [(row.display_name, round(row.distance, 1)) for row in response.context["page_obj"].object_list]
