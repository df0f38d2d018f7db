"""Employer search around a commune (search_and_jobs.md §4, §9 invariants 1–4)."""

import math

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inclusion.companies.enums import CompanyKind
from inclusion.geo.distance import EARTH_RADIUS_KM
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.search.helpers import (
    GIVORS,
    LYON,
    TARARE,
    VENISSIEUX,
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


def hiring_company_in(code_insee, name, **kwargs):
    company = company_in(code_insee, name=name, with_member=True, **kwargs)
    JobDescriptionFactory(company=company)
    return company


def test_done_when_lyon_at_25_km(client, db):
    """The issue's acceptance test: only active, searchable companies within 25 km, in the §4.2 order, with the
    distances computed by hand in tests/geo/test_distance.py (Villeurbanne 4.5, Givors 20.2, Vénissieux 7.2 km)."""
    hiring_company_in(LYON, "Lyon, recrute, score jamais calculé")
    hiring_company_in(VILLEURBANNE, "Villeurbanne, recrute, score 0,5", job_app_score=0.5)
    hiring_company_in(GIVORS, "Givors, recrute, score 0,1", job_app_score=0.1)
    company_in(
        VILLEURBANNE,
        name="Villeurbanne, candidatures spontanées",
        with_member=True,
        job_app_score=0.3,
        spontaneous_applications_open_since=timezone.now(),
    )
    hiring_company_in(LYON, "Lyon, candidatures bloquées", block_job_applications=True, job_app_score=0.0)
    JobDescriptionFactory(company=company_in(VENISSIEUX, name="Vénissieux, sans membre", job_app_score=0.0))
    company_in(LYON, name="Lyon, EA avec membre, sans poste", kind=CompanyKind.EA, with_member=True)
    # Never shown:
    hiring_company_in(VIENNE, "Vienne, à 26,5 km")
    hiring_company_in(TARARE, "Tarare, à 35,5 km")
    JobDescriptionFactory(company=inactive_company_in(LYON, name="Lyon, inactive", with_member=True))
    hiring_company_in(LYON, "Lyon, non visible", is_searchable=False)

    response = search(client, "search_companies", distance=25)

    assert names_and_distances(response) == [
        # Active members and hiring, by ascending score, never computed last.
        ("Givors, recrute, score 0,1", 20.2),
        ("Villeurbanne, candidatures spontanées", 4.5),
        ("Villeurbanne, recrute, score 0,5", 4.5),
        ("Lyon, recrute, score jamais calculé", 0.0),
        # Active members, not hiring (blocked, or nothing open), by score then pk.
        ("Lyon, candidatures bloquées", 0.0),
        ("Lyon, EA avec membre, sans poste", 0.0),
        # No active member.
        ("Vénissieux, sans membre", 7.2),
    ]
    content = response.content.decode()
    assert "à 20,2 km" in content and "à 4,5 km" in content
    assert '<div role="status"><h2 class="fr-h4">7 employeurs à 25 km de Lyon (69)</h2></div>' in content
    assert "Vienne" not in content and "inactive" not in content and "non visible" not in content
    assert "<title>Employeurs à 25 km de Lyon (69) — 7 résultats" in content


def test_a_larger_radius_reaches_vienne_and_tarare(client, db):
    company_in(VIENNE, name="Vienne")
    company_in(TARARE, name="Tarare")
    assert names(search(client, "search_companies", distance=25)) == []
    assert names(search(client, "search_companies", distance=50)) == ["Vienne", "Tarare"]


@pytest.mark.parametrize("radius", [2, 25, 100])
def test_company_exactly_at_the_radius_is_included_just_beyond_excluded(client, db, radius):
    lyon = commune(LYON)
    at_radius = lyon.latitude + math.degrees(radius / EARTH_RADIUS_KM)
    beyond = lyon.latitude + math.degrees((radius + 0.01) / EARTH_RADIUS_KM)
    CompanyFactory(commune=lyon, name="Au rayon", latitude=at_radius, longitude=lyon.longitude)
    CompanyFactory(commune=lyon, name="Au-delà", latitude=beyond, longitude=lyon.longitude)
    response = search(client, "search_companies", distance=radius)
    assert names_and_distances(response) == [("Au rayon", float(radius))]


def test_ordering_members_then_hiring_then_score_then_pk(client, db):
    """§9 invariant 4, each criterion deciding between two otherwise equal companies."""
    no_member_hiring = company_in(LYON, name="Sans membre, recrute", job_app_score=0.0)
    JobDescriptionFactory(company=no_member_hiring)
    member_not_hiring = company_in(LYON, name="Membre, ne recrute pas", with_member=True, job_app_score=0.0)
    second_pk = hiring_company_in(LYON, "Recrute, score 2, second", job_app_score=2.0)
    first_pk = hiring_company_in(LYON, "Recrute, score 2, premier", job_app_score=2.0)
    assert first_pk.pk > second_pk.pk
    low_score = hiring_company_in(LYON, "Recrute, score 1", job_app_score=1.0)
    never = hiring_company_in(LYON, "Recrute, jamais calculé")
    # A member whose account is deactivated does not count (organizations.md §6).
    inactive_member = company_in(LYON, name="Membre désactivé, recrute", job_app_score=0.0)
    CompanyMembershipFactory(organization=inactive_member, user=ProfessionalFactory(is_active=False))
    JobDescriptionFactory(company=inactive_member)
    assert names(search(client, "search_companies")) == [
        low_score.name,
        second_pk.name,
        first_pk.name,
        never.name,
        member_not_hiring.name,
        # Without an active member, both hiring with a score of 0: by pk.
        no_member_hiring.name,
        inactive_member.name,
    ]


def test_ties_without_members_are_broken_by_pk(client, db):
    first = company_in(LYON, name="Premier")
    second = company_in(LYON, name="Second")
    assert names(search(client, "search_companies")) == [first.name, second.name]


def test_an_inactive_job_description_does_not_make_a_company_hiring(client, db):
    closed = company_in(LYON, name="Fiche fermée", with_member=True, job_app_score=0.0)
    JobDescriptionFactory(company=closed, is_active=False)
    hiring = hiring_company_in(LYON, "Fiche ouverte", job_app_score=5.0)
    assert names(search(client, "search_companies")) == [hiring.name, closed.name]


def test_card_shows_first_three_job_descriptions_and_the_others_count(client, db):
    company = company_in(LYON, name="Cinq fiches", with_member=True)
    now = timezone.now()
    titles = [f"Métier {index}" for index in range(5)]
    for minutes, title in enumerate(titles):
        JobDescriptionFactory(company=company, custom_name=title, last_employer_update_at=now.replace(minute=minutes))
    JobDescriptionFactory(company=company, custom_name="Fermée", is_active=False)
    response = search(client, "search_companies")
    [result] = response.context["page_obj"].object_list
    assert [jd.custom_name for jd in result.first_job_descriptions] == ["Métier 4", "Métier 3", "Métier 2"]
    content = response.content.decode()
    assert "et 2 autres" in content
    assert "Fermée" not in content
    assert "Métier 1" not in content


def test_kinds_filter_includes_ea_and_eatt(client, db):
    company_in(LYON, name="Atelier", kind=CompanyKind.ACI)
    company_in(LYON, name="Adaptée", kind=CompanyKind.EA)
    company_in(LYON, name="Adaptée intérim", kind=CompanyKind.EATT)
    response = search(client, "search_companies", kinds=[CompanyKind.EA, CompanyKind.EATT])
    assert names(response) == ["Adaptée", "Adaptée intérim"]
    assert "RESERVED" not in dict(response.context["form"].fields["kinds"].choices)


def test_unknown_kind_is_a_french_error(client, db):
    response = search(client, "search_companies", kinds=["RESERVED"])
    assert response.status_code == 200
    assert escape("Choisissez des types de structure proposés.") in response.content.decode()


def test_departments_filter_offers_the_commune_department_and_those_in_results(client, db):
    company_in(LYON, name="Lyon")
    company_in(VIENNE, name="Vienne")
    response = search(client, "search_companies", distance=50)
    assert response.context["form"].fields["departments"].choices == [("69", "Rhône (69)"), ("38", "Isère (38)")]
    assert names(search(client, "search_companies", distance=50, departments=["38"])) == ["Vienne"]
    assert names(search(client, "search_companies", distance=50, departments=["69"])) == ["Lyon"]
    assert names(search(client, "search_companies", distance=50, departments=["01"])) == []
    response = search(client, "search_companies", distance=50, departments=["1234"])
    assert escape("Ce département n'existe pas.") in response.content.decode()


def test_tabs_show_the_other_count(client, db):
    company = company_in(LYON, name="Deux fiches")
    JobDescriptionFactory(company=company)
    JobDescriptionFactory(company=company)
    content = search(client, "search_companies").content.decode()
    assert "Employeurs (1)" in content
    assert "Fiches de poste (2)" in content
    assert reverse("search_job_descriptions") + "?city=lyon-69" in content


def test_paginated_by_ten_with_dsfr_pagination(client, db):
    for index in range(23):
        company_in(LYON, name=f"Structure {index:02d}")
    first = search(client, "search_companies")
    assert len(first.context["page_obj"].object_list) == 10
    content = first.content.decode()
    assert 'class="fr-pagination__list"' in content
    assert 'aria-current="page" title="Page 1"' in content
    third = search(client, "search_companies", page=3)
    assert names(third) == ["Structure 20", "Structure 21", "Structure 22"]
    assert 'aria-current="page" title="Page 3"' in third.content.decode()
    # A page out of range shows the last one rather than an error.
    assert names(search(client, "search_companies", page=99)) == names(third)
    assert names(search(client, "search_companies", page="abc")) == names(first)


def test_first_visit_shows_an_empty_form(client, db):
    response = client.get(reverse("search_companies"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Rechercher un employeur inclusif</h1>" in content
    assert 'for="id_city_name"' in content
    assert "fr-input-group--error" not in content


def test_no_result_is_said(client, db):
    content = search(client, "search_companies", distance=2).content.decode()
    assert "0 employeur à 2 km de Lyon (69)" in content
    assert "Aucun employeur ne correspond à votre recherche." in content


def page_of_many_companies():
    """55 companies around Lyon, each with members and 4 job descriptions: enough to reveal an N+1."""
    for index in range(55):
        company = company_in(LYON if index % 2 else VILLEURBANNE, name=f"Structure {index}", with_member=True)
        for _ in range(4):
            JobDescriptionFactory(company=company)


def test_query_count_anonymous(client, db, django_assert_num_queries):
    page_of_many_companies()
    # commune, candidate companies, candidate job descriptions (tab count), the page's companies in full, first job
    # descriptions of the page, recent applications of the page (the "unpopular" badge).
    with django_assert_num_queries(6):
        response = search(client, "search_companies", distance=25)
    assert len(response.context["page_obj"].object_list) == 10
    assert response.context["company_count"] == 55
    assert response.context["job_description_count"] == 220


def test_query_count_logged_in(client, db, django_assert_num_queries):
    page_of_many_companies()
    employer = ProfessionalFactory()
    CompanyMembershipFactory(user=employer)
    client.force_login(employer)
    client.get(reverse("home"))  # the first page puts the CSRF token of the logout form in the session
    # + session, user, and the three membership lookups of the current-organization middleware.
    with django_assert_num_queries(11):
        response = search(client, "search_companies", distance=25)
    assert len(response.context["page_obj"].object_list) == 10
