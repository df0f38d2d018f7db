"""Daily freshness jobs: stale job descriptions and spontaneous applications are closed after 90 days.

search_and_jobs.md §3.4, organizations.md §8.7; README.md §2.1: "not updated for N days" ⇔ timestamp ≤ now − N days.
"""

import datetime
import itertools
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from inclusion.companies import freshness, tasks
from inclusion.companies.enums import JobDescriptionSource
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.jobs.factories import AppellationFactory
from tests.users.factories import ProfessionalFactory

NOW = datetime.datetime(2026, 3, 10, 4, 0, tzinfo=datetime.UTC)
JUST_BEFORE = datetime.timedelta(days=89, hours=23)
EXACTLY = datetime.timedelta(days=90)
DAY_AFTER = datetime.timedelta(days=91)
APPELLATION_CODES = itertools.count()


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def run_and_send(django_capture_on_commit_callbacks):
    """Runs a job and lets the e-mails it queues after commit leave."""

    def run(job, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return run


def stale_job_description(company, age, name, **kwargs):
    return JobDescriptionFactory(
        company=company,
        appellation=AppellationFactory(code=f"9{next(APPELLATION_CODES):04d}", name=name),
        last_employer_update_at=NOW - age,
        **kwargs,
    )


class TestCloseStaleJobDescriptions:
    @pytest.mark.parametrize(
        "age,closed",
        [(JUST_BEFORE, False), (EXACTLY, True), (DAY_AFTER, True)],
        ids=["89 days 23 h: still open", "exactly 90 days: closed", "91 days: closed"],
    )
    def test_boundary(self, db, run_and_send, age, closed):
        job_description = stale_job_description(CompanyFactory(with_member=True), age, "Maçon")
        run_and_send(freshness.close_stale_job_descriptions)
        job_description.refresh_from_db()
        assert job_description.is_active is not closed

    def test_only_open_job_descriptions_created_by_the_employer(self, db, run_and_send, mailoutbox):
        company = CompanyFactory(with_member=True)
        from_hiring = stale_job_description(company, DAY_AFTER, "Cariste", creation_source=JobDescriptionSource.HIRING)
        stale_job_description(company, DAY_AFTER, "Peintre", is_active=False)
        report = run_and_send(freshness.close_stale_job_descriptions)
        from_hiring.refresh_from_db()
        assert from_hiring.is_active
        assert report.items_count == 0
        assert mailoutbox == []

    def test_closing_does_not_pretend_the_employer_updated_it(self, db, run_and_send):
        job_description = stale_job_description(CompanyFactory(), EXACTLY, "Maçon")
        run_and_send(freshness.close_stale_job_descriptions)
        job_description.refresh_from_db()
        assert job_description.last_employer_update_at == NOW - EXACTLY
        assert job_description.updated_at == NOW

    def test_active_members_get_one_email_listing_their_closed_job_descriptions(self, db, run_and_send, mailoutbox):
        admin, colleague, former = ProfessionalFactory(), ProfessionalFactory(), ProfessionalFactory()
        company = CompanyFactory(name="Les Jardins d'Austerlitz", with_member=admin)
        CompanyMembershipFactory(organization=company, user=colleague, is_admin=False)
        CompanyMembershipFactory(organization=company, user=former, is_admin=False, is_active=False)
        stale_job_description(company, EXACTLY, "Maçon")
        stale_job_description(company, DAY_AFTER, "Jardinier d'espaces verts")
        stale_job_description(company, JUST_BEFORE, "Cuisinier")
        other = CompanyFactory(with_member=True)
        stale_job_description(other, DAY_AFTER, "Couturier")

        report = run_and_send(freshness.close_stale_job_descriptions)

        assert report.items_count == 3 and report.companies_count == 2
        assert len(mailoutbox) == 2
        email = next(email for email in mailoutbox if admin.email in email.to)
        assert sorted(email.to) == sorted([admin.email, colleague.email])
        assert email.subject == "2 fiches de poste fermées faute de mise à jour — Les Jardins d'Austerlitz"
        assert "- Jardinier d'espaces verts\n- Maçon" in email.body  # oldest first, apostrophes not escaped
        assert "Cuisinier" not in email.body
        assert "Sans mise à jour depuis 90 jours" in email.body
        assert "http" in email.body  # a link to rouvrir le recrutement

    def test_a_company_is_never_split_across_batches(self, db, run_and_send, mailoutbox):
        big, small = CompanyFactory(with_member=True), CompanyFactory(with_member=True)
        for name in ["Maçon", "Peintre", "Plombier"]:
            stale_job_description(big, DAY_AFTER, name)
        stale_job_description(small, DAY_AFTER, "Cariste")
        report = run_and_send(freshness.close_stale_job_descriptions, batch_size=2)
        assert report.items_count == 4
        assert len(mailoutbox) == 2
        assert sorted(len(names) for names in report.closed.values()) == [1, 3]

    def test_batches_hold_about_the_batch_size(self):
        rows = [(1, 150), (2, 60), (3, 10), (4, 300), (5, 5)]
        assert list(freshness._company_batches(rows, 200)) == [[1, 2], [3, 4], [5]]

    def test_idempotent(self, db, run_and_send, mailoutbox):
        stale_job_description(CompanyFactory(with_member=True), DAY_AFTER, "Maçon")
        assert run_and_send(freshness.close_stale_job_descriptions).items_count == 1
        assert run_and_send(freshness.close_stale_job_descriptions).items_count == 0
        assert len(mailoutbox) == 1

    def test_dry_run_changes_nothing_and_sends_nothing(self, db, run_and_send, mailoutbox):
        job_description = stale_job_description(CompanyFactory(with_member=True), DAY_AFTER, "Maçon")
        report = run_and_send(freshness.close_stale_job_descriptions, dry_run=True)
        assert report.items_count == 1
        job_description.refresh_from_db()
        assert job_description.is_active
        assert mailoutbox == []

    def test_command_says_what_it_did_in_french(self, db, django_capture_on_commit_callbacks, mailoutbox):
        company = CompanyFactory(name="Régie Nord", siret="81234567899999", with_member=True)
        stale_job_description(company, DAY_AFTER, "Maçon")
        out = StringIO()
        call_command("close_stale_job_descriptions", stdout=out)
        assert "Simulation : 1 fiche(s) de poste de 1 structure(s) à fermer, rien n'a changé." in out.getvalue()
        assert "Régie Nord (SIRET 81234567899999) : Maçon" in out.getvalue()

        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("close_stale_job_descriptions", "--wet-run", stdout=out)
        assert "1 fiche(s) de poste fermée(s) ; membres de 1 structure(s) prévenus par e-mail." in out.getvalue()
        assert len(mailoutbox) == 1

        out = StringIO()
        call_command("close_stale_job_descriptions", "--wet-run", stdout=out)
        assert "Aucune fiche de poste à fermer." in out.getvalue()

    def test_periodic_task_calls_the_same_job(self, db, run_and_send, mailoutbox):
        job_description = stale_job_description(CompanyFactory(with_member=True), EXACTLY, "Maçon")
        report = run_and_send(tasks.close_stale_job_descriptions_task.call_local)
        job_description.refresh_from_db()
        assert not job_description.is_active
        assert report.items_count == 1
        assert len(mailoutbox) == 1


class TestCloseStaleSpontaneousApplications:
    @pytest.mark.parametrize(
        "age,closed",
        [(JUST_BEFORE, False), (EXACTLY, True), (DAY_AFTER, True)],
        ids=["89 days 23 h: still open", "exactly 90 days: closed", "91 days: closed"],
    )
    def test_boundary(self, db, run_and_send, age, closed):
        company = CompanyFactory(with_member=True, spontaneous_applications_open_since=NOW - age)
        run_and_send(freshness.close_stale_spontaneous_applications)
        company.refresh_from_db()
        assert (company.spontaneous_applications_open_since is None) is closed

    def test_members_are_told(self, db, run_and_send, mailoutbox):
        admin = ProfessionalFactory()
        company = CompanyFactory(
            name="GEIQ d'Auvergne", with_member=admin, spontaneous_applications_open_since=NOW - EXACTLY
        )
        CompanyFactory(spontaneous_applications_open_since=None)
        report = run_and_send(freshness.close_stale_spontaneous_applications)
        assert list(report.closed) == [company]
        [email] = mailoutbox
        assert email.to == [admin.email]
        assert email.subject == "Candidatures spontanées fermées faute de mise à jour — GEIQ d'Auvergne"
        assert "ouvertes depuis 90 jours sans mise à jour" in email.body

    def test_idempotent_and_dry_run(self, db, run_and_send, mailoutbox):
        company = CompanyFactory(with_member=True, spontaneous_applications_open_since=NOW - DAY_AFTER)
        assert run_and_send(freshness.close_stale_spontaneous_applications, dry_run=True).companies_count == 1
        company.refresh_from_db()
        assert company.spontaneous_applications_open_since is not None
        assert mailoutbox == []
        assert run_and_send(freshness.close_stale_spontaneous_applications).companies_count == 1
        assert run_and_send(freshness.close_stale_spontaneous_applications).companies_count == 0
        assert len(mailoutbox) == 1

    def test_batches(self, db, run_and_send, mailoutbox):
        for _ in range(3):
            CompanyFactory(with_member=True, spontaneous_applications_open_since=NOW - DAY_AFTER)
        report = run_and_send(freshness.close_stale_spontaneous_applications, batch_size=2)
        assert report.companies_count == 3
        assert len(mailoutbox) == 3

    def test_command(self, db, django_capture_on_commit_callbacks, mailoutbox):
        CompanyFactory(name="Régie Sud", with_member=True, spontaneous_applications_open_since=NOW - DAY_AFTER)
        out = StringIO()
        call_command("close_stale_spontaneous_applications", stdout=out)
        assert "Simulation : candidatures spontanées de 1 structure(s) à fermer, rien n'a changé." in out.getvalue()
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("close_stale_spontaneous_applications", "--wet-run", stdout=out)
        assert "Candidatures spontanées fermées pour 1 structure(s) ; leurs membres sont prévenus." in out.getvalue()
        assert "Régie Sud" in out.getvalue()
        assert len(mailoutbox) == 1

    def test_periodic_task_calls_the_same_job(self, db, run_and_send):
        company = CompanyFactory(spontaneous_applications_open_since=NOW - EXACTLY)
        run_and_send(tasks.close_stale_spontaneous_applications_task.call_local)
        company.refresh_from_db()
        assert company.spontaneous_applications_open_since is None


class TestSchedule:
    """platform_rules.md §9: nightly, at 03:00 Paris time (huey hands the schedule a naive UTC datetime)."""

    @pytest.mark.parametrize(
        "utc,runs",
        [
            (datetime.datetime(2026, 1, 15, 2, 0), True),  # 03:00 in winter (UTC+1)
            (datetime.datetime(2026, 7, 15, 1, 0), True),  # 03:00 in summer (UTC+2)
            (datetime.datetime(2026, 1, 15, 3, 0), False),  # 04:00 in winter
            (datetime.datetime(2026, 7, 15, 2, 0), False),  # 04:00 in summer
        ],
    )
    def test_job_descriptions_run_at_three_paris_time(self, utc, runs):
        assert tasks.JOB_DESCRIPTIONS_SCHEDULE(utc) is runs

    def test_spontaneous_applications_run_once_a_day(self):
        start = datetime.datetime(2026, 3, 29, 0, 0)  # a daylight saving time change
        minutes = [start + datetime.timedelta(minutes=n) for n in range(24 * 60)]
        runs = [m for m in minutes if tasks.SPONTANEOUS_APPLICATIONS_SCHEDULE(m)]
        assert len(runs) == 1
        assert timezone.localtime(runs[0].replace(tzinfo=datetime.UTC)).strftime("%H:%M") == "03:15"
