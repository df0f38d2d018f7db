"""Auto-refusal of the applications left unanswered for 60 days (applications.md §11, §3, §7; platform_rules.md §9).

README.md §2.1: "not updated for N days" ⇔ `updated_at ≤ now − N days`.
"""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from inclusion.applications import auto_refusal, tasks
from inclusion.applications.enums import JobApplicationState, JobApplicationTransition, RefusalReason
from inclusion.applications.models import JobApplication
from tests.applications.factories import JobApplicationFactory
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=PARIS)  # a Tuesday morning
SIXTY_DAYS = datetime.timedelta(days=60)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def application(*, age=SIXTY_DAYS, **fields):
    """An application last updated `age` before NOW (`updated_at` is auto_now: set it behind the model's back)."""
    job_application = JobApplicationFactory(**fields)
    JobApplication.objects.filter(pk=job_application.pk).update(updated_at=NOW - age)
    job_application.refresh_from_db()
    return job_application


class TestApplicationsToAutoRefuse:
    @pytest.mark.parametrize(
        "age,selected",
        [
            (datetime.timedelta(days=59), False),
            (SIXTY_DAYS - datetime.timedelta(seconds=1), False),
            (SIXTY_DAYS, True),
            (datetime.timedelta(days=61), True),
        ],
        ids=["59 days", "1 second short of 60 days", "exactly 60 days", "61 days"],
    )
    def test_boundary(self, age, selected):
        job_application = application(age=age)
        assert (job_application in auto_refusal.applications_to_auto_refuse()) is selected

    @pytest.mark.parametrize("state", State.values)
    def test_only_new_and_processing(self, state):
        job_application = application(state=state, age=datetime.timedelta(days=100))
        assert (job_application in auto_refusal.applications_to_auto_refuse()) is (state in ("new", "processing"))

    def test_archived_ones_are_left_out(self):
        application(age=datetime.timedelta(days=100), archived_at=NOW - datetime.timedelta(days=1))
        assert not auto_refusal.applications_to_auto_refuse().exists()

    def test_now_argument(self):
        job_application = application(age=datetime.timedelta(days=59))
        assert list(auto_refusal.applications_to_auto_refuse(now=NOW + datetime.timedelta(days=1))) == [
            job_application
        ]


class TestAutoRefuse:
    def test_dry_run_by_default(self):
        job_application = application(state=State.PROCESSING)
        assert auto_refusal.auto_refuse() == 1
        job_application.refresh_from_db()
        assert job_application.state == State.PROCESSING
        assert not job_application.logs.exists()

    def test_refuses_through_the_state_machine(self):
        job_application = application(state=State.PROCESSING)
        assert auto_refusal.auto_refuse(dry_run=False) == 1
        job_application.refresh_from_db()
        assert job_application.state == State.REFUSED
        assert job_application.refusal_reason == RefusalReason.AUTO
        assert job_application.refusal_reason_shared_with_job_seeker is True
        assert job_application.answer == auto_refusal.AUTO_REFUSAL_ANSWER
        assert job_application.answer.startswith("Bonjour,\n\nVotre candidature n'a pas reçu de réponse")
        assert job_application.processed_at == NOW
        (log,) = job_application.logs.all()
        assert (log.transition, log.from_state, log.to_state, log.user) == (
            JobApplicationTransition.REFUSE,
            State.PROCESSING,
            State.REFUSED,
            None,
        )

    def test_boundary(self):
        due = application(age=SIXTY_DAYS)
        not_yet = application(age=datetime.timedelta(days=59))
        assert auto_refusal.auto_refuse(dry_run=False) == 1
        due.refresh_from_db()
        not_yet.refresh_from_db()
        assert (due.state, not_yet.state) == (State.REFUSED, State.NEW)

    def test_job_seeker_by_job_seeker_the_longest_waiting_first(self):
        """All the due applications of a job seeker are handled together; recent ones are not."""
        patient, waiting, last = JobSeekerFactory(), JobSeekerFactory(), JobSeekerFactory()
        patient_apps = [
            application(job_seeker=patient, age=datetime.timedelta(days=90)),
            application(job_seeker=patient, age=datetime.timedelta(days=61), state=State.PROCESSING),
        ]
        patient_recent = application(job_seeker=patient, age=datetime.timedelta(days=10))
        waiting_app = application(job_seeker=waiting, age=datetime.timedelta(days=80))
        last_app = application(job_seeker=last, age=datetime.timedelta(days=70))

        assert auto_refusal.auto_refuse(max_job_seekers=2, dry_run=False) == 3
        states = {a.pk: a.state for a in JobApplication.objects.all()}
        assert [states[a.pk] for a in patient_apps] == [State.REFUSED, State.REFUSED]
        assert states[waiting_app.pk] == State.REFUSED
        assert states[patient_recent.pk] == State.NEW
        assert states[last_app.pk] == State.NEW

        # The next run takes the rest; then nothing is left (idempotent).
        assert auto_refusal.auto_refuse(max_job_seekers=2, dry_run=False) == 1
        assert auto_refusal.auto_refuse(max_job_seekers=2, dry_run=False) == 0
        assert JobApplication.objects.get(pk=last_app.pk).state == State.REFUSED

    def test_at_most_40_job_seekers_per_run(self):
        applications = [application(age=SIXTY_DAYS + datetime.timedelta(hours=n)) for n in range(41)]
        newest = applications[0]  # updated the most recently: waits for the next run
        assert auto_refusal.auto_refuse(dry_run=False) == 40
        newest.refresh_from_db()
        assert newest.state == State.NEW
        assert JobApplication.objects.filter(state=State.REFUSED).count() == 40

    def test_an_application_updated_since_the_job_seekers_were_read_is_left_alone(self, monkeypatch):
        job_application = application()
        original = auto_refusal.job_seekers_to_auto_refuse

        def employer_acts_meanwhile(**kwargs):
            ids = original(**kwargs)
            job_application.save()  # the employer touches it: updated_at = now
            return ids

        monkeypatch.setattr(auto_refusal, "job_seekers_to_auto_refuse", employer_acts_meanwhile)
        assert auto_refusal.auto_refuse(dry_run=False) == 0
        job_application.refresh_from_db()
        assert job_application.state == State.NEW


class TestCommandAndTask:
    def test_command_dry_run(self):
        application(), application(age=datetime.timedelta(days=80))
        job_application = application()
        out = StringIO()
        call_command("auto_refuse_applications", "--max-job-seekers=2", stdout=out)
        assert (
            "Simulation : 2 candidature(s) de 2 candidat(s) à décliner lors de ce passage, 3 au total ; "
            "rien n'a changé." in out.getvalue()
        )
        job_application.refresh_from_db()
        assert job_application.state == State.NEW

    def test_command_wet_run(self):
        job_seeker = JobSeekerFactory()
        application(job_seeker=job_seeker), application(job_seeker=job_seeker), application()
        out = StringIO()
        call_command("auto_refuse_applications", "--wet-run", "--max-job-seekers=1", stdout=out)
        assert "2 candidature(s) de 1 candidat(s) déclinée(s) automatiquement ; encore 1 à décliner." in out.getvalue()
        assert JobApplication.objects.filter(job_seeker=job_seeker, state=State.REFUSED).count() == 2

    def test_command_with_nothing_to_do(self):
        out = StringIO()
        call_command("auto_refuse_applications", "--wet-run", stdout=out)
        assert "Aucune candidature à décliner." in out.getvalue()

    def test_command_rejects_a_zero_limit(self):
        application()
        err = StringIO()
        call_command("auto_refuse_applications", "--wet-run", "--max-job-seekers=0", stdout=StringIO(), stderr=err)
        assert "Le nombre maximal de candidats doit être d'au moins 1." in err.getvalue()
        assert not JobApplication.objects.filter(state=State.REFUSED).exists()

    def test_periodic_task_applies(self):
        job_application = application()
        assert tasks.auto_refuse_applications_task.call_local() == 1
        job_application.refresh_from_db()
        assert job_application.state == State.REFUSED


def utc_naive(paris_datetime):
    """What huey hands the schedule (`utc=True`): a naive UTC datetime."""
    return paris_datetime.replace(tzinfo=PARIS).astimezone(datetime.UTC).replace(tzinfo=None)


class TestSchedule:
    """applications.md §11, platform_rules.md §9: every 5 minutes on weekdays, 07:00–20:00 Paris time (both
    included: platform_rules.md §9 writes its windows with an inclusive end, "00:00–21:59")."""

    @pytest.mark.parametrize(
        "paris,runs",
        [
            (datetime.datetime(2026, 3, 10, 6, 55), False),
            (datetime.datetime(2026, 3, 10, 7, 0), True),
            (datetime.datetime(2026, 3, 10, 7, 2), False),  # not a multiple of 5 minutes
            (datetime.datetime(2026, 3, 10, 19, 55), True),
            (datetime.datetime(2026, 3, 10, 20, 0), True),
            (datetime.datetime(2026, 3, 10, 20, 5), False),
            (datetime.datetime(2026, 3, 10, 20, 0, 30), True),  # huey may be a few seconds late
            (datetime.datetime(2026, 7, 15, 7, 0), True),  # summer time (UTC+2)
            (datetime.datetime(2026, 7, 15, 6, 55), False),
            (datetime.datetime(2026, 7, 15, 20, 5), False),
            (datetime.datetime(2026, 3, 13, 12, 0), True),  # Friday
            (datetime.datetime(2026, 3, 14, 12, 0), False),  # Saturday
            (datetime.datetime(2026, 3, 15, 12, 0), False),  # Sunday
            (datetime.datetime(2026, 3, 16, 7, 0), True),  # Monday
        ],
    )
    def test_boundaries(self, paris, runs):
        assert tasks.AUTO_REFUSE_APPLICATIONS_SCHEDULE(utc_naive(paris)) is runs

    def test_runs_in_a_day(self):
        def runs_on(day):
            start = utc_naive(datetime.datetime.combine(day, datetime.time(0)))
            return sum(
                tasks.AUTO_REFUSE_APPLICATIONS_SCHEDULE(start + datetime.timedelta(minutes=n)) for n in range(24 * 60)
            )

        assert runs_on(datetime.date(2026, 3, 10)) == 13 * 12 + 1  # 07:00, 07:05, …, 19:55, 20:00
        assert runs_on(datetime.date(2026, 3, 14)) == 0  # Saturday
