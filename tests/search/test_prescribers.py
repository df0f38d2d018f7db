"""Prescriber search (search_and_jobs.md §6, §9 invariant 8)."""

import pytest
from django.urls import reverse

from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.search.helpers import GIVORS, LYON, VENISSIEUX, VILLEURBANNE, commune, search

pytestmark = pytest.mark.usefixtures("reference_data")


def organization_in(code_insee, **kwargs):
    place = commune(code_insee)
    kwargs.setdefault("authorized", True)
    return PrescriberOrganizationFactory(commune=place, city=place.name, department=place.department_code, **kwargs)


def names_of(response):
    return [organization.name for organization in response.context["page_obj"].object_list]


def test_only_authorized_organizations_nearest_first(client, db):
    organization_in(VENISSIEUX, name="Mission locale de Vénissieux")
    organization_in(LYON, name="France Travail Lyon", kind=PrescriberOrganizationKind.FT)
    organization_in(VILLEURBANNE, name="Cap emploi", kind=PrescriberOrganizationKind.CAP_EMPLOI)
    organization_in(
        LYON,
        name="En attente",
        authorized=False,
        kind=PrescriberOrganizationKind.CCAS,
        authorization_status=AuthorizationStatus.NOT_SET,
    )
    organization_in(
        LYON,
        name="Refusée",
        authorized=False,
        kind=PrescriberOrganizationKind.CCAS,
        authorization_status=AuthorizationStatus.REFUSED,
    )
    organization_in(LYON, name="Orienteur", authorized=False)
    response = search(client, "search_prescribers", distance=10)
    assert [(org.name, round(org.distance, 1)) for org in response.context["page_obj"].object_list] == [
        ("France Travail Lyon", 0.0),
        ("Cap emploi", 4.5),
        ("Mission locale de Vénissieux", 7.2),
    ]
    content = response.content.decode()
    assert "3 prescripteurs habilités à 10 km de Lyon (69)" in content
    assert reverse("prescriber_card", kwargs={"organization_uid": response.context["page_obj"][0].uid}) in content


def test_default_distance_is_5_km(client, db):
    organization_in(VILLEURBANNE, name="À 4,5 km")
    organization_in(VENISSIEUX, name="À 7,2 km")
    organization_in(GIVORS, name="À 20,2 km")
    response = search(client, "search_prescribers")
    assert names_of(response) == ["À 4,5 km"]
    assert 'value="5" selected' in response.content.decode()


def test_card_shows_kind_brsa_and_distance(client, db):
    organization_in(LYON, name="Délégataire", kind=PrescriberOrganizationKind.ODC)  # always BRSA when validated
    content = search(client, "search_prescribers").content.decode()
    assert "Organisation délégataire d&#x27;un Conseil départemental (suivi des BRSA)" in content
    assert "Suivi des bénéficiaires du RSA" in content
    assert "à 0,0 km" in content


def test_query_count(client, db, django_assert_num_queries):
    for index in range(55):
        organization_in(LYON, name=f"Organisation {index}")
    with django_assert_num_queries(2):  # commune, candidate organizations
        response = search(client, "search_prescribers")
    assert len(response.context["page_obj"].object_list) == 10


def test_empty_form_on_first_visit(client, db):
    response = client.get(reverse("search_prescribers"))
    assert response.status_code == 200
    assert "<h1>Rechercher un prescripteur habilité</h1>" in response.content.decode()
