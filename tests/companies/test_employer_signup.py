"""Employer signup: SIREN search, magic link to the official e-mail, joining as first member (§8.6)."""

import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.models import Convention
from inclusion.companies.signup import make_magic_link_token, obfuscate_email
from inclusion.organizations.current import SESSION_KEY
from inclusion.organizations.memberships import member_deactivate
from inclusion.users.enums import UserKind
from inclusion.users.models import User
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

SIREN = "512345678"
STRONG_PASSWORD = "Un-mot-de-passe-Solide-42"


def company_without_members(**kwargs):
    kwargs.setdefault("siret", f"{SIREN}00012")
    kwargs.setdefault("auth_email", "direction@structure.example")
    return CompanyFactory(**kwargs)


def join_url(company):
    return reverse("employer_signup_join", args=[make_magic_link_token(company)])


def content(response):
    return unescape(response.content.decode())


def account_data(**overrides):
    return {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "direction@structure.example",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    } | overrides


def test_obfuscate_email():
    assert obfuscate_email("contact@exemple.fr") == "c***@exemple.fr"
    assert obfuscate_email("c@exemple.fr") == "c***@exemple.fr"


# Access -----------------------------------------------------------------------------------------------------------


def test_search_page_is_public(client):
    assert client.get(reverse("employer_signup")).status_code == 200


@pytest.mark.parametrize("user_factory", [ProfessionalFactory, JobSeekerFactory, StaffFactory])
def test_logged_in_people_are_sent_to_their_dashboard(client, user_factory):
    login(client, user_factory())
    response = client.get(reverse("employer_signup"))
    assert response["Location"] == reverse("dashboard")
    company = company_without_members()
    response = client.post(reverse("employer_signup_send_link"), {"company": company.uid})
    assert response["Location"] == reverse("dashboard")


# Search -----------------------------------------------------------------------------------------------------------


def test_search_splits_active_companies_by_members(client):
    free = company_without_members(name="Libre")
    no_email = company_without_members(name="Sans adresse", siret=f"{SIREN}00020", auth_email="")
    managed = company_without_members(name="Gérée", siret=f"{SIREN}00038")
    CompanyMembershipFactory(organization=managed, is_admin=False, user__first_name="Paul", user__last_name="Membre")
    CompanyMembershipFactory(organization=managed, is_admin=True, user__first_name="Anne", user__last_name="Admin")
    inactive_convention = Convention.objects.create(
        asp_id=1, kind=CompanyKind.ACI, siret_signature=f"{SIREN}00046", is_active=False
    )
    company_without_members(
        name="Inactive", siret=f"{SIREN}00046", source=CompanySource.ASP, convention=inactive_convention
    )
    company_without_members(name="Autre SIREN", siret="99999999900012")

    response = client.get(reverse("employer_signup"), {"siren": "512 345 678"})

    assert response.context["without_members"] == [free, no_email]
    assert response.context["with_members"] == [managed]
    page = content(response)
    assert "Envoyer le lien à d***@structure.example" in page
    assert "direction@structure.example" not in page
    assert "Aucune adresse e-mail officielle n'est connue pour cette structure : contactez le support." in page
    # An admin is preferred as the contact, shown by name, never by e-mail.
    assert "Demandez à <strong>Anne ADMIN</strong> de vous inviter" in page
    assert managed.memberships.get(is_admin=True).user.email not in page
    assert "Inactive" not in page and "Autre SIREN" not in page


def test_search_without_result(client):
    response = client.get(reverse("employer_signup"), {"siren": SIREN})
    assert "Aucune structure active ne porte ce SIREN" in content(response)


@pytest.mark.parametrize("siren", ["1234", "51234567A", "5123456780001"])
def test_search_errors_are_french(client, siren):
    response = client.get(reverse("employer_signup"), {"siren": siren})
    assert response.status_code == 200
    assert "Le numéro SIREN doit comporter 9 chiffres." in content(response)


def test_search_with_an_empty_siren(client):
    response = client.get(reverse("employer_signup"), {"siren": ""})
    assert "Ce champ est obligatoire." in content(response)


# Sending the link -------------------------------------------------------------------------------------------------


def test_the_magic_link_is_mailed_to_the_official_address(client, mailoutbox, django_capture_on_commit_callbacks):
    company = company_without_members(name="Libre")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("employer_signup_send_link"), {"company": company.uid}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('employer_signup')}?siren={SIREN}"
    assert "Un lien d'inscription valable 7 jours a été envoyé à d***@structure.example." in content(response)
    [mail] = mailoutbox
    assert mail.to == ["direction@structure.example"]
    assert mail.subject == "Rejoignez Libre sur la Plateforme de l'inclusion"
    link = re.search(r"https?://[^/]+(/inscription/employeur/rejoindre/\S+/)", mail.body).group(1)
    assert client.get(link).context["company"] == company


def test_no_link_without_official_address(client, mailoutbox):
    company = company_without_members(auth_email="")
    response = client.post(reverse("employer_signup_send_link"), {"company": company.uid}, follow=True)
    assert "contactez le support" in content(response)
    assert mailoutbox == []


def test_no_link_for_a_company_with_members(client, mailoutbox):
    company = company_without_members(with_member=True)
    response = client.post(reverse("employer_signup_send_link"), {"company": company.uid}, follow=True)
    assert "a déjà des membres : demandez-leur une invitation" in content(response)
    assert mailoutbox == []


@pytest.mark.parametrize("uid", ["pas-un-uuid", "", "00000000-0000-0000-0000-000000000000"])
def test_no_link_for_an_unknown_company(client, uid, mailoutbox):
    assert client.post(reverse("employer_signup_send_link"), {"company": uid}).status_code == 404
    assert mailoutbox == []


def test_no_link_for_an_inactive_company(client, mailoutbox):
    convention = Convention.objects.create(asp_id=2, kind=CompanyKind.EI, siret_signature="51234567800012")
    company = company_without_members(source=CompanySource.ASP, convention=convention, kind=CompanyKind.EI)
    Convention.objects.filter(pk=convention.pk).update(is_active=False)
    assert client.post(reverse("employer_signup_send_link"), {"company": company.uid}).status_code == 404


def test_send_link_refuses_get(client):
    assert client.get(reverse("employer_signup_send_link")).status_code == 405


# Joining ----------------------------------------------------------------------------------------------------------


def test_joining_with_the_official_address(client, mailoutbox):
    company = company_without_members(name="Libre")
    url = join_url(company)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["email"].value() == "direction@structure.example"

    response = client.post(url, account_data(email="Direction@Structure.example"), follow=True)

    user = User.objects.get(email="direction@structure.example")
    assert user.kind == UserKind.PROFESSIONAL
    assert user.email_verified_at is not None  # the link proved it
    membership = company.memberships.get()
    assert membership.user == user and membership.is_admin
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert client.session[SESSION_KEY] == company.switch_key
    assert response.wsgi_request.role == "employer"
    assert "Vous avez rejoint « Libre » et en êtes l'administrateur" in content(response)
    assert mailoutbox == []


def test_joining_with_another_address_requires_its_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    company = company_without_members()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(company), account_data(email="claire@structure.example"))
    assert response["Location"] == reverse("employer_signup_done")
    user = User.objects.get(email="claire@structure.example")
    assert user.email_verified_at is None
    assert "_auth_user_id" not in client.session
    assert company.memberships.get().user == user
    [mail] = mailoutbox
    assert mail.to == ["claire@structure.example"]
    assert "Confirmez votre adresse" in mail.subject


def test_an_existing_account_logs_in_then_joins(client):
    company = company_without_members()
    member_elsewhere = ProfessionalFactory(email="direction@structure.example")
    PrescriberOrganizationFactory(with_member=member_elsewhere)
    url = join_url(company)

    response = client.get(url)
    assert response.context["existing_account"]
    login_url = response.context["login_url"]
    assert login_url.startswith(reverse("login") + "?next=")

    response = client.post(login_url, {"username": member_elsewhere.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == url
    response = client.get(url)
    assert "Rejoindre la structure" in content(response)
    assert not company.memberships.exists()

    response = client.post(url, follow=True)
    assert company.memberships.get().user == member_elsewhere
    assert response.wsgi_request.current_organization == company
    assert response.wsgi_request.role == "employer"


def test_a_professional_without_organization_may_join(client):
    user = ProfessionalFactory()
    client.force_login(user)
    company = company_without_members()
    response = client.post(join_url(company))
    assert response["Location"] == reverse("dashboard")
    assert company.memberships.get(user=user).is_admin


@pytest.mark.parametrize("user_factory", [JobSeekerFactory, StaffFactory])
def test_other_accounts_are_told_to_log_out(client, user_factory):
    login(client, user_factory())
    company = company_without_members()
    for method in ["get", "post"]:
        response = getattr(client, method)(join_url(company))
        assert response.status_code == 403
        assert "Compte professionnel nécessaire" in content(response)
    assert not company.memberships.exists()


def test_link_is_valid_seven_days():
    company = company_without_members()
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        url = join_url(company)
    from django.test import Client

    for moment, valid in [
        ("2026-03-08 09:59 +01:00", True),
        ("2026-03-08 10:00 +01:00", True),
        ("2026-03-08 10:01 +01:00", False),
    ]:
        with time_machine.travel(moment, tick=False):
            response = Client().get(url)
        assert ("form" in response.context) == valid, moment
        if not valid:
            assert "Lien invalide ou expiré" in content(response)


@pytest.mark.parametrize("token", ["n-importe-quoi", "eyJjb21wYW55IjoiMSJ9:abc:def"])
def test_forged_links_get_a_clear_page(client, token):
    response = client.get(reverse("employer_signup_join", args=[token]))
    assert response.status_code == 200
    assert "Lien invalide ou expiré" in content(response)


def test_link_dies_when_the_official_address_changes(client):
    company = company_without_members()
    url = join_url(company)
    company.auth_email = "nouvelle@structure.example"
    company.save()
    assert "Lien invalide ou expiré" in content(client.get(url))


def test_link_of_a_company_that_got_a_member(client):
    company = company_without_members()
    url = join_url(company)
    CompanyMembershipFactory(organization=company, user__first_name="Anne", user__last_name="Admin")
    response = client.get(url)
    assert "Cette structure a déjà des membres" in content(response)
    assert "Anne ADMIN" in content(response)
    response = client.post(url, account_data())
    assert "Cette structure a déjà des membres" in content(response)
    assert not User.objects.filter(email="direction@structure.example").exists()


def test_link_of_a_company_no_longer_active(client):
    convention = Convention.objects.create(asp_id=3, kind=CompanyKind.EI, siret_signature="51234567800012")
    company = company_without_members(source=CompanySource.ASP, convention=convention, kind=CompanyKind.EI)
    url = join_url(company)
    Convention.objects.filter(pk=convention.pk).update(is_active=False)
    response = client.post(url, account_data())
    assert "Cette structure n'est plus active" in content(response)
    assert not User.objects.exists() or not company.memberships.exists()
    assert not User.objects.filter(email="direction@structure.example").exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"first_name": ""}, "Ce champ est obligatoire."),
        ({"email": "faux"}, "Saisissez une adresse e-mail valide"),
        ({"password2": "Autre-mot-de-passe-99"}, "Les deux mots de passe ne sont pas identiques."),
        ({"password1": "Court-1", "password2": "Court-1"}, "Ce mot de passe est trop court"),
    ],
)
def test_join_form_errors_are_french(client, overrides, message):
    company = company_without_members()
    response = client.post(join_url(company), account_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)
    assert not company.memberships.exists()


def test_join_form_refuses_an_existing_email(client):
    ProfessionalFactory(email="claire@structure.example")
    company = company_without_members()
    response = client.post(join_url(company), account_data(email="claire@structure.example"))
    assert "Un compte existe déjà avec cette adresse e-mail : connectez-vous." in content(response)
    assert not company.memberships.exists()


# Review fixes -----------------------------------------------------------------------------------------------------


def test_the_magic_link_uses_the_site_url_whatever_the_host_header(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://emplois.exemple.gouv.fr"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "pirate.example"]
    company = company_without_members()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("employer_signup_send_link"), {"company": company.uid}, HTTP_HOST="pirate.example")
    [mail] = mailoutbox
    assert "https://emplois.exemple.gouv.fr/inscription/employeur/rejoindre/" in mail.body
    assert "pirate.example" not in mail.body


def test_the_confirmation_link_uses_the_site_url_whatever_the_host_header(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://emplois.exemple.gouv.fr"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "pirate.example"]
    company = company_without_members()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url(company), account_data(email="claire@structure.example"), HTTP_HOST="pirate.example")
    [mail] = mailoutbox
    assert "https://emplois.exemple.gouv.fr/inscription/confirmer/" in mail.body
    assert "pirate.example" not in mail.body


def test_a_used_link_cannot_be_used_again_even_after_the_member_left(client):
    company = company_without_members()
    url = join_url(company)
    client.post(url, account_data())
    first = company.memberships.get()
    client.logout()

    # While the first member is there, the link says so.
    assert "Cette structure a déjà des membres" in content(client.get(url))
    # Once they have left, nobody becomes admin through the same link.
    member_deactivate(membership=first, by=first.user)
    for response in [client.get(url), client.post(url, account_data(email="intrus@example.com"))]:
        assert response.status_code == 200
        assert "Lien invalide ou expiré" in content(response)
    assert not User.objects.filter(email="intrus@example.com").exists()
    intruder = ProfessionalFactory()
    client.force_login(intruder)
    assert "Lien invalide ou expiré" in content(client.post(url))
    assert not company.memberships.filter(user=intruder).exists()
    assert not company.memberships.active().exists()


def test_a_new_link_works_after_every_member_left(client, mailoutbox, django_capture_on_commit_callbacks):
    company = company_without_members()
    first = CompanyMembershipFactory(organization=company)
    member_deactivate(membership=first, by=first.user)
    url = join_url(company)  # sent after the departure
    client.post(url, account_data())
    assert company.memberships.active().get().user.email == "direction@structure.example"


def test_the_search_list_costs_the_same_number_of_queries_whatever_the_companies(client, django_assert_num_queries):
    def search():
        return client.get(reverse("employer_signup"), {"siren": SIREN})

    company_without_members(name="Libre")
    CompanyFactory(siret=f"{SIREN}00020", with_member=True)
    search()  # creates the session
    # The session, the companies, their active memberships with their users: whatever the number of companies.
    with django_assert_num_queries(3):
        search()
    for index in range(3, 8):
        CompanyFactory(siret=f"{SIREN}000{index}0", with_member=True)
    with django_assert_num_queries(3):
        response = search()
    assert len(response.context["with_members"]) == 6
    assert len(response.context["without_members"]) == 1
