"""Archiving job applications: manual archive / unarchive and the nightly auto-archiving (applications.md §1, §3, §11).

README.md §2.1: "not updated for N days" ⇔ `updated_at ≤ now − N days`.
"""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from inclusion.applications import archiving, tasks, transitions
from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication, JobApplicationTransitionLog
from tests.applications.factories import JobApplicationFactory
from tests.users.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

State = JobApplicationState
NOW = datetime.datetime(2026, 3, 10, 1, 30, tzinfo=datetime.UTC)  # 02:30 in Paris, the nightly run
AUTO_ARCHIVABLE = ["new", "processing", "postponed", "refused", "cancelled", "obsolete"]  # applications.md §11


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def application(*, age=datetime.timedelta(0), **fields):
    """An application last updated `age` before NOW (`updated_at` is auto_now: set it behind the model's back)."""
    job_application = JobApplicationFactory(**fields)
    JobApplication.objects.filter(pk=job_application.pk).update(updated_at=NOW - age)
    job_application.refresh_from_db()
    return job_application


class TestArchive:
    @pytest.mark.parametrize("state", ["refused", "cancelled", "obsolete"])
    def test_archives_finished_applications_without_changing_state(self, state):
        employer = ProfessionalFactory()
        job_application = application(state=state, age=datetime.timedelta(days=3))
        archiving.archive(job_application, user=employer)
        job_application.refresh_from_db()
        assert job_application.state == state
        assert job_application.archived_at == NOW
        assert job_application.archived_by == employer
        assert job_application.updated_at == NOW
        # Archiving is not a state change: no transition is logged.
        assert not JobApplicationTransitionLog.objects.exists()

    @pytest.mark.parametrize("state", ["new", "processing", "postponed", "prior_to_hire", "pool", "accepted"])
    def test_refuses_other_states_in_french(self, state):
        job_application = application(state=state)
        with pytest.raises(archiving.ArchivingError) as error:
            archiving.archive(job_application, user=ProfessionalFactory())
        assert error.value.messages == [
            f"Impossible d'archiver une candidature à l'état « {State(state).label} » : seules les candidatures "
            "déclinées, dont l'embauche est annulée ou embauchées ailleurs peuvent être archivées."
        ]
        job_application.refresh_from_db()
        assert job_application.archived_at is None

    def test_checks_the_state_in_the_database(self):
        """An application accepted since the page was loaded is not archived."""
        job_application = application(state=State.REFUSED)
        JobApplication.objects.filter(pk=job_application.pk).update(state=State.ACCEPTED)
        with pytest.raises(archiving.ArchivingError, match="« Acceptée »"):
            archiving.archive(job_application, user=ProfessionalFactory())
        assert JobApplication.objects.get(pk=job_application.pk).archived_at is None

    def test_already_archived(self):
        job_application = application(state=State.REFUSED)
        archiving.archive(job_application, user=ProfessionalFactory())
        with pytest.raises(archiving.ArchivingError, match="Cette candidature est déjà archivée."):
            archiving.archive(job_application, user=ProfessionalFactory())

    def test_a_later_transition_unarchives(self):
        job_application = application(state=State.CANCELLED)
        archiving.archive(job_application, user=ProfessionalFactory())
        transitions.add_to_pool(job_application, user=ProfessionalFactory())
        job_application.refresh_from_db()
        assert (job_application.archived_at, job_application.archived_by) == (None, None)


class TestUnarchive:
    def test_unarchives(self):
        job_application = application(state=State.OBSOLETE)
        archiving.archive(job_application, user=ProfessionalFactory())
        archiving.unarchive(job_application)
        job_application.refresh_from_db()
        assert (job_application.archived_at, job_application.archived_by) == (None, None)
        assert job_application.state == State.OBSOLETE

    def test_an_unarchived_old_application_is_not_archived_again_the_next_night(self):
        job_application = application(state=State.REFUSED, age=datetime.timedelta(days=400))
        assert archiving.archive_stale(dry_run=False) == 1
        job_application.refresh_from_db()
        archiving.unarchive(job_application)
        with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
            assert archiving.archive_stale(dry_run=False) == 0
        job_application.refresh_from_db()
        assert job_application.archived_at is None

    def test_not_archived_is_left_alone(self):
        job_application = application(state=State.REFUSED, age=datetime.timedelta(days=3))
        archiving.unarchive(job_application)
        job_application.refresh_from_db()
        assert job_application.updated_at == NOW - datetime.timedelta(days=3)


class TestStaleApplications:
    @pytest.mark.parametrize(
        "age,stale",
        [
            (datetime.timedelta(days=179), False),
            (datetime.timedelta(days=180) - datetime.timedelta(seconds=1), False),
            (datetime.timedelta(days=180), True),
            (datetime.timedelta(days=181), True),
        ],
        ids=["179 days", "1 second short of 180 days", "exactly 180 days", "181 days"],
    )
    def test_boundary(self, age, stale):
        job_application = application(state=State.REFUSED, age=age)
        assert (job_application in archiving.stale_applications_to_archive()) is stale

    @pytest.mark.parametrize("state", State.values)
    def test_states(self, state):
        job_application = application(state=state, age=datetime.timedelta(days=400))
        assert (job_application in archiving.stale_applications_to_archive()) is (state in AUTO_ARCHIVABLE)

    def test_already_archived_ones_are_left_out(self):
        yesterday = NOW - datetime.timedelta(days=1)
        application(state=State.REFUSED, age=datetime.timedelta(days=400), archived_at=yesterday)
        assert not archiving.stale_applications_to_archive().exists()

    def test_now_argument(self):
        job_application = application(state=State.NEW, age=datetime.timedelta(days=179))
        assert not archiving.stale_applications_to_archive().exists()
        tomorrow = NOW + datetime.timedelta(days=1)
        assert list(archiving.stale_applications_to_archive(now=tomorrow)) == [job_application]


class TestArchiveStale:
    def test_dry_run_by_default(self):
        job_application = application(state=State.NEW, age=datetime.timedelta(days=180))
        assert archiving.archive_stale() == 1
        job_application.refresh_from_db()
        assert job_application.archived_at is None

    def test_archives_by_the_system_without_touching_updated_at(self):
        stale = application(state=State.PROCESSING, age=datetime.timedelta(days=180))
        recent = application(state=State.PROCESSING, age=datetime.timedelta(days=179))
        assert archiving.archive_stale(dry_run=False) == 1
        stale.refresh_from_db()
        recent.refresh_from_db()
        assert (stale.archived_at, stale.archived_by, stale.state) == (NOW, None, State.PROCESSING)
        assert stale.updated_at == NOW - datetime.timedelta(days=180)
        assert recent.archived_at is None
        assert not JobApplicationTransitionLog.objects.exists()

    def test_idempotent(self):
        application(state=State.CANCELLED, age=datetime.timedelta(days=200))
        assert archiving.archive_stale(dry_run=False) == 1
        assert archiving.archive_stale(dry_run=False) == 0

    def test_batches(self, monkeypatch):
        monkeypatch.setattr(archiving, "AUTO_ARCHIVING_BATCH_SIZE", 2)
        for _ in range(5):
            application(state=State.OBSOLETE, age=datetime.timedelta(days=200))
        batches = []
        assert archiving.archive_stale(dry_run=False, progress=batches.append) == 5
        assert batches == [2, 2, 1]
        assert not JobApplication.objects.filter(archived_at__isnull=True).exists()

    def test_an_application_hired_since_the_ids_were_read_is_skipped(self, monkeypatch):
        job_application = application(state=State.NEW, age=datetime.timedelta(days=200))
        original = archiving.stale_applications_to_archive
        calls = []

        def accepted_after_first_read(**kwargs):
            if calls:
                JobApplication.objects.filter(pk=job_application.pk).update(state=State.ACCEPTED)
            calls.append(kwargs)
            return original(**kwargs)

        monkeypatch.setattr(archiving, "stale_applications_to_archive", accepted_after_first_read)
        assert archiving.archive_stale(dry_run=False) == 0
        assert JobApplication.objects.get(pk=job_application.pk).archived_at is None


class TestCommandAndTask:
    def test_command_dry_run(self):
        job_application = application(state=State.REFUSED, age=datetime.timedelta(days=180))
        out = StringIO()
        call_command("archive_applications", stdout=out, stderr=StringIO())
        assert "Simulation : 1 candidature(s) à archiver, rien n'a changé." in out.getvalue()
        job_application.refresh_from_db()
        assert job_application.archived_at is None

    def test_command_wet_run(self):
        job_application = application(state=State.REFUSED, age=datetime.timedelta(days=180))
        out = StringIO()
        call_command("archive_applications", "--wet-run", stdout=out, stderr=StringIO())
        assert "1 candidature(s) archivée(s)." in out.getvalue()
        job_application.refresh_from_db()
        assert job_application.archived_at == NOW

    def test_command_with_nothing_to_do(self):
        out = StringIO()
        call_command("archive_applications", "--wet-run", stdout=out, stderr=StringIO())
        assert "Aucune candidature à archiver." in out.getvalue()

    def test_periodic_task_applies(self):
        job_application = application(state=State.REFUSED, age=datetime.timedelta(days=180))
        assert tasks.archive_applications_task.call_local() == 1
        job_application.refresh_from_db()
        assert job_application.archived_at == NOW


class TestSchedule:
    """platform_rules.md §9: nightly; at 02:30 Paris time (huey hands the schedule a naive UTC datetime)."""

    @pytest.mark.parametrize(
        "utc,runs",
        [
            (datetime.datetime(2026, 1, 15, 1, 30), True),  # 02:30 in winter (UTC+1)
            (datetime.datetime(2026, 7, 15, 0, 30), True),  # 02:30 in summer (UTC+2)
            (datetime.datetime(2026, 1, 15, 2, 30), False),  # 03:30 in winter
            (datetime.datetime(2026, 1, 15, 1, 35), False),  # 02:35 in winter
        ],
    )
    def test_at_half_past_two_paris_time(self, utc, runs):
        assert tasks.ARCHIVE_APPLICATIONS_SCHEDULE(utc) is runs

    @staticmethod
    def runs_during(paris_day):
        """The UTC minutes of the Paris calendar day `paris_day` at which the job runs."""
        start = datetime.datetime.combine(paris_day, datetime.time(0), tzinfo=timezone.get_current_timezone())
        start = start.astimezone(datetime.UTC).replace(tzinfo=None)
        minutes = [start + datetime.timedelta(minutes=n) for n in range(25 * 60)]
        return [
            timezone.localtime(m.replace(tzinfo=datetime.UTC))
            for m in minutes
            if tasks.ARCHIVE_APPLICATIONS_SCHEDULE(m)
            and timezone.localtime(m.replace(tzinfo=datetime.UTC)).date() == paris_day
        ]

    def test_once_a_day(self):
        (run,) = self.runs_during(datetime.date(2026, 3, 10))
        assert run.strftime("%H:%M") == "02:30"

    def test_daylight_saving_time_nights(self):
        """02:30 does not exist the night clocks go forward (the next night catches up, the job is idempotent) and
        happens twice the night they go back (the second run finds nothing left)."""
        assert self.runs_during(datetime.date(2026, 3, 29)) == []
        assert len(self.runs_during(datetime.date(2026, 10, 25))) == 2
