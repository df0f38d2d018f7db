"""Pre-filling the IAE criteria from the job seeker profile (eligibility.md §5)."""

import datetime

import pytest
import time_machine

from inclusion.eligibility import rules
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.geo.factories import CommuneFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _job_seeker(birthdate=datetime.date(1990, 3, 15), commune=None, **profile_fields):
    job_seeker = JobSeekerFactory(last_checked_at=NOW - datetime.timedelta(hours=1), commune=commune)
    profile = job_seeker.jobseeker_profile
    profile.birthdate = birthdate
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    return job_seeker


def test_nothing_for_an_empty_profile():
    assert rules.prefilled_criteria(_job_seeker()) == set()


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"has_rsa_allocation": "OUI-M", "rsa_allocation_since": "01"}, {"RSA"}),
        ({"has_rsa_allocation": "OUI-NM", "rsa_allocation_since": "04"}, {"RSA"}),
        ({"ass_allocation_since": "02"}, {"ASS"}),
        ({"aah_allocation_since": "03"}, {"AAH"}),
        ({"pole_emploi_since": "02"}, set()),
        ({"pole_emploi_since": "03"}, {"DELD"}),
        ({"pole_emploi_since": "04"}, {"DETLD"}),
        ({"education_level": "00"}, {"CAP_BEP"}),
        ({"education_level": "01"}, {"CAP_BEP"}),
        ({"education_level": "50"}, {"CAP_BEP"}),
        ({"education_level": "51"}, {"CAP_BEP"}),
        ({"education_level": "70"}, {"CAP_BEP"}),
        ({"education_level": "40"}, set()),
        ({"ase_exit": True}, {"ASE"}),
        ({"detention_exit_or_ppsmj": True}, {"DETENTION_MJ"}),
        ({"low_level_in_french": True}, {"FLE"}),
        ({"isolated_parent": True}, {"PI"}),
        ({"mobility_issue": True}, {"PM"}),
        ({"housing_issue": True}, {"PSH_PR"}),
        ({"refugee": True}, {"REF_DA"}),
        ({"rqth_employee": True}, {"TH"}),
    ],
)
def test_profile_mapping(fields, expected):
    assert rules.prefilled_criteria(_job_seeker(**fields)) == expected


@pytest.mark.parametrize(
    "birthdate,expected",
    [
        (datetime.date(1976, 3, 11), set()),  # 49 until tomorrow
        (datetime.date(1976, 3, 10), {"SENIOR"}),  # 50 today
        (datetime.date(2000, 3, 11), {"JEUNE"}),  # still 25 today
        (datetime.date(2000, 3, 10), set()),  # 26 today
    ],
)
def test_age_boundaries(birthdate, expected):
    assert rules.prefilled_criteria(_job_seeker(birthdate=birthdate)) == expected


@pytest.mark.parametrize("status,expected", [("C", {"ZRR"}), ("PC", set()), ("NC", set()), ("", set())])
def test_zrr_only_for_a_fully_classified_commune(status, expected):
    commune = CommuneFactory(code_insee="69999", name="Village", zrr_status=status)
    assert rules.prefilled_criteria(_job_seeker(commune=commune)) == expected


def test_profile_confirmed_24_hours_ago_or_more_is_ignored():
    job_seeker = _job_seeker(isolated_parent=True)
    job_seeker.last_checked_at = NOW - datetime.timedelta(hours=24)
    assert rules.prefilled_criteria(job_seeker) == set()
    job_seeker.last_checked_at = NOW - datetime.timedelta(hours=23, minutes=59)
    assert rules.prefilled_criteria(job_seeker) == {"PI"}


def test_existing_diagnosis_takes_precedence():
    job_seeker = _job_seeker(isolated_parent=True)
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["FLE", "PM"])
    assert rules.prefilled_criteria(job_seeker, existing_diagnosis=diagnosis) == {"FLE", "PM"}
