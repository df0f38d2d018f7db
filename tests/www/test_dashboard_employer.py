"""The employer's dashboard: freshness warning (search_and_jobs.md §3.4), grace-period banner (organizations.md §8.4),
cards linking to the pages that exist."""

import datetime
import itertools

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import Convention
from tests.access.personas import PERSONAS, build_world
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.jobs.factories import AppellationFactory
from tests.users.auth import login
from tests.users.factories import ProfessionalFactory
from tests.www.test_dashboard import complete_profile

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)
APPELLATION_CODES = itertools.count()
FRESHNESS_ALERT = "Mettez à jour vos fiches de poste"
GRACE_PERIOD_BANNER = "Action requise"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employer(db):
    return ProfessionalFactory()


@pytest.fixture
def company(employer):
    return CompanyFactory(with_member=employer)


def job_description(company, *, age, name="Maçon", **kwargs):
    appellation = AppellationFactory(code=f"8{next(APPELLATION_CODES):04d}", name=name)
    return JobDescriptionFactory(company=company, appellation=appellation, last_employer_update_at=NOW - age, **kwargs)


def dashboard_of(client, user):
    login(client, user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


class TestFreshnessWarning:
    @pytest.mark.parametrize(
        "age,warned",
        [
            (datetime.timedelta(days=59, hours=23), False),
            (datetime.timedelta(days=60), True),
            (datetime.timedelta(days=61), True),
        ],
        ids=["59 days 23 h", "exactly 60 days", "61 days"],
    )
    def test_job_description_boundary(self, client, employer, company, age, warned):
        job_description(company, age=age, name="Jardinier d'espaces verts")
        content = dashboard_of(client, employer)
        assert (FRESHNESS_ALERT in content) is warned
        if warned:
            assert "1 fiche de poste ouverte n'a pas été mise à jour depuis 60 jours ou plus" in content
            assert escape("Jardinier d'espaces verts") in content
            assert "fermées automatiquement au bout de 90 jours" in content

    @pytest.mark.parametrize(
        "age,warned",
        [(datetime.timedelta(days=59, hours=23), False), (datetime.timedelta(days=60), True)],
        ids=["59 days 23 h", "exactly 60 days"],
    )
    def test_spontaneous_applications_boundary(self, client, employer, company, age, warned):
        company.spontaneous_applications_open_since = NOW - age
        company.save()
        content = dashboard_of(client, employer)
        assert ("Vos candidatures spontanées sont ouvertes depuis 60 jours ou plus" in content) is warned
        assert (FRESHNESS_ALERT in content) is warned

    def test_closed_job_descriptions_and_blocked_applications_are_not_warned_about(self, client, employer, company):
        job_description(company, age=datetime.timedelta(days=200), is_active=False)
        company.spontaneous_applications_open_since = NOW - datetime.timedelta(days=200)
        company.block_job_applications = True
        company.save()
        assert FRESHNESS_ALERT not in dashboard_of(client, employer)

    def test_only_the_current_company_counts(self, client, employer, company):
        job_description(CompanyFactory(), age=datetime.timedelta(days=100))  # someone else's
        assert FRESHNESS_ALERT not in dashboard_of(client, employer)

    def test_many_stale_job_descriptions_are_counted_and_the_oldest_named(self, client, employer, company):
        for days in range(60, 67):
            job_description(company, age=datetime.timedelta(days=days), name=f"Métier {days}")
        content = dashboard_of(client, employer)
        assert "7 fiches de poste ouvertes n'ont pas été mises à jour depuis 60 jours ou plus" in content
        assert "Métier 66, Métier 65, Métier 64, Métier 63, Métier 62 et 2 autres." in content

    def test_links_to_the_job_description_list_when_it_exists(self, client, employer, company):
        job_description(company, age=datetime.timedelta(days=60))
        content = dashboard_of(client, employer)
        assert f'href="{reverse("job_description_list")}">Voir mes fiches de poste' in content

    def test_not_shown_to_other_roles(self, client, db):
        world = build_world()
        complete_profile(world.job_seeker)
        world.job_description.last_employer_update_at = NOW - datetime.timedelta(days=100)
        world.job_description.save()
        for persona in ["authorized_prescriber", "institution_member", "job_seeker", "staff", "other_employer"]:
            client.logout()
            assert FRESHNESS_ALERT not in dashboard_of(client, world.user(persona)), persona
        assert FRESHNESS_ALERT in dashboard_of(client, world.user("employer"))

    def test_query_count_does_not_grow_with_job_descriptions(
        self, client, employer, company, django_assert_num_queries
    ):
        job_description(company, age=datetime.timedelta(days=100))
        client.force_login(employer)
        client.get(reverse("dashboard"))  # warm up: session, content types
        with django_assert_num_queries(QUERIES) as one:
            client.get(reverse("dashboard"))
        for _ in range(29):
            job_description(company, age=datetime.timedelta(days=100))
        with django_assert_num_queries(QUERIES):
            response = client.get(reverse("dashboard"))
        assert "30 fiches de poste ouvertes" in response.content.decode()
        assert len(one.captured_queries) == QUERIES


# session + user, memberships ×3 (current organization), admin check, stale job descriptions (first 5, then count),
# application counters (one aggregate).
QUERIES = 9


def asp_company(employer, *, kind=CompanyKind.ACI, convention_active=True, deactivated_days_ago=None):
    deactivated_at = None if deactivated_days_ago is None else NOW - datetime.timedelta(days=deactivated_days_ago)
    convention = Convention.objects.create(
        asp_id=next(APPELLATION_CODES) + 1000,
        kind=kind,
        siret_signature="81234567800012",
        is_active=convention_active,
        deactivated_at=deactivated_at,
    )
    return CompanyFactory(kind=kind, source=CompanySource.ASP, convention=convention, with_member=employer)


class TestGracePeriodBanner:
    def test_company_in_grace_period_is_told_when_access_ends_and_what_to_do(self, client, employer):
        # Deactivated on 28 February 2026 09:30 UTC: access ends 30 days later, 30 March 11:30 Paris summer time.
        asp_company(employer, convention_active=False, deactivated_days_ago=10)
        content = dashboard_of(client, employer)
        assert GRACE_PERIOD_BANNER in content
        assert "la convention de votre structure n'est plus active" in content
        assert "jusqu'au <strong>30 mars 2026 à 11h30</strong>" in content
        assert "contactez votre DDETS" in content
        assert "support" in content

    def test_shown_on_the_last_day_of_the_grace_period(self, client, employer):
        asp_company(employer, convention_active=False, deactivated_days_ago=29)
        assert GRACE_PERIOD_BANNER in dashboard_of(client, employer)

    def test_once_the_grace_period_is_over_the_member_is_logged_out(self, client, employer):
        # organizations.md §8.4: no banner any more, no access at all.
        asp_company(employer, convention_active=False, deactivated_days_ago=30)
        client.force_login(employer)
        response = client.get(reverse("dashboard"))
        assert response["Location"] == reverse("no_organization")

    def test_active_company_has_no_banner(self, client, employer):
        asp_company(employer)
        assert GRACE_PERIOD_BANNER not in dashboard_of(client, employer)


class TestCards:
    def test_every_role_can_search_employers(self, client, db):
        world = build_world()
        complete_profile(world.job_seeker)
        for persona in PERSONAS:
            if persona == "anonymous":
                continue
            client.logout()
            assert "Rechercher un employeur" in dashboard_of(client, world.user(persona)), persona

    def test_admin_of_an_active_siae_manages_its_structure_and_antennas(self, client, employer):
        asp_company(employer)
        content = dashboard_of(client, employer)
        assert "Ma structure" in content
        assert "Créer une antenne" in content
        assert f'<a href="{reverse("antenna_create")}">Créer une antenne</a>' in content

    def test_a_member_who_is_not_admin_does_not(self, client, employer):
        company = asp_company(ProfessionalFactory())
        CompanyMembershipFactory(organization=company, user=employer, is_admin=False)
        content = dashboard_of(client, employer)
        assert "Ma structure" not in content
        assert "Créer une antenne" not in content
        assert "Collaborateurs" in content

    @pytest.mark.parametrize("kind", [CompanyKind.EA, CompanyKind.EATT, CompanyKind.OPCS])
    def test_kinds_without_antennas(self, client, employer, kind):
        CompanyFactory(kind=kind, with_member=employer)
        content = dashboard_of(client, employer)
        assert "Ma structure" in content
        assert "Créer une antenne" not in content

    def test_company_in_grace_period_cannot_create_antennas(self, client, employer):
        asp_company(employer, convention_active=False, deactivated_days_ago=3)
        assert "Créer une antenne" not in dashboard_of(client, employer)

    def test_company_in_grace_period_has_no_members_card(self, client, employer):
        # applications.md §17, organizations.md §8.4: member management is blocked during the grace period.
        asp_company(employer, convention_active=False, deactivated_days_ago=3)
        assert f'href="{reverse("members")}"' not in dashboard_of(client, employer)

    @pytest.mark.parametrize(
        "title,url_name",
        [
            ("Fiches de poste", "job_description_list"),
            ("Collaborateurs", "members"),
            ("Ma structure", "company_edit"),
            ("Rechercher un employeur", "search_companies"),
        ],
    )
    def test_cards_link_to_the_pages_that_exist(self, client, employer, company, title, url_name):
        content = dashboard_of(client, employer)
        assert f'<a href="{reverse(url_name)}">{title}</a>' in content
