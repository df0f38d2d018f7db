"""Internal and external transfers (applications.md §10)."""

import datetime
import html

import pytest
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState, JobApplicationTransition, SenderKind
from inclusion.applications.models import JobApplication, JobApplicationComment, PriorAction
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.users.factories import JobSeekerFactory

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)
State = JobApplicationState
PDF = b"%PDF-1.4\n% CV de test\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def company(db):
    return CompanyFactory(kind=CompanyKind.ACI, name="Jardins de Cocagne", city="Lyon", with_member=True)


@pytest.fixture
def second_company(employer):
    """Another company of the employer, joined later (the first one stays the current organization)."""
    second = CompanyFactory(kind=CompanyKind.GEIQ, name="GEIQ BTP Rhône")
    CompanyMembershipFactory(organization=second, user=employer, joined_at=NOW + datetime.timedelta(days=1))
    return second


@pytest.fixture
def outside(db):
    outside = CompanyFactory(kind=CompanyKind.EI, name="Recyclerie du Rhône", city="Villeurbanne", with_member=True)
    JobDescriptionFactory(company=outside, custom_name="Agent de tri")
    return outside


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def detail(job_application):
    return reverse("application_detail_company", args=[job_application.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Internal transfer ---------------------------------------------------------------------------------------------------


def transfer_from_the_detail_page(client, job_application, target):
    data = {"application_ids": [job_application.pk], "action": "transfer", "next": detail(job_application)}
    response = client.post(reverse("applications_batch"), data, follow=True)
    assert response.resolver_match.url_name == "applications_transfer"
    return client.post(response.request["PATH_INFO"], {"target": target.uid}, follow=True)


class TestInternalTransfer:
    def test_everything_the_origin_decided_is_cleared(self, employer_client, company, employer, second_company):
        job = JobDescriptionFactory(company=company)
        job_application = JobApplicationFactory(
            to_company=company,
            state=State.CANCELLED,
            processed_at=NOW,
            answer="Bienvenue",
            answer_to_prescriber="Merci",
            hiring_start_at=datetime.date(2026, 2, 2),
            hired_job=job,
            accepted_by=employer,
        )
        job_application.selected_jobs.add(job)
        JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=employer, text="x"
        )
        PriorAction.objects.create(
            job_application=job_application, kind="PMSMP", start_at=NOW.date(), end_at=NOW.date()
        )
        response = transfer_from_the_detail_page(employer_client, job_application, second_company)
        assert messages_of(response) == ["1 candidature transférée."]
        job_application.refresh_from_db()
        assert (job_application.to_company, job_application.state, job_application.processed_at) == (
            second_company,
            State.NEW,
            None,
        )
        assert (job_application.transferred_from, job_application.transferred_by, job_application.transferred_at) == (
            company,
            employer,
            NOW,
        )
        assert (job_application.answer, job_application.answer_to_prescriber) == ("", "")
        assert (job_application.hiring_start_at, job_application.hired_job, job_application.accepted_by) == (
            None,
            None,
            None,
        )
        assert not job_application.selected_jobs.exists()
        assert not JobApplicationComment.objects.exists()
        assert not PriorAction.objects.exists()
        log = job_application.logs.get()
        assert (log.transition, log.target_company, log.user) == (
            JobApplicationTransition.TRANSFER,
            second_company,
            employer,
        )

    def test_the_origin_loses_it_the_target_sees_where_it_comes_from(
        self, employer_client, company, employer, second_company
    ):
        job_application = JobApplicationFactory(to_company=company)
        transfer_from_the_detail_page(employer_client, job_application, second_company)
        assert employer_client.get(detail(job_application)).status_code == 404
        session = employer_client.session
        session["current_organization"] = second_company.switch_key
        session.save()
        page = text(employer_client.get(detail(job_application)))
        assert "Transférée depuis Jardins de Cocagne le 10 mars 2026" in page

    def test_the_target_may_be_preselected(self, employer_client, company, second_company):
        job_application = JobApplicationFactory(to_company=company)
        data = {"application_ids": [job_application.pk], "action": "transfer"}
        response = employer_client.post(reverse("applications_batch"), data, follow=True)
        response = employer_client.get(response.request["PATH_INFO"], {"structure": second_company.uid})
        assert response.context["form"].initial["target"] == second_company.uid

    def test_a_company_where_the_membership_is_inactive_is_not_offered(self, employer_client, company, employer):
        former = CompanyFactory()
        CompanyMembershipFactory(organization=former, user=employer, is_active=False, is_admin=False)
        job_application = JobApplicationFactory(to_company=company)
        assert "Transférer vers une autre de mes structures" not in text(employer_client.get(detail(job_application)))


# External transfer ---------------------------------------------------------------------------------------------------


def refused(company, **fields):
    return JobApplicationFactory(
        to_company=company,
        state=State.REFUSED,
        processed_at=NOW - datetime.timedelta(days=1),
        job_seeker=JobSeekerFactory(first_name="Camille", last_name="Martin"),
        **fields,
    )


def search_url(job_application):
    return reverse("application_external_transfer", args=[job_application.pk])


def form_url(job_application, target):
    return reverse("application_external_transfer_company", args=[job_application.pk, target.uid])


class TestExternalTransferSearch:
    def test_by_name_or_city(self, employer_client, company, outside):
        job_application = refused(company)
        for query in ("recyclerie", "Villeurb"):
            response = employer_client.get(search_url(job_application), {"q": query})
            assert [found for found, _ in response.context["results"]] == [outside]

    def test_inactive_companies_and_the_current_one_are_not_proposed(self, employer_client, company, outside):
        outside.is_searchable = False
        outside.kind = CompanyKind.EA  # an EA is active while listed (searchable)
        outside.save()
        job_application = refused(company)
        assert employer_client.get(search_url(job_application), {"q": "Rhône"}).context["results"] == []
        assert employer_client.get(search_url(job_application), {"q": "Cocagne"}).context["results"] == []

    def test_companies_that_cannot_receive_it_are_not_proposed(self, employer_client, company, outside):
        """applications.md §18.15: no apply button for a blocked company or one without members."""
        CompanyFactory(name="Recyclerie sans membre")
        outside.block_applications()
        assert employer_client.get(search_url(refused(company)), {"q": "Recyclerie"}).context["results"] == []

    def test_at_least_two_characters(self, employer_client, company):
        response = employer_client.get(search_url(refused(company)), {"q": "R"})
        assert "Saisissez au moins 2 caractères." in text(response)
        assert response.context["results"] is None

    def test_one_of_the_users_companies_goes_to_the_internal_transfer(self, employer_client, company, second_company):
        job_application = refused(company)
        response = employer_client.get(search_url(job_application), {"q": "GEIQ"})
        assert response.context["results"] == [(second_company, True)]
        assert "Votre structure" in text(response)
        response = employer_client.get(form_url(job_application, second_company), follow=True)
        assert response.resolver_match.url_name == "applications_transfer"
        assert response.context["form"].initial["target"] == second_company.uid


class TestExternalTransferForm:
    def test_the_message_quotes_the_original(self, employer_client, company, employer, outside):
        employer.first_name, employer.last_name = "Claire", "Martin"
        employer.save()
        job_application = refused(company, message="Motivée.\nDisponible de suite.")
        initial = employer_client.get(form_url(job_application, outside)).context["form"].initial["message"]
        assert initial.startswith("Candidature transférée par Claire MARTIN (Jardins de Cocagne)")
        assert "> Motivée.\n> Disponible de suite." in initial

    def test_a_new_application_is_sent_and_the_original_logged(self, employer_client, company, employer, outside):
        job_application = refused(company, with_resume=True)
        job = outside.job_descriptions.get()
        response = employer_client.post(
            form_url(job_application, outside),
            {"selected_jobs": [job.pk], "message": "Je vous la recommande.", "keep_resume": "on"},
            follow=True,
        )
        assert response.request["PATH_INFO"] == detail(job_application)
        assert messages_of(response) == [
            "La candidature de Camille MARTIN a été transférée à Recyclerie du Rhône : une nouvelle candidature lui a "
            "été envoyée."
        ]
        created = JobApplication.objects.get(to_company=outside)
        assert (created.sender, created.sender_kind, created.sender_company) == (
            employer,
            SenderKind.EMPLOYER,
            company,
        )
        assert (created.job_seeker, created.message, list(created.selected_jobs.all())) == (
            job_application.job_seeker,
            "Je vous la recommande.",
            [job],
        )
        # A copy under a new random name: deleting one never deletes the other.
        assert created.resume.name != job_application.resume.name
        with created.resume.open("rb") as copy:
            assert copy.read() == PDF
        job_application.refresh_from_db()
        assert job_application.state == State.REFUSED
        log = job_application.logs.get()
        assert (log.transition, log.target_company) == (JobApplicationTransition.EXTERNAL_TRANSFER, outside)

    def test_the_resume_may_be_left_behind(self, employer_client, company, outside):
        job_application = refused(company, with_resume=True)
        employer_client.post(
            form_url(job_application, outside),
            {"selected_jobs": [outside.job_descriptions.get().pk], "message": "Bonjour"},
        )
        assert not JobApplication.objects.get(to_company=outside).resume

    def test_a_resume_missing_from_the_storage_is_not_offered(self, employer_client, company, outside):
        """The file of the original resume is gone (storage incident): the transfer goes on without it."""
        job_application = refused(company, with_resume=True)
        job_application.resume.storage.delete(job_application.resume.name)
        assert "keep_resume" not in employer_client.get(form_url(job_application, outside)).context["form"].fields

        response = employer_client.post(
            form_url(job_application, outside),
            {"selected_jobs": [outside.job_descriptions.get().pk], "message": "Bonjour", "keep_resume": "on"},
        )

        assert response.status_code == 302
        assert not JobApplication.objects.get(to_company=outside).resume

    def test_no_resume_no_checkbox(self, employer_client, company, outside):
        response = employer_client.get(form_url(refused(company), outside))
        assert "keep_resume" not in response.context["form"].fields

    def test_a_refused_submission_keeps_the_input(self, employer_client, company, outside):
        """applications.md §12 through `submit`: a spontaneous application to a company closed to them."""
        job_application = refused(company)
        response = employer_client.post(form_url(job_application, outside), {"message": "Mon message"})
        assert response.status_code == 200
        page = text(response)
        assert "Cette structure ne reçoit pas de candidature spontanée : choisissez une fiche de poste." in page
        assert "Mon message" in page
        assert not JobApplication.objects.filter(to_company=outside).exists()
        assert not job_application.logs.exists()

    def test_the_waiting_period_is_enforced_by_the_submission(self, employer_client, company, outside):
        job_application = refused(company)
        ApprovalFactory(
            user=job_application.job_seeker,
            start_at=datetime.date(2023, 2, 1),
            end_at=datetime.date(2025, 1, 31),
            # Its diagnosis expired long ago: no valid prescriber diagnosis lifts the waiting period.
            eligibility_diagnosis__created_at=datetime.datetime(2023, 1, 15, tzinfo=datetime.UTC),
        )
        response = employer_client.post(
            form_url(job_application, outside),
            {"selected_jobs": [outside.job_descriptions.get().pk], "message": "Bonjour"},
        )
        assert "délai de carence" in text(response)
        assert not job_application.logs.exists()

    def test_a_double_submit_creates_one_application_and_one_log(self, employer_client, company, outside):
        job_application = refused(company)
        data = {"selected_jobs": [outside.job_descriptions.get().pk], "message": "Bonjour"}
        employer_client.post(form_url(job_application, outside), data)
        employer_client.post(form_url(job_application, outside), data)
        assert JobApplication.objects.filter(to_company=outside).count() == 1
        assert job_application.logs.count() == 1

    def test_the_message_is_required(self, employer_client, company, outside):
        response = employer_client.post(form_url(refused(company), outside), {"message": ""})
        assert "Écrivez un message de candidature." in text(response)

    def test_an_inactive_target_is_a_404(self, employer_client, company, outside):
        outside.kind, outside.is_searchable = CompanyKind.EA, False
        outside.save()
        assert employer_client.get(form_url(refused(company), outside)).status_code == 404
