"""Prescriber signup: find the organization, ask for an invitation, or create it (organizations.md §9.2, §9.3)."""

import re

import pytest
from django.urls import reverse

from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.prescribers.forms import signup_kind_choices
from inclusion.prescribers.models import PrescriberOrganization
from inclusion.users.enums import IdentityProvider, UserKind
from inclusion.users.models import User
from tests.geo.factories import CommuneFactory
from tests.prescribers.factories import PrescriberMembershipFactory, PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

Kind = PrescriberOrganizationKind
Status = AuthorizationStatus
STRONG_PASSWORD = "Un-mot-de-passe-Solide-42"
SIRET = "12345678900012"


@pytest.fixture(autouse=True)
def lyon():
    return CommuneFactory()


def signup_data(**overrides):
    data = {
        "kind": Kind.ML,
        "has_prefectoral_decision": "",
        "siret": "123 456 789 00012",
        "name": "Mission locale de Lyon",
        "address_line_1": "12 rue de la République",
        "address_line_2": "",
        "post_code": "69001",
        "city": "Lyon",
        "first_name": "Camille",
        "last_name": "Dupont",
        "email": "camille.dupont@mission-locale.example",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    return data | overrides


def errors_of(response):
    form = response.context["form"]
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def post_signup(client, **overrides):
    return client.post(reverse("prescriber_signup_create"), signup_data(**overrides))


# Access -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["prescriber_signup", "prescriber_signup_create"])
def test_signup_pages_are_public(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["prescriber_signup", "prescriber_signup_create"])
@pytest.mark.parametrize("user_factory", [ProfessionalFactory, JobSeekerFactory])
def test_logged_in_people_are_sent_to_their_dashboard(client, url_name, user_factory):
    client.force_login(user_factory())
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_logged_in_people_cannot_create_by_post(client):
    client.force_login(JobSeekerFactory())
    response = post_signup(client)
    assert response["Location"] == reverse("dashboard")
    assert not PrescriberOrganization.objects.exists()


def test_login_page_links_to_professional_signups(client):
    content = client.get(reverse("login")).content.decode()
    assert reverse("prescriber_signup") in content
    assert reverse("employer_signup") in content


# Step 1: search ---------------------------------------------------------------------------------------------------


def search(client, siret=SIRET, department="69"):
    return client.get(reverse("prescriber_signup"), {"siret": siret, "department": department})


def test_search_lists_organizations_with_the_same_siret_or_siren_in_the_department(client):
    same_siret = PrescriberOrganizationFactory(name="Même SIRET", siret=SIRET, with_member=True)
    same_siren = PrescriberOrganizationFactory(name="Même SIREN", siret="12345678900099", with_member=True)
    elsewhere = PrescriberOrganizationFactory(
        name="Même SIREN ailleurs", siret="12345678900098", department="13", with_member=True
    )
    without_members = PrescriberOrganizationFactory(
        name="Sans membre", siret=SIRET, kind=Kind.CCAS, authorization_status=Status.NOT_SET
    )
    other = PrescriberOrganizationFactory(name="Autre SIREN", with_member=True)

    response = search(client, siret="123 456 789 00012")

    assert response.status_code == 200
    listed = response.context["organizations"]
    assert listed == [same_siren, same_siret]
    for organization in [elsewhere, without_members, other]:
        assert organization not in listed
    content = response.content.decode()
    assert reverse("prescriber_request_invitation", args=[same_siret.uid]) in content
    assert f"{reverse('prescriber_signup_create')}?siret={SIRET}" in content


def test_an_organization_with_a_same_siret_in_another_department_is_listed(client):
    organization = PrescriberOrganizationFactory(siret=SIRET, department="13", with_member=True)
    assert search(client).context["organizations"] == [organization]


def test_an_organization_whose_only_member_left_is_not_listed(client):
    organization = PrescriberOrganizationFactory(siret=SIRET)
    PrescriberMembershipFactory(organization=organization, is_active=False, is_admin=False)
    assert search(client).context["organizations"] == []


def test_search_without_result_offers_to_create(client):
    response = search(client)
    content = response.content.decode()
    assert "Aucune organisation inscrite" in content
    assert "Étape 2 : inscrire mon organisation" in content


@pytest.mark.parametrize(
    "siret,department,message",
    [
        ("1234", "69", "Le numéro SIRET doit comporter 14 chiffres."),
        ("1234567890001A", "69", "Le numéro SIRET doit comporter 14 chiffres."),
        ("", "69", "Ce champ est obligatoire."),
        (SIRET, "", "Ce champ est obligatoire."),
        (SIRET, "00", "Sélectionnez un département de la liste."),
    ],
)
def test_search_errors_are_french(client, siret, department, message):
    response = search(client, siret=siret, department=department)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["organizations"] is None


def test_france_travail_agents_find_their_agency_by_safir_code(client):
    agency = PrescriberOrganizationFactory(
        kind=Kind.FT, siret="", code_safir_pole_emploi="69031", authorization_status=Status.VALIDATED, with_member=True
    )
    response = client.get(reverse("prescriber_signup"), {"ft-safir": "69031"})
    assert response.context["organizations"] == [agency]
    assert reverse("prescriber_request_invitation", args=[agency.uid]) in response.content.decode()


def test_unknown_safir_code(client):
    response = client.get(reverse("prescriber_signup"), {"ft-safir": "99999"})
    assert "Aucune agence France Travail ne porte ce code SAFIR" in response.content.decode()
    response = client.get(reverse("prescriber_signup"), {"ft-safir": "12"})
    assert "Le code SAFIR doit comporter 5 chiffres." in response.content.decode()


# Kinds offered ----------------------------------------------------------------------------------------------------


def test_kind_list_hides_support_kinds_and_is_alphabetical():
    choices = signup_kind_choices()
    values = [value for value, _ in choices]
    for hidden in [Kind.FT, Kind.OHPD, Kind.OCASF, Kind.ORIENTEUR, Kind.OTHER]:
        assert hidden not in values
    kind_labels = [label for value, label in choices[1:-2]]
    assert kind_labels[0] == "Agence nationale pour la formation professionnelle des adultes"
    assert kind_labels == sorted(kind_labels, key=lambda label: label.replace("É", "E"))
    assert choices[-2][1] == "Je ne trouve pas mon type d'organisation"


# Step 2: creation -------------------------------------------------------------------------------------------------


def test_creating_an_organization_of_a_listed_kind(
    client, mailoutbox, django_capture_on_commit_callbacks, lyon, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("prescriber_signup_done")

    user = User.objects.get(email="camille.dupont@mission-locale.example")
    assert user.kind == UserKind.PROFESSIONAL
    assert user.identity_provider == IdentityProvider.DJANGO
    assert user.email_verified_at is None
    assert user.check_password(STRONG_PASSWORD)
    organization = PrescriberOrganization.objects.get()
    assert (organization.kind, organization.authorization_status) == (Kind.ML, Status.NOT_SET)
    assert organization.siret == SIRET
    assert organization.created_by == user
    assert (organization.commune, organization.city, organization.department) == (lyon, "Lyon", "69")
    membership = organization.memberships.get()
    assert membership.user == user and membership.is_admin and membership.is_active

    subjects = sorted(mail.subject for mail in mailoutbox)
    assert subjects == [
        "Confirmez votre adresse e-mail pour la Plateforme de l'inclusion",
        "Habilitation à vérifier : Mission locale de Lyon (Mission locale)",
    ]
    support_mail = next(mail for mail in mailoutbox if mail.subject.startswith("Habilitation"))
    assert support_mail.to == [settings.SUPPORT_EMAIL]
    assert f"/admin/prescribers/prescriberorganization/{organization.pk}/change/" in support_mail.body


def test_support_address_setting_is_used(client, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.SUPPORT_EMAIL = "support@inclusion.example"
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    assert ["support@inclusion.example"] in [mail.to for mail in mailoutbox]


def test_email_verification_then_login_gives_the_orienteur_role(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client)
    verification = next(mail for mail in mailoutbox if "Confirmez" in mail.subject)
    link = re.search(r"https?://[^/]+(/inscription/confirmer/\S+)", verification.body).group(1)
    response = client.get(link, follow=True)
    assert response.context["user"].email == "camille.dupont@mission-locale.example"
    # Pending validation: the member orients but is not an authorized prescriber yet (organizations.md §9.2).
    assert response.wsgi_request.role == "orienteur"


@pytest.mark.parametrize(
    "kind_choice,prefectoral,expected_kind,expected_status,support_mailed",
    [
        ("CCAS", "", Kind.CCAS, Status.NOT_SET, True),
        ("NOT_FOUND", "oui", Kind.OTHER, Status.NOT_SET, True),
        ("NOT_FOUND", "non", Kind.OTHER, Status.NOT_REQUIRED, False),
        ("UNAUTHORIZED", "", Kind.OTHER, Status.NOT_REQUIRED, False),
        # The prefectoral question only matters when the kind was not found.
        ("UNAUTHORIZED", "oui", Kind.OTHER, Status.NOT_REQUIRED, False),
        ("CCAS", "non", Kind.CCAS, Status.NOT_SET, True),
    ],
)
def test_kind_and_status_at_signup(
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
    kind_choice,
    prefectoral,
    expected_kind,
    expected_status,
    support_mailed,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client, kind=kind_choice, has_prefectoral_decision=prefectoral)
    assert response.status_code == 302, errors_of(response)
    organization = PrescriberOrganization.objects.get()
    assert (organization.kind, organization.authorization_status) == (expected_kind, expected_status)
    assert any(mail.subject.startswith("Habilitation à vérifier") for mail in mailoutbox) == support_mailed


def test_not_found_kind_requires_the_prefectoral_answer(client):
    response = post_signup(client, kind="NOT_FOUND", has_prefectoral_decision="")
    assert response.status_code == 200
    assert "indiquez si elle a une décision d'habilitation du préfet" in errors_of(response)
    assert not User.objects.exists()


def test_same_siret_and_kind_is_refused_with_a_way_to_ask_for_an_invitation(client):
    existing = PrescriberOrganizationFactory(authorized=True, siret=SIRET, name="ML existante", with_member=True)
    response = post_signup(client)
    assert response.status_code == 200
    assert "Une organisation de ce type est déjà inscrite avec ce SIRET : « ML existante »" in errors_of(response)
    assert reverse("prescriber_request_invitation", args=[existing.uid]) in response.content.decode()
    assert PrescriberOrganization.objects.count() == 1
    assert not User.objects.filter(email="camille.dupont@mission-locale.example").exists()


def test_same_siret_with_another_kind_is_allowed(client):
    PrescriberOrganizationFactory(kind=Kind.CCAS, authorization_status=Status.NOT_SET, siret=SIRET, with_member=True)
    response = post_signup(client)
    assert response.status_code == 302
    assert PrescriberOrganization.objects.filter(siret=SIRET).count() == 2


def test_same_siret_already_other_kind_for_unauthorized(client):
    PrescriberOrganizationFactory(kind=Kind.OTHER, siret=SIRET, with_member=True)
    response = post_signup(client, kind="UNAUTHORIZED")
    assert "Une organisation de ce type est déjà inscrite" in errors_of(response)


@pytest.mark.parametrize("email", ["agent@francetravail.fr", "Agent@Pole-Emploi.fr"])
def test_france_travail_agents_cannot_create_organizations(client, email):
    response = post_signup(client, email=email)
    assert response.status_code == 200
    assert "Les agents de France Travail ne créent pas d'organisation" in errors_of(response)
    assert not PrescriberOrganization.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"kind": ""}, "Ce champ est obligatoire."),
        ({"kind": "FT"}, "Sélectionnez un choix valide."),
        ({"kind": "Autre"}, "Sélectionnez un choix valide."),
        ({"siret": "123"}, "Le numéro SIRET doit comporter 14 chiffres."),
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"post_code": "6900"}, "Le code postal doit comporter 5 chiffres."),
        ({"post_code": "99999"}, "Aucune commune ne correspond à ce code postal"),
        ({"city": "Villeurbanne"}, "Cette commune ne correspond pas au code postal 69001. Communes : Lyon"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
        ({"password2": "autre-chose-Different-99"}, "Les deux mots de passe ne sont pas identiques."),
        ({"password1": "court", "password2": "court"}, "Ce mot de passe est trop court"),
        (
            {"password1": "aaaaaaaaaaaaaaaaaaaa", "password2": "aaaaaaaaaaaaaaaaaaaa"},
            "au moins 3 des 4 types de caractères",
        ),
    ],
)
def test_form_errors_are_french(client, overrides, message):
    response = post_signup(client, **overrides)
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not User.objects.exists()
    assert not PrescriberOrganization.objects.exists()


def test_existing_account_email_is_refused(client):
    ProfessionalFactory(email="camille.dupont@mission-locale.example")
    response = post_signup(client, email="Camille.Dupont@Mission-Locale.example")
    assert "Un compte existe déjà avec cette adresse e-mail" in errors_of(response)
    assert not PrescriberOrganization.objects.exists()


def test_city_is_matched_regardless_of_case_and_accents(client):
    CommuneFactory(code_insee="69266", name="Villeurbanne", postal_codes="69100", latitude=45.77, longitude=4.88)
    response = post_signup(client, post_code="69100", city="VILLEURBANNE")
    assert response.status_code == 302
    assert PrescriberOrganization.objects.get().city == "Villeurbanne"


def test_siret_is_prefilled_from_the_search(client):
    response = client.get(reverse("prescriber_signup_create"), {"siret": SIRET})
    assert response.context["form"]["siret"].value() == SIRET


# Invitation request -----------------------------------------------------------------------------------------------


def request_data(**overrides):
    return {
        "first_name": "Camille",
        "last_name": "Dupont",
        "email": "Camille@Example.com",
        "message": "Conseillère emploi",
    } | overrides


def test_invitation_request_goes_to_the_first_admin(client, mailoutbox, django_capture_on_commit_callbacks):
    organization = PrescriberOrganizationFactory()
    PrescriberMembershipFactory(organization=organization, is_admin=False, user__email="member@example.com")
    PrescriberMembershipFactory(organization=organization, is_admin=True, user__email="admin@example.com")
    PrescriberMembershipFactory(organization=organization, is_admin=True, user__email="admin2@example.com")
    url = reverse("prescriber_request_invitation", args=[organization.uid])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, request_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("prescriber_signup")
    assert "Votre demande a été envoyée" in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["admin@example.com"]
    assert "Camille Dupont demande à rejoindre" in mail.subject
    assert "camille@example.com" in mail.body and "Conseillère emploi" in mail.body
    assert not User.objects.filter(email="camille@example.com").exists()


def test_invitation_request_goes_to_the_first_member_without_admin(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    organization = PrescriberOrganizationFactory()
    PrescriberMembershipFactory(organization=organization, is_admin=False, user__email="first@example.com")
    PrescriberMembershipFactory(organization=organization, is_admin=False, user__email="second@example.com")
    PrescriberMembershipFactory(
        organization=organization, is_admin=False, is_active=False, user__email="gone@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("prescriber_request_invitation", args=[organization.uid]), request_data())
    assert [mail.to for mail in mailoutbox] == [["first@example.com"]]


def test_invitation_request_to_an_organization_without_members(client, mailoutbox):
    organization = PrescriberOrganizationFactory()
    url = reverse("prescriber_request_invitation", args=[organization.uid])
    assert "Cette organisation n'a aucun membre actif" in client.get(url).content.decode()
    response = client.post(url, request_data())
    assert response.status_code == 200
    assert mailoutbox == []


def test_invitation_request_errors_are_french(client, mailoutbox):
    organization = PrescriberOrganizationFactory(with_member=True)
    url = reverse("prescriber_request_invitation", args=[organization.uid])
    response = client.post(url, request_data(email="faux", first_name=""))
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in errors_of(response)
    assert "Ce champ est obligatoire." in errors_of(response)
    assert mailoutbox == []


def test_invitation_request_to_an_unknown_organization_is_a_404(client):
    url = reverse("prescriber_request_invitation", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404
