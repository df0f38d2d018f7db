"""The company card, edited by its admins with a preview step (organizations.md §8.6 "Company edit")."""

import pytest
from django.urls import reverse

from inclusion.companies.models import Company
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory

URL = "/mon-entreprise/modifier/"


@pytest.fixture
def company(reference_data, db):
    return CompanyFactory(name="Les Jardins", address_line_1="1 rue Neuve", with_member=True)


@pytest.fixture
def admin_client(client, company):
    client.force_login(company.memberships.get().user)
    return client


def form_data(**overrides):
    data = {
        "brand": "Jardins solidaires",
        "address_line_1": "12 rue Francis de Pressensé",
        "address_line_2": "Bâtiment B",
        "post_code": "69100",
        "commune": "Villeurbanne (69)",
        "commune_slug": "villeurbanne-69",
        "phone": "04 78 00 00 00",
        "email": "contact@jardins.fr",
        "website": "https://jardins.fr",
        "description": "Maraîchage biologique.",
        "provided_support": "Un conseiller en insertion pour 12 salariés.",
        "step": "confirm",
    }
    return {**data, **overrides}


def errors(response, field):
    return " ".join(response.context["form"].errors.get(field, []))


def test_url():
    assert reverse("company_edit") == URL


def test_form_is_prefilled(admin_client, company):
    form = admin_client.get(URL).context["form"]
    assert form["address_line_1"].value() == "1 rue Neuve"
    assert form["commune"].value() == "Lyon (69)"
    assert form["commune_slug"].value() == "lyon-69"


def test_preview_shows_the_card_and_saves_nothing(admin_client, company):
    response = admin_client.post(URL, form_data(step="preview"))
    content = response.content.decode()
    assert "Aperçu et enregistrement" in content
    assert "Jardins solidaires" in content and "12 rue Francis de Pressensé, Bâtiment B, 69100 Villeurbanne" in content
    # The header keeps the saved name while the preview shows the new one.
    assert response.context["current_organization"].display_name == "Les Jardins"
    company.refresh_from_db()
    assert (company.brand, company.city) == ("", "Lyon")


def test_back_from_preview_keeps_the_values(admin_client):
    response = admin_client.post(URL, form_data(step="edit"))
    assert response.context["form"]["brand"].value() == "Jardins solidaires"
    assert "Voir l'aperçu" in response.content.decode()


def test_confirm_saves_and_locates_the_company_from_its_commune(admin_client, company):
    response = admin_client.post(URL, form_data())
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.brand, company.display_name, company.phone) == (
        "Jardins solidaires",
        "Jardins solidaires",
        "04 78 00 00 00",
    )
    assert (company.commune.slug, company.city, company.department, company.post_code) == (
        "villeurbanne-69",
        "Villeurbanne",
        "69",
        "69100",
    )
    assert (company.latitude, company.longitude) == (company.commune.latitude, company.commune.longitude)
    assert "ont été enregistrées" in admin_client.get(response.url).content.decode()


def test_without_javascript_the_commune_name_is_typed(admin_client, company):
    admin_client.post(URL, form_data(commune="villeurbanne", commune_slug=""))
    company.refresh_from_db()
    assert company.city == "Villeurbanne"


@pytest.mark.parametrize("field", ["commune", "commune_slug"])
def test_a_nul_character_in_the_commune_is_an_error_not_a_500(admin_client, company, field):
    # PostgreSQL refuses NUL characters in a query: the value names no commune.
    response = admin_client.post(URL, form_data(**{field: "villeur\x00banne"}))
    assert response.status_code == 200
    company.refresh_from_db()
    assert company.city != "villeur\x00banne"


def test_optional_fields_may_be_emptied(admin_client, company):
    response = admin_client.post(
        URL, form_data(brand="", address_line_2="", phone="", email="", website="", description="")
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.display_name == "Les Jardins"


def test_website_without_scheme_gets_https(admin_client, company):
    admin_client.post(URL, form_data(website="jardins.fr"))
    company.refresh_from_db()
    assert company.website == "https://jardins.fr"


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"commune": "", "commune_slug": ""}, "commune", "Indiquez la commune"),
        ({"commune": "Atlantide", "commune_slug": ""}, "commune", "Commune inconnue"),
        ({"commune": "Saint-Denis", "commune_slug": ""}, "commune", "Commune inconnue"),  # four of them
        ({"post_code": "75001"}, "post_code", "ne correspond pas à Villeurbanne (codes postaux : 69100)"),
        ({"post_code": "691"}, "post_code", "5 chiffres"),
        ({"post_code": ""}, "post_code", "Indiquez le code postal"),
        ({"address_line_1": ""}, "address_line_1", "Indiquez l'adresse"),
        ({"phone": "appelez-nous"}, "phone", "numéro de téléphone valide"),
        ({"phone": "0478"}, "phone", "numéro de téléphone valide"),
        ({"email": "contact@"}, "email", "adresse e-mail valide"),
        ({"website": "pas une adresse"}, "website", "adresse web valide"),
    ],
)
def test_bad_input_gets_a_clear_message(admin_client, company, overrides, field, message):
    response = admin_client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert message in errors(response, field)
    company.refresh_from_db()
    assert company.brand == ""


def test_saving_does_not_touch_other_fields(admin_client, company):
    admin_client.post(URL, {**form_data(), "name": "Autre nom", "siret": "00000000000000", "kind": "GEIQ"})
    company.refresh_from_db()
    assert (company.name, company.kind) == ("Les Jardins", "ACI")


def test_members_who_are_not_admins_are_refused(client, company):
    client.force_login(CompanyMembershipFactory(organization=company, is_admin=False).user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert Company.objects.get(pk=company.pk).brand == ""


def test_other_roles_and_anonymous_are_refused(client, company):
    assert client.get(URL).url.startswith(reverse("login"))
    client.force_login(PrescriberOrganizationFactory(with_member=True).memberships.get().user)
    assert client.get(URL).status_code == 403


def test_an_admin_edits_their_current_company_only(client, company):
    other = CompanyFactory(with_member=True)
    client.force_login(other.memberships.get().user)
    client.post(URL, form_data())
    company.refresh_from_db()
    other.refresh_from_db()
    assert (company.brand, other.brand) == ("", "Jardins solidaires")
