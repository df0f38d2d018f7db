"""The dashboards of every role (applications.md §17): their cards, links and counters."""

import html
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from inclusion.applications.enums import JobApplicationState
from inclusion.applications.models import JobApplication
from inclusion.companies.enums import CompanyKind
from inclusion.users.enums import Title
from tests.access.personas import PERSONAS, build_world
from tests.applications.factories import JobApplicationFactory
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approval_screens import pending_request
from tests.companies.factories import CompanyMembershipFactory
from tests.eligibility.factories import GEIQEligibilityDiagnosisFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory

State = JobApplicationState
CARD_TITLE = re.compile(r'<h2 class="fr-card__title">(?:<a href="[^"]*">)?([^<]+)')

EXPECTED_CARDS = {
    "job_seeker": [
        "Mes candidatures",
        "Mon PASS IAE",
        "Mon éligibilité",
        "Mon profil",
        "Rechercher un employeur",
        "Mes notifications",
    ],
    "orienteur": ["Candidatures envoyées", "Collaborateurs", "Rechercher un employeur", "Mes notifications"],
    "authorized_prescriber": [
        "Candidatures envoyées",
        "Candidats suivis",
        "Demandes de prolongation",
        "Collaborateurs",
        "Fiche de l'organisation",
        "Rechercher un employeur",
        "Mes notifications",
    ],
    "employer": [
        "Candidatures reçues",
        "Déclarer une embauche",
        "Enregistrer une candidature",
        "Candidatures envoyées",
        "Fiches de poste",
        "Collaborateurs",
        "Ma structure",
        "Créer une antenne",
        "PASS IAE",
        "Rechercher un employeur",
        "Mes notifications",
    ],
    "institution_member": ["Statistiques", "Contrôle a posteriori", "Collaborateurs", "Rechercher un employeur"],
    "staff": ["Administration", "Rechercher un employeur"],
}
EXPECTED_CARDS["other_employer"] = EXPECTED_CARDS["employer"]


def complete_profile(job_seeker):
    """applications.md §17: title, names, address line, post code and city."""
    job_seeker.title = Title.MME
    job_seeker.address_line_1 = "12 rue des Lilas"
    job_seeker.post_code = "69001"
    job_seeker.city = "Lyon"
    job_seeker.save()
    return job_seeker


@pytest.fixture
def world(db):
    world = build_world()
    # The access harness's world holds two applications sent by the orienteur; these counters start from none.
    JobApplication.objects.all().delete()
    complete_profile(world.job_seeker)
    return world


def dashboard(client, user):
    login(client, user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def card_titles(content):
    return [html.unescape(title) for title in CARD_TITLE.findall(content)]


@pytest.mark.parametrize("persona", [persona for persona in PERSONAS if persona != "anonymous"])
def test_each_role_sees_its_own_cards(client, world, persona):
    content = dashboard(client, world.user(persona))
    assert "<h1>Tableau de bord</h1>" in content
    assert card_titles(content) == EXPECTED_CARDS[persona]
    # Every card issue 5 makes real leads somewhere; only the institution's ones are still to come.
    assert ("Bientôt disponible" in content) is (persona == "institution_member")


@pytest.mark.parametrize(
    "persona, role",
    [
        ("employer", "qu'<strong>employeur</strong>"),
        ("authorized_prescriber", "que <strong>prescripteur habilité</strong>"),
    ],
)
def test_the_role_is_named_with_elision(client, world, persona, role):
    content = html.unescape(dashboard(client, world.user(persona)))
    assert f"en tant {role}" in content


def test_switcher_is_offered_only_with_several_organizations(client, world):
    employer = world.user("employer")
    assert "Changer d'organisation" not in dashboard(client, employer)
    CompanyMembershipFactory(user=employer)
    assert "Changer d'organisation" in dashboard(client, employer)


def test_home_page_explains_the_service_in_french(client, db):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="fr"' in content
    assert "PASS IAE" in content
    assert 'href="#contenu"' in content  # skip link
    assert reverse("job_seeker_signup") in content


def test_the_notification_settings_are_linked(client, world):
    for persona in ["job_seeker", "orienteur", "authorized_prescriber", "employer"]:
        client.logout()
        assert f'<a href="{reverse("notification_settings")}">Mes notifications</a>' in dashboard(
            client, world.user(persona)
        ), persona


# --- Job seeker


class TestJobSeeker:
    @pytest.mark.parametrize("missing", ["title", "first_name", "last_name", "address_line_1", "post_code", "city"])
    def test_an_incomplete_profile_is_completed_first(self, client, world, missing):
        job_seeker = world.job_seeker
        setattr(job_seeker, missing, "")
        job_seeker.save()
        client.force_login(job_seeker)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302
        assert response["Location"] == reverse("job_seeker_profile")

    def test_a_missing_address_line_2_does_not_matter(self, client, world):
        assert world.job_seeker.address_line_2 == ""
        dashboard(client, world.job_seeker)

    def test_professionals_are_never_sent_to_a_profile(self, client, world):
        employer = world.user("employer")
        employer.address_line_1 = ""
        employer.save()
        dashboard(client, employer)

    def test_cards_lead_to_their_pages(self, client, world):
        content = dashboard(client, world.job_seeker)
        for url_name in [
            "applications_job_seeker",
            "search_job_descriptions",
            "job_seeker_approval",
            "eligibility_job_seeker",
            "job_seeker_profile",
        ]:
            assert f'href="{reverse(url_name)}"' in content, url_name

    def test_the_applications_card_counts_the_pending_ones(self, client, world):
        job_seeker = world.job_seeker
        assert "Aucune candidature en attente de réponse." in dashboard(client, job_seeker)
        for state in [State.NEW, State.PROCESSING, State.POSTPONED, State.REFUSED, State.POOL, State.ACCEPTED]:
            JobApplicationFactory(job_seeker=job_seeker, state=state)
        JobApplicationFactory(state=State.NEW)  # someone else's
        assert "3 candidatures en attente de réponse." in dashboard(client, job_seeker)

    def test_the_geiq_card_needs_a_diagnosis_opening_an_allowance(self, client, world):
        job_seeker = world.job_seeker
        GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker)  # by a GEIQ, no criteria: no allowance
        assert "Mon éligibilité GEIQ" not in dashboard(client, job_seeker)
        GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, from_prescriber=True)
        content = dashboard(client, job_seeker)
        assert f'<a href="{reverse("eligibility_job_seeker")}#geiq-diagnosis">Mon éligibilité GEIQ</a>' in content

    def test_query_count(self, client, world, django_assert_num_queries):
        job_seeker = world.job_seeker
        for _ in range(5):
            JobApplicationFactory(job_seeker=job_seeker)
            GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, from_prescriber=True)
        client.force_login(job_seeker)
        client.get(reverse("dashboard"))
        # session + user, pending applications, GEIQ diagnoses + their criteria.
        with django_assert_num_queries(5):
            client.get(reverse("dashboard"))


# --- Prescribers


class TestPrescribers:
    @pytest.mark.parametrize("persona", ["orienteur", "authorized_prescriber"])
    def test_the_applications_card(self, client, world, persona):
        content = dashboard(client, world.user(persona))
        assert f'<a href="{reverse("applications_sent")}">Candidatures envoyées</a>' in content
        assert f'href="{reverse("search_companies")}">Postuler pour un candidat</a>' in content
        assert f'href="{reverse("applications_export")}">Exporter les candidatures</a>' in content

    def test_the_authorized_prescriber_cards_lead_to_their_pages(self, client, world):
        content = dashboard(client, world.user("authorized_prescriber"))
        assert f'<a href="{reverse("followed_job_seekers")}">Candidats suivis</a>' in content
        assert reverse("prolongation_requests") in content
        assert "Aucune demande à traiter." in content
        organization = world.prescriber_organization
        assert f'href="{reverse("prescriber_card", args=[organization.uid])}"' in content

    def test_the_prolongation_card_counts_the_requests_to_process(self, client, world):
        approval = ApprovalFactory(user=world.job_seeker, with_hiring=world.company)
        pending_request(approval, siae=world.company, organization=world.prescriber_organization)
        assert "1 demande à traiter." in dashboard(client, world.user("authorized_prescriber"))

    def test_the_followed_card_counts_the_stalled_job_seekers(self, client, world):
        prescriber = world.user("authorized_prescriber")
        organization = world.prescriber_organization
        assert "sans solution" not in dashboard(client, prescriber)
        for stalled in [True, True, False]:
            person = JobSeekerFactory()
            person.jobseeker_profile.is_stalled = stalled
            person.jobseeker_profile.save()
            JobApplicationFactory(
                job_seeker=person,
                sender=prescriber,
                sender_kind="prescriber",
                sender_prescriber_organization=organization,
            )
        stranger = JobSeekerFactory()  # stalled, followed by nobody here
        stranger.jobseeker_profile.is_stalled = True
        stranger.jobseeker_profile.save()
        assert "2 candidats sans solution depuis plus de 30 jours." in dashboard(client, prescriber)

    def test_query_count(self, client, world, django_assert_num_queries):
        prescriber = world.user("authorized_prescriber")
        for _ in range(10):
            JobApplicationFactory(
                sender=prescriber,
                sender_kind="prescriber",
                sender_prescriber_organization=world.prescriber_organization,
            )
        client.force_login(prescriber)
        client.get(reverse("dashboard"))
        # session + user, memberships ×3 (current organization), admin check, stalled job seekers, pending
        # prolongation requests.
        with django_assert_num_queries(8):
            client.get(reverse("dashboard"))


# --- Employers


def inbox(*states):
    return escape(reverse("applications_received") + "?" + "&".join(f"states={state}" for state in states))


class TestEmployer:
    def test_the_counters_count_the_non_archived_applications_the_company_sees(self, client, world):
        company = world.company
        for state, count in [
            (State.NEW, 2),
            (State.PROCESSING, 1),
            (State.POSTPONED, 3),
            (State.POOL, 1),
            (State.PRIOR_TO_HIRE, 1),
            (State.ACCEPTED, 1),
        ]:
            for _ in range(count):
                JobApplicationFactory(to_company=company, state=state)
        JobApplicationFactory(to_company=company, state=State.NEW, archived_at="2026-01-01T00:00Z")
        JobApplicationFactory(to_company=world.other_company, state=State.NEW)

        content = dashboard(client, world.user("employer"))

        assert f'<a class="fr-tag" href="{inbox("new", "processing")}">À traiter : 3</a>' in content
        assert f'<a class="fr-tag" href="{inbox("postponed")}">En attente : 3</a>' in content
        assert f'<a class="fr-tag" href="{inbox("pool")}">Vivier : 1</a>' in content
        assert f'<a href="{reverse("applications_received")}">Candidatures reçues</a>' in content
        assert f'href="{reverse("applications_export")}">Exporter les candidatures</a>' in content

    def test_a_geiq_counts_its_prior_to_hire_applications_as_to_process(self, client, world):
        world.company.kind = CompanyKind.GEIQ
        world.company.save()
        JobApplicationFactory(to_company=world.company, state=State.PRIOR_TO_HIRE)
        content = dashboard(client, world.user("employer"))
        assert f'<a class="fr-tag" href="{inbox("new", "processing", "prior_to_hire")}">À traiter : 1</a>' in content

    @pytest.mark.parametrize(
        "kind,hires",
        [("ACI", True), ("EI", True), ("GEIQ", True), ("EA", False), ("EATT", False), ("OPCS", False)],
    )
    def test_siae_and_geiq_declare_hirings_and_record_applications(self, client, world, kind, hires):
        world.company.kind = kind
        world.company.save()
        content = dashboard(client, world.user("employer"))
        assert (f'<a href="{reverse("direct_hire_start")}">Déclarer une embauche</a>' in content) is hires
        apply_url = reverse("apply_start", args=[world.company.uid])
        assert (f'<a href="{apply_url}">Enregistrer une candidature</a>' in content) is hires

    def test_a_sanctioned_siae_may_not_record_applications(self, client, world, monkeypatch):
        monkeypatch.setattr("inclusion.www.dashboard.siae_self_prescription_withdrawn", lambda company, on: True)
        content = dashboard(client, world.user("employer"))
        assert reverse("apply_start", args=[world.company.uid]) not in content
        assert "Enregistrer une candidature" in content
        assert "ne peut plus enregistrer de candidature en auto-prescription" in content
        assert f'<a href="{reverse("direct_hire_start")}">' in content

    def test_the_prescription_card_lists_what_the_company_sent_elsewhere(self, client, world):
        content = dashboard(client, world.user("employer"))
        assert f'<a href="{reverse("applications_sent")}">Candidatures envoyées</a>' in content
        assert escape("envoie à d'autres employeurs") in content

    @pytest.mark.parametrize("kind,shown", [("ACI", True), ("GEIQ", False), ("EA", False)])
    def test_only_siae_employers_get_the_pass_iae_card(self, client, world, kind, shown):
        world.company.kind = kind
        world.company.save()
        assert (reverse("approval_list") in dashboard(client, world.user("employer"))) is shown
