"""pass_iae.md §5, §6 step 4, §13.6: the latest hiring start offered to an SIAE takes into account the suspension the
hiring will lift, so that the form never offers a date the acceptance then refuses."""

import datetime

import pytest

from inclusion.applications.enums import JobApplicationState
from inclusion.approvals import rules
from inclusion.approvals.enums import SuspensionReason
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


def suspended_pass(*, suspension_start, suspension_end, original_end, reason=SuspensionReason.CONTRACT_BROKEN):
    """A PASS whose end was pushed back by a suspension, as `suspension_create` would have left it (§13.4)."""
    approval = ApprovalFactory(start_at=original_end - 729 * DAY, end_at=original_end)
    SuspensionFactory(approval=approval, start_at=suspension_start, end_at=suspension_end, reason=reason)
    approval.end_at = original_end + (suspension_end - suspension_start)
    approval.save()
    return approval


def suspended_on_the_last_day():
    """The PASS ended 2 days ago when a 13-day suspension started that very day: it now ends in 10 days."""
    return suspended_pass(
        suspension_start=TODAY - 2 * DAY, suspension_end=TODAY + 10 * DAY, original_end=TODAY - 2 * DAY
    )


def latest_start(approval):
    return rules.hiring_start_bounds(job_seeker=approval.user, company=CompanyFactory(kind="ACI"))[1]


def test_a_suspension_started_on_the_pass_last_day_leaves_no_later_start():
    approval = suspended_pass(
        suspension_start=TODAY - 2 * DAY, suspension_end=TODAY + 10 * DAY, original_end=TODAY - 2 * DAY
    )
    assert approval.end_at == TODAY + 10 * DAY
    assert latest_start(approval) == TODAY - 2 * DAY  # before today: no hiring date fits


def test_the_refused_date_is_indeed_refused_at_acceptance():
    approval = suspended_pass(
        suspension_start=TODAY - 2 * DAY, suspension_end=TODAY + 10 * DAY, original_end=TODAY - 2 * DAY
    )
    company = CompanyFactory(kind="ACI")
    application = JobApplicationFactory(
        job_seeker=approval.user, to_company=company, state=JobApplicationState.ACCEPTED, hiring_start_at=TODAY + DAY
    )
    with pytest.raises(rules.ApprovalError):
        rules.approval_issue_or_reuse(job_application=application)


def test_a_suspension_starting_today_on_the_pass_last_day_allows_today_only():
    approval = suspended_pass(suspension_start=TODAY, suspension_end=TODAY + 10 * DAY, original_end=TODAY)
    assert latest_start(approval) == TODAY


def test_a_suspension_ending_before_the_pass_end_does_not_bound_the_start():
    approval = suspended_pass(
        suspension_start=TODAY - 5 * DAY, suspension_end=TODAY + 5 * DAY, original_end=TODAY + 30 * DAY
    )
    assert latest_start(approval) == approval.end_at == TODAY + 40 * DAY


def test_a_legacy_suspension_is_not_lifted_so_it_does_not_bound_the_start():
    approval = suspended_pass(
        suspension_start=TODAY - 2 * DAY,
        suspension_end=TODAY + 10 * DAY,
        original_end=TODAY - 2 * DAY,
        reason=SuspensionReason.SICKNESS,
    )
    assert latest_start(approval) == approval.end_at
