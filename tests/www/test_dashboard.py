import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.access.personas import PERSONAS, build_world
from tests.approvals.factories import ApprovalFactory
from tests.approvals.factories_approval_screens import pending_request
from tests.companies.factories import CompanyMembershipFactory

CARD_BY_PERSONA = {
    "job_seeker": "Mon PASS IAE",
    "orienteur": "Orienter un candidat",
    "authorized_prescriber": "Diagnostics d'éligibilité",
    "employer": "Candidatures reçues",
    "other_employer": "Candidatures reçues",
    "institution_member": "Contrôle a posteriori",
    "staff": "Administration",
}


@pytest.mark.parametrize("persona", [persona for persona in PERSONAS if persona != "anonymous"])
def test_each_role_sees_its_own_dashboard(client, db, persona):
    world = build_world()
    client.force_login(world.user(persona))
    content = client.get(reverse("dashboard")).content.decode()
    assert "<h1>Tableau de bord</h1>" in content
    assert escape(CARD_BY_PERSONA[persona]) in content
    for other_persona, card in CARD_BY_PERSONA.items():
        if card != CARD_BY_PERSONA[persona]:
            assert escape(card) not in content, other_persona


def test_switcher_is_offered_only_with_several_organizations(client, db):
    world = build_world()
    employer = world.user("employer")
    client.force_login(employer)
    assert "Changer d'organisation" not in client.get(reverse("dashboard")).content.decode()
    CompanyMembershipFactory(user=employer)
    assert "Changer d'organisation" in client.get(reverse("dashboard")).content.decode()


def test_home_page_explains_the_service_in_french(client, db):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="fr"' in content
    assert "PASS IAE" in content
    assert 'href="#contenu"' in content  # skip link
    assert reverse("job_seeker_signup") in content


def test_the_rules_core_cards_lead_to_their_pages(client, db):
    world = build_world()
    client.force_login(world.user("job_seeker"))
    content = client.get(reverse("dashboard")).content.decode()
    assert reverse("job_seeker_approval") in content
    assert reverse("eligibility_job_seeker") in content
    client.force_login(world.user("authorized_prescriber"))
    content = client.get(reverse("dashboard")).content.decode()
    assert reverse("followed_job_seekers") in content
    assert reverse("prolongation_requests") in content
    assert "Aucune demande à traiter." in content


def test_the_prescriber_card_counts_the_requests_to_process(client, db):
    world = build_world()
    approval = ApprovalFactory(user=world.job_seeker, with_hiring=world.company)
    pending_request(approval, siae=world.company, organization=world.prescriber_organization)
    client.force_login(world.user("authorized_prescriber"))
    assert "1 demande à traiter." in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("kind,shown", [("ACI", True), ("GEIQ", False), ("EA", False)])
def test_only_siae_employers_get_the_pass_iae_card(client, db, kind, shown):
    world = build_world()
    world.company.kind = kind
    world.company.save()
    client.force_login(world.user("employer"))
    assert (reverse("approval_list") in client.get(reverse("dashboard")).content.decode()) is shown
