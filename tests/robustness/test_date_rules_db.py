"""Properties of the date rules that read or write the database: suspensions (pass_iae.md §13.2, §13.4), prolongations
(§14.1, §14.2), prolongation request reminders (§15.4), diagnoses created around midnight (eligibility.md §2.3) and the
hiring start bounds (§5).

Each test builds one world; each example runs on its own frozen day inside a rolled-back savepoint. The expected
outcome is computed from the notes, then compared with what the rules did: accepted exactly when the notes allow it,
and then the PASS end moved by exactly the notes' delta.
"""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from inclusion.approvals import prolongations, rules, suspensions
from inclusion.approvals.enums import ProlongationReason, SuspensionReason
from inclusion.approvals.models import Approval, Prolongation
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility import rules as eligibility_rules
from inclusion.eligibility.enums import AuthorKind
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_suspensions_prolongations import ProlongationFactory, ProlongationRequestFactory
from tests.companies.factories import CompanyFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.robustness.helpers import PARIS, examples, frozen_on, rolled_back
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PASS_START = datetime.date(2024, 2, 29)  # a leap day: the PASS ends on 27/02/2026
PASS_END = PASS_START + datetime.timedelta(days=729)


def days(n):
    return datetime.timedelta(days=n)


def fresh(approval):
    """The PASS as the database holds it: the rules update the caller's copy, which a rollback does not restore."""
    return Approval.objects.get(pk=approval.pk)


def near(*boundaries, spread=40):
    """Offsets around the boundaries of a rule, and anywhere within `spread` days of them."""
    return st.one_of(
        st.sampled_from([boundary + delta for boundary in boundaries for delta in (-1, 0, 1)]),
        st.integers(min(boundaries) - spread, max(boundaries) + spread),
    )


# --- Suspensions (pass_iae.md §13.2, §13.4)


@pytest.fixture
def suspension_world():
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=CompanyKind.ACI, with_member=employer)
    # Hired with on its first day: the hiring start is the PASS start.
    approval = ApprovalFactory(start_at=PASS_START, with_hiring=company)
    return approval, company, employer


def spec_suspension_allowed(*, on, start, end):
    """pass_iae.md §13.2, for a PASS without other suspension hired with on its first day."""
    in_progress = PASS_START <= on <= PASS_END
    min_start = max(on - days(365), PASS_START)  # the retroactivity floor and the hiring start
    max_start = min(on, PASS_END)  # never in the future, never after the PASS end
    max_end = start + relativedelta(months=36) - DAY
    return in_progress and min_start <= start <= max_start and start <= end <= max_end


@examples(30)
@given(
    on_offset=near(0, 365, 729),
    start_back=near(0, 365, spread=10),
    length=near(0, 1095, spread=30),
    new_length=near(0, 1095, spread=30),
)
@example(on_offset=400, start_back=365, length=1095, new_length=1096)  # the 36-month maximum from a 28 Feb
@example(on_offset=0, start_back=0, length=0, new_length=0)  # a one-day suspension on the PASS's first day
def test_suspension_dates_and_pass_end_arithmetic(suspension_world, on_offset, start_back, length, new_length):
    approval, company, employer = suspension_world
    on = PASS_START + days(on_offset)
    start, end = on - days(start_back), on - days(start_back) + days(length)
    with rolled_back(), frozen_on(on):
        approval = fresh(approval)
        try:
            suspension = suspensions.suspension_create(
                approval=approval,
                siae=company,
                start_at=start,
                end_at=end,
                reason=SuspensionReason.CONTRACT_SUSPENDED,
                by_user=employer,
            )
        except ValidationError as error:
            assert not spec_suspension_allowed(on=on, start=start, end=end), error.messages
            assert error.messages[0][0].isupper()  # a sentence for the user (French)
            assert Approval.objects.get(pk=approval.pk).end_at == PASS_END
            return
        assert spec_suspension_allowed(on=on, start=start, end=end)
        # §13.4: the PASS end moves by end − start (a one-day suspension moves nothing).
        assert Approval.objects.get(pk=approval.pk).end_at == PASS_END + (end - start)

        new_end = start + days(new_length)
        in_progress = start <= on <= end
        try:
            suspensions.suspension_update(
                suspension, start_at=start, end_at=new_end, reason=suspension.reason, by_user=employer
            )
        except ValidationError:
            assert not (in_progress and new_end <= start + relativedelta(months=36) - DAY and new_end >= start)
        else:
            assert in_progress
            assert Approval.objects.get(pk=approval.pk).end_at == PASS_END + (new_end - start)
            end = new_end
        if start <= on <= end:
            suspension.refresh_from_db()
            lost = suspensions.suspension_delete(suspension, by_user=employer)
            assert lost == (on - start).days + 1
            # Deleting removes the delta: the PASS end is back where it was.
            assert Approval.objects.get(pk=approval.pk).end_at == PASS_END


# --- Prolongations (pass_iae.md §14.1, §14.2)


@pytest.fixture
def prolongation_world():
    employer = ProfessionalFactory()
    company = CompanyFactory(kind=CompanyKind.ACI, with_member=employer)
    approval = ApprovalFactory(start_at=PASS_START, with_hiring=company)
    validator = ProfessionalFactory()
    organization = PrescriberOrganizationFactory(authorized=True, with_member=validator)
    return approval, company, employer, validator, organization


def with_past_prolongations(approval, used_days):
    """Prolongation rows worth `used_days` days, chained before the PASS end (bare rows: the PASS end is not moved)."""
    end = approval.end_at
    while used_days > 0:
        chunk = min(used_days, 365)
        ProlongationFactory(approval=approval, start_at=end - days(chunk), end_at=end)
        end -= days(chunk)
        used_days -= chunk


reasons = st.sampled_from(
    [
        ProlongationReason.SENIOR_CDI,
        ProlongationReason.COMPLETE_TRAINING,
        ProlongationReason.RQTH,
        ProlongationReason.SENIOR,
        ProlongationReason.PARTICULAR_DIFFICULTIES,
    ]
)
# pass_iae.md §14.1, restated: (max per prolongation, cumulative cap).
SPEC_LIMITS = {
    ProlongationReason.SENIOR_CDI: (3650, None),
    ProlongationReason.COMPLETE_TRAINING: (365, None),
    ProlongationReason.RQTH: (365, 1095),
    ProlongationReason.SENIOR: (365, 1825),
    ProlongationReason.PARTICULAR_DIFFICULTIES: (365, 1095),
}


@examples(30)
@given(
    reason=reasons,
    used=near(0, 730, 1094, 1095, 1824, 1825, spread=0),
    on_offset=near(-366, -365, 0, 182, 184, spread=20),
    length=near(0, 1, 365, 366, 3650, 3651, spread=5),
)
@example(reason=ProlongationReason.RQTH, used=1094, on_offset=0, length=1)  # the last day of the cap
@example(reason=ProlongationReason.RQTH, used=1094, on_offset=0, length=2)
@example(reason=ProlongationReason.SENIOR_CDI, used=0, on_offset=-365, length=3650)
def test_prolongation_limits_per_reason(prolongation_world, reason, used, on_offset, length):
    approval, company, employer, validator, organization = prolongation_world
    used = max(used, 0)
    on = PASS_END + days(on_offset)
    end = PASS_END + days(length)
    max_days, cap = SPEC_LIMITS[reason]
    allowed_days = max_days if cap is None else min(max_days, cap - used)
    in_window = PASS_END - relativedelta(months=12) <= on <= PASS_END + relativedelta(months=6)
    needs_validation = cap is not None
    with rolled_back(), frozen_on(on):
        approval = fresh(approval)
        with_past_prolongations(approval, used)
        max_end = prolongations.prolongation_max_end(approval, reason=reason)
        assert max_end == PASS_END + days(allowed_days)
        selectable = {code for code, _label in prolongations.selectable_prolongation_reasons(approval, siae=company)}
        # A reason whose cap is used up is disabled (and PARTICULAR_DIFFICULTIES is open to an ACI).
        assert (reason in selectable) == (allowed_days > 0)
        try:
            result = prolongations.prolongation_declare(
                approval=approval,
                siae=company,
                by_user=employer,
                end_at=end,
                reason=reason,
                validator=validator if needs_validation else None,
                prescriber_organization=organization if needs_validation else None,
            )
        except ValidationError as error:
            assert not (in_window and 1 <= length <= allowed_days), error.messages
            assert Approval.objects.get(pk=approval.pk).end_at == PASS_END
            return
        assert in_window and 1 <= length <= allowed_days
        assert result.start_at == PASS_END and result.end_at == end
        if needs_validation:
            # A request: the PASS end moves only when an authorized prescriber grants it.
            assert Approval.objects.get(pk=approval.pk).end_at == PASS_END
        else:
            assert isinstance(result, Prolongation)
            assert Approval.objects.get(pk=approval.pk).end_at == end


@pytest.mark.parametrize("kind", [CompanyKind.AI, CompanyKind.ACI, CompanyKind.EI, CompanyKind.EITI, CompanyKind.ETTI])
def test_particular_difficulties_only_for_ai_and_aci(kind):
    company = CompanyFactory(kind=kind)
    approval = ApprovalFactory(start_at=PASS_START, with_hiring=company)
    selectable = {code for code, _label in prolongations.selectable_prolongation_reasons(approval, siae=company)}
    assert (ProlongationReason.PARTICULAR_DIFFICULTIES in selectable) == (kind in (CompanyKind.AI, CompanyKind.ACI))
    assert ProlongationReason.HEALTH_CONTEXT not in selectable


# --- Reminders of prolongation requests (pass_iae.md §15.4), created around midnight in Paris

# Around midnight, and the hours a DST change skips or repeats.
times_of_day = st.sampled_from(
    [
        datetime.time(0, 0),
        datetime.time(0, 0, 1),
        datetime.time(0, 30),
        datetime.time(1, 59, 59),
        datetime.time(2, 30),
        datetime.time(3, 0),
        datetime.time(12, 0),
        datetime.time(22, 59, 59),
        datetime.time(23, 0),
        datetime.time(23, 59, 59),
    ]
)
request_days = st.one_of(
    st.dates(datetime.date(2025, 1, 1), datetime.date(2027, 12, 31)),
    st.sampled_from([datetime.date(2026, 3, 29), datetime.date(2026, 10, 25), datetime.date(2028, 2, 29)]),
)


def paris_moment(day, time, fold):
    return datetime.datetime.combine(day, time, tzinfo=PARIS).replace(fold=fold)


@pytest.fixture
def request_approval():
    return ApprovalFactory(start_at=PASS_START)


@examples(30)
@given(
    created_day=request_days,
    created_time=times_of_day,
    fold=st.integers(0, 1),
    age=near(10, 20, 30, spread=3),
    reminded_ago=st.one_of(st.none(), near(9, 10, spread=2)),
    reminders=st.integers(0, 3),
)
def test_reminders_are_due_on_paris_dates(
    request_approval, created_day, created_time, fold, age, reminded_ago, reminders
):
    created_at = paris_moment(created_day, created_time, fold)
    on = created_at.astimezone(PARIS).date() + days(age)
    reminder_sent_at = None if reminded_ago is None else paris_moment(on - days(reminded_ago), created_time, fold)
    with rolled_back():
        request = ProlongationRequestFactory(
            approval=request_approval,
            created_at=created_at,
            reminder_sent_at=reminder_sent_at,
            reminders_count=reminders,
        )
        due = prolongations.requests_due_for_reminder(on=on).filter(pk=request.pk).exists()
    expected = (
        10 <= age <= 30
        and reminders < 3
        and (reminder_sent_at is None or (on - reminder_sent_at.astimezone(PARIS).date()).days >= 10)
    )
    assert due == expected


# --- Diagnoses created around midnight (eligibility.md §2.3: the creation date is the Paris date of created_at)


@pytest.fixture
def diagnosis_world():
    prescriber, employer = ProfessionalFactory(), ProfessionalFactory()
    organization = PrescriberOrganizationFactory(authorized=True, with_member=prescriber)
    company = CompanyFactory(kind=CompanyKind.AI, with_member=employer)
    return JobSeekerFactory(), prescriber, organization, employer, company


@examples(20)
@given(day=request_days, time=times_of_day, fold=st.integers(0, 1), by_prescriber=st.booleans())
@example(day=datetime.date(2025, 8, 31), time=datetime.time(0, 0), fold=0, by_prescriber=True)
@example(day=datetime.date(2026, 3, 29), time=datetime.time(23, 59, 59), fold=0, by_prescriber=False)
def test_a_diagnosis_made_around_midnight_counts_from_its_paris_date(diagnosis_world, day, time, fold, by_prescriber):
    job_seeker, prescriber, organization, employer, company = diagnosis_world
    now = paris_moment(day, time, fold)
    created_on = now.astimezone(PARIS).date()
    with rolled_back():
        if by_prescriber:
            diagnosis = eligibility_rules.save_prescriber_diagnosis(
                job_seeker=job_seeker, author=prescriber, organization=organization, codes=[], now=now
            )
            expected = created_on + relativedelta(months=6)
        else:
            diagnosis = eligibility_rules.create_employer_diagnosis(
                job_seeker=job_seeker, author=employer, siae=company, codes=["RSA"], now=now
            )
            expected = created_on + days(92)
        diagnosis.refresh_from_db()
        assert diagnosis.expires_at == expected
        assert eligibility_rules.diagnosis_is_valid(diagnosis, on=created_on)
        assert eligibility_rules.diagnosis_is_valid(diagnosis, on=expected - DAY)
        assert not eligibility_rules.diagnosis_is_valid(diagnosis, on=expected)
        author_kind = AuthorKind.PRESCRIBER if by_prescriber else AuthorKind.EMPLOYER
        assert eligibility_rules.diagnosis_expires_at(author_kind=author_kind, created_on=created_on) == expected


# --- Hiring start bounds at acceptance (pass_iae.md §5)


@pytest.fixture
def hiring_world():
    return JobSeekerFactory(), CompanyFactory(kind=CompanyKind.EI), CompanyFactory(kind=CompanyKind.GEIQ)


@examples(20)
@given(
    today=request_days,
    pass_end_offset=st.one_of(st.none(), near(-1, 0, 1, 182, 183, 184, spread=30)),
)
@example(today=datetime.date(2025, 8, 31), pass_end_offset=None)  # 31/08 + 6 months = 28/02
def test_hiring_start_bounds(hiring_world, today, pass_end_offset):
    job_seeker, siae, geiq = hiring_world
    with rolled_back():
        if pass_end_offset is not None:
            pass_end = today + days(pass_end_offset)
            ApprovalFactory(user=job_seeker, start_at=pass_end - days(729), end_at=pass_end)
        earliest, latest = rules.hiring_start_bounds(job_seeker=job_seeker, company=siae, on=today)
        geiq_earliest, geiq_latest = rules.hiring_start_bounds(job_seeker=job_seeker, company=geiq, on=today)
    six_months = today + relativedelta(months=6)
    assert earliest == today
    holds_valid_pass = pass_end_offset is not None and pass_end_offset >= 0
    assert latest == (min(six_months, today + days(pass_end_offset)) if holds_valid_pass else six_months)
    # GEIQ: no earliest date, never bound by a PASS.
    assert (geiq_earliest, geiq_latest) == (None, six_months)
