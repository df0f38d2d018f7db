"""The company's detail page of a received application (applications.md §1, §2, §11, §15, §16)."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from inclusion.applications import transitions
from inclusion.applications.enums import PROCESSED_STATES, JobApplicationState, SenderKind
from inclusion.applications.models import JobApplicationComment
from inclusion.companies.enums import CompanyKind
from inclusion.organizations.current import SESSION_KEY as CURRENT_ORGANIZATION_SESSION_KEY
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)
State = JobApplicationState


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def job_seeker(db):
    return JobSeekerFactory(first_name="Camille", last_name="Martin", email="camille@example.com", phone="0601020304")


def application_in(state, **fields):
    processed_at = NOW - datetime.timedelta(days=1) if state in PROCESSED_STATES else None
    return JobApplicationFactory(state=state, processed_at=processed_at, **fields)


def url(job_application):
    return reverse("application_detail_company", args=[job_application.pk])


def text(response):
    """The page as read: entities decoded, runs of white space collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


# Access (applications.md §5, §11, §15) -------------------------------------------------------------------------------


def test_the_employer_of_the_target_company_sees_the_page(employer_client, company, job_seeker):
    job_application = JobApplicationFactory(job_seeker=job_seeker, to_company=company)
    response = employer_client.get(url(job_application))
    assert response.status_code == 200
    assert "Candidature de Camille MARTIN" in text(response)


def test_another_company_does_not_learn_the_application_exists(client, job_seeker):
    job_application = JobApplicationFactory(job_seeker=job_seeker)
    client.force_login(CompanyFactory(with_member=True).memberships.get().user)
    assert client.get(url(job_application)).status_code == 404


@pytest.mark.parametrize("role", ["job_seeker", "prescriber"])
def test_other_roles_are_forbidden(client, company, job_seeker, role):
    job_application = JobApplicationFactory(
        job_seeker=job_seeker, to_company=company, sent_by_authorized_prescriber=True
    )
    if role == "job_seeker":
        client.force_login(job_seeker)
    else:
        client.force_login(job_application.sender)
        job_application.sender_prescriber_organization.memberships.create(user=job_application.sender)
    assert client.get(url(job_application)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, company):
    job_application = JobApplicationFactory(to_company=company)
    response = client.get(url(job_application))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_member_acting_for_another_of_his_companies_gets_a_404(client, company, employer):
    """applications.md §5: acting with the target company as current organization."""
    other = CompanyFactory()
    CompanyMembershipFactory(organization=other, user=employer)
    client.force_login(employer)
    session = client.session
    session["current_organization"] = other.switch_key
    session.save()
    assert client.get(url(JobApplicationFactory(to_company=company))).status_code == 404


class TestVisibilityWindow:
    """applications.md §11: created less than 2 years ago, or accepted."""

    def test_on_the_last_day_of_the_window(self, employer_client, company):
        job_application = application_in(State.REFUSED, to_company=company)
        job_application.created_at = NOW - datetime.timedelta(days=730) + datetime.timedelta(seconds=1)
        job_application.save()
        assert employer_client.get(url(job_application)).status_code == 200

    def test_after_the_window(self, employer_client, company):
        job_application = application_in(State.REFUSED, to_company=company)
        job_application.created_at = NOW - datetime.timedelta(days=730)
        job_application.save()
        assert employer_client.get(url(job_application)).status_code == 404

    def test_an_accepted_application_stays_visible(self, employer_client, company):
        job_application = application_in(State.ACCEPTED, to_company=company, hiring_start_at=datetime.date(2023, 1, 2))
        job_application.created_at = NOW - datetime.timedelta(days=1000)
        job_application.save()
        assert employer_client.get(url(job_application)).status_code == 200


# What the page shows -------------------------------------------------------------------------------------------------


def test_the_employer_sees_the_job_seekers_personal_data(employer_client, company, job_seeker):
    """applications.md §16: employers see the full data of any job seeker."""
    job_application = JobApplicationFactory(job_seeker=job_seeker, to_company=company)
    page = text(employer_client.get(url(job_application)))
    assert "camille@example.com" in page
    assert "0601020304" in page
    assert job_seeker.jobseeker_profile.nir in page
    assert "15/03/1990" in page


@pytest.mark.parametrize(
    "sender,expected",
    [
        ({}, "Demandeur d'emploi"),
        ({"sent_by_authorized_prescriber": True}, "Prescripteur habilité"),
        ({"sent_by_prescriber": True}, "Orienteur"),
        ({"sent_by_employer": True}, "Employeur (SIAE)"),
    ],
)
def test_sender_kind_display(employer_client, company, sender, expected):
    job_application = JobApplicationFactory(to_company=company, **sender)
    assert f"{expected}" in text(employer_client.get(url(job_application)))


def test_a_prescriber_without_organization_is_an_orienteur(employer_client, company):
    job_application = JobApplicationFactory(
        to_company=company, sender=ProfessionalFactory(), sender_kind=SenderKind.PRESCRIBER
    )
    assert "Orienteur —" in text(employer_client.get(url(job_application)))


def test_an_employer_sender_to_a_non_siae_is_an_employeur(client, db):
    company = CompanyFactory(kind=CompanyKind.EA, with_member=True)
    client.force_login(company.memberships.get().user)
    job_application = JobApplicationFactory(to_company=company, sent_by_employer=True)
    page = text(client.get(url(job_application)))
    assert "Employeur —" in page
    assert "Employeur (SIAE)" not in page


def test_selected_jobs_or_spontaneous(employer_client, company):
    job = JobDescriptionFactory(company=company, custom_name="Maraîcher")
    with_job = JobApplicationFactory(to_company=company)
    with_job.selected_jobs.add(job)
    assert "Maraîcher" in text(employer_client.get(url(with_job)))
    spontaneous = JobApplicationFactory(to_company=company)
    assert "Candidature spontanée" in text(employer_client.get(url(spontaneous)))


def test_message_and_resume_link(employer_client, company):
    job_application = JobApplicationFactory(to_company=company, message="J'aime le maraîchage.", with_resume=True)
    page = text(employer_client.get(url(job_application)))
    assert "J'aime le maraîchage." in page
    assert reverse("application_resume", args=[job_application.pk]) in page
    without = JobApplicationFactory(to_company=company)
    page = text(employer_client.get(url(without)))
    assert "Aucun CV joint" in page
    assert reverse("application_resume", args=[without.pk]) not in page


def test_an_accepted_application_links_to_its_pass_iae(employer_client, company, job_seeker):
    approval = ApprovalFactory(user=job_seeker)
    job_application = application_in(
        State.ACCEPTED, job_seeker=job_seeker, to_company=company, approval=approval, hiring_start_at=NOW.date()
    )
    page = text(employer_client.get(url(job_application)))
    assert reverse("approval_detail", args=[approval.public_id]) in page
    assert approval.number_with_spaces in page


def test_a_valid_prescriber_diagnosis_is_shown(employer_client, company, job_seeker):
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker)
    job_application = JobApplicationFactory(job_seeker=job_seeker, to_company=company)
    page = text(employer_client.get(url(job_application)))
    assert "Éligibilité IAE validée le 10/03/2026" in page
    assert diagnosis.author_prescriber_organization.display_name in page


def test_without_diagnosis_the_employer_is_told_he_will_make_it(employer_client, company, job_seeker):
    job_application = JobApplicationFactory(job_seeker=job_seeker, to_company=company)
    page = text(employer_client.get(url(job_application)))
    assert "vous devrez le réaliser au moment de l'embauche" in page
    assert reverse("eligibility_iae_employer", args=[job_application.pk]) in page


def test_no_iae_block_for_an_ea(client, db):
    company = CompanyFactory(kind=CompanyKind.EA, with_member=True)
    client.force_login(company.memberships.get().user)
    page = text(client.get(url(JobApplicationFactory(to_company=company))))
    assert "Éligibilité IAE" not in page
    assert "Éligibilité GEIQ" not in page


def test_the_state_badge_and_the_refusal_answers(employer_client, company):
    job_application = application_in(
        State.REFUSED,
        to_company=company,
        refusal_reason="not_mobile",
        answer="Le chantier est trop loin.",
        answer_to_prescriber="Pas de permis.",
    )
    page = text(employer_client.get(url(job_application)))
    assert "Déclinée" in page
    assert "Candidat non mobile" in page
    assert "Le chantier est trop loin." in page
    assert "Pas de permis." in page


def test_the_history_lists_every_transition(employer_client, company, employer):
    employer.first_name, employer.last_name = "Claire", "Martin"
    employer.save()
    job_application = JobApplicationFactory(to_company=company)
    transitions.process(job_application, user=employer)
    transitions.postpone(job_application, user=employer, answer="On en reparle.")
    page = text(employer_client.get(url(job_application)))
    assert page.count("Claire MARTIN") >= 2
    assert "Mise à l'étude" in page
    assert "Nouvelle candidature → À l'étude" in page
    assert "À l'étude → En attente" in page


# The buttons allowed in each state (applications.md §3, §10, §11) ---------------------------------------------------

BUTTONS = {
    State.NEW: {"Accepter", "Étudier", "Mettre en attente", "Ajouter au vivier", "Décliner"},
    State.PROCESSING: {"Accepter", "Mettre en attente", "Ajouter au vivier", "Décliner"},
    State.POSTPONED: {"Accepter", "Ajouter au vivier", "Décliner"},
    State.POOL: {"Accepter", "Étudier", "Mettre en attente", "Décliner"},
    State.PRIOR_TO_HIRE: {"Accepter", "Mettre en attente", "Décliner"},
    State.ACCEPTED: {"Annuler l'embauche"},
    State.REFUSED: {"Accepter", "Transférer vers une autre structure", "Archiver"},
    State.CANCELLED: {"Accepter", "Ajouter au vivier", "Archiver"},
    State.OBSOLETE: {"Accepter", "Ajouter au vivier", "Archiver"},
}
ALL_BUTTONS = set().union(*BUTTONS.values()) | {"Désarchiver", "Transférer vers une autre de mes structures"}


def shown_buttons(page):
    return {label for label in ALL_BUTTONS if f">{label}</button>" in page or f">{label}</a>" in page}


@pytest.mark.parametrize("state", list(State))
def test_buttons_follow_the_state(employer_client, company, state):
    job_application = application_in(state, to_company=company, hiring_start_at=NOW.date())
    assert shown_buttons(text(employer_client.get(url(job_application)))) == BUTTONS[state]


def test_accept_and_cancel_link_to_the_hiring_pages(employer_client, company):
    new = JobApplicationFactory(to_company=company)
    assert f"/entreprise/candidatures/{new.pk}/accepter/" in text(employer_client.get(url(new)))
    accepted = application_in(State.ACCEPTED, to_company=company, hiring_start_at=NOW.date())
    assert f"/entreprise/candidatures/{accepted.pk}/annuler-embauche/" in text(employer_client.get(url(accepted)))


# The hiring of an accepted application (applications.md §8.2, §8.3) --------------------------------------------------

CONTRACT_EDIT_LABEL = "Modifier les dates du contrat"


@pytest.mark.parametrize(
    "start_in_days,shown",
    [(-1, False), (0, False), (1, True)],  # pass_iae.md §5: only while the contract has not started
)
def test_an_accepted_hiring_links_to_the_contract_edit_until_it_starts(employer_client, company, start_in_days, shown):
    start = NOW.date() + datetime.timedelta(days=start_in_days)
    job_application = application_in(State.ACCEPTED, to_company=company, hiring_start_at=start)
    page = text(employer_client.get(url(job_application)))
    edit_url = reverse("application_contract_edit", args=[job_application.pk])
    assert (f'href="{edit_url}"' in page) is shown
    assert (CONTRACT_EDIT_LABEL in page) is shown


@pytest.mark.parametrize("state", [state for state in State if state != State.ACCEPTED])
def test_no_contract_edit_unless_accepted(employer_client, company, state):
    start = NOW.date() + datetime.timedelta(days=5)
    job_application = application_in(state, to_company=company, hiring_start_at=start)
    assert CONTRACT_EDIT_LABEL not in text(employer_client.get(url(job_application)))


def words(response):
    """The page as read, without its tags: « Type de contrat Autre type de contrat : CDD »."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


def _geiq_employer_client(client):
    geiq = CompanyFactory(kind=CompanyKind.GEIQ, with_member=True)
    client.force_login(geiq.memberships.get().user)
    return geiq


GEIQ_CONTRACT = {
    "geiq_contract_type": "OTHER",
    "geiq_contract_type_details": "CDD de droit commun",
    "geiq_hours_per_week": 30,
    "geiq_qualification_type": "CQP",
    "geiq_qualification_level": "LEVEL_4",
    "geiq_planned_training_hours": 150,
}


def test_an_accepted_geiq_hiring_shows_its_contract(client, db):
    geiq = _geiq_employer_client(client)
    job_application = application_in(State.ACCEPTED, to_company=geiq, hiring_start_at=NOW.date(), **GEIQ_CONTRACT)
    page = words(client.get(url(job_application)))
    assert "Type de contrat Autre type de contrat : CDD de droit commun" in page
    assert "Nombre d'heures par semaine 30" in page
    assert "Qualification visée Certificat de qualification professionnelle (CQP)" in page
    assert "Niveau de qualification visé Niveau 4 (BP, Bac général, technologique ou professionnel)" in page
    assert "Nombre d'heures de formation prévues 150" in page
    assert "Contrat associé à une VAE inversée Non" in page


def test_the_vae_inversee_of_a_professional_training_contract(client, db):
    geiq = _geiq_employer_client(client)
    contract = GEIQ_CONTRACT | {
        "geiq_contract_type": "PROFESSIONAL_TRAINING",
        "geiq_contract_type_details": "",
        "geiq_inverted_vae_contract": True,
    }
    job_application = application_in(State.ACCEPTED, to_company=geiq, hiring_start_at=NOW.date(), **contract)
    page = words(client.get(url(job_application)))
    assert "Type de contrat Contrat de professionnalisation" in page
    assert "Contrat associé à une VAE inversée Oui" in page


def test_no_geiq_contract_before_the_hiring_nor_outside_a_geiq(client, employer_client, company):
    siae_hiring = application_in(State.ACCEPTED, to_company=company, hiring_start_at=NOW.date())
    assert "Nombre d'heures par semaine" not in text(employer_client.get(url(siae_hiring)))
    geiq = _geiq_employer_client(client)
    pending = JobApplicationFactory(to_company=geiq, state=State.PROCESSING)
    assert "Nombre d'heures par semaine" not in text(client.get(url(pending)))


def test_an_archived_application_offers_unarchiving(employer_client, company, employer):
    job_application = application_in(State.REFUSED, to_company=company, archived_at=NOW, archived_by=employer)
    buttons = shown_buttons(text(employer_client.get(url(job_application))))
    assert "Désarchiver" in buttons
    assert "Archiver" not in buttons


def test_internal_transfer_needs_another_company(employer_client, company, employer):
    job_application = JobApplicationFactory(to_company=company)
    assert "Transférer vers une autre de mes structures" not in text(employer_client.get(url(job_application)))
    CompanyMembershipFactory(organization=CompanyFactory(), user=employer)
    # Still acting for the company that received it, whichever membership the middleware would prefer by default.
    session = employer_client.session
    session[CURRENT_ORGANIZATION_SESSION_KEY] = company.switch_key
    session.save()
    assert "Transférer vers une autre de mes structures" in text(employer_client.get(url(job_application)))


# Internal comments (applications.md §15) ----------------------------------------------------------------------------


class TestComments:
    def test_a_comment_of_2000_characters_is_saved(self, employer_client, company, employer):
        job_application = JobApplicationFactory(to_company=company)
        response = employer_client.post(url(job_application), {"text": "a" * 2000})
        assert response.status_code == 302
        comment = JobApplicationComment.objects.get()
        assert (comment.author, comment.company, len(comment.text)) == (employer, company, 2000)

    def test_a_comment_of_2001_characters_is_refused_and_kept(self, employer_client, company):
        job_application = JobApplicationFactory(to_company=company)
        response = employer_client.post(url(job_application), {"text": "b" * 2001})
        assert response.status_code == 200
        page = text(response)
        assert "Le commentaire ne peut pas dépasser 2000 caractères (il en compte 2001)." in page
        assert "b" * 2001 in page
        assert not JobApplicationComment.objects.exists()

    def test_a_comment_posted_twice_is_saved_once(self, employer_client, company, time_machine):
        job_application = JobApplicationFactory(to_company=company)
        employer_client.post(url(job_application), {"text": "Entretien mardi."})
        time_machine.move_to(NOW + datetime.timedelta(seconds=9), tick=False)
        employer_client.post(url(job_application), {"text": "Entretien mardi."})
        assert JobApplicationComment.objects.count() == 1
        # Past the 10-second window, the same words are a new comment.
        time_machine.move_to(NOW + datetime.timedelta(seconds=10), tick=False)
        employer_client.post(url(job_application), {"text": "Entretien mardi."})
        assert JobApplicationComment.objects.count() == 2

    def test_an_empty_comment_is_refused(self, employer_client, company):
        job_application = JobApplicationFactory(to_company=company)
        response = employer_client.post(url(job_application), {"text": "  "})
        assert "Écrivez le commentaire." in text(response)
        assert not JobApplicationComment.objects.exists()

    def test_comments_are_shown_to_the_members_only_of_the_company_that_wrote_them(
        self, employer_client, company, employer
    ):
        job_application = JobApplicationFactory(to_company=company)
        JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=employer, text="À rappeler lundi."
        )
        JobApplicationComment.objects.create(
            job_application=job_application, company=CompanyFactory(), author=employer, text="Note d'ailleurs."
        )
        page = text(employer_client.get(url(job_application)))
        assert "À rappeler lundi." in page
        assert "Note d'ailleurs." not in page

    def test_the_author_deletes_his_comment(self, employer_client, company, employer):
        job_application = JobApplicationFactory(to_company=company)
        comment = JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=employer, text="À rappeler lundi."
        )
        delete_url = reverse("application_comment_delete", args=[job_application.pk, comment.pk])
        assert delete_url in text(employer_client.get(url(job_application)))
        assert employer_client.get(delete_url).status_code == 200
        assert employer_client.post(delete_url).status_code == 302
        assert not JobApplicationComment.objects.exists()

    def test_the_deletion_posted_twice_says_it_is_done(self, employer_client, company, employer):
        job_application = JobApplicationFactory(to_company=company)
        comment = JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=employer, text="À rappeler lundi."
        )
        delete_url = reverse("application_comment_delete", args=[job_application.pk, comment.pk])
        employer_client.post(delete_url)

        response = employer_client.post(delete_url, follow=True)

        assert response.status_code == 200
        assert response.resolver_match.url_name == "application_detail_company"
        assert "Ce commentaire est déjà supprimé." in text(response)

    def test_another_member_cannot_delete_it(self, client, company, employer):
        colleague = ProfessionalFactory()
        CompanyMembershipFactory(organization=company, user=colleague, is_admin=False)
        job_application = JobApplicationFactory(to_company=company)
        comment = JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=employer, text="À rappeler lundi."
        )
        client.force_login(colleague)
        delete_url = reverse("application_comment_delete", args=[job_application.pk, comment.pk])
        assert delete_url not in text(client.get(url(job_application)))
        assert client.post(delete_url).status_code == 403
        assert JobApplicationComment.objects.exists()


# Query count --------------------------------------------------------------------------------------------------------


def _rich_application(company, employer, *, rows):
    """An application with `rows` jobs, log rows and comments, sent by an authorized prescriber."""
    job_application = JobApplicationFactory(
        to_company=company, sent_by_authorized_prescriber=True, with_resume=True, message="Bonjour"
    )
    for index in range(rows):
        job_application.selected_jobs.add(JobDescriptionFactory(company=company))
        JobApplicationComment.objects.create(
            job_application=job_application, company=company, author=employer, text=f"Note {index}"
        )
        transitions.add_to_pool(job_application, user=employer, answer="Vivier")
        transitions.process(job_application, user=employer)
    EligibilityDiagnosisFactory(job_seeker=job_application.job_seeker)
    return job_application


def test_the_page_runs_a_fixed_number_of_queries(employer_client, company, employer, django_assert_num_queries):
    small = _rich_application(company, employer, rows=1)
    large = _rich_application(company, employer, rows=8)
    employer_client.get(url(small))  # warm-up: the first request of a session saves it
    # 14 since the latest PASS of the waiting-period check is read in one query (approvals.rules.latest_approval).
    with django_assert_num_queries(14):
        assert employer_client.get(url(small)).status_code == 200
    with django_assert_num_queries(14):
        assert employer_client.get(url(large)).status_code == 200


def test_a_prescriber_organization_is_shown_with_its_sender(employer_client, company):
    organization = PrescriberOrganizationFactory(authorized=True, name="France Travail Lyon")
    job_application = JobApplicationFactory(
        to_company=company,
        sender=ProfessionalFactory(first_name="Paul", last_name="Durand"),
        sender_kind=SenderKind.PRESCRIBER,
        sender_prescriber_organization=organization,
    )
    page = text(employer_client.get(url(job_application)))
    assert "Prescripteur habilité — Paul DURAND, France Travail Lyon" in page
