"""The 2-year waiting period after a PASS IAE (pass_iae.md §8)."""

import datetime

import pytest
from django.utils import timezone

from inclusion.approvals import rules
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approvals_core import accepted_application, noon
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

# A PASS of 2022–2023, made on a prescriber diagnosis of its first day (long expired since).
PASS_START = datetime.date(2022, 1, 1)
PASS_END = datetime.date(2023, 12, 31)
WAITING_END = datetime.date(2025, 12, 31)  # end + 2 years
DAY = datetime.timedelta(days=1)


@pytest.fixture
def ended_pass():
    return ApprovalFactory(start_at=PASS_START, end_at=PASS_END, eligibility_diagnosis__created_at=noon(PASS_START))


def blocks(job_seeker, *, company=None, organization=None):
    return rules.waiting_period_blocks(
        job_seeker=job_seeker,
        company=company or CompanyFactory(kind="ACI"),
        sender_prescriber_organization=organization,
    )


@pytest.mark.parametrize(
    "day,blocked",
    [
        (PASS_END, False),
        (PASS_END + DAY, True),
        (WAITING_END - DAY, True),
        (WAITING_END, True),
        (WAITING_END + DAY, False),
    ],
    ids=["PASS last day", "day after the end", "day before end + 2 years", "end + 2 years", "day after"],
)
def test_blocked_from_the_day_after_the_end_until_two_years_later(time_machine, ended_pass, day, blocked):
    time_machine.move_to(noon(day), tick=False)
    assert rules.is_in_waiting_period(ended_pass) is blocked
    assert blocks(ended_pass.user) is blocked


def test_once_elapsed_the_person_has_no_latest_pass(time_machine, ended_pass):
    time_machine.move_to(noon(WAITING_END), tick=False)
    assert rules.latest_approval(ended_pass.user) == ended_pass
    time_machine.move_to(noon(WAITING_END + DAY), tick=False)
    assert rules.latest_approval(ended_pass.user) is None


def test_latest_pass_is_the_valid_one_first(time_machine):
    job_seeker = JobSeekerFactory()
    time_machine.move_to(noon(datetime.date(2026, 3, 10)), tick=False)
    ApprovalFactory(user=job_seeker, start_at=datetime.date(2023, 1, 1), end_at=datetime.date(2024, 12, 31))
    valid = ApprovalFactory(user=job_seeker, start_at=datetime.date(2026, 6, 1))
    assert rules.latest_approval(job_seeker) == valid


def test_latest_pass_is_the_latest_end_then_the_earliest_start(time_machine):
    job_seeker = JobSeekerFactory()
    time_machine.move_to(noon(datetime.date(2026, 3, 10)), tick=False)
    ApprovalFactory(user=job_seeker, start_at=datetime.date(2022, 1, 1), end_at=datetime.date(2024, 6, 30))
    late_start = ApprovalFactory(user=job_seeker, start_at=datetime.date(2024, 1, 1), end_at=datetime.date(2025, 5, 1))
    early_start = ApprovalFactory(
        user=job_seeker, start_at=datetime.date(2023, 5, 2), end_at=datetime.date(2025, 5, 1)
    )
    assert rules.latest_approval(job_seeker) == early_start != late_start


class TestWhoLiftsIt:
    @pytest.fixture(autouse=True)
    def in_waiting_period(self, time_machine):
        time_machine.move_to(noon(datetime.date(2025, 3, 10)), tick=False)

    def test_an_application_sent_by_an_authorized_prescriber_organization(self, ended_pass):
        assert not blocks(ended_pass.user, organization=PrescriberOrganizationFactory(authorized=True))

    def test_not_an_application_sent_by_an_orienteur(self, ended_pass):
        assert blocks(ended_pass.user, organization=PrescriberOrganizationFactory())

    def test_a_valid_prescriber_diagnosis(self, ended_pass):
        EligibilityDiagnosisFactory(job_seeker=ended_pass.user)
        assert not blocks(ended_pass.user)

    @pytest.mark.parametrize(
        "expires_in_days,blocked",
        [(-1, True), (0, True), (1, False)],
        ids=["expired yesterday", "expires today", "expires tomorrow"],
    )
    def test_a_prescriber_diagnosis_until_it_expires(self, ended_pass, expires_in_days, blocked):
        EligibilityDiagnosisFactory(
            job_seeker=ended_pass.user,
            created_at=timezone.now() - datetime.timedelta(days=170),
            expires_at=timezone.localdate() + datetime.timedelta(days=expires_in_days),
        )
        assert blocks(ended_pass.user) is blocked

    def test_never_an_employer_diagnosis(self, ended_pass):
        company = CompanyFactory(kind="ACI")
        EligibilityDiagnosisFactory(job_seeker=ended_pass.user, from_employer=True, author_siae=company)
        assert blocks(ended_pass.user, company=company)

    @pytest.mark.parametrize("kind", ["GEIQ", "EA", "EATT", "OPCS"])
    def test_non_siae_hirings_are_never_blocked(self, ended_pass, kind):
        assert not blocks(ended_pass.user, company=CompanyFactory(kind=kind))

    @pytest.mark.parametrize("kind", ["AI", "ACI", "EI", "EITI", "ETTI"])
    def test_every_siae_is_blocked(self, ended_pass, kind):
        assert blocks(ended_pass.user, company=CompanyFactory(kind=kind))


def test_hiring_refused_during_the_waiting_period(time_machine, ended_pass):
    time_machine.move_to(noon(datetime.date(2025, 3, 10)), tick=False)
    application = accepted_application(job_seeker=ended_pass.user)
    with pytest.raises(rules.ApprovalError, match="délai de carence de deux ans s'applique jusqu'au 31/12/2025"):
        rules.approval_issue_or_reuse(job_application=application, by_user=application.employer)
    application.refresh_from_db()
    assert application.approval is None
    assert ended_pass.user.approvals.count() == 1


def test_hiring_through_an_authorized_prescriber_gets_a_new_pass(time_machine, ended_pass):
    time_machine.move_to(noon(datetime.date(2025, 3, 10)), tick=False)
    application = accepted_application(job_seeker=ended_pass.user, sent_by_authorized_prescriber=True)
    # The diagnosis behind the new PASS: the authorized prescriber's new one.
    diagnosis = EligibilityDiagnosisFactory(job_seeker=ended_pass.user)
    approval = rules.approval_issue_or_reuse(job_application=application, by_user=application.employer)
    assert approval != ended_pass
    assert approval.eligibility_diagnosis == diagnosis


@pytest.mark.parametrize(
    "day,latest",
    [
        (datetime.date(2026, 3, 10), "current"),  # its last day: still valid
        (datetime.date(2026, 3, 11), "current"),  # ended: still the latest end
        (datetime.date(2026, 6, 1), "future"),  # the next one has started
    ],
    ids=["last day", "day after", "next one started"],
)
def test_latest_pass_around_an_end(time_machine, django_assert_num_queries, day, latest):
    """One query whatever the case: the valid PASS first, then the latest end."""
    job_seeker = JobSeekerFactory()
    passes = {
        "old": ApprovalFactory(
            user=job_seeker, start_at=datetime.date(2021, 1, 1), end_at=datetime.date(2022, 12, 31)
        ),
        "current": ApprovalFactory(
            user=job_seeker, start_at=datetime.date(2024, 3, 11), end_at=datetime.date(2026, 3, 10)
        ),
    }
    if latest == "future":
        passes["future"] = ApprovalFactory(user=job_seeker, start_at=datetime.date(2026, 6, 1))
    time_machine.move_to(noon(day), tick=False)
    with django_assert_num_queries(1):
        assert rules.latest_approval(job_seeker) == passes[latest]


def test_two_valid_passes_the_earliest_start_is_the_latest_pass(time_machine):
    """Data imported before the one-valid-PASS rule may hold two: the same choice as `valid_approval`."""
    job_seeker = JobSeekerFactory()
    time_machine.move_to(noon(datetime.date(2026, 3, 10)), tick=False)
    # The later start is created first and ends last: neither the id nor the end explains the choice, the start does.
    ApprovalFactory(user=job_seeker, start_at=datetime.date(2026, 2, 1), end_at=datetime.date(2027, 5, 31))
    earlier = ApprovalFactory(user=job_seeker, start_at=datetime.date(2025, 6, 1), end_at=datetime.date(2027, 1, 31))
    assert rules.latest_approval(job_seeker) == earlier == rules.valid_approval(job_seeker)
