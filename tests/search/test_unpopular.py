"""The "unpopular" badge: "Soyez parmi les premiers à postuler" (search_and_jobs.md §3.4).

≤ 1 application received in the last 3 weeks (company search and company card), ≤ 1 pending application (job
description search).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import JobDescriptionFactory
from tests.search.helpers import LYON, company_in, search

pytestmark = pytest.mark.usefixtures("reference_data")

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
THREE_WEEKS = datetime.timedelta(weeks=3)
BADGE = "Soyez parmi les premiers à postuler"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def hiring_company(**kwargs):
    company = company_in(LYON, name="Recrute", with_member=True, **kwargs)
    return company, JobDescriptionFactory(company=company, custom_name="Maçon")


def received(company, *, age=datetime.timedelta(days=1), state=JobApplicationState.NEW, job=None):
    application = JobApplicationFactory(to_company=company, created_at=NOW - age, state=state)
    if job is not None:
        application.selected_jobs.add(job)
    return application


def company_pages(client, company):
    yield search(client, "search_companies").content.decode()
    yield client.get(reverse("company_card", kwargs={"company_uid": company.uid})).content.decode()


@pytest.mark.parametrize(
    "second_application_age,badge",
    [
        (THREE_WEEKS - datetime.timedelta(seconds=1), False),
        (THREE_WEEKS, True),
        (THREE_WEEKS + datetime.timedelta(days=1), True),
    ],
    ids=["2nd application just within 3 weeks: popular", "2nd exactly 3 weeks old: badge", "2nd older: badge"],
)
def test_company_badge_counts_the_applications_of_the_last_three_weeks(client, db, second_application_age, badge):
    company, _ = hiring_company()
    received(company)
    received(company, age=second_application_age)
    for content in company_pages(client, company):
        assert (BADGE in content) is badge


def test_company_without_applications_gets_the_badge(client, db):
    company, _ = hiring_company()
    for content in company_pages(client, company):
        assert BADGE in content


def test_company_that_does_not_take_applications_gets_no_badge(client, db):
    # search_and_jobs.md §4.2: a blocked company shows "not taking applications" instead; no invitation to apply.
    company, _ = hiring_company(block_job_applications=True)
    for content in company_pages(client, company):
        assert BADGE not in content


@pytest.mark.parametrize(
    "states,badge",
    [
        ((JobApplicationState.NEW,), True),
        ((JobApplicationState.NEW, JobApplicationState.PROCESSING), False),
        ((JobApplicationState.NEW, JobApplicationState.ACCEPTED, JobApplicationState.REFUSED), True),
    ],
    ids=["1 pending: badge", "2 pending: popular", "1 pending and 2 processed: badge"],
)
def test_job_description_badge_counts_its_pending_applications(client, db, states, badge):
    company, job = hiring_company()
    for state in states:
        received(company, state=state, job=job)
    content = search(client, "search_job_descriptions").content.decode()
    assert "Maçon" in content
    assert (BADGE in content) is badge


def test_job_description_badge_ignores_applications_to_other_jobs(client, db):
    company, job = hiring_company()
    other = JobDescriptionFactory(company=company, custom_name="Peintre")
    received(company, job=other)
    received(company, job=other)
    received(company, job=job)
    response = search(client, "search_job_descriptions")
    badges = {row.display_name: row.is_unpopular for row in response.context["page_obj"].object_list}
    assert badges == {"Maçon": True, "Peintre": False}
