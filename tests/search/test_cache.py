"""Public searches keep their results and their rendered content SEARCH_CACHE_SECONDS (inclusion/search/rules.py
`_cached`, inclusion/search/page_cache.py; off in the other tests): the same search within the delay reads nothing
from the database; a saved company shows at the next search; what no save announces shows once the delay has passed;
nothing of a visitor is served to another."""

import re

import pytest
import time_machine
from django.utils import timezone

from inclusion.companies.models import Company
from tests.companies.factories import JobDescriptionFactory
from tests.search.helpers import GIVORS, LYON, VILLEURBANNE, company_in, search
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.usefixtures("reference_data")

CACHE_SECONDS = 60
CARD_TITLE = re.compile(r'<h3 class="fr-card__title"><a href="[^"]+">([^<]+)</a></h3>')


@pytest.fixture(autouse=True)
def _search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = CACHE_SECONDS


def shown(response):
    """The employers' names on the page, as a visitor reads them."""
    assert response.status_code == 200
    return CARD_TITLE.findall(response.content.decode())


def test_a_repeated_search_reads_nothing_and_shows_the_same_page(client, db, django_assert_num_queries):
    for index in range(12):
        JobDescriptionFactory(company=company_in(LYON, name=f"Structure {index}", with_member=True))
    first = search(client, "search_companies", distance=25)
    with django_assert_num_queries(0):
        again = search(client, "search_companies", distance=25)
    assert shown(again) == shown(first)
    assert len(shown(first)) == 10  # the first page of 12
    assert "Employeurs (12)" in again.content.decode()
    assert "<title>Employeurs à 25 km de Lyon (69) — 12 résultats" in again.content.decode()


def test_another_page_of_the_same_search_is_another_content(client, db):
    for index in range(12):
        company_in(LYON, name=f"Structure {index:02d}", with_member=True)
    first_page = shown(search(client, "search_companies", distance=25))
    second_page = shown(search(client, "search_companies", distance=25, page=2))
    assert len(second_page) == 2
    assert not set(first_page) & set(second_page)


def test_a_saved_company_shows_at_the_next_search(client, db):
    company_in(LYON, name="Première", with_member=True)
    assert shown(search(client, "search_companies", distance=25)) == ["Première"]
    company_in(VILLEURBANNE, name="Nouvelle", with_member=True)
    assert sorted(shown(search(client, "search_companies", distance=25))) == ["Nouvelle", "Première"]


def test_a_company_closed_by_a_save_leaves_the_page_at_once(client, db):
    closed = company_in(LYON, name="Fermée", with_member=True)
    company_in(LYON, name="Ouverte", with_member=True)
    assert sorted(shown(search(client, "search_companies", distance=25))) == ["Fermée", "Ouverte"]
    closed.is_searchable = False
    closed.save()
    assert shown(search(client, "search_companies", distance=25)) == ["Ouverte"]


def test_a_change_no_save_announces_shows_once_the_delay_has_passed(client, db):
    hidden = company_in(LYON, name="Masquée", with_member=True)
    company_in(LYON, name="Visible", with_member=True)
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        assert sorted(shown(search(client, "search_companies", distance=25))) == ["Masquée", "Visible"]
        Company.objects.filter(pk=hidden.pk).update(is_searchable=False)  # a bulk update sends no signal
        traveller.shift(CACHE_SECONDS - 1)
        assert sorted(shown(search(client, "search_companies", distance=25))) == ["Masquée", "Visible"]
        traveller.shift(2)
        assert shown(search(client, "search_companies", distance=25)) == ["Visible"]


def test_other_criteria_are_other_searches(client, db):
    company_in(LYON, name="Lyonnaise", with_member=True)
    company_in(GIVORS, name="Givordine", with_member=True)  # about 20 km from Lyon
    assert shown(search(client, "search_companies", distance=5)) == ["Lyonnaise"]
    assert sorted(shown(search(client, "search_companies", distance=25))) == ["Givordine", "Lyonnaise"]
    assert search(client, "search_job_descriptions", distance=5).context["company_count"] == 1


def test_the_visitor_who_searched_first_is_not_shown_to_the_next(client, db):
    company_in(LYON, name="Lyonnaise", with_member=True)
    job_seeker = JobSeekerFactory(first_name="Ophélie", last_name="Vasseur")
    client.force_login(job_seeker)
    first = search(client, "search_companies", distance=25).content.decode()
    assert "VASSEUR" in first.upper()
    client.logout()
    anonymous = search(client, "search_companies", distance=25)
    page = anonymous.content.decode()
    assert shown(anonymous) == ["Lyonnaise"]
    assert "VASSEUR" not in page.upper()
    assert "Se connecter" in page


def test_each_page_has_its_own_nonce_around_the_cached_content(client, db):
    company_in(LYON, name="Lyonnaise", with_member=True)
    first = search(client, "search_companies", distance=25)
    again = search(client, "search_companies", distance=25)
    nonces = [
        re.search(r'autocomplete\.js" nonce="([^"]+)"', page.content.decode()).group(1) for page in (first, again)
    ]
    assert nonces[0] != nonces[1]
    assert f"'nonce-{nonces[1]}'" in again["Content-Security-Policy"]


def test_a_search_with_errors_is_not_kept(client, db, django_assert_max_num_queries):
    unknown = search(client, "search_companies", city="nulle-part-99", distance=25)
    assert "Votre recherche est à corriger" in unknown.content.decode()
    with django_assert_max_num_queries(5) as queries:
        again = search(client, "search_companies", city="nulle-part-99", distance=25)
    assert len(queries) > 0  # validated again, not served from the cache
    assert "Votre recherche est à corriger" in again.content.decode()
