"""The refusal wizard (applications.md §7): reason, message to the job seeker, message to the prescriber."""

import datetime
import html

import pytest
from django.urls import reverse

from inclusion.applications.answer_messages import refusal_message_for, refusal_reasons_with_message
from inclusion.applications.enums import JobApplicationState, RefusalReason
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory
from tests.users.factories import JobSeekerFactory

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)
State = JobApplicationState


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def start(client, *job_applications, next_url=""):
    """Posts the batch action "refuse"; returns the followed response (the wizard's first step, or the back page)."""
    data = {"application_ids": [str(job_application.pk) for job_application in job_applications], "action": "refuse"}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("applications_batch"), data, follow=True)


def path(response):
    return response.request["PATH_INFO"]


def step_url(response, step):
    """The URL of `step` in the wizard `response` belongs to."""
    return path(response).rsplit("/", 2)[0] + f"/{step}/"


def from_job_seeker(company, **fields):
    return JobApplicationFactory(to_company=company, job_seeker=JobSeekerFactory(last_name="Abel"), **fields)


def from_prescriber(company, **fields):
    return JobApplicationFactory(
        to_company=company, job_seeker=JobSeekerFactory(last_name="Bernard"), sent_by_prescriber=True, **fields
    )


def test_every_selectable_reason_has_its_own_message():
    assert {code for code, _ in RefusalReason.selectable()} <= refusal_reasons_with_message()


class TestOneApplicationFromTheJobSeeker:
    def test_two_steps_then_refused(self, employer_client, company, employer):
        job_application = from_job_seeker(company)
        detail = reverse("application_detail_company", args=[job_application.pk])
        response = start(employer_client, job_application, next_url=detail)
        assert response.resolver_match.url_name == "refusal_wizard"
        assert "Étape 1 sur 2" in text(response)
        response = employer_client.post(path(response), {"reason": "not_mobile", "shared": "on"}, follow=True)
        page = text(response)
        assert "Étape 2 sur 2" in page
        prefilled = refusal_message_for("not_mobile", company_name="Jardins de Cocagne")
        assert response.context["form"].initial["answer"] == prefilled
        response = employer_client.post(path(response), {"answer": prefilled}, follow=True)
        assert path(response) == detail
        assert "1 candidature déclinée." in text(response)
        job_application.refresh_from_db()
        assert job_application.state == State.REFUSED
        assert job_application.refusal_reason == RefusalReason.NOT_MOBILE
        assert job_application.refusal_reason_shared_with_job_seeker is True
        assert job_application.answer == prefilled
        assert job_application.answer_to_prescriber == ""
        assert job_application.logs.get().user == employer

    def test_the_reason_is_not_shared_unless_ticked(self, employer_client, company):
        job_application = from_job_seeker(company)
        response = start(employer_client, job_application)
        response = employer_client.post(path(response), {"reason": "no_position"}, follow=True)
        employer_client.post(path(response), {"answer": "Pas de poste."}, follow=True)
        job_application.refresh_from_db()
        assert (job_application.refusal_reason, job_application.refusal_reason_shared_with_job_seeker) == (
            "no_position",
            False,
        )

    def test_there_is_no_prescriber_step(self, employer_client, company):
        response = start(employer_client, from_job_seeker(company))
        assert employer_client.get(step_url(response, "prescripteur")).status_code == 404


class TestOneApplicationFromAPrescriber:
    def test_three_steps_with_the_private_message(self, employer_client, company):
        job_application = from_prescriber(company)
        response = start(employer_client, job_application)
        assert "Étape 1 sur 3" in text(response)
        response = employer_client.post(path(response), {"reason": "lacking_skills"}, follow=True)
        response = employer_client.post(path(response), {"answer": "Désolés."}, follow=True)
        assert "Étape 3 sur 3" in text(response)
        response = employer_client.post(path(response), {"answer_to_prescriber": ""}, follow=True)
        assert "Écrivez un message au prescripteur." in text(response)
        job_application.refresh_from_db()
        assert job_application.state == State.NEW
        employer_client.post(path(response), {"answer_to_prescriber": "Il manque le CACES."}, follow=True)
        job_application.refresh_from_db()
        assert job_application.state == State.REFUSED
        assert (job_application.answer, job_application.answer_to_prescriber) == ("Désolés.", "Il manque le CACES.")

    def test_transferred_meanwhile_the_last_step_says_so(self, employer_client, company):
        """A colleague transferred the application to another company while the employer wrote the messages."""
        job_application = from_prescriber(company)
        detail = reverse("application_detail_company", args=[job_application.pk])
        response = start(employer_client, job_application, next_url=detail)
        response = employer_client.post(path(response), {"reason": "lacking_skills"}, follow=True)
        response = employer_client.post(path(response), {"answer": "Désolés."}, follow=True)
        last_step = path(response)
        JobApplication.objects.filter(pk=job_application.pk).update(to_company=CompanyFactory())

        response = employer_client.post(last_step, {"answer_to_prescriber": "Il manque le CACES."}, follow=True)

        assert response.status_code == 200
        assert (
            "Aucune candidature déclinée, 1 ignorée : Candidature introuvable parmi celles reçues par votre "
            "structure." in text(response)
        )
        job_application.refresh_from_db()
        assert job_application.state == State.NEW


class TestSeveralApplications:
    def test_mixed_senders_and_an_ineligible_one(self, employer_client, company):
        by_job_seeker = from_job_seeker(company)
        by_prescriber = from_prescriber(company)
        accepted = JobApplicationFactory(
            to_company=company,
            job_seeker=JobSeekerFactory(first_name="Chloé", last_name="Carpentier"),
            state=State.ACCEPTED,
            processed_at=NOW,
        )
        response = start(employer_client, by_job_seeker, by_prescriber, accepted)
        page = text(response)
        assert "Décliner 2 candidatures" in page
        assert "Étape 1 sur 3" in page
        assert "Chloé CARPENTIER — Impossible de décliner une candidature à l'état « Acceptée »." in page
        response = employer_client.post(path(response), {"reason": "no_position"}, follow=True)
        response = employer_client.post(path(response), {"answer": "Pas de poste."}, follow=True)
        response = employer_client.post(path(response), {"answer_to_prescriber": "Plus tard."}, follow=True)
        assert path(response) == "/entreprise/candidatures/"
        for job_application in (by_job_seeker, by_prescriber, accepted):
            job_application.refresh_from_db()
        assert (by_job_seeker.state, by_prescriber.state, accepted.state) == (
            State.REFUSED,
            State.REFUSED,
            State.ACCEPTED,
        )
        # The private message goes to prescribers only (applications.md §1).
        assert (by_job_seeker.answer_to_prescriber, by_prescriber.answer_to_prescriber) == ("", "Plus tard.")

    def test_the_summary_reports_the_skipped_one(self, employer_client, company):
        eligible = from_job_seeker(company)
        accepted = JobApplicationFactory(
            to_company=company,
            job_seeker=JobSeekerFactory(first_name="Chloé", last_name="Carpentier"),
            state=State.ACCEPTED,
            processed_at=NOW,
        )
        detail = reverse("application_detail_company", args=[eligible.pk])
        response = start(employer_client, eligible, accepted, next_url=detail)
        response = employer_client.post(path(response), {"reason": "duplicate"}, follow=True)
        response = employer_client.post(path(response), {"answer": "Doublon."}, follow=True)
        assert (
            "1 candidature déclinée, 1 ignorée : Chloé CARPENTIER — Impossible de décliner une candidature à l'état "
            "« Acceptée »."
        ) in text(response)

    def test_nothing_to_refuse(self, employer_client, company):
        accepted = JobApplicationFactory(to_company=company, state=State.ACCEPTED, processed_at=NOW)
        response = start(employer_client, accepted)
        assert response.resolver_match.url_name != "refusal_wizard"
        assert "Aucune candidature déclinée, 1 ignorée" in text(response)


class TestNavigation:
    def test_a_later_step_is_not_reachable_before_the_reason(self, employer_client, company):
        response = start(employer_client, from_prescriber(company))
        for step in ("message", "prescripteur"):
            later = employer_client.get(step_url(response, step))
            assert later.status_code == 302
            assert later["Location"] == step_url(response, "motif")

    def test_going_back_keeps_the_typed_message_and_a_new_reason_gets_its_text(self, employer_client, company):
        response = start(employer_client, from_prescriber(company))
        motif = path(response)
        response = employer_client.post(motif, {"reason": "not_mobile"}, follow=True)
        response = employer_client.post(path(response), {"answer": "Mon texte", "back": "1"}, follow=True)
        assert path(response) == motif
        response = employer_client.post(motif, {"reason": "not_mobile"}, follow=True)
        assert response.context["form"].initial["answer"] == "Mon texte"
        response = employer_client.post(motif, {"reason": "training"}, follow=True)
        assert response.context["form"].initial["answer"] == refusal_message_for(
            "training", company_name="Jardins de Cocagne"
        )

    def test_the_reason_is_required(self, employer_client, company):
        response = start(employer_client, from_job_seeker(company))
        response = employer_client.post(path(response), {}, follow=True)
        assert "Choisissez le motif du refus." in text(response)

    def test_the_message_to_the_job_seeker_is_required(self, employer_client, company):
        job_application = from_job_seeker(company)
        response = start(employer_client, job_application)
        response = employer_client.post(path(response), {"reason": "other"}, follow=True)
        response = employer_client.post(path(response), {"answer": " "}, follow=True)
        assert "Écrivez un message au candidat." in text(response)
        job_application.refresh_from_db()
        assert job_application.state == State.NEW

    def test_a_geiq_cannot_refuse_for_eligibility(self, client, db):
        geiq = CompanyFactory(kind=CompanyKind.GEIQ, with_member=True)
        client.force_login(geiq.memberships.get().user)
        response = start(client, from_job_seeker(geiq))
        assert "Candidat non éligible" not in text(response)
        response = client.post(path(response), {"reason": "non_eligible"}, follow=True)
        assert "Choisissez un des motifs proposés." in text(response)

    def test_the_selection_belongs_to_the_session_that_made_it(self, employer_client, client, company):
        response = start(employer_client, from_job_seeker(company))
        wizard_url = path(response)
        colleague = CompanyFactory(with_member=True).memberships.get().user
        client.force_login(colleague)
        response = client.get(wizard_url)
        assert (response.status_code, response["Location"]) == (302, reverse("applications_received"))
        assert "Abel" not in text(client.get(response["Location"]))

    def test_an_unknown_step_is_a_404(self, employer_client, company):
        response = start(employer_client, from_job_seeker(company))
        assert employer_client.get(step_url(response, "inconnue")).status_code == 404

    def test_a_selection_is_used_once(self, employer_client, company):
        response = start(employer_client, from_job_seeker(company))
        wizard = path(response)
        response = employer_client.post(wizard, {"reason": "other"}, follow=True)
        employer_client.post(path(response), {"answer": "Non."}, follow=True)
        response = employer_client.get(wizard)
        assert response.status_code == 302
        assert response["Location"] == reverse("applications_received")

    def test_the_last_step_posted_twice_refuses_once_and_says_so(self, employer_client, company):
        """A double click on « Décliner »: the second post finds the selection done, never an error page."""
        job_application = from_job_seeker(company)
        response = start(employer_client, job_application)
        response = employer_client.post(path(response), {"reason": "other"}, follow=True)
        last_step = path(response)
        employer_client.post(last_step, {"answer": "Non."})

        response = employer_client.post(last_step, {"answer": "Non."}, follow=True)

        assert response.status_code == 200
        assert response.resolver_match.url_name == "applications_received"
        assert "Cette sélection de candidatures a déjà été traitée" in text(response)
        assert job_application.logs.count() == 1
