"""Properties of the date rules that need no database (pass_iae.md §4, §8, §12, §13.2, §14, eligibility.md §2.3, §4),
for any dates from 1950 to 2100, 29 February and the ends of months and years included.

Each property restates the notes independently of the code: invariants (never negative, within bounds), monotonicity,
and the boundaries the notes state (the day before, the day of, the day after).
"""

import datetime
import itertools
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from hypothesis import assume, example, given
from hypothesis import strategies as st

from inclusion.approvals import prolongations, rules, suspensions
from inclusion.approvals.enums import ApprovalState, ProlongationReason
from inclusion.eligibility import rules as eligibility_rules
from inclusion.eligibility.criteria import IAE_CRITERIA
from inclusion.eligibility.enums import AuthorKind
from tests.robustness.strategies import dates

DAY = datetime.timedelta(days=1)
# The longest span a generated range covers: a PASS prolonged until retirement stays well inside.
lengths = st.one_of(st.integers(0, 4000), st.sampled_from([0, 1, 6, 7, 364, 365, 366, 729, 730, 1095, 1096]))
offsets = st.one_of(st.integers(-1500, 1500), st.sampled_from([-1, 0, 1]))


def fake_approval(start_at, end_at, suspended=()):
    """What the PASS rules read of a PASS: its dates and its suspensions (`approval.suspensions.all()`)."""
    periods = [SimpleNamespace(start_at=start, end_at=end) for start, end in suspended]
    return SimpleNamespace(start_at=start_at, end_at=end_at, suspensions=SimpleNamespace(all=lambda: periods))


@st.composite
def approvals_with_suspensions(draw):
    """A PASS and non-overlapping suspensions inside it (pass_iae.md §13.2), with a day to look at it from."""
    start = draw(dates)
    end = start + datetime.timedelta(days=draw(st.integers(1, 3000)))
    cuts = sorted(draw(st.lists(st.integers(0, (end - start).days), max_size=6, unique=True)))
    # Consecutive pairs of cut points are the suspensions (inclusive, one day at least).
    suspended = [
        (start + datetime.timedelta(days=first), start + datetime.timedelta(days=last))
        for first, last in zip(cuts[::2], cuts[1::2], strict=False)
        if first < last
    ]
    on = start + datetime.timedelta(days=draw(offsets))
    return fake_approval(start, end, suspended), on


# --- pass_iae.md §4: 730 inclusive days


@given(dates, dates)
def test_a_fresh_pass_lasts_730_inclusive_days_and_later_starts_end_later(start, other_start):
    end = rules.default_end_at(start)
    assert start < end
    assert (end - start).days + 1 == 730
    if other_start > start:
        assert rules.default_end_at(other_start) > end


# --- pass_iae.md §12: remainder


@given(dates, lengths, offsets)
def test_remaining_days_are_never_negative_and_follow_the_days(start, length, offset):
    end, on = start + datetime.timedelta(days=length), start + datetime.timedelta(days=offset)
    remaining = rules.remaining_days(start, end, on=on)
    full = length + 1
    if on <= start:
        assert remaining == full
    elif on <= end:
        assert remaining == (end - on).days + 1
    else:
        assert remaining == 0
    # One more day elapsed removes at most one day.
    assert rules.remaining_days(start, end, on=on + DAY) in {remaining, remaining - 1, 0}
    assert 0 <= remaining <= full


@given(approvals_with_suspensions())
def test_the_remainder_is_within_the_pass_and_the_estimated_end_never_after_its_end(case):
    approval, on = case
    remainder = rules.approval_remainder(approval, on=on)
    assert 0 <= remainder <= rules.remaining_days(approval.start_at, approval.end_at, on=on)
    estimated = rules.approval_estimated_end(approval, on=on)
    assert estimated <= approval.end_at
    suspended_ahead = sum(rules.remaining_days(s.start_at, s.end_at, on=on) for s in approval.suspensions.all())
    if suspended_ahead == 0 and on <= approval.end_at:
        # Nothing suspended from today on: the PASS runs to its end.
        assert estimated == approval.end_at
    # Past suspensions remove nothing (their effect is already in end_at, §12).
    past_only = fake_approval(
        approval.start_at,
        approval.end_at,
        [(s.start_at, s.end_at) for s in approval.suspensions.all() if s.end_at < on],
    )
    assert rules.approval_remainder(past_only, on=on) == rules.remaining_days(
        approval.start_at, approval.end_at, on=on
    )


@given(approvals_with_suspensions())
def test_the_state_follows_the_dates_in_the_order_of_the_notes(case):
    """pass_iae.md §11: expired, suspended, valid, future (first match); §4: valid ⇔ end ≥ today."""
    approval, on = case
    state = rules.approval_state(approval, on=on)
    covered = any(s.start_at <= on <= s.end_at for s in approval.suspensions.all())
    if approval.end_at < on:
        expected = ApprovalState.EXPIRED
    elif covered:
        expected = ApprovalState.SUSPENDED
    elif approval.start_at <= on:
        expected = ApprovalState.VALID
    else:
        expected = ApprovalState.FUTURE
    assert state == expected
    assert rules.approval_is_valid(approval, on=on) == (state != ApprovalState.EXPIRED)
    assert rules.approval_is_in_progress(approval, on=on) == (approval.start_at <= on <= approval.end_at)


@given(st.integers(0, 5000), dates)
@example(7, datetime.date(2024, 2, 29))
@example(29, datetime.date(2025, 1, 31))
def test_the_remainder_display_is_never_empty(days, on):
    display = rules.remainder_display(days, on=on)
    assert display.startswith(f"{days} jour")
    if days < 7:
        assert "environ" not in display
    else:
        # "environ x mois et y semaines": at least one part, never a dangling "et".
        approximation = display.split("(environ ", 1)[1]
        assert approximation.endswith(")") and len(approximation) > 1
        assert not approximation.startswith(" et") and " et )" not in approximation


# --- pass_iae.md §8: waiting period of 2 years after the end


@given(dates)
@example(datetime.date(2024, 2, 29))
def test_the_waiting_period_boundaries(end):
    approval = fake_approval(end - datetime.timedelta(days=729), end)
    last_day = end + relativedelta(years=2)  # 29/02 + 2 years = 28/02 (README.md §2.1)
    assert not rules.is_in_waiting_period(approval, on=end)
    assert rules.is_in_waiting_period(approval, on=end + DAY)
    assert rules.is_in_waiting_period(approval, on=last_day)
    assert not rules.is_in_waiting_period(approval, on=last_day + DAY)
    assert 730 <= (last_day - end).days <= 731


# --- pass_iae.md §13.2: suspension dates


@given(dates, dates)
@example(datetime.date(2024, 2, 29), datetime.date(2024, 3, 1))
@example(datetime.date(2024, 1, 31), datetime.date(2024, 2, 29))
def test_a_suspension_lasts_at_most_36_months(start, other_start):
    max_end = suspensions.suspension_max_end(start)
    # A one-day suspension is allowed (end = start), and 36 months less one day is the inclusive maximum.
    assert max_end >= start
    assert max_end == start + relativedelta(months=36) - DAY
    assert 1095 <= (max_end - start).days + 1 <= 1096
    if other_start > start:
        assert suspensions.suspension_max_end(other_start) >= max_end


@given(dates, st.integers(0, 1200), offsets)
def test_an_early_end_leaves_a_day_back_strictly_inside(start, length, offset):
    """pass_iae.md §13.5: first day back D with start < D < end; the days lost of a deletion are today − start + 1."""
    suspension = SimpleNamespace(start_at=start, end_at=start + datetime.timedelta(days=length))
    earliest, latest = suspensions.suspension_first_day_back_bounds(suspension)
    on = start + datetime.timedelta(days=offset)
    can_end_early = suspensions.suspension_can_end_early(suspension, on=on)
    assert can_end_early == (start <= on <= suspension.end_at and length >= 2)
    if can_end_early:
        assert suspension.start_at < earliest <= latest < suspension.end_at
        assert 1 <= suspensions.suspension_days_lost(suspension, on=on) <= length + 1


# --- pass_iae.md §14.2: prolongation window


@given(dates)
@example(datetime.date(2024, 2, 29))
@example(datetime.date(2025, 8, 31))
def test_the_prolongation_window_is_12_months_before_to_6_months_after_the_end(end):
    window_start, window_end = prolongations.prolongation_window(SimpleNamespace(end_at=end))
    assert window_start == end - relativedelta(months=12)
    assert window_end == end + relativedelta(months=6)
    assert 365 <= (end - window_start).days <= 366
    assert 181 <= (window_end - end).days <= 184


def test_the_limits_per_reason_are_those_of_the_notes():
    """pass_iae.md §14.1, exact day counts."""
    limits = {reason: (limit.max_days, limit.cap_days) for reason, limit in prolongations.PROLONGATION_LIMITS.items()}
    assert limits == {
        ProlongationReason.SENIOR_CDI: (3650, None),
        ProlongationReason.COMPLETE_TRAINING: (365, None),
        ProlongationReason.RQTH: (365, 1095),
        ProlongationReason.SENIOR: (365, 1825),
        ProlongationReason.PARTICULAR_DIFFICULTIES: (365, 1095),
        ProlongationReason.HEALTH_CONTEXT: (365, 365),
    }


# --- eligibility.md §2.3: diagnosis validity


author_kinds = st.sampled_from([AuthorKind.PRESCRIBER, AuthorKind.EMPLOYER, AuthorKind.GEIQ])


@given(author_kinds, dates, dates)
@example(AuthorKind.PRESCRIBER, datetime.date(2025, 8, 31), datetime.date(2025, 9, 1))
@example(AuthorKind.PRESCRIBER, datetime.date(2023, 8, 29), datetime.date(2023, 8, 30))
def test_a_diagnosis_is_valid_from_its_creation_to_the_day_before_its_expiry(author_kind, created_on, other_day):
    expires_at = eligibility_rules.diagnosis_expires_at(author_kind=author_kind, created_on=created_on)
    if author_kind == AuthorKind.EMPLOYER:
        assert expires_at == created_on + datetime.timedelta(days=92)
    else:
        assert expires_at == created_on + relativedelta(months=6)
        assert 181 <= (expires_at - created_on).days <= 184
    diagnosis = SimpleNamespace(expires_at=expires_at)
    assert eligibility_rules.diagnosis_is_valid(diagnosis, on=created_on)
    assert eligibility_rules.diagnosis_is_valid(diagnosis, on=expires_at - DAY)
    assert not eligibility_rules.diagnosis_is_valid(diagnosis, on=expires_at)
    # Monotonic: a later creation never expires earlier.
    if other_day > created_on:
        assert eligibility_rules.diagnosis_expires_at(author_kind=author_kind, created_on=other_day) >= expires_at


@given(dates, st.one_of(st.none(), dates), dates)
def test_a_valid_pass_extends_a_diagnosis_never_shortens_it(expires_at, pass_end, on):
    """eligibility.md §2.3: linked to a valid PASS, a diagnosis is considered valid until the PASS end (inclusive)."""
    # The annotation only ever holds the end of a *valid* PASS (end ≥ today).
    assume(pass_end is None or pass_end >= on)
    diagnosis = SimpleNamespace(pk=1, expires_at=expires_at, linked_valid_pass_end=pass_end)
    considered = eligibility_rules.considered_to_expire_at(diagnosis, on=on)
    assert considered >= expires_at
    if pass_end is not None:
        assert considered > pass_end
    assert eligibility_rules.diagnosis_is_considered_valid(diagnosis, on=on) == (
        expires_at > on or (pass_end is not None and pass_end >= on)
    )


# --- eligibility.md §4: how many criteria an employer needs

LEVELS = {criterion.code: int(criterion.level) for criterion in IAE_CRITERIA}
SIAE_MIN_LEVEL_2 = {"AI": 2, "ETTI": 2, "ACI": 3, "EI": 3, "EITI": 3}


@given(st.sets(st.sampled_from(sorted(LEVELS))), st.sampled_from([*SIAE_MIN_LEVEL_2, "GEIQ", "EA"]))
def test_the_criteria_count_of_the_notes(codes, company_kind):
    employer_errors = eligibility_rules.criteria_errors(
        codes, author_kind=AuthorKind.EMPLOYER, company_kind=company_kind
    )
    prescriber_errors = eligibility_rules.criteria_errors(codes, author_kind=AuthorKind.PRESCRIBER)
    excluded = {"SENIOR", "JEUNE"} <= codes or {"DETLD", "DELD"} <= codes
    level_1 = sum(1 for code in codes if LEVELS[code] == 1)
    level_2 = sum(1 for code in codes if LEVELS[code] == 2)
    # Prescribers: no minimum, only the exclusions.
    assert (prescriber_errors == []) == (not excluded)
    if company_kind not in SIAE_MIN_LEVEL_2:
        assert employer_errors != []
    else:
        enough = level_1 >= 1 or level_2 >= SIAE_MIN_LEVEL_2[company_kind]
        assert (employer_errors == []) == (enough and not excluded)
    assert all(isinstance(error, str) and error for error in employer_errors + prescriber_errors)


def test_the_criteria_boundaries_of_the_notes():
    """eligibility.md §4: AI 1 level-2 → refused, 2 → accepted; ACI 2 → refused, 3 → accepted; 1 level-1 → accepted."""
    level_2 = [code for code, level in LEVELS.items() if level == 2 and code not in ("SENIOR", "JEUNE", "DELD")]
    level_1 = next(code for code, level in LEVELS.items() if level == 1)
    for kind, needed in SIAE_MIN_LEVEL_2.items():
        for count in (needed - 1, needed, needed + 1):
            for codes in itertools.islice(itertools.combinations(level_2, count), 3):
                errors = eligibility_rules.criteria_errors(codes, author_kind=AuthorKind.EMPLOYER, company_kind=kind)
                assert (errors == []) == (count >= needed), (kind, codes)
        assert eligibility_rules.criteria_errors([level_1], author_kind=AuthorKind.EMPLOYER, company_kind=kind) == []
