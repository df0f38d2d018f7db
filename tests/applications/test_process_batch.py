"""Batch actions on the employer's received applications (applications.md §3, §11, §14)."""

import datetime
import html
import uuid

import pytest
from django.urls import reverse

from inclusion.applications.answer_messages import pool_default_answer
from inclusion.applications.enums import PROCESSED_STATES, JobApplicationState
from inclusion.applications.models import JobApplicationTransitionLog
from inclusion.companies.enums import CompanyKind
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)
State = JobApplicationState
INBOX = "/entreprise/candidatures/"


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


def application(company, state=State.NEW, *, last_name="Martin", **fields):
    processed_at = NOW - datetime.timedelta(days=1) if state in PROCESSED_STATES else None
    return JobApplicationFactory(
        to_company=company,
        state=state,
        processed_at=processed_at,
        job_seeker=JobSeekerFactory(first_name="Camille", last_name=last_name),
        **fields,
    )


def batch(client, action, *ids, follow=True, **extra):
    data = {"application_ids": [str(value) for value in ids], "action": action, **extra}
    return client.post(reverse("applications_batch"), data, follow=follow)


def text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def state_of(job_application):
    job_application.refresh_from_db()
    return job_application.state


class TestProcess:
    def test_summary_of_done_and_ignored(self, employer_client, company):
        done = [application(company, last_name=name) for name in ("Abel", "Bernard")]
        done.append(application(company, State.POOL, last_name="Colin"))
        accepted = application(company, State.ACCEPTED, last_name="Durand")
        response = batch(employer_client, "process", *[ja.pk for ja in done], accepted.pk, follow=False)
        assert response.status_code == 302
        assert response["Location"] == INBOX
        response = employer_client.get(reverse("application_detail_company", args=[accepted.pk]))
        assert messages_of(response) == [
            "3 candidatures mises à l'étude, 1 ignorée : Camille DURAND — Impossible de mettre à l'étude une "
            "candidature à l'état « Acceptée »."
        ]
        assert [state_of(ja) for ja in done] == [State.PROCESSING] * 3
        assert state_of(accepted) == State.ACCEPTED
        assert JobApplicationTransitionLog.objects.count() == 3

    def test_applications_of_another_company_and_unknown_ids_are_ignored_and_reported(self, employer_client, company):
        own = application(company)
        foreign = application(CompanyFactory())
        response = batch(
            employer_client, "process", own.pk, foreign.pk, uuid.uuid4(), "pas-un-identifiant", next=_detail(own)
        )
        message = messages_of(response)[0]
        assert message.startswith("1 candidature mise à l'étude, 3 ignorées : ")
        assert message.count("Candidature introuvable parmi celles reçues par votre structure.") == 3
        assert state_of(own) == State.PROCESSING
        assert state_of(foreign) == State.NEW

    def test_an_application_out_of_the_visibility_window_is_ignored(self, employer_client, company):
        old = application(company)
        old.created_at = NOW - datetime.timedelta(days=730)
        old.save()
        batch(employer_client, "process", old.pk)
        assert state_of(old) == State.NEW

    def test_nothing_selected(self, employer_client):
        response = batch(employer_client, "process")
        assert messages_of(response) == ["Sélectionnez au moins une candidature."]

    def test_an_unknown_action(self, employer_client, company):
        job_application = application(company)
        response = batch(employer_client, "supprimer", job_application.pk)
        assert messages_of(response) == ["Choisissez une action à appliquer aux candidatures sélectionnées."]
        assert state_of(job_application) == State.NEW

    def test_next_must_stay_on_the_site(self, employer_client, company):
        job_application = application(company)
        response = batch(employer_client, "process", job_application.pk, next="https://example.com/", follow=False)
        assert response["Location"] == INBOX
        response = batch(employer_client, "process", job_application.pk, next=_detail(job_application), follow=False)
        assert response["Location"] == _detail(job_application)

    def test_get_is_not_allowed(self, employer_client):
        assert employer_client.get(reverse("applications_batch")).status_code == 405

    def test_prescribers_are_forbidden(self, client, company):
        job_application = application(company, sent_by_authorized_prescriber=True)
        client.force_login(job_application.sender)
        job_application.sender_prescriber_organization.memberships.create(user=job_application.sender)
        assert batch(client, "process", job_application.pk, follow=False).status_code == 403
        assert state_of(job_application) == State.NEW


def _detail(job_application):
    return reverse("application_detail_company", args=[job_application.pk])


class TestArchiving:
    """applications.md §11: manual archive of refused, cancelled or obsolete applications; unarchive any archived."""

    @pytest.mark.parametrize("state", [State.REFUSED, State.CANCELLED, State.OBSOLETE])
    def test_archive(self, employer_client, company, employer, state):
        job_application = application(company, state)
        response = batch(employer_client, "archive", job_application.pk)
        assert messages_of(response) == ["1 candidature archivée."]
        job_application.refresh_from_db()
        assert (job_application.archived_at, job_application.archived_by) == (NOW, employer)
        assert not job_application.logs.exists()  # archiving is not a transition

    @pytest.mark.parametrize("state", [State.NEW, State.PROCESSING, State.POOL, State.ACCEPTED, State.PRIOR_TO_HIRE])
    def test_other_states_are_not_archived(self, employer_client, company, state):
        job_application = application(company, state)
        response = batch(employer_client, "archive", job_application.pk)
        assert (
            "Aucune candidature archivée, 1 ignorée : Camille MARTIN — Impossible d'archiver"
            in messages_of(response)[0]
        )
        job_application.refresh_from_db()
        assert job_application.archived_at is None

    def test_unarchive(self, employer_client, company, employer):
        archived = application(company, State.REFUSED, archived_at=NOW, archived_by=employer)
        not_archived = application(company, State.REFUSED, last_name="Bernard")
        response = batch(employer_client, "unarchive", archived.pk, not_archived.pk)
        assert messages_of(response) == [
            "1 candidature désarchivée, 1 ignorée : Camille BERNARD — Cette candidature n'est pas archivée."
        ]
        archived.refresh_from_db()
        assert archived.archived_at is None


class TestAccept:
    def test_exactly_one_goes_to_the_accept_wizard(self, employer_client, company):
        job_application = application(company)
        response = batch(employer_client, "accept", job_application.pk, follow=False)
        assert response["Location"] == f"/entreprise/candidatures/{job_application.pk}/accepter/"

    def test_two_are_refused(self, employer_client, company):
        first, second = application(company), application(company, last_name="Bernard")
        response = batch(employer_client, "accept", first.pk, second.pk)
        assert messages_of(response) == ["Sélectionnez une seule candidature pour l'accepter."]

    def test_an_accepted_one_cannot_be_accepted_again(self, employer_client, company):
        job_application = application(company, State.ACCEPTED)
        response = batch(employer_client, "accept", job_application.pk)
        assert messages_of(response) == ["Impossible d'accepter une candidature à l'état « Acceptée »."]

    def test_another_companys_application(self, employer_client):
        response = batch(employer_client, "accept", application(CompanyFactory()).pk)
        assert messages_of(response) == ["Candidature introuvable parmi celles reçues par votre structure."]


class TestExternalTransfer:
    def test_a_single_refused_application(self, employer_client, company):
        job_application = application(company, State.REFUSED)
        response = batch(employer_client, "external_transfer", job_application.pk, follow=False)
        assert response["Location"] == reverse("application_external_transfer", args=[job_application.pk])

    def test_not_refused(self, employer_client, company):
        response = batch(employer_client, "external_transfer", application(company, State.NEW).pk)
        assert messages_of(response) == [
            "Impossible de transférer vers une autre structure une candidature à l'état « Nouvelle candidature »."
        ]

    def test_not_a_single_one(self, employer_client, company):
        first, second = application(company, State.REFUSED), application(company, State.REFUSED, last_name="B")
        response = batch(employer_client, "external_transfer", first.pk, second.pk)
        assert messages_of(response) == [
            "Sélectionnez une seule candidature pour la transférer vers une autre structure."
        ]


class TestPostpone:
    """applications.md §3: the answer is mandatory; it is asked on an intermediate page."""

    def test_answer_page_then_postponed(self, employer_client, company, employer):
        first, second = application(company), application(company, State.PROCESSING, last_name="Bernard")
        refused = application(company, State.REFUSED, last_name="Colin")
        response = batch(employer_client, "postpone", first.pk, second.pk, refused.pk)
        assert response.resolver_match.url_name == "applications_postpone"
        page = text(response)
        assert "Camille MARTIN" in page and "Camille BERNARD" in page
        assert "Camille COLIN — Impossible de mettre en attente une candidature à l'état « Déclinée »." in page
        response = employer_client.post(response.request["PATH_INFO"], {"answer": "   "}, follow=True)
        assert "Écrivez un message au candidat : il est obligatoire pour une mise en attente." in text(response)
        assert state_of(first) == State.NEW
        response = employer_client.post(response.request["PATH_INFO"], {"answer": "Nous revenons vers vous."})
        assert response["Location"] == INBOX
        for job_application in (first, second):
            job_application.refresh_from_db()
            assert (job_application.state, job_application.answer) == (State.POSTPONED, "Nous revenons vers vous.")
        assert state_of(refused) == State.REFUSED

    def test_the_summary_keeps_the_skipped_ones(self, employer_client, company):
        first = application(company)
        refused = application(company, State.REFUSED, last_name="Colin")
        response = batch(employer_client, "postpone", first.pk, refused.pk, next=_detail(first))
        response = employer_client.post(response.request["PATH_INFO"], {"answer": "Plus tard."}, follow=True)
        assert messages_of(response) == [
            "1 candidature mise en attente, 1 ignorée : Camille COLIN — Impossible de mettre en attente une "
            "candidature à l'état « Déclinée »."
        ]

    def test_an_application_transferred_meanwhile_is_reported(self, employer_client, company):
        first, second = application(company), application(company, last_name="Bernard")
        response = batch(employer_client, "postpone", first.pk, second.pk)
        second.to_company = CompanyFactory()
        second.save()

        response = employer_client.post(response.request["PATH_INFO"], {"answer": "Plus tard."}, follow=True)

        assert messages_of(response) == [
            "1 candidature mise en attente, 1 ignorée : Candidature introuvable parmi celles reçues par votre "
            "structure."
        ]
        assert (state_of(first), state_of(second)) == (State.POSTPONED, State.NEW)

    def test_the_answer_posted_twice_postpones_once(self, employer_client, company):
        job_application = application(company)
        response = batch(employer_client, "postpone", job_application.pk)
        answer_page = response.request["PATH_INFO"]
        employer_client.post(answer_page, {"answer": "Plus tard."})

        response = employer_client.post(answer_page, {"answer": "Plus tard."})

        assert response["Location"] == INBOX
        assert job_application.logs.count() == 1


class TestAddToPool:
    def test_the_default_text_is_proposed_and_may_be_emptied(self, employer_client, company):
        job_application = application(company)
        response = batch(employer_client, "add_to_pool", job_application.pk)
        assert response.context["form"].initial["answer"] == pool_default_answer(company_name="Jardins de Cocagne")
        employer_client.post(response.request["PATH_INFO"], {"answer": ""})
        job_application.refresh_from_db()
        assert (job_application.state, job_application.answer) == (State.POOL, "")


class TestInternalTransfer:
    def test_impossible_without_another_company(self, employer_client, company):
        job_application = application(company)
        response = batch(employer_client, "transfer", job_application.pk)
        assert messages_of(response) == [
            "Vous n'êtes membre d'aucune autre structure active : le transfert interne est impossible."
        ]

    def test_several_applications(self, employer_client, company, employer):
        target = CompanyFactory(name="GEIQ BTP", kind=CompanyKind.GEIQ)
        CompanyMembershipFactory(organization=target, user=employer, joined_at=NOW + datetime.timedelta(days=1))
        first = application(company, sent_by_authorized_prescriber=True)
        second = application(company, State.REFUSED, last_name="Bernard")
        response = batch(employer_client, "transfer", first.pk, second.pk)
        assert response.resolver_match.url_name == "applications_transfer"
        response = employer_client.post(response.request["PATH_INFO"], {"target": target.uid}, follow=True)
        assert messages_of(response) == ["2 candidatures transférées."]
        assert response.request["PATH_INFO"] == INBOX
        for job_application in (first, second):
            job_application.refresh_from_db()
            assert (job_application.to_company, job_application.state) == (target, State.NEW)

    def test_a_company_of_which_the_user_is_not_a_member_is_refused(self, employer_client, company, employer):
        CompanyMembershipFactory(organization=CompanyFactory(), user=employer, joined_at=NOW + datetime.timedelta(1))
        stranger = CompanyFactory()
        job_application = application(company)
        response = batch(employer_client, "transfer", job_application.pk)
        response = employer_client.post(response.request["PATH_INFO"], {"target": stranger.uid}, follow=True)
        assert "Choisissez une des structures proposées." in text(response)
        assert state_of(job_application) == State.NEW


def test_a_prescriber_organization_cannot_post_a_batch(client, db):
    organization = PrescriberOrganizationFactory(authorized=True, with_member=True)
    client.force_login(organization.memberships.get().user)
    assert batch(client, "process", uuid.uuid4(), follow=False).status_code == 403
