"""Public searches keep their results SEARCH_CACHE_SECONDS (inclusion/search/rules.py `_cached`; off in the other
tests): the same search within the delay reads no candidates again, a new company shows once it has passed."""

import pytest
import time_machine
from django.utils import timezone

from tests.companies.factories import JobDescriptionFactory
from tests.search.helpers import LYON, VILLEURBANNE, company_in, search

pytestmark = pytest.mark.usefixtures("reference_data")

CACHE_SECONDS = 60


@pytest.fixture(autouse=True)
def _search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = CACHE_SECONDS


def counts(response):
    return response.context["company_count"], response.context["job_description_count"]


def test_a_repeated_search_reads_no_candidates_and_shows_the_same_page(client, db, django_assert_num_queries):
    for index in range(12):
        JobDescriptionFactory(company=company_in(LYON, name=f"Structure {index}", with_member=True))
    first = search(client, "search_companies", distance=25)
    # commune, the page's companies, their first job descriptions, their recent applications: no candidates.
    with django_assert_num_queries(4):
        again = search(client, "search_companies", distance=25)
    assert counts(again) == counts(first) == (12, 12)
    assert [company.pk for company in again.context["page_obj"]] == [
        company.pk for company in first.context["page_obj"]
    ]


def test_a_new_company_shows_once_the_delay_has_passed(client, db):
    company_in(LYON, name="Première", with_member=True)
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        assert counts(search(client, "search_companies", distance=25))[0] == 1
        company_in(VILLEURBANNE, name="Nouvelle", with_member=True)
        traveller.shift(CACHE_SECONDS - 1)
        assert counts(search(client, "search_companies", distance=25))[0] == 1
        traveller.shift(2)
        assert counts(search(client, "search_companies", distance=25))[0] == 2


def test_other_criteria_are_other_searches(client, db):
    company_in(LYON, name="Lyonnaise", with_member=True)
    assert counts(search(client, "search_companies", distance=25))[0] == 1
    company_in(VILLEURBANNE, name="Villeurbannaise", with_member=True)
    assert counts(search(client, "search_companies", distance=50))[0] == 2
    assert counts(search(client, "search_job_descriptions", distance=25))[0] == 1


def test_a_company_closed_since_is_left_out_of_the_page(client, db):
    closed = company_in(LYON, name="Fermée", with_member=True)
    company_in(LYON, name="Ouverte", with_member=True)
    search(client, "search_companies", distance=25)
    closed.is_searchable = False
    closed.save()
    names = [company.display_name for company in search(client, "search_companies", distance=25).context["page_obj"]]
    assert names == ["Ouverte"]
