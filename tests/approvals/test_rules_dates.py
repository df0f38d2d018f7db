"""PASS IAE dates, states and remainder (pass_iae.md §4, §5, §11, §12)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from inclusion.approvals import rules
from inclusion.approvals.enums import ApprovalState
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.approvals.factories_approvals_core import noon
from tests.companies.factories import CompanyFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)


DAY = datetime.timedelta(days=1)


def days(n):
    return datetime.timedelta(days=n)


def test_a_fresh_pass_lasts_730_inclusive_days():
    assert rules.default_end_at(TODAY) == datetime.date(2028, 3, 8)
    assert rules.default_end_at(TODAY) - TODAY == days(729)
    # Fixed days, not calendar years: a leap day does not change the count.
    assert rules.default_end_at(datetime.date(2027, 3, 1)) == datetime.date(2029, 2, 27)


@pytest.mark.parametrize(
    "end_at,valid",
    [(TODAY - DAY, False), (TODAY, True), (TODAY + DAY, True)],
    ids=["ended yesterday", "ends today", "ends tomorrow"],
)
def test_valid_until_its_last_day_included(end_at, valid):
    approval = ApprovalFactory.build(start_at=end_at - days(729), end_at=end_at)
    assert rules.approval_is_valid(approval) is valid


def test_a_pass_starting_in_the_future_is_valid_but_not_in_progress():
    approval = ApprovalFactory.build(start_at=TODAY + DAY, end_at=TODAY + days(730))
    assert rules.approval_is_valid(approval)
    assert not rules.approval_is_in_progress(approval)
    approval.start_at = TODAY
    assert rules.approval_is_in_progress(approval)


@pytest.mark.parametrize(
    "start_at,end_at,state",
    [
        (TODAY - days(729), TODAY - DAY, ApprovalState.EXPIRED),
        (TODAY - days(729), TODAY, ApprovalState.VALID),
        (TODAY, TODAY + days(729), ApprovalState.VALID),
        (TODAY + DAY, TODAY + days(730), ApprovalState.FUTURE),
    ],
    ids=["ended yesterday", "ends today", "starts today", "starts tomorrow"],
)
def test_state_from_the_dates(start_at, end_at, state):
    approval = ApprovalFactory(start_at=start_at, end_at=end_at)
    assert rules.approval_state(approval) == state


@pytest.mark.parametrize(
    "suspension_start,suspension_end,state",
    [
        (TODAY - days(10), TODAY - DAY, ApprovalState.VALID),
        (TODAY - days(10), TODAY, ApprovalState.SUSPENDED),
        (TODAY, TODAY + days(10), ApprovalState.SUSPENDED),
        (TODAY + DAY, TODAY + days(10), ApprovalState.VALID),
    ],
    ids=["ended yesterday", "ends today", "starts today", "starts tomorrow"],
)
def test_suspended_while_a_suspension_covers_today(suspension_start, suspension_end, state):
    approval = ApprovalFactory(start_at=TODAY - days(100))
    SuspensionFactory(approval=approval, start_at=suspension_start, end_at=suspension_end)
    assert rules.approval_state(approval) == state


def test_states_are_evaluated_in_order_expired_first_then_suspended():
    # Inconsistent data on purpose: the first matching state wins (pass_iae.md §11).
    expired = ApprovalFactory(start_at=TODAY - days(800), end_at=TODAY - DAY)
    SuspensionFactory(approval=expired, start_at=TODAY - days(5), end_at=TODAY + days(5))
    assert rules.approval_state(expired) == ApprovalState.EXPIRED
    future = ApprovalFactory(start_at=TODAY + days(3))
    SuspensionFactory(approval=future, start_at=TODAY - days(1), end_at=TODAY + days(1))
    assert rules.approval_state(future) == ApprovalState.SUSPENDED


def test_state_reads_prefetched_suspensions(django_assert_num_queries):
    approval = ApprovalFactory(start_at=TODAY - days(10))
    SuspensionFactory(approval=approval, start_at=TODAY - days(2), end_at=TODAY + days(2))
    approval = type(approval).objects.prefetch_related("suspensions").get(pk=approval.pk)
    with django_assert_num_queries(0):
        assert rules.approval_state(approval) == ApprovalState.SUSPENDED
        assert rules.approval_remainder(approval) == 729 - 10 + 1 - 3


class TestRemainder:
    @pytest.mark.parametrize(
        "start,end,remaining",
        [
            (TODAY - days(20), TODAY - days(10), 0),
            (TODAY - days(20), TODAY - DAY, 0),
            (TODAY - days(20), TODAY, 1),
            (TODAY - days(20), TODAY + days(9), 10),
            (TODAY, TODAY + days(9), 10),
            (TODAY + DAY, TODAY + days(10), 10),
            (TODAY + days(5), TODAY + days(5), 1),
        ],
    )
    def test_remaining_days_of_an_inclusive_range(self, start, end, remaining):
        assert rules.remaining_days(start, end) == remaining

    def test_future_pass_keeps_its_730_days(self):
        approval = ApprovalFactory(start_at=TODAY + days(10))
        assert rules.approval_remainder(approval) == 730
        assert rules.approval_estimated_end(approval) == approval.end_at

    def test_pass_in_progress(self):
        approval = ApprovalFactory(start_at=TODAY - days(100))
        assert rules.approval_remainder(approval) == 630
        assert rules.approval_estimated_end(approval) == approval.end_at == TODAY + days(629)

    def test_pass_starting_today_has_all_its_days(self):
        approval = ApprovalFactory(start_at=TODAY)
        assert rules.approval_remainder(approval) == 730

    @pytest.mark.parametrize("ended_days_ago,remainder", [(1, 0), (0, 1)])
    def test_expired_pass_has_nothing_left(self, ended_days_ago, remainder):
        end_at = TODAY - days(ended_days_ago)
        approval = ApprovalFactory(start_at=end_at - days(729), end_at=end_at)
        assert rules.approval_remainder(approval) == remainder
        assert rules.approval_estimated_end(approval) == end_at

    def _suspended(self, suspension_start, suspension_end):
        """A PASS carrying one suspension, its end pushed back by `end − start` days as the rules do (§13.4)."""
        approval = ApprovalFactory(start_at=TODAY - days(200))
        SuspensionFactory(approval=approval, start_at=suspension_start, end_at=suspension_end)
        approval.end_at += suspension_end - suspension_start
        approval.save()
        return approval

    def test_a_past_suspension_removes_nothing_more(self):
        approval = self._suspended(TODAY - days(150), TODAY - days(121))
        # 730 days + 29 days of push-back, 200 of them elapsed.
        assert approval.end_at == TODAY - days(200) + days(729 + 29)
        assert rules.approval_remainder(approval) == 729 + 29 - 200 + 1
        assert rules.approval_estimated_end(approval) == approval.end_at

    def test_an_ongoing_suspension_removes_its_days_still_to_come(self):
        approval = self._suspended(TODAY - days(10), TODAY + days(19))
        remaining_pass = (approval.end_at - TODAY).days + 1
        assert rules.approval_remainder(approval) == remaining_pass - 20
        # Today + remainder − 1 day: the suspended days to come are not counted.
        assert rules.approval_estimated_end(approval) == approval.end_at - days(20)

    def test_a_suspension_ending_yesterday_no_longer_counts(self):
        approval = self._suspended(TODAY - days(10), TODAY - DAY)
        assert rules.approval_remainder(approval) == (approval.end_at - TODAY).days + 1

    def test_a_suspension_ending_today_removes_one_day(self):
        approval = self._suspended(TODAY - days(10), TODAY)
        assert rules.approval_remainder(approval) == (approval.end_at - TODAY).days

    def test_a_future_suspension_removes_all_its_days(self):
        approval = self._suspended(TODAY + days(5), TODAY + days(14))
        assert rules.approval_remainder(approval) == (approval.end_at - TODAY).days + 1 - 10
        assert rules.approval_estimated_end(approval) == approval.end_at - days(10)

    def test_remainder_on_another_day(self):
        approval = ApprovalFactory(start_at=TODAY)
        assert rules.approval_remainder(approval, on=TODAY + days(100)) == 630
        assert rules.approval_estimated_end(approval, on=TODAY + days(100)) == approval.end_at


@pytest.mark.parametrize(
    "days_left,display",
    [
        (0, "0 jour"),
        (1, "1 jour"),
        (6, "6 jours"),
        (7, "7 jours (environ 1 semaine)"),
        (14, "14 jours (environ 2 semaines)"),
        (31, "31 jours (environ 1 mois)"),
        # 10/03 + 35 days = 14/04: one month and 4 days, less than a week: the month only.
        (35, "35 jours (environ 1 mois)"),
        (45, "45 jours (environ 1 mois et 2 semaines)"),
        (730, "730 jours (environ 23 mois et 4 semaines)"),
    ],
)
def test_remainder_display(days_left, display):
    assert rules.remainder_display(days_left) == display


def test_remainder_display_counts_the_months_from_the_given_day():
    # 10/03 + 30 days = 09/04: 4 weeks and 2 days; 01/02 + 30 days = 03/03: one month and 2 days.
    assert rules.remainder_display(30) == "30 jours (environ 4 semaines)"
    assert rules.remainder_display(30, on=datetime.date(2026, 2, 1)) == "30 jours (environ 1 mois)"


class TestHiringStartBounds:
    def test_siae_without_pass(self):
        job_seeker = JobSeekerFactory()
        bounds = rules.hiring_start_bounds(job_seeker=job_seeker, company=CompanyFactory(kind="ACI"))
        assert bounds == (TODAY, TODAY + relativedelta(months=6)) == (TODAY, datetime.date(2026, 9, 10))

    def test_geiq_has_no_earliest_start(self):
        bounds = rules.hiring_start_bounds(job_seeker=JobSeekerFactory(), company=CompanyFactory(kind="GEIQ"))
        assert bounds == (None, datetime.date(2026, 9, 10))

    @pytest.mark.parametrize(
        "pass_end,latest",
        [
            (TODAY + days(30), TODAY + days(30)),
            (datetime.date(2026, 9, 9), datetime.date(2026, 9, 9)),
            (datetime.date(2026, 9, 10), datetime.date(2026, 9, 10)),
            (datetime.date(2026, 9, 11), datetime.date(2026, 9, 10)),
        ],
    )
    def test_siae_hiring_of_a_pass_holder_starts_at_the_latest_on_the_pass_end(self, pass_end, latest):
        approval = ApprovalFactory(start_at=pass_end - days(729), end_at=pass_end)
        bounds = rules.hiring_start_bounds(job_seeker=approval.user, company=CompanyFactory(kind="EI"))
        assert bounds == (TODAY, latest)

    def test_an_expired_pass_does_not_bound_the_start(self):
        approval = ApprovalFactory(start_at=TODAY - days(800), end_at=TODAY - DAY)
        bounds = rules.hiring_start_bounds(job_seeker=approval.user, company=CompanyFactory(kind="AI"))
        assert bounds == (TODAY, datetime.date(2026, 9, 10))

    def test_non_siae_hirings_ignore_the_pass(self):
        approval = ApprovalFactory(start_at=TODAY - days(700))
        bounds = rules.hiring_start_bounds(job_seeker=approval.user, company=CompanyFactory(kind="EA"))
        assert bounds == (TODAY, datetime.date(2026, 9, 10))
