"""The hourly job application score (search_and_jobs.md §4.2, §9 invariant 4; platform_rules.md §9 "hourly")."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from inclusion.companies import scores, tasks
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, JobDescriptionFactory

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
THREE_WEEKS = datetime.timedelta(weeks=3)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def applications(company, count, *, age=datetime.timedelta(days=1)):
    for _ in range(count):
        JobApplicationFactory(to_company=company, created_at=NOW - age)


def score_of(company):
    company.refresh_from_db()
    return company.job_app_score


@pytest.mark.parametrize(
    "age,counted",
    [
        (THREE_WEEKS - datetime.timedelta(seconds=1), True),
        (THREE_WEEKS, False),
        (THREE_WEEKS + datetime.timedelta(days=1), False),
    ],
    ids=["received 3 weeks minus 1 s ago: counted", "exactly 3 weeks ago: not counted", "3 weeks and a day: not"],
)
def test_applications_of_the_last_three_weeks(db, age, counted):
    company = CompanyFactory()
    JobDescriptionFactory(company=company)
    applications(company, 1, age=age)
    scores.update_job_app_scores()
    assert score_of(company) == (1.0 if counted else 0.0)


def test_applications_divided_by_the_active_job_descriptions(db):
    company = CompanyFactory()
    JobDescriptionFactory.create_batch(2, company=company)
    JobDescriptionFactory(company=company, is_active=False)
    applications(company, 3)
    applications(CompanyFactory(), 5)  # another company's applications do not count
    scores.update_job_app_scores()
    assert score_of(company) == 1.5


def test_open_spontaneous_applications_count_as_one_job_description(db):
    company = CompanyFactory(spontaneous_applications_open_since=NOW - datetime.timedelta(days=10))
    JobDescriptionFactory(company=company)
    applications(company, 3)
    scores.update_job_app_scores()
    assert score_of(company) == 1.5


def test_blocked_company_is_not_open_to_spontaneous_applications(db):
    # organizations.md §8.7: open ⇔ not blocked and open_since set.
    company = CompanyFactory(spontaneous_applications_open_since=NOW, block_job_applications=True)
    JobDescriptionFactory(company=company)
    applications(company, 3)
    scores.update_job_app_scores()
    assert score_of(company) == 3.0


def test_nothing_offered_divides_by_one(db):
    company = CompanyFactory()
    applications(company, 2)
    quiet = CompanyFactory()
    scores.update_job_app_scores()
    assert score_of(company) == 2.0
    assert score_of(quiet) == 0.0  # computed: no longer sorted last as "never computed"


def test_only_changed_scores_are_written(db):
    company = CompanyFactory()
    applications(company, 2)
    assert scores.update_job_app_scores() == 1
    assert scores.update_job_app_scores() == 0
    applications(company, 1)
    assert scores.update_job_app_scores() == 1
    assert score_of(company) == 3.0


def test_old_applications_leave_the_score_as_time_passes(db):
    company = CompanyFactory()
    applications(company, 1, age=THREE_WEEKS - datetime.timedelta(hours=1))
    scores.update_job_app_scores()
    assert score_of(company) == 1.0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1), tick=False):
        scores.update_job_app_scores()
    assert score_of(company) == 0.0


def test_periodic_task_runs_every_hour(db):
    company = CompanyFactory()
    applications(company, 2)
    assert tasks.update_job_app_scores_task.call_local() == 1
    assert score_of(company) == 2.0
    start = datetime.datetime(2026, 3, 29, 0, 0)  # a daylight saving time change
    minutes = [start + datetime.timedelta(minutes=n) for n in range(24 * 60)]
    assert len([m for m in minutes if tasks.JOB_APP_SCORES_SCHEDULE(m)]) == 24
