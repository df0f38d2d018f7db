"""Job description search around a commune (search_and_jobs.md §5)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inclusion.companies.enums import CompanyKind, ContractType
from inclusion.search.rules import UNSPECIFIED_CONTRACT_TYPE, contract_type_choices
from tests.companies.factories import JobDescriptionFactory
from tests.jobs.factories import AppellationFactory, RomeFactory
from tests.search.helpers import (
    GIVORS,
    LYON,
    TARARE,
    VIENNE,
    VILLEURBANNE,
    commune,
    company_in,
    inactive_company_in,
    names,
    names_and_distances,
    search,
)
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def job(company, name, minutes_ago=0, **kwargs):
    updated = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return JobDescriptionFactory(company=company, custom_name=name, last_employer_update_at=updated, **kwargs)


def test_only_active_job_descriptions_of_active_searchable_unblocked_companies(client, db):
    lyon = company_in(LYON)
    job(lyon, "Ouverte")
    job(lyon, "Fermée", is_active=False)
    job(company_in(LYON, block_job_applications=True), "Structure bloquée")
    job(company_in(LYON, is_searchable=False), "Structure non visible")
    job(inactive_company_in(LYON), "Structure inactive")
    assert names(search(client, "search_job_descriptions")) == ["Ouverte"]


def test_distance_uses_the_location_else_the_company(client, db):
    lyon_company, tarare_company, givors_company = company_in(LYON), company_in(TARARE), company_in(GIVORS)
    job(lyon_company, "À Villeurbanne", minutes_ago=1, location=commune(VILLEURBANNE))
    job(lyon_company, "À Vienne", minutes_ago=2, location=commune(VIENNE))  # 26.5 km: out of 25
    job(tarare_company, "À Lyon, structure à Tarare", minutes_ago=3, location=commune(LYON))
    job(givors_company, "Sans lieu, structure à Givors", minutes_ago=4, location=None)
    job(tarare_company, "Sans lieu, structure à Tarare", minutes_ago=5, location=None)  # 35.5 km
    assert names_and_distances(search(client, "search_job_descriptions", distance=25)) == [
        ("À Villeurbanne", 4.5),
        ("À Lyon, structure à Tarare", 0.0),
        ("Sans lieu, structure à Givors", 20.2),
    ]


def test_department_filter_uses_the_location_else_the_company(client, db):
    lyon_company, vienne_company = company_in(LYON), company_in(VIENNE)
    job(lyon_company, "Lyon, à Vienne", minutes_ago=1, location=commune(VIENNE))
    job(vienne_company, "Vienne, sans lieu", minutes_ago=2, location=None)
    job(vienne_company, "Vienne, à Lyon", minutes_ago=3, location=commune(LYON))
    response = search(client, "search_job_descriptions", distance=50, departments=["38"])
    assert names(response) == ["Lyon, à Vienne", "Vienne, sans lieu"]
    assert names(search(client, "search_job_descriptions", distance=50, departments=["69"])) == ["Vienne, à Lyon"]
    assert response.context["form"].fields["departments"].choices == [("69", "Rhône (69)"), ("38", "Isère (38)")]


def test_most_recently_updated_first(client, db):
    company = company_in(LYON)
    job(company, "Ancienne", minutes_ago=60)
    job(company, "Récente", minutes_ago=1)
    job(company, "Moyenne", minutes_ago=30)
    assert names(search(client, "search_job_descriptions")) == ["Récente", "Moyenne", "Ancienne"]


def test_kinds_filter(client, db):
    job(company_in(LYON, kind=CompanyKind.EA), "Adaptée", contract_type=ContractType.PERMANENT)
    job(company_in(LYON, kind=CompanyKind.ACI), "Chantier")
    assert names(search(client, "search_job_descriptions", kinds=["EA"])) == ["Adaptée"]


def test_contract_types_filter_and_order(client, db):
    company = company_in(LYON, kind=CompanyKind.EA)
    job(company, "CDI", contract_type=ContractType.PERMANENT, minutes_ago=1)
    job(company, "CDD", contract_type=ContractType.FIXED_TERM, minutes_ago=2)
    job(company, "Autre", contract_type=ContractType.OTHER, other_contract_type="Stage", minutes_ago=3)
    assert names(search(client, "search_job_descriptions", contract_types=["PERMANENT", "OTHER"])) == ["CDI", "Autre"]
    assert names(search(client, "search_job_descriptions", contract_types=[UNSPECIFIED_CONTRACT_TYPE])) == []
    # §5: sorted by label, then business creation, other and "non précisé".
    values = [value for value, _ in contract_type_choices()]
    assert values[-3:] == ["BUSINESS_CREATION", "OTHER", UNSPECIFIED_CONTRACT_TYPE]
    labels = [label for _, label in contract_type_choices()][:-3]
    assert labels == sorted(labels)


def test_rome_domain_filter(client, db):
    company = company_in(LYON)
    job(company, "Nettoyage", appellation=AppellationFactory(code="10571"), minutes_ago=1)  # K2204
    driving = RomeFactory(code="N4105", grand_domain_code="N", grand_domain_name="Transport et Logistique")
    job(company, "Livraison", appellation=AppellationFactory(code="Z9999", name="Livreur", rome=driving))
    assert names(search(client, "search_job_descriptions", domains=["N"])) == ["Livraison"]
    assert names(search(client, "search_job_descriptions", domains=["K", "N"])) == ["Livraison", "Nettoyage"]
    content = search(client, "search_job_descriptions", domains=["Z"]).content.decode()
    assert "Choisissez des domaines professionnels proposés." in content
    assert ("N", "Transport et Logistique") in search(client, "search_job_descriptions").context["form"].fields[
        "domains"
    ].choices


def test_tabs_show_the_company_count(client, db):
    company = company_in(LYON)
    job(company, "Un")
    job(company, "Deux")
    company_in(VILLEURBANNE)
    content = search(client, "search_job_descriptions").content.decode()
    assert "Employeurs (2)" in content
    assert "Fiches de poste (2)" in content
    assert "<title>Fiches de poste à 25 km de Lyon (69) — 2 résultats" in content


def many_job_descriptions():
    for index in range(55):
        company = company_in(LYON if index % 2 else VILLEURBANNE, with_member=True)
        job(company, f"Poste {index}", minutes_ago=index)


def test_query_count_anonymous(client, db, django_assert_num_queries):
    many_job_descriptions()
    # commune, ROME domains (filter labels), candidate job descriptions (plain rows), candidate companies (tab
    # count), the page's job descriptions in full, pending applications of the page (the "unpopular" badge).
    with django_assert_num_queries(6):
        response = search(client, "search_job_descriptions")
    assert names(response)[:2] == ["Poste 0", "Poste 1"]
    assert response.context["job_description_count"] == 55


def test_query_count_logged_in(client, db, django_assert_num_queries):
    many_job_descriptions()
    employer = ProfessionalFactory()
    company_in(LYON, with_member=employer)
    client.force_login(employer)
    client.get(reverse("home"))  # the first page puts the CSRF token of the logout form in the session
    # + session, user, and the three membership lookups of the current-organization middleware.
    with django_assert_num_queries(11):
        search(client, "search_job_descriptions")
