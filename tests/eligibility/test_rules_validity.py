"""Validity of diagnoses (eligibility.md §2.3, invariants §8.1 and §8.2), time frozen, at the boundaries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from inclusion.eligibility import rules
from inclusion.eligibility.enums import AuthorKind
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.eligibility.factories_rules import accepted_application
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

CREATION = "2026-03-10 12:00 +01:00"


def paris(day, hour, minute):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    "author_kind,created_on,expected",
    [
        (AuthorKind.PRESCRIBER, datetime.date(2026, 3, 10), datetime.date(2026, 9, 10)),
        # Calendar months: the missing 31st falls back on the last day of the month (README.md §2.1).
        (AuthorKind.PRESCRIBER, datetime.date(2026, 8, 31), datetime.date(2027, 2, 28)),
        (AuthorKind.EMPLOYER, datetime.date(2026, 3, 10), datetime.date(2026, 6, 10)),
        (AuthorKind.EMPLOYER, datetime.date(2026, 12, 1), datetime.date(2027, 3, 3)),
        (AuthorKind.GEIQ, datetime.date(2026, 3, 10), datetime.date(2026, 9, 10)),
    ],
)
def test_diagnosis_expires_at(author_kind, created_on, expected):
    assert rules.diagnosis_expires_at(author_kind=author_kind, created_on=created_on) == expected


def test_geiq_expiry_is_six_months_for_both_authors(time_machine):
    # eligibility.md §7.1: one expiry function; a prescriber's GEIQ diagnosis takes the GEIQ validity too.
    assert rules.diagnosis_expires_at(author_kind=AuthorKind.GEIQ, created_on=datetime.date(2026, 3, 31)) == (
        datetime.date(2026, 9, 30)
    )
    time_machine.move_to("2026-03-31 12:00 +02:00", tick=False)
    by_prescriber = rules.create_geiq_diagnosis(
        job_seeker=JobSeekerFactory(),
        author=ProfessionalFactory(),
        author_prescriber_organization=PrescriberOrganizationFactory(authorized=True),
        codes=[],
    )
    assert by_prescriber.expires_at == datetime.date(2026, 9, 30)


def _prescriber_diagnosis(job_seeker=None):
    organization = PrescriberOrganizationFactory(authorized=True)
    return rules.save_prescriber_diagnosis(
        job_seeker=job_seeker or JobSeekerFactory(), author=ProfessionalFactory(), organization=organization, codes=[]
    )


def _employer_diagnosis():
    return rules.create_employer_diagnosis(
        job_seeker=JobSeekerFactory(), author=ProfessionalFactory(), siae=CompanyFactory(kind="AI"), codes=["RSA"]
    )


def _geiq_diagnosis():
    return rules.create_geiq_diagnosis(
        job_seeker=JobSeekerFactory(),
        author=ProfessionalFactory(),
        author_geiq=CompanyFactory(kind="GEIQ"),
        codes=["SENIOR"],
    )


@pytest.mark.parametrize(
    "make,expires_at",
    [
        (_prescriber_diagnosis, datetime.date(2026, 9, 10)),
        (_employer_diagnosis, datetime.date(2026, 6, 10)),
        (_geiq_diagnosis, datetime.date(2026, 9, 10)),
    ],
    ids=["prescriber", "employer", "geiq"],
)
def test_valid_until_the_day_before_expires_at(time_machine, make, expires_at):
    time_machine.move_to(CREATION, tick=False)
    diagnosis = make()
    assert diagnosis.expires_at == expires_at
    day_before, day_of, day_after = (expires_at + datetime.timedelta(days=delta) for delta in (-1, 0, 1))
    assert rules.diagnosis_is_valid(diagnosis, on=day_before)
    assert not rules.diagnosis_is_valid(diagnosis, on=day_of)
    assert not rules.diagnosis_is_valid(diagnosis, on=day_after)
    # The same through the clock ("today" = Europe/Paris date): the last minute of validity, the first minute after.
    time_machine.move_to(paris(day_before, 23, 59), tick=False)
    assert rules.diagnosis_is_valid(diagnosis)
    time_machine.move_to(paris(day_of, 0, 1), tick=False)
    assert not rules.diagnosis_is_valid(diagnosis)


def test_creation_date_is_the_paris_date(time_machine):
    # 23:30 UTC on 9 March is already 10 March in Paris.
    time_machine.move_to("2026-03-09 23:30 +00:00", tick=False)
    diagnosis = _prescriber_diagnosis()
    assert diagnosis.expires_at == datetime.date(2026, 9, 10)


class TestConsideredValidThroughPass:
    """eligibility.md §2.3: a diagnosis linked to a PASS whose end ≥ today is considered valid until the PASS end.

    `considered_to_expire_at` follows the convention of `expires_at` (first day no longer valid): the day after the
    inclusive PASS end.
    """

    @pytest.fixture(autouse=True)
    def _frozen(self):
        with time_machine.travel(CREATION, tick=False):
            yield

    def _expired_diagnosis_with_pass(self, pass_end):
        diagnosis = EligibilityDiagnosisFactory(expires_at=datetime.date(2026, 1, 1))
        ApprovalFactory(
            user=diagnosis.job_seeker,
            eligibility_diagnosis=diagnosis,
            start_at=pass_end - datetime.timedelta(days=729),
            end_at=pass_end,
        )
        return diagnosis

    def test_until_the_pass_end_included(self):
        pass_end = datetime.date(2026, 5, 1)
        diagnosis = self._expired_diagnosis_with_pass(pass_end)
        assert not rules.diagnosis_is_valid(diagnosis)
        for day, considered_valid in [
            (pass_end - datetime.timedelta(days=1), True),
            (pass_end, True),
            (pass_end + datetime.timedelta(days=1), False),
        ]:
            assert rules.diagnosis_is_considered_valid(diagnosis, on=day) is considered_valid
        assert rules.considered_to_expire_at(diagnosis, on=pass_end) == pass_end + datetime.timedelta(days=1)
        assert rules.considered_to_expire_at(diagnosis, on=pass_end + datetime.timedelta(days=1)) == datetime.date(
            2026, 1, 1
        )

    @pytest.mark.parametrize(
        "pass_end,considered_expiry",
        [
            # The PASS ends the day before the diagnosis' last day: the diagnosis keeps its own expiry.
            (datetime.date(2026, 9, 8), datetime.date(2026, 9, 10)),
            # Both end the same day (9 September included): still the diagnosis' own expiry.
            (datetime.date(2026, 9, 9), datetime.date(2026, 9, 10)),
            # The PASS runs one more day (10 September included): the diagnosis is considered valid that day too.
            (datetime.date(2026, 9, 10), datetime.date(2026, 9, 11)),
        ],
    )
    def test_a_valid_diagnosis_and_its_pass_at_the_boundary(self, pass_end, considered_expiry):
        diagnosis = EligibilityDiagnosisFactory()  # expires_at 2026-09-10: last valid day 9 September
        ApprovalFactory(
            user=diagnosis.job_seeker,
            eligibility_diagnosis=diagnosis,
            start_at=pass_end - datetime.timedelta(days=729),
            end_at=pass_end,
        )
        assert rules.considered_to_expire_at(diagnosis) == considered_expiry
        assert rules.diagnosis_is_considered_valid(diagnosis, on=pass_end)
        assert not rules.diagnosis_is_considered_valid(diagnosis, on=considered_expiry)

    def test_without_pass_considered_expiry_is_expires_at(self):
        diagnosis = EligibilityDiagnosisFactory()
        assert rules.considered_to_expire_at(diagnosis) == datetime.date(2026, 9, 10)
        assert rules.diagnosis_is_considered_valid(diagnosis)

    def test_a_pass_never_shortens_a_diagnosis(self):
        diagnosis = EligibilityDiagnosisFactory()
        ApprovalFactory(
            user=diagnosis.job_seeker,
            eligibility_diagnosis=diagnosis,
            start_at=datetime.date(2024, 5, 1),
            end_at=datetime.date(2026, 4, 30),
        )
        assert rules.considered_to_expire_at(diagnosis) == datetime.date(2026, 9, 10)

    def test_a_reused_pass_links_through_the_accepted_application(self):
        diagnosis = EligibilityDiagnosisFactory(expires_at=datetime.date(2026, 1, 1))
        approval = ApprovalFactory(user=diagnosis.job_seeker, end_at=datetime.date(2027, 1, 1))
        company = CompanyFactory()
        accepted_application(
            job_seeker=diagnosis.job_seeker,
            company=company,
            hiring_start_at=datetime.date(2026, 3, 1),
            approval=approval,
            eligibility_diagnosis=diagnosis,
        )
        assert rules.diagnosis_is_considered_valid(diagnosis)
        assert rules.considered_to_expire_at(diagnosis) == datetime.date(2027, 1, 2)

    def test_another_pass_of_the_person_does_not_link(self):
        diagnosis = EligibilityDiagnosisFactory(expires_at=datetime.date(2026, 1, 1))
        ApprovalFactory(user=diagnosis.job_seeker)  # with its own diagnosis
        assert not rules.diagnosis_is_considered_valid(diagnosis)

    def test_annotation_gives_the_same_answer_without_queries(self, django_assert_num_queries):
        pass_end = datetime.date(2026, 5, 1)
        linked = self._expired_diagnosis_with_pass(pass_end)
        alone = EligibilityDiagnosisFactory(expires_at=datetime.date(2026, 1, 1))
        with django_assert_num_queries(1):
            diagnoses = {
                d.pk: d
                for d in rules.annotate_considered_expiry(type(linked).objects.filter(pk__in=[linked.pk, alone.pk]))
            }
        with django_assert_num_queries(0):
            assert rules.considered_to_expire_at(diagnoses[linked.pk]) == pass_end + datetime.timedelta(days=1)
            assert rules.diagnosis_is_considered_valid(diagnoses[linked.pk])
            assert not rules.diagnosis_is_considered_valid(diagnoses[alone.pk])
