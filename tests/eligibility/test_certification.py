"""Certification of the selected criteria (eligibility.md §6, invariant §8.7)."""

import datetime
import logging

import pytest
import time_machine
from django.core.management import call_command
from huey.contrib.djhuey import HUEY
from huey.exceptions import RetryTask

from inclusion.eligibility import certification, tasks
from inclusion.eligibility.certification import Outcome, ProviderAnswer
from inclusion.eligibility.enums import CertificationState as State
from inclusion.eligibility.models import SelectedAdministrativeCriteria
from inclusion.geo.models import Country
from inclusion.users.models import IdentityCertification
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.eligibility.factories_rules import CountryFactory, accepted_application, certifiable_job_seeker

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)  # 12:00 in Paris
TODAY = datetime.date(2026, 3, 10)
A_YEAR_AGO = datetime.date(2025, 3, 1)  # the fake providers' right start: the 1st of the month, a year ago
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _empty_queue():
    HUEY.flush()
    yield
    HUEY.flush()


# ---------------------------------------------------------------------------------------------------------------
# States (§6.5), row by row.


def _criterion(*, attempted=True, start=None, end=None, empty=False):
    return SelectedAdministrativeCriteria(
        last_certification_attempt_at=NOW if attempted else None,
        certification_period_start=start,
        certification_period_end=end,
        certification_period_empty=empty,
    )


EXPIRES = datetime.date(2026, 9, 10)


@pytest.mark.parametrize(
    "criterion,state",
    [
        (_criterion(attempted=False), State.IN_PROGRESS),
        (_criterion(attempted=False, start=A_YEAR_AGO), State.IN_PROGRESS),
        (_criterion(), State.ERROR),
        (_criterion(empty=True), State.NOT_CERTIFIED),
        (_criterion(start=A_YEAR_AGO), State.CERTIFIED),
        (_criterion(start=TODAY), State.CERTIFIED),  # starts today
        (_criterion(start=TODAY + DAY), State.FUTURE),  # starts tomorrow
        (_criterion(start=A_YEAR_AGO, end=TODAY), State.CERTIFIED_TEMPORARILY),  # last day today
        (_criterion(start=A_YEAR_AGO, end=TODAY - DAY), State.EXPIRED),  # ended yesterday
        # Ends before the diagnosis expiry ⇔ its last day is before the diagnosis' last valid day.
        (_criterion(start=A_YEAR_AGO, end=EXPIRES - 2 * DAY), State.CERTIFIED_TEMPORARILY),
        (_criterion(start=A_YEAR_AGO, end=EXPIRES - DAY), State.CERTIFIED),
        (_criterion(start=A_YEAR_AGO, end=EXPIRES), State.CERTIFIED),
    ],
)
def test_certification_state(criterion, state):
    assert certification.certification_state(criterion, diagnosis_expires_at=EXPIRES, on=TODAY) == state


def test_state_uses_today_by_default():
    criterion = _criterion(start=TODAY + DAY)
    assert certification.certification_state(criterion, diagnosis_expires_at=EXPIRES) == State.FUTURE


@pytest.mark.parametrize(
    "hiring_start_at,state",
    [
        (datetime.date(2025, 12, 31), State.NOT_CERTIFIED),  # the day before the period
        (datetime.date(2026, 1, 1), State.CERTIFIED),
        (datetime.date(2026, 1, 31), State.CERTIFIED),
        (datetime.date(2026, 2, 1), State.NOT_CERTIFIED),  # the day after
    ],
)
def test_for_an_accepted_application_only_the_hiring_start_matters(hiring_start_at, state):
    # The period is over today (Expiré on its own), yet certified for a hiring that started in it.
    criterion = _criterion(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))
    assert certification.certification_state(criterion, diagnosis_expires_at=EXPIRES, on=TODAY) == State.EXPIRED
    assert (
        certification.certification_state(
            criterion, diagnosis_expires_at=EXPIRES, on=TODAY, hiring_start_at=hiring_start_at
        )
        == state
    )


def test_accepted_application_with_an_open_ended_period():
    criterion = _criterion(start=A_YEAR_AGO)
    assert (
        certification.certification_state(
            criterion, diagnosis_expires_at=EXPIRES, hiring_start_at=datetime.date(2030, 1, 1)
        )
        == State.CERTIFIED
    )


@pytest.mark.parametrize(
    "criterion,state",
    [
        (_criterion(attempted=False), State.IN_PROGRESS),
        (_criterion(), State.ERROR),
        (_criterion(empty=True), State.NOT_CERTIFIED),
    ],
)
def test_accepted_application_keeps_progress_error_and_empty(criterion, state):
    assert certification.certification_state(criterion, diagnosis_expires_at=EXPIRES, hiring_start_at=TODAY) == state


# ---------------------------------------------------------------------------------------------------------------
# Provider outcomes stored (§6.3, §6.4) with the fake providers.


def _selected(last_name, code, **profile_fields):
    job_seeker = certifiable_job_seeker(last_name=last_name, **profile_fields)
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=[code])
    return certification.load_selected_criterion("iae", diagnosis.selected_criteria.get().pk)


def _certify(selected):
    answer = certification.certify_selected_criterion(selected)
    selected.refresh_from_db()
    return answer


def _state(selected):
    return certification.certification_state(selected, diagnosis_expires_at=selected.eligibility_diagnosis.expires_at)


def _identity_certifiers(selected):
    return set(
        IdentityCertification.objects.filter(job_seeker=selected.eligibility_diagnosis.job_seeker).values_list(
            "certifier", flat=True
        )
    )


@pytest.mark.parametrize("code", ["RSA", "AAH", "PI"])
def test_api_particulier_beneficiary(code):
    selected = _selected("Martin", code)
    assert _certify(selected).outcome == Outcome.CERTIFIED
    assert (selected.certification_period_start, selected.certification_period_end) == (A_YEAR_AGO, None)
    assert selected.certified_at == NOW
    assert selected.last_certification_attempt_at == NOW
    assert selected.certification_data["status"] == "beneficiaire"
    assert _state(selected) == State.CERTIFIED
    assert _identity_certifiers(selected) == {"API_PARTICULIER"}


def test_api_particulier_not_beneficiary():
    selected = _selected("Nadal", "RSA")
    assert _certify(selected).outcome == Outcome.NOT_CERTIFIED
    assert selected.certification_period_empty
    assert selected.certified_at == NOW
    assert _state(selected) == State.NOT_CERTIFIED
    assert _identity_certifiers(selected) == {"API_PARTICULIER"}  # the person was found


def test_api_particulier_identity_not_found():
    selected = _selected("Simon", "AAH")
    assert _certify(selected).outcome == Outcome.IDENTITY_NOT_FOUND
    assert selected.certified_at == NOW
    assert selected.certification_period_start is None and not selected.certification_period_empty
    assert _state(selected) == State.ERROR
    assert _identity_certifiers(selected) == set()


def test_temporary_failure_keeps_the_previous_result():
    selected = _selected("Ulysse", "RSA")
    selected.certification_period_start = A_YEAR_AGO
    selected.save()
    answer = _certify(selected)
    assert answer.outcome == Outcome.TEMPORARY_FAILURE
    assert answer.retry_after == 60
    assert selected.last_certification_attempt_at == NOW
    assert selected.certification_period_start == A_YEAR_AGO


def test_unknown_provider_response_is_logged(caplog):
    selected = _selected("Weber", "PI")
    with caplog.at_level(logging.WARNING, logger="inclusion.eligibility.certification"):
        assert _certify(selected).outcome == Outcome.UNKNOWN_RESPONSE
    assert "unknown provider response" in caplog.text
    assert selected.last_certification_attempt_at == NOW
    assert selected.certification_data["error"] == "unknown_provider_response"
    assert _state(selected) == State.ERROR


def test_france_travail_open_ended_rqth():
    selected = _selected("Dupont", "TH")
    assert _certify(selected).outcome == Outcome.CERTIFIED
    # 9999-12-31 means open-ended.
    assert (selected.certification_period_start, selected.certification_period_end) == (A_YEAR_AGO, None)
    assert _state(selected) == State.CERTIFIED
    assert _identity_certifiers(selected) == {"FRANCE_TRAVAIL"}


def test_france_travail_rqth_ending_before_the_diagnosis():
    selected = _selected("Girard", "TH")
    _certify(selected)
    assert (selected.certification_period_start, selected.certification_period_end) == (
        A_YEAR_AGO,
        datetime.date(2026, 5, 10),
    )
    assert _state(selected) == State.CERTIFIED_TEMPORARILY


def test_france_travail_rqth_not_valid():
    selected = _selected("Robert", "TH")
    assert _certify(selected).outcome == Outcome.NOT_CERTIFIED
    assert selected.certification_period_empty
    assert _identity_certifiers(selected) == {"FRANCE_TRAVAIL"}


def test_france_travail_identity_not_certified():
    selected = _selected("Zidane", "TH")
    assert _certify(selected).outcome == Outcome.NOT_CERTIFIED
    assert selected.certification_period_empty
    assert _identity_certifiers(selected) == set()


def test_france_travail_person_not_found():
    selected = _selected("Thomas", "TH")
    assert _certify(selected).outcome == Outcome.PERSON_NOT_FOUND
    assert selected.certified_at is None
    assert selected.certification_data["error"] == "individu_inconnu"
    assert _state(selected) == State.ERROR


def test_accents_are_ignored_in_the_fake_providers():
    assert _certify(_selected("Émile", "RSA")).outcome == Outcome.CERTIFIED


def test_a_second_certification_refreshes_the_identity_certification():
    selected = _selected("Martin", "RSA")
    _certify(selected)
    with time_machine.travel(NOW + DAY, tick=False):
        _certify(selected)
    assert IdentityCertification.objects.get().certified_at == NOW + DAY


class AlwaysCertified(certification.CertificationProvider):
    def certify(self, *, job_seeker, criterion_code, on):
        return ProviderAnswer(Outcome.CERTIFIED, period_start=on, payload={"test": True})


class TestProviderSetting:
    def test_the_setting_chooses_the_provider(self, settings):
        settings.ELIGIBILITY_CERTIFICATION_PROVIDERS = {"API_PARTICULIER": f"{__name__}.AlwaysCertified"}
        selected = _selected("Nadal", "RSA")  # the fake would say "not beneficiary"
        assert _certify(selected).outcome == Outcome.CERTIFIED
        assert selected.certification_data == {"test": True}
        # The other source keeps its default.
        assert isinstance(certification.get_provider("FRANCE_TRAVAIL"), certification.FakeFranceTravailProvider)


# ---------------------------------------------------------------------------------------------------------------
# Prerequisites (§6.1): missing ⇒ skipped, no attempt.


def test_not_certifiable_criterion_is_skipped():
    selected = _selected("Martin", "ASS")
    assert _certify(selected) is None
    assert selected.last_certification_attempt_at is None


@pytest.mark.parametrize("missing", ["first_name", "last_name", "title"])
def test_api_particulier_needs_the_identity(missing):
    selected = _selected("Martin", "RSA")
    job_seeker = selected.eligibility_diagnosis.job_seeker
    setattr(job_seeker, missing, "")
    job_seeker.save()
    selected = certification.load_selected_criterion("iae", selected.pk)
    assert _certify(selected) is None
    assert selected.last_certification_attempt_at is None


@pytest.mark.parametrize("missing", ["birthdate", "birth_country"])
def test_api_particulier_needs_birth_data(missing):
    selected = _selected("Martin", "RSA", **{missing: None})
    assert _certify(selected) is None
    assert selected.last_certification_attempt_at is None


def test_api_particulier_born_in_france_needs_a_birth_commune():
    france = CountryFactory(insee_code=Country.FRANCE_INSEE_CODE, asp_code="100", name="FRANCE", group="1")
    selected = _selected("Martin", "RSA", birth_country=france)
    # The profile holds no birth commune yet: a person born in France is skipped.
    assert _certify(selected) is None


def test_france_travail_with_an_identifier_alone():
    selected = _selected("Dupont", "TH", birthdate=None, nir="", pole_emploi_id="12345678901")
    assert _certify(selected).outcome == Outcome.CERTIFIED


def test_france_travail_with_birthdate_and_nir():
    selected = _selected("Dupont", "TH")  # the factory gives a NIR and the birthdate
    assert _certify(selected).outcome == Outcome.CERTIFIED


@pytest.mark.parametrize(
    "fields",
    [
        {"nir": "", "lack_of_nir_reason": "NO_NIR"},
        {"birthdate": None},
        {"nir": "", "lack_of_nir_reason": "NO_NIR", "pole_emploi_id": "1234567A"},  # 8 characters
    ],
)
def test_france_travail_skipped_without_prerequisites(fields):
    selected = _selected("Dupont", "TH", **fields)
    assert _certify(selected) is None
    assert selected.last_certification_attempt_at is None


# ---------------------------------------------------------------------------------------------------------------
# Scheduling (§6.2) and the tasks' retries (§6.4).


def test_schedule_only_certifiable_criteria_after_commit(django_capture_on_commit_callbacks):
    job_seeker = certifiable_job_seeker(last_name="Martin")
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["RSA", "TH", "ASS", "PM"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        certification.schedule_certification(diagnosis)
        assert not diagnosis.selected_criteria.filter(last_certification_attempt_at__isnull=False).exists()
    assert len(callbacks) == 1
    attempted = diagnosis.selected_criteria.filter(last_certification_attempt_at__isnull=False)
    assert set(attempted.values_list("administrative_criteria_id", flat=True)) == {"RSA", "TH"}


def test_nothing_scheduled_without_certifiable_criteria(django_capture_on_commit_callbacks):
    diagnosis = EligibilityDiagnosisFactory(criteria=["ASS", "PM"])
    with django_capture_on_commit_callbacks() as callbacks:
        certification.schedule_certification(diagnosis)
    assert callbacks == []


def test_geiq_criteria_are_certified_too(django_capture_on_commit_callbacks):
    job_seeker = certifiable_job_seeker(last_name="Dupont")
    diagnosis = GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["TH", "MINIMA", "RSA"])
    with django_capture_on_commit_callbacks(execute=True):
        certification.schedule_certification(diagnosis)
    th = diagnosis.selected_criteria.get(administrative_criteria="TH")
    assert (th.certification_period_start, th.certification_period_end) == (A_YEAR_AGO, None)
    assert diagnosis.selected_criteria.get(administrative_criteria="RSA").certified_at == NOW
    assert diagnosis.selected_criteria.get(administrative_criteria="MINIMA").last_certification_attempt_at is None


def test_retry_budgets():
    assert (tasks.certify_with_api_particulier.retries, tasks.certify_with_api_particulier.retry_delay) == (
        2,
        12 * 3600,
    )
    assert (tasks.certify_with_france_travail.retries, tasks.certify_with_france_travail.retry_delay) == (18, 600)


class FakeTask:
    def __init__(self, retries):
        self.retries = retries


def test_temporary_failure_is_retried_after_the_provider_delay():
    selected = _selected("Ulysse", "RSA")
    task = FakeTask(retries=2)
    with pytest.raises(RetryTask) as retry:
        tasks.run_certification(task, "iae", selected.pk)
    assert retry.value.delay == 60
    assert task.retries == 1  # one retry of the budget used


def test_temporary_failure_without_retry_left_gives_up(caplog):
    selected = _selected("Ulysse", "RSA")
    with caplog.at_level(logging.WARNING, logger="inclusion.eligibility.tasks"):
        assert tasks.run_certification(FakeTask(retries=0), "iae", selected.pk) == "temporary_failure"
    assert "no retry left" in caplog.text


def test_unknown_response_is_not_retried():
    selected = _selected("Weber", "RSA")
    assert tasks.run_certification(FakeTask(retries=2), "iae", selected.pk) == "unknown_response"


def test_a_deleted_criterion_is_ignored():
    assert tasks.run_certification(FakeTask(retries=2), "iae", 0) is None


def test_the_huey_queue_reschedules_a_temporary_failure():
    selected = _selected("Ulysse", "RSA")
    tasks.enqueue_certification(kind="iae", pk=selected.pk, source="API_PARTICULIER")
    (scheduled,) = HUEY.scheduled()
    assert scheduled.args == ("iae", selected.pk)
    assert scheduled.retries == 1
    assert scheduled.eta == (NOW + datetime.timedelta(seconds=60)).replace(tzinfo=None)


# ---------------------------------------------------------------------------------------------------------------
# The daily retry job (§6.4).


def _candidate(last_name="Martin", code="RSA", *, created_ago, attempted_ago=None, **fields):
    job_seeker = certifiable_job_seeker(last_name=last_name)
    diagnosis = EligibilityDiagnosisFactory(
        job_seeker=job_seeker, criteria=[code], created_at=NOW - created_ago, **fields
    )
    selected = diagnosis.selected_criteria.get()
    selected.created_at = NOW - created_ago
    selected.last_certification_attempt_at = None if attempted_ago is None else NOW - attempted_ago
    selected.save()
    return selected


def _due(kind="iae", source="API_PARTICULIER"):
    return {selected.pk for selected in certification._retry_candidates(kind, source, now=NOW)}


class TestRetryJobApiParticulier:
    def test_created_a_day_ago_boundary(self):
        due = _candidate(created_ago=DAY)
        young = _candidate(created_ago=DAY - datetime.timedelta(minutes=1))
        assert due.pk in _due()
        assert young.pk not in _due()

    def test_attempted_in_the_last_7_days_boundary(self):
        due = _candidate(created_ago=10 * DAY, attempted_ago=7 * DAY)
        recent = _candidate(created_ago=10 * DAY, attempted_ago=7 * DAY - datetime.timedelta(minutes=1))
        assert _due() == {due.pk}
        assert recent.pk not in _due()

    def test_only_never_certified_on_valid_diagnoses(self):
        due = _candidate(created_ago=2 * DAY, attempted_ago=8 * DAY)
        certified = _candidate(created_ago=2 * DAY, attempted_ago=8 * DAY)
        certified.certification_period_start = A_YEAR_AGO
        certified.save()
        not_beneficiary = _candidate(created_ago=2 * DAY, attempted_ago=8 * DAY)
        not_beneficiary.certification_period_empty = True
        not_beneficiary.save()
        _candidate(created_ago=2 * DAY, expires_at=TODAY)  # expired today
        tomorrow = _candidate(created_ago=2 * DAY, expires_at=TODAY + DAY)
        _candidate(code="TH", created_ago=2 * DAY)  # another source
        _candidate(code="ASS", created_ago=2 * DAY)  # not certifiable
        assert _due() == {due.pk, tomorrow.pk}

    def test_excludes_started_hirings(self):
        started = _candidate(created_ago=2 * DAY)
        accepted_application(
            job_seeker=started.eligibility_diagnosis.job_seeker,
            company=CompanyFactory(),
            hiring_start_at=TODAY,
            eligibility_diagnosis=started.eligibility_diagnosis,
        )
        future = _candidate(created_ago=2 * DAY)
        accepted_application(
            job_seeker=future.eligibility_diagnosis.job_seeker,
            company=CompanyFactory(),
            hiring_start_at=TODAY + DAY,
            eligibility_diagnosis=future.eligibility_diagnosis,
        )
        assert _due() == {future.pk}

    def test_excludes_missing_prerequisites(self):
        selected = _candidate(created_ago=2 * DAY)
        job_seeker = selected.eligibility_diagnosis.job_seeker
        job_seeker.title = ""
        job_seeker.save()
        assert _due() == set()

    def test_geiq_criteria_too(self):
        job_seeker = certifiable_job_seeker(last_name="Martin")
        diagnosis = GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["MINIMA", "AAH"])
        diagnosis.selected_criteria.update(created_at=NOW - 2 * DAY)
        assert _due("geiq") == {diagnosis.selected_criteria.get(administrative_criteria="AAH").pk}


class TestRetryJobFranceTravail:
    def test_no_period_or_ended_period_created_3_hours_ago(self):
        three_hours = datetime.timedelta(hours=3)
        no_period = _candidate(code="TH", created_ago=three_hours)
        _candidate(code="TH", created_ago=three_hours - datetime.timedelta(minutes=1))
        ended = _candidate(code="TH", created_ago=three_hours)
        ended.certification_period_start, ended.certification_period_end = A_YEAR_AGO, TODAY - DAY
        ended.save()
        ending_today = _candidate(code="TH", created_ago=three_hours)
        ending_today.certification_period_start, ending_today.certification_period_end = A_YEAR_AGO, TODAY
        ending_today.save()
        empty = _candidate(code="TH", created_ago=three_hours)
        empty.certification_period_empty = True
        empty.save()
        assert _due(source="FRANCE_TRAVAIL") == {no_period.pk, ended.pk}


def test_command_is_a_dry_run_by_default(capsys):
    selected = _candidate(created_ago=2 * DAY)
    call_command("retry_certifications")
    out = capsys.readouterr().out
    assert "Diagnostics IAE, API Particulier : 1" in out
    assert "Simulation : 1 critère(s) à recertifier, rien n'a été lancé." in out
    selected.refresh_from_db()
    assert selected.last_certification_attempt_at is None


def test_command_wet_run_requeues(capsys):
    selected = _candidate(created_ago=2 * DAY)
    th = _candidate(last_name="Dupont", code="TH", created_ago=DAY)
    call_command("retry_certifications", "--wet-run")
    assert "2 certification(s) relancée(s)." in capsys.readouterr().out
    selected.refresh_from_db()
    th.refresh_from_db()
    assert selected.certification_period_start == A_YEAR_AGO
    assert th.certification_period_start == A_YEAR_AGO
    # Attempted now: the next run leaves them alone.
    call_command("retry_certifications", "--wet-run")
    assert "Aucune certification à relancer." in capsys.readouterr().out


def test_periodic_task_applies():
    selected = _candidate(created_ago=2 * DAY)
    assert tasks.retry_certifications_task.call_local() == 1
    selected.refresh_from_db()
    assert selected.certified_at == NOW
