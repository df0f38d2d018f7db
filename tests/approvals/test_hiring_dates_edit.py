"""pass_iae.md §5 "later edit" and §4 realignment, applications.md §8.3: the contract dates of an accepted hiring
that has not started yet."""

import datetime

import pytest

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals import rules
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


def accepted_hiring(*, hiring_start_at, approval=None, state=JobApplicationState.ACCEPTED):
    approval = approval or ApprovalFactory(start_at=hiring_start_at)
    return JobApplicationFactory(
        job_seeker=approval.user,
        to_company=CompanyFactory(kind="ACI"),
        state=state,
        hiring_start_at=hiring_start_at,
        approval=approval if state == JobApplicationState.ACCEPTED else None,
    )


@pytest.mark.parametrize(
    "new_start,allowed",
    [(TODAY - DAY, False), (TODAY, True), (TODAY + 30 * DAY, True), (TODAY + 31 * DAY, False)],
)
def test_the_new_start_lies_between_today_and_30_days_ahead(new_start, allowed):
    application = accepted_hiring(hiring_start_at=TODAY + 10 * DAY)
    if allowed:
        rules.hiring_dates_edit(job_application=application, hiring_start_at=new_start)
        application.refresh_from_db()
        assert application.hiring_start_at == new_start
    else:
        with pytest.raises(rules.ApprovalError, match="entre le 10/03/2026 et le 09/04/2026"):
            rules.hiring_dates_edit(job_application=application, hiring_start_at=new_start)
        application.refresh_from_db()
        assert application.hiring_start_at == TODAY + 10 * DAY


def test_a_pass_not_started_follows_the_new_start_and_its_end_is_recomputed():
    application = accepted_hiring(hiring_start_at=TODAY + 10 * DAY)
    rules.hiring_dates_edit(job_application=application, hiring_start_at=TODAY + 20 * DAY)
    approval = application.approval
    approval.refresh_from_db()
    assert (approval.start_at, approval.end_at) == (TODAY + 20 * DAY, TODAY + 20 * DAY + 729 * DAY)


@pytest.mark.parametrize("new_start,allowed", [(TODAY + 4 * DAY, True), (TODAY + 5 * DAY, False)])
def test_with_a_pass_already_started_the_new_start_stays_strictly_before_its_end(new_start, allowed):
    approval = ApprovalFactory(start_at=TODAY - 724 * DAY)  # ends in 5 days
    assert approval.end_at == TODAY + 5 * DAY
    application = accepted_hiring(hiring_start_at=TODAY + 2 * DAY, approval=approval)
    if allowed:
        rules.hiring_dates_edit(job_application=application, hiring_start_at=new_start)
    else:
        with pytest.raises(rules.ApprovalError, match="entre le 10/03/2026 et le 14/03/2026"):
            rules.hiring_dates_edit(job_application=application, hiring_start_at=new_start)
    approval.refresh_from_db()
    assert approval.start_at == TODAY - 724 * DAY  # a started PASS never moves


def test_a_hiring_already_started_keeps_its_start():
    application = accepted_hiring(hiring_start_at=TODAY)
    with pytest.raises(rules.ApprovalError, match="déjà commencé"):
        rules.hiring_dates_edit(job_application=application, hiring_start_at=TODAY + DAY)


def test_only_an_accepted_application_has_dates_to_edit():
    application = accepted_hiring(hiring_start_at=TODAY + 10 * DAY, state=JobApplicationState.PROCESSING)
    with pytest.raises(rules.ApprovalError, match="embauche acceptée"):
        rules.hiring_dates_edit(job_application=application, hiring_start_at=TODAY + 12 * DAY)


def test_the_contract_end_may_not_precede_its_start():
    application = accepted_hiring(hiring_start_at=TODAY + 10 * DAY)
    with pytest.raises(rules.ApprovalError, match="fin du contrat"):
        rules.hiring_dates_edit(
            job_application=application, hiring_start_at=TODAY + 10 * DAY, hiring_end_at=TODAY + 9 * DAY
        )
    rules.hiring_dates_edit(
        job_application=application, hiring_start_at=TODAY + 10 * DAY, hiring_end_at=TODAY + 10 * DAY
    )
