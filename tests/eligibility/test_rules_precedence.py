"""Which diagnosis is used, and who sees it (eligibility.md §2.5, invariant §8.4)."""

import datetime

import pytest
import time_machine

from inclusion.eligibility import rules
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


def _at(days_ago):
    return datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC) - datetime.timedelta(days=days_ago)


@pytest.fixture
def world():
    job_seeker = JobSeekerFactory()
    siae, other_siae = CompanyFactory(kind="AI"), CompanyFactory(kind="ACI")
    return job_seeker, siae, other_siae


def test_scope_and_order_across_two_siae(world, django_assert_num_queries):
    job_seeker, siae, other_siae = world
    old_prescriber = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=_at(20))
    new_prescriber = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=_at(10))
    own_employer = EligibilityDiagnosisFactory(
        job_seeker=job_seeker, from_employer=True, author_siae=siae, created_at=_at(1)
    )
    other_employer = EligibilityDiagnosisFactory(
        job_seeker=job_seeker, from_employer=True, author_siae=other_siae, created_at=_at(2)
    )
    EligibilityDiagnosisFactory()  # somebody else's

    with django_assert_num_queries(1):
        assert list(rules.visible_diagnoses(job_seeker, for_siae=siae)) == [
            new_prescriber,
            old_prescriber,
            own_employer,
        ]
    assert list(rules.visible_diagnoses(job_seeker, for_siae=other_siae)) == [
        new_prescriber,
        old_prescriber,
        other_employer,
    ]
    # Prescribers (no SIAE) never see employer diagnoses.
    assert list(rules.visible_diagnoses(job_seeker)) == [new_prescriber, old_prescriber]


def test_prescriber_diagnosis_wins_over_a_newer_employer_one(world, django_assert_num_queries):
    job_seeker, siae, _ = world
    prescriber = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=_at(30))
    EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae, created_at=_at(1))
    with django_assert_num_queries(1):
        assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) == prescriber


def test_employer_diagnosis_is_used_only_by_its_siae(world):
    job_seeker, siae, other_siae = world
    employer = EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae)
    assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) == employer
    assert rules.has_considered_valid_diagnosis(job_seeker, for_siae=siae)
    assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=other_siae) is None
    assert not rules.has_considered_valid_diagnosis(job_seeker, for_siae=other_siae)
    assert not rules.has_considered_valid_diagnosis(job_seeker)
    assert not rules.employer_must_make_diagnosis(job_seeker, siae)
    assert rules.employer_must_make_diagnosis(job_seeker, other_siae)


def test_expired_diagnoses_do_not_count(world):
    job_seeker, siae, _ = world
    expired = EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY)
    assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) is None
    assert not rules.has_considered_valid_diagnosis(job_seeker, for_siae=siae)
    # The day before its expiry, it counted.
    assert rules.last_considered_valid_diagnosis(job_seeker, on=TODAY - datetime.timedelta(days=1)) == expired


def test_expired_prescriber_beats_nothing_but_not_a_valid_employer_one(world):
    job_seeker, siae, _ = world
    EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY)
    employer = EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae)
    assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) == employer


def test_with_a_valid_pass_dates_are_ignored(world, django_assert_num_queries):
    job_seeker, siae, _ = world
    approval = ApprovalFactory(user=job_seeker, start_at=datetime.date(2024, 3, 11), end_at=TODAY)  # last valid day
    approval.eligibility_diagnosis.expires_at = datetime.date(2025, 1, 1)
    approval.eligibility_diagnosis.save()
    with django_assert_num_queries(1):
        assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) == approval.eligibility_diagnosis
    with django_assert_num_queries(1):
        assert rules.has_considered_valid_diagnosis(job_seeker, for_siae=siae)
    # The day after the PASS end: nothing valid any more.
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae, on=tomorrow) is None
    assert not rules.has_considered_valid_diagnosis(job_seeker, for_siae=siae, on=tomorrow)


def test_a_valid_pass_alone_counts_as_eligibility(world):
    job_seeker, siae, _ = world
    approval = ApprovalFactory(user=job_seeker, origin="pe_approval", eligibility_diagnosis=None)
    assert approval.eligibility_diagnosis is None
    assert rules.has_considered_valid_diagnosis(job_seeker, for_siae=siae)
    assert rules.has_considered_valid_diagnosis(job_seeker)
    assert rules.last_considered_valid_diagnosis(job_seeker, for_siae=siae) is None
    assert not rules.employer_must_make_diagnosis(job_seeker, siae)


def test_employer_must_make_diagnosis_only_for_siae(world):
    job_seeker, siae, _ = world
    assert rules.employer_must_make_diagnosis(job_seeker, siae)
    for kind in ("GEIQ", "EA", "EATT", "OPCS"):
        assert not rules.employer_must_make_diagnosis(job_seeker, CompanyFactory(kind=kind))


def test_has_valid_prescriber_diagnosis_at_the_boundary(world):
    job_seeker, siae, _ = world
    EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae)
    assert not rules.has_valid_prescriber_diagnosis(job_seeker)
    EligibilityDiagnosisFactory(job_seeker=job_seeker, expires_at=TODAY + datetime.timedelta(days=1))
    assert rules.has_valid_prescriber_diagnosis(job_seeker)
    assert not rules.has_valid_prescriber_diagnosis(job_seeker, on=TODAY + datetime.timedelta(days=1))


def test_has_valid_prescriber_diagnosis_ignores_the_pass(world):
    job_seeker, _, _ = world
    approval = ApprovalFactory(user=job_seeker)
    approval.eligibility_diagnosis.expires_at = TODAY
    approval.eligibility_diagnosis.save()
    assert not rules.has_valid_prescriber_diagnosis(job_seeker)


def test_iae_eligibility_validated(world, django_assert_num_queries):
    job_seeker, siae, _ = world
    EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae)
    with django_assert_num_queries(1):
        assert not rules.iae_eligibility_validated(job_seeker)
    EligibilityDiagnosisFactory(job_seeker=job_seeker)
    assert rules.iae_eligibility_validated(job_seeker)
    other = JobSeekerFactory()
    ApprovalFactory(user=other, origin="ai_stock", eligibility_diagnosis=None)
    assert rules.iae_eligibility_validated(other)


def test_job_seeker_own_diagnosis(world):
    job_seeker, siae, _ = world
    assert rules.job_seeker_own_diagnosis(job_seeker) is None
    # An employer diagnosis without PASS is not shown to the job seeker.
    employer = EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=siae)
    assert rules.job_seeker_own_diagnosis(job_seeker) is None
    # The latest prescriber one, even expired.
    prescriber = EligibilityDiagnosisFactory(job_seeker=job_seeker, created_at=_at(400), expires_at=TODAY)
    assert rules.job_seeker_own_diagnosis(job_seeker) == prescriber
    # The diagnosis linked to a PASS, even an employer one.
    ApprovalFactory(user=job_seeker, eligibility_diagnosis=employer)
    assert rules.job_seeker_own_diagnosis(job_seeker) == employer
