"""Public cards: company, job description, prescriber organization (search_and_jobs.md §3.4, §4.2, §6)."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inclusion.companies.enums import CompanyKind
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from tests.access.personas import PERSONAS, build_world
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

NOT_TAKING = "Cet employeur ne reçoit pas de candidatures pour le moment."
NOT_REGISTERED = "Cet employeur n'est pas encore inscrit sur la plateforme"


def company_card(client, company):
    return client.get(reverse("company_card", kwargs={"company_uid": company.uid}))


def job_card(client, job_description):
    return client.get(reverse("job_description_card", kwargs={"job_description_uid": job_description.uid}))


# Company card.


def test_company_card_shows_the_public_information(client, db):
    company = CompanyFactory(
        kind=CompanyKind.GEIQ,
        name="Raison sociale",
        brand="Enseigne publique",
        address_line_1="12 rue d'Austerlitz",
        phone="0478000000",
        email="contact@example.com",
        description="Nous recrutons dans le bâtiment.",
        with_member=True,
        spontaneous_applications_open_since=timezone.now(),
    )
    JobDescriptionFactory(company=company, custom_name="Maçon")
    JobDescriptionFactory(company=company, custom_name="Poste fermé", is_active=False)
    response = company_card(client, company)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Enseigne publique</h1>" in content
    assert "Groupement d&#x27;employeurs pour l&#x27;insertion et la qualification" in content
    assert escape("12 rue d'Austerlitz, 69001 Lyon") in content
    assert "0478000000" in content and "contact@example.com" in content
    assert "Nous recrutons dans le bâtiment." in content
    assert "Maçon" in content and "Poste fermé" not in content
    assert "Cet employeur accepte les candidatures spontanées." in content
    assert NOT_TAKING not in content and NOT_REGISTERED not in content
    assert "<title>Enseigne publique" in content


def test_company_card_notices(client, db):
    without_member = CompanyFactory()
    JobDescriptionFactory(company=without_member)
    assert NOT_REGISTERED in company_card(client, without_member).content.decode()
    blocked = CompanyFactory(with_member=True, block_job_applications=True)
    JobDescriptionFactory(company=blocked)
    assert NOT_TAKING in company_card(client, blocked).content.decode()
    nothing_open = CompanyFactory(with_member=True)
    content = company_card(client, nothing_open).content.decode()
    assert NOT_TAKING in content
    assert "pas de fiche de poste ouverte" in content
    assert "n'accepte pas de candidatures spontanées" in content


def test_company_card_is_404_unless_active_and_searchable(client, db):
    assert company_card(client, CompanyFactory(is_searchable=False)).status_code == 404
    assert company_card(client, inactive_company_in_lyon()).status_code == 404
    assert client.get(reverse("company_card", kwargs={"company_uid": uuid.uuid4()})).status_code == 404
    # EA are full employers here (organizations.md §8.1, reference differs).
    assert company_card(client, CompanyFactory(kind=CompanyKind.EA)).status_code == 200


def inactive_company_in_lyon():
    return CompanyFactory(source="ASP", convention=None)


# Job description card.


def test_job_description_card_shows_the_job_and_the_other_ones(client, db):
    company = CompanyFactory(name="Les Jardins", with_member=True)
    shown = JobDescriptionFactory(
        company=company, custom_name="Jardinier", description="Entretien des parcs.", hours_per_week=26
    )
    JobDescriptionFactory(company=company, custom_name="Maraîcher")
    JobDescriptionFactory(company=company, custom_name="Fermé", is_active=False)
    response = job_card(client, shown)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Jardinier</h1>" in content
    assert "Entretien des parcs." in content and "26 heures" in content
    assert "CDD insertion" in content
    assert "Autres métiers proposés par Les Jardins" in content
    assert "Maraîcher" in content and "Fermé" not in content
    assert reverse("company_card", kwargs={"company_uid": company.uid}) in content


@pytest.mark.parametrize(
    "situation",
    ["inactive job description", "unsearchable company", "inactive company"],
)
def test_job_description_card_is_404(client, db, situation):
    match situation:
        case "inactive job description":
            job_description = JobDescriptionFactory(is_active=False)
        case "unsearchable company":
            job_description = JobDescriptionFactory(company=CompanyFactory(is_searchable=False))
        case "inactive company":
            job_description = JobDescriptionFactory(company=inactive_company_in_lyon())
    assert job_card(client, job_description).status_code == 404


def test_job_description_card_of_a_blocked_company_says_so(client, db):
    job_description = JobDescriptionFactory(company=CompanyFactory(with_member=True, block_job_applications=True))
    assert NOT_TAKING in job_card(client, job_description).content.decode()


def test_edit_link_only_for_members_of_the_company(client, db):
    employer = ProfessionalFactory()
    job_description = JobDescriptionFactory(company=CompanyFactory(with_member=employer))
    edit_url = reverse("job_description_edit", kwargs={"job_description_uid": job_description.uid})

    client.force_login(employer)
    assert edit_url in job_card(client, job_description).content.decode()

    other_employer = ProfessionalFactory()
    CompanyFactory(with_member=other_employer)
    for visitor in [other_employer, JobSeekerFactory()]:
        client.force_login(visitor)
        assert edit_url not in job_card(client, job_description).content.decode()
    client.logout()
    assert edit_url not in job_card(client, job_description).content.decode()


def test_a_member_whose_current_organization_is_another_company_gets_no_edit_link(client, db):
    employer = ProfessionalFactory()
    CompanyFactory(with_member=employer)  # the oldest membership: the current organization by default
    job_description = JobDescriptionFactory(company=CompanyFactory())
    CompanyMembershipFactory(organization=job_description.company, user=employer)
    client.force_login(employer)
    assert "Modifier" not in job_card(client, job_description).content.decode()


# Prescriber card.


def prescriber_card(client, organization):
    return client.get(reverse("prescriber_card", kwargs={"organization_uid": organization.uid}))


def test_prescriber_card_of_an_authorized_organization(client, db):
    organization = PrescriberOrganizationFactory(
        authorized=True, name="Mission locale de Lyon", phone="0472000000", description="Pour les 16-25 ans."
    )
    response = prescriber_card(client, organization)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Mission locale de Lyon</h1>" in content
    assert "Mission locale" in content and "0472000000" in content and "Pour les 16-25 ans." in content
    assert "Prescripteur habilité" in content


@pytest.mark.parametrize(
    "kind,status",
    [
        (PrescriberOrganizationKind.CCAS, AuthorizationStatus.NOT_SET),
        (PrescriberOrganizationKind.CCAS, AuthorizationStatus.REFUSED),
        (PrescriberOrganizationKind.OTHER, AuthorizationStatus.NOT_REQUIRED),
    ],
)
def test_prescriber_card_is_404_unless_authorized(client, db, kind, status):
    organization = PrescriberOrganizationFactory(kind=kind, authorization_status=status)
    assert prescriber_card(client, organization).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_cards_of_non_public_objects_are_404_for_everyone(client, db, persona):
    """The public cards are the same for every visitor: membership does not reveal a hidden object."""
    world = build_world()
    hidden_company = world.company
    hidden_company.is_searchable = False
    hidden_company.save()
    user = world.user(persona)
    if user is not None:
        login(client, user)
    assert company_card(client, hidden_company).status_code == 404
    assert job_card(client, world.job_description).status_code == 404
    assert prescriber_card(client, world.orienteur_organization).status_code == 404
    assert company_card(client, world.other_company).status_code == 200
    assert prescriber_card(client, world.prescriber_organization).status_code == 200
