"""The proxy's search-or-create flow (organizations.md §5.2): NIR, then e-mail, then creation in 3 steps + summary."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from inclusion.geo.models import Country
from inclusion.users.enums import AssignmentAction, IdentityCertifier, LackOfNIRReason, UserKind
from inclusion.users.models import IdentityCertification, JobSeekerAssignment, JobSeekerProfile, User
from tests.companies.factories import CompanyFactory
from tests.geo.factories import CommuneFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory, valid_nir

NEXT = "/tableau-de-bord/?onglet=candidats"
NEW_NIR = valid_nir(order=501)  # MME, born in March 1990 in Lyon (69123)


@pytest.fixture
def france(db):
    CommuneFactory()  # Lyon (69123), post codes 69001 to 69003
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


@pytest.fixture
def employer(db):
    user = ProfessionalFactory()
    CompanyFactory(with_member=user)
    return user


@pytest.fixture
def prescriber(db):
    user = ProfessionalFactory()
    PrescriberOrganizationFactory(authorized=True, with_member=user)
    return user


@pytest.fixture
def orienteur(db):
    user = ProfessionalFactory()
    PrescriberOrganizationFactory(with_member=user)
    return user


def start(client, nir, next_url=NEXT):
    """Posts the first NIR; returns the response and the id of the flow it started."""
    response = client.post(reverse("job_seeker_find") + "?" + f"next={next_url}", {"nir": nir})
    state_id = re.search(r"/candidats/trouver/([0-9a-f-]{36})/", response.get("Location", "") or "")
    if state_id is None:
        state_id = response.context["state"].id
    else:
        state_id = state_id.group(1)
    return response, state_id


def step_url(state_id, step):
    return reverse("job_seeker_find_step", args=[state_id, step])


def job_seeker_param(response):
    return parse_qs(urlsplit(response["Location"]).query)["job_seeker"][0]


IDENTITY = {
    "title": "MME",
    "first_name": "Camille",
    "last_name": "Martin",
    "birthdate": "1990-03-15",
    "birth_place": "Lyon (69)",
    "birth_place_slug": "lyon-69",
    "nir": NEW_NIR,
    "lack_of_nir_reason": "",
}
ADDRESS = {
    "address_line_1": "12 rue de la République",
    "post_code": "69003",
    "city": "Lyon",
    "phone": "06 12 34 56 78",
}
SITUATION = {
    "pole_emploi_id": "",
    "lack_of_pole_emploi_id_reason": "NOT_REGISTERED",
    "education_level": "50",
    "has_rsa_allocation": "OUI-M",
    "rsa_allocation_since": "02",
    "rqth_employee": "on",
}


def create_through_the_steps(client, state_id, *, france, identity=None):
    identity = {**IDENTITY, "birth_country": france.pk, **(identity or {})}
    for step, data in (("identite", identity), ("adresse", ADDRESS), ("situation", SITUATION)):
        response = client.post(step_url(state_id, step), data)
        assert response.status_code == 302, response.context["form"].errors
    return client.post(step_url(state_id, "recapitulatif"))


class TestAccess:
    @pytest.mark.parametrize("persona", ["job_seeker", "institution_member", "staff"])
    def test_others_than_employers_and_prescribers_are_refused(self, client, db, persona):
        if persona == "job_seeker":
            user = JobSeekerFactory()
        elif persona == "institution_member":
            user = ProfessionalFactory()
            InstitutionFactory(with_member=user)
        else:
            user = StaffFactory()
        login(client, user)
        assert client.get(reverse("job_seeker_find")).status_code == 403
        assert client.post(reverse("job_seeker_find"), {"nir": NEW_NIR}).status_code == 403

    def test_anonymous_goes_to_login(self, client, db):
        response = client.get(reverse("job_seeker_find"))
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("persona", ["employer", "prescriber", "orienteur"])
    def test_employers_and_prescribers_of_any_authorization(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("job_seeker_find") + f"?next={NEXT}")
        assert response.status_code == 200
        assert f'value="{NEXT}"' in response.content.decode()

    def test_unknown_flow_restarts_the_search(self, client, employer):
        client.force_login(employer)
        response = client.get(step_url("6f1c1f5e-0000-4000-8000-000000000000", "email"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("job_seeker_find")
        assert "Cette recherche est terminée ou a expiré" in response.content.decode()

    def test_unknown_step(self, client, employer):
        client.force_login(employer)
        _response, state_id = start(client, "123")
        assert client.get(step_url(state_id, "inconnue")).status_code == 404


class TestNIRSearch:
    def test_found_job_seeker_is_confirmed_and_given_to_next(self, client, employer):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        response, state_id = start(client, job_seeker.jobseeker_profile.nir)
        assert response["Location"] == step_url(state_id, "confirmer")
        page = client.get(response["Location"]).content.decode()
        # Employers see the personal data of any job seeker (applications.md §16).
        assert job_seeker.get_full_name() in page
        assert job_seeker.email in page
        response = client.post(step_url(state_id, "confirmer"))
        assert response["Location"].startswith("/tableau-de-bord/?onglet=candidats&job_seeker=")
        assert job_seeker_param(response) == str(job_seeker.public_id)
        # The flow is over: its state is gone.
        assert client.get(step_url(state_id, "confirmer"))["Location"] == reverse("job_seeker_find")

    def test_nir_typed_with_spaces(self, client, employer):
        job_seeker = JobSeekerFactory()
        nir = job_seeker.jobseeker_profile.nir
        client.force_login(employer)
        response, state_id = start(client, f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:]}".lower())
        assert response["Location"] == step_url(state_id, "confirmer")

    def test_orienteur_sees_masked_names_of_an_account_he_did_not_create(self, client, orienteur):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        client.force_login(orienteur)
        _response, state_id = start(client, job_seeker.jobseeker_profile.nir)
        page = client.get(step_url(state_id, "confirmer")).content.decode()
        assert "S… D…" in page
        assert "Sophie" not in page and "DURAND" not in page
        assert job_seeker.email not in page
        assert "15 mars 1990" not in page

    def test_orienteur_sees_the_account_he_created(self, client, orienteur):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand", created_by=orienteur)
        client.force_login(orienteur)
        _response, state_id = start(client, job_seeker.jobseeker_profile.nir)
        page = client.get(step_url(state_id, "confirmer")).content.decode()
        assert "Sophie DURAND" in page
        assert "15 mars 1990" in page

    def test_valid_unknown_nir_is_kept_and_opens_the_email_search(self, client, employer):
        client.force_login(employer)
        response, state_id = start(client, NEW_NIR)
        assert response["Location"] == step_url(state_id, "email")
        assert client.get(response["Location"]).status_code == 200

    def test_invalid_nir_gets_a_french_error_and_opens_the_email_search(self, client, employer):
        client.force_login(employer)
        response, state_id = start(client, "123")
        assert response.status_code == 200
        page = response.content.decode()
        assert "trop court" in page
        assert 'value="123"' in page  # what was typed is kept
        assert step_url(state_id, "email") in page
        assert client.get(step_url(state_id, "email")).status_code == 200

    def test_email_search_is_closed_before_any_nir(self, client, employer):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        _response, state_id = start(client, job_seeker.jobseeker_profile.nir)  # found: no NIR kept, no attempt
        assert client.get(step_url(state_id, "email"))["Location"] == step_url(state_id, "nir")
        assert client.get(step_url(state_id, "identite"))["Location"] == step_url(state_id, "nir")

    def test_inactive_job_seeker(self, client, employer):
        job_seeker = JobSeekerFactory(is_active=False)
        client.force_login(employer)
        response, _state_id = start(client, job_seeker.jobseeker_profile.nir)
        assert response.status_code == 200
        assert "Ce compte candidat est désactivé" in response.content.decode()

    def test_two_tabs_do_not_mix(self, client, employer):
        first, second = JobSeekerFactory(), JobSeekerFactory()
        client.force_login(employer)
        _response, first_id = start(client, first.jobseeker_profile.nir, next_url="/premier/")
        _response, second_id = start(client, second.jobseeker_profile.nir, next_url="/second/")
        response = client.post(step_url(first_id, "confirmer"))
        assert response["Location"] == f"/premier/?job_seeker={first.public_id}"
        response = client.post(step_url(second_id, "confirmer"))
        assert response["Location"] == f"/second/?job_seeker={second.public_id}"

    @pytest.mark.parametrize("next_url", ["https://pirate.example/", "//pirate.example/", "javascript:alert(1)", ""])
    def test_only_a_local_next_is_followed(self, client, employer, next_url):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        _response, state_id = start(client, job_seeker.jobseeker_profile.nir, next_url=next_url)
        response = client.post(step_url(state_id, "confirmer"))
        assert response["Location"] == f"{reverse('dashboard')}?job_seeker={job_seeker.public_id}"

    def test_former_job_seeker_parameter_is_replaced(self, client, employer):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        _response, state_id = start(client, job_seeker.jobseeker_profile.nir, next_url="/postuler/?job_seeker=ancien")
        response = client.post(step_url(state_id, "confirmer"))
        assert response["Location"] == f"/postuler/?job_seeker={job_seeker.public_id}"


class TestEmailSearch:
    def test_case_insensitive(self, client, employer):
        job_seeker = JobSeekerFactory(email="marie.curie@example.com")
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        response = client.post(step_url(state_id, "email"), {"email": " Marie.Curie@EXAMPLE.com "})
        assert response["Location"] == step_url(state_id, "confirmer")
        response = client.post(step_url(state_id, "confirmer"))
        assert job_seeker_param(response) == str(job_seeker.public_id)

    def test_professional_email(self, client, employer):
        ProfessionalFactory(email="conseillere@example.com")
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        response = client.post(step_url(state_id, "email"), {"email": "conseillere@example.com"})
        assert response.status_code == 200
        assert "appartient à un compte professionnel" in response.content.decode()

    def test_inactive_account(self, client, employer):
        JobSeekerFactory(email="parti@example.com", is_active=False)
        client.force_login(employer)
        _response, state_id = start(client, "123")
        response = client.post(step_url(state_id, "email"), {"email": "parti@example.com"})
        assert "Ce compte candidat est désactivé" in response.content.decode()

    def test_invalid_email_keeps_what_was_typed(self, client, employer):
        client.force_login(employer)
        _response, state_id = start(client, "123")
        response = client.post(step_url(state_id, "email"), {"email": "pas-une-adresse"})
        assert "Saisissez une adresse e-mail valide" in response.content.decode()
        assert 'value="pas-une-adresse"' in response.content.decode()

    def test_unknown_email_leads_to_the_creation(self, client, employer):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        response = client.post(step_url(state_id, "email"), {"email": "nouvelle@example.com"})
        assert response["Location"] == step_url(state_id, "identite")


class TestAttachNIR:
    """organizations.md §5.2: found by e-mail without NIR, authorized prescribers and employers attach the NIR."""

    @pytest.mark.parametrize("persona", ["employer", "prescriber"])
    def test_allowed(self, client, db, request, persona):
        job_seeker = JobSeekerFactory(without_nir=True, email="sans.nir@example.com")
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.FRANCE_TRAVAIL)
        client.force_login(request.getfixturevalue(persona))
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "sans.nir@example.com"})
        page = client.get(step_url(state_id, "confirmer")).content.decode()
        assert 'name="attach_nir"' in page
        response = client.post(step_url(state_id, "confirmer"), {"attach_nir": "1"})
        assert job_seeker_param(response) == str(job_seeker.public_id)
        profile = JobSeekerProfile.objects.get(user=job_seeker)
        assert (profile.nir, profile.lack_of_nir_reason) == (NEW_NIR, "")
        assert not IdentityCertification.objects.exists()  # organizations.md §2

    def test_not_ticked(self, client, employer):
        job_seeker = JobSeekerFactory(without_nir=True, email="sans.nir@example.com")
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "sans.nir@example.com"})
        client.post(step_url(state_id, "confirmer"))
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == ""

    def test_orienteur_may_not(self, client, orienteur):
        job_seeker = JobSeekerFactory(without_nir=True, email="sans.nir@example.com")
        client.force_login(orienteur)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "sans.nir@example.com"})
        assert 'name="attach_nir"' not in client.get(step_url(state_id, "confirmer")).content.decode()
        client.post(step_url(state_id, "confirmer"), {"attach_nir": "1"})
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == ""

    def test_nir_taken_meanwhile(self, client, employer):
        job_seeker = JobSeekerFactory(without_nir=True, email="sans.nir@example.com")
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "sans.nir@example.com"})
        other = JobSeekerFactory(without_nir=True)
        JobSeekerProfile.objects.filter(user=other).update(nir=NEW_NIR, lack_of_nir_reason="")
        assert 'name="attach_nir"' not in client.get(step_url(state_id, "confirmer")).content.decode()
        client.post(step_url(state_id, "confirmer"), {"attach_nir": "1"})
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == ""

    def test_account_with_a_nir(self, client, employer):
        job_seeker = JobSeekerFactory(email="avec.nir@example.com")
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "avec.nir@example.com"})
        assert 'name="attach_nir"' not in client.get(step_url(state_id, "confirmer")).content.decode()
        assert JobSeekerProfile.objects.get(user=job_seeker).nir != NEW_NIR


class TestCreation:
    def test_by_an_authorized_prescriber(self, client, prescriber, france, django_capture_on_commit_callbacks):
        organization = prescriber.prescribermembership_set.get().organization
        client.force_login(prescriber)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "Camille.Martin@Example.com"})
        with django_capture_on_commit_callbacks(execute=True):
            response = create_through_the_steps(client, state_id, france=france)
        job_seeker = User.objects.get(email="camille.martin@example.com")
        assert response["Location"] == f"{NEXT}&job_seeker={job_seeker.public_id}"
        assert job_seeker.kind == UserKind.JOB_SEEKER
        assert job_seeker.created_by == prescriber
        assert not job_seeker.has_usable_password()
        assert job_seeker.email_verified_at is None
        assert job_seeker.commune.code_insee == "69123"  # from the post code
        profile = job_seeker.jobseeker_profile
        assert profile.created_by_prescriber_organization == organization
        assert (profile.nir, profile.birth_country, profile.birth_place.code_insee) == (NEW_NIR, france, "69123")
        assert profile.lack_of_pole_emploi_id_reason == "NOT_REGISTERED"
        assert (profile.has_rsa_allocation, profile.rsa_allocation_since, profile.rqth_employee) == (
            "OUI-M",
            "02",
            True,
        )
        assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker)
        assert (assignment.professional, assignment.prescriber_organization, assignment.company) == (
            prescriber,
            organization,
            None,
        )
        assert assignment.last_action == AssignmentAction.CREATE
        # The activation e-mail: a password-setting link, which also confirms the address.
        [email] = mail.outbox
        assert email.to == ["camille.martin@example.com"]
        assert email.subject == "Votre compte candidat sur la Plateforme de l'inclusion"
        assert f"{prescriber.get_full_name()} ({organization.display_name}) a créé pour vous" in email.body
        assert "valable 24 heures" in email.body
        link = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+)", email.body).group(1)
        client.logout()
        form_page = client.get(link, follow=True)
        password = "Un-mot-de-passe-Solide-42"
        response = client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
        assert response.status_code == 302
        job_seeker.refresh_from_db()
        assert job_seeker.check_password(password)
        assert job_seeker.email_verified_at is not None

    def test_by_an_employer(self, client, employer, france):
        company = employer.companymembership_set.get().organization
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        create_through_the_steps(client, state_id, france=france)
        job_seeker = User.objects.get(email="camille@example.com")
        assert job_seeker.jobseeker_profile.created_by_prescriber_organization is None
        assignment = JobSeekerAssignment.objects.get(job_seeker=job_seeker)
        assert (assignment.company, assignment.prescriber_organization) == (company, None)

    def test_without_email_nothing_is_sent(self, client, orienteur, france, django_capture_on_commit_callbacks):
        client.force_login(orienteur)
        _response, state_id = start(client, "123")
        response = client.post(step_url(state_id, "email"), {"action": "no_email"})
        assert response["Location"] == step_url(state_id, "identite")
        identity = {"nir": "", "lack_of_nir_reason": LackOfNIRReason.NO_NIR}
        with django_capture_on_commit_callbacks(execute=True):
            response = create_through_the_steps(client, state_id, france=france, identity=identity)
        job_seeker = User.objects.get(last_name="Martin")
        assert job_seeker.email is None
        assert job_seeker.created_by == orienteur
        assert mail.outbox == []
        # The orienteur created the account: he sees it in full afterwards (applications.md §16).
        assert "Le compte de Camille MARTIN est créé." in client.get(response["Location"]).content.decode()

    def test_identity_is_prefilled_from_the_nir(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        form = client.get(step_url(state_id, "identite")).context["form"]
        assert form["nir"].value() == NEW_NIR
        assert form["title"].value() == "MME"
        assert form["birth_country"].value() == france.pk
        assert (form["birth_place"].value(), form["birth_place_slug"].value()) == ("Lyon (69)", "lyon-69")

    def test_steps_in_order(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        assert client.get(step_url(state_id, "adresse"))["Location"] == step_url(state_id, "identite")
        assert client.get(step_url(state_id, "recapitulatif"))["Location"] == step_url(state_id, "identite")
        client.post(step_url(state_id, "identite"), {**IDENTITY, "birth_country": france.pk})
        assert client.get(step_url(state_id, "recapitulatif"))["Location"] == step_url(state_id, "adresse")
        # Going back shows what was typed.
        assert client.get(step_url(state_id, "identite")).context["form"]["first_name"].value() == "Camille"

    def test_summary_shows_every_step(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        for step, data in (
            ("identite", {**IDENTITY, "birth_country": france.pk}),
            ("adresse", ADDRESS),
            ("situation", SITUATION),
        ):
            client.post(step_url(state_id, step), data)
        page = client.get(step_url(state_id, "recapitulatif")).content.decode()
        for text in ("camille@example.com", "Camille", "15 mars 1990", "Lyon (69)", "12 rue de la République"):
            assert text in page
        assert "Non inscrit auprès de France Travail" in page
        assert "De 6 à 11 mois" in page
        assert not User.objects.filter(email="camille@example.com").exists()

    @pytest.mark.parametrize(
        "step,data,message",
        [
            ("identite", {"title": "M"}, "La civilité ne correspond pas"),
            ("identite", {"birthdate": "1991-03-15"}, "L'année et le mois de naissance ne correspondent pas"),
            ("identite", {"birth_place": "", "birth_place_slug": ""}, "obligatoire pour une personne née en France"),
            ("identite", {"birth_place": "Atlantide", "birth_place_slug": ""}, "Commune inconnue"),
            ("identite", {"nir": "", "lack_of_nir_reason": ""}, "ou la raison de son absence"),
            ("identite", {"lack_of_nir_reason": "NO_NIR"}, "ne sélectionnez pas de raison"),
            ("identite", {"birthdate": "2020-01-01"}, "plus de 16 ans"),
            ("adresse", {"post_code": "6900"}, "Le code postal doit comporter 5 chiffres"),
            ("adresse", {"phone": "pas un numéro"}, "Saisissez un numéro de téléphone valide"),
            ("situation", {"lack_of_pole_emploi_id_reason": ""}, "l'identifiant France Travail ou la raison"),
            ("situation", {"pole_emploi_id": "12AB"}, "L'identifiant France Travail comporte 8 caractères"),
            ("situation", {"rsa_allocation_since": ""}, "depuis combien de temps la personne touche le RSA"),
            ("situation", {"has_rsa_allocation": "NON"}, "ne se renseigne que pour une personne qui touche le RSA"),
            ("situation", {"education_level": ""}, "Indiquez le niveau de formation"),
        ],
    )
    def test_bad_input_gets_a_french_message_and_keeps_the_data(self, client, employer, france, step, data, message):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        steps = {"identite": {**IDENTITY, "birth_country": france.pk}, "adresse": ADDRESS, "situation": SITUATION}
        for name, valid in steps.items():
            posted = {**valid, **data} if name == step else valid
            response = client.post(step_url(state_id, name), posted)
            if name == step:
                break
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(str(error) for errors in form.errors.values() for error in errors)
        for name, value in data.items():
            if name in form.fields and value:
                assert form[name].value() == value

    def test_france_travail_forgotten_clears_the_identifier(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        client.post(step_url(state_id, "identite"), {**IDENTITY, "birth_country": france.pk})
        client.post(step_url(state_id, "adresse"), ADDRESS)
        client.post(
            step_url(state_id, "situation"),
            {**SITUATION, "pole_emploi_id": "1234567A", "lack_of_pole_emploi_id_reason": "FORGOTTEN"},
        )
        client.post(step_url(state_id, "recapitulatif"))
        profile = User.objects.get(email="camille@example.com").jobseeker_profile
        assert (profile.pole_emploi_id, profile.lack_of_pole_emploi_id_reason) == ("", "FORGOTTEN")

    def test_born_abroad_drops_the_birth_place(self, client, employer, france):
        morocco = Country.objects.get_or_create(
            insee_code="99350", defaults={"asp_code": "350", "name": "MAROC", "kind": "country"}
        )[0]
        client.force_login(employer)
        _response, state_id = start(client, "123")
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        identity = {"birth_country": morocco.pk, "nir": "", "lack_of_nir_reason": "NO_NIR"}
        create_through_the_steps(client, state_id, france=france, identity=identity)
        profile = User.objects.get(email="camille@example.com").jobseeker_profile
        assert (profile.birth_country, profile.birth_place) == (morocco, None)


class TestHomonyms:
    def test_confirmation_required_showing_the_redacted_email(self, client, orienteur, france):
        other = JobSeekerFactory(
            first_name="Élodie", last_name="Dupont", email="elodie.dupont@example.com", without_nir=True
        )
        client.force_login(orienteur)
        _response, state_id = start(client, "123")
        client.post(step_url(state_id, "email"), {"email": "autre@example.com"})
        identity = {
            **IDENTITY,
            "birth_country": france.pk,
            "first_name": "elodie",
            "last_name": "DUPONT",
            "nir": "",
            "lack_of_nir_reason": "NO_NIR",
        }
        response = client.post(step_url(state_id, "identite"), identity)
        assert response.status_code == 200
        page = response.content.decode()
        assert "e***@example.com" in page
        assert other.email not in page
        assert "Ce candidat a peut-être déjà un compte" in page
        response = client.post(step_url(state_id, "identite"), {**identity, "confirm_homonym": "on"})
        assert response["Location"] == step_url(state_id, "adresse")

    def test_no_warning_for_another_birthdate(self, client, employer, france):
        JobSeekerFactory(first_name="Camille", last_name="Martin", without_nir=True)
        client.force_login(employer)
        _response, state_id = start(client, "123")
        client.post(step_url(state_id, "email"), {"email": "autre@example.com"})
        identity = {**IDENTITY, "birth_country": france.pk, "birthdate": "1990-03-16", "nir": ""}
        identity["lack_of_nir_reason"] = "NO_NIR"
        response = client.post(step_url(state_id, "identite"), identity)
        assert response["Location"] == step_url(state_id, "adresse")


class TestConstraintsAtCreation:
    def test_nir_taken_after_the_identity_step(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        client.post(step_url(state_id, "identite"), {**IDENTITY, "birth_country": france.pk})
        client.post(step_url(state_id, "adresse"), ADDRESS)
        client.post(step_url(state_id, "situation"), SITUATION)
        other = JobSeekerFactory(without_nir=True)
        JobSeekerProfile.objects.filter(user=other).update(nir=NEW_NIR, lack_of_nir_reason="")
        response = client.post(step_url(state_id, "recapitulatif"), follow=True)
        assert response.redirect_chain[-1][0] == step_url(state_id, "identite")
        page = response.content.decode()
        assert "Ce numéro de sécurité sociale est déjà associé à un compte" in page
        assert 'value="Camille"' in page  # nothing lost
        assert not User.objects.filter(email="camille@example.com").exists()

    def test_email_taken_after_the_email_step(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        for step, data in (
            ("identite", {**IDENTITY, "birth_country": france.pk}),
            ("adresse", ADDRESS),
            ("situation", SITUATION),
        ):
            client.post(step_url(state_id, step), data)
        JobSeekerFactory(email="camille@example.com", without_nir=True)
        response = client.post(step_url(state_id, "recapitulatif"), follow=True)
        assert response.redirect_chain[-1][0] == step_url(state_id, "email")
        assert "Un compte existe déjà avec cette adresse e-mail" in response.content.decode()
        # The creation steps are kept.
        assert client.get(step_url(state_id, "adresse")).context["form"]["city"].value() == "Lyon"

    def test_posted_twice_creates_one_account(self, client, employer, france):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        first = create_through_the_steps(client, state_id, france=france)
        second = client.post(step_url(state_id, "recapitulatif"))
        assert first["Location"].startswith(NEXT)
        assert second["Location"] == reverse("job_seeker_find")
        assert User.objects.filter(email="camille@example.com").count() == 1


def test_password_reset_reaches_an_account_created_by_a_proxy(client, db):
    """Once the activation link has expired, « Mot de passe oublié » works for an account without password."""
    job_seeker = JobSeekerFactory(email="sans.mot.de.passe@example.com", created_by_proxy=True)
    job_seeker.set_unusable_password()
    job_seeker.save()
    client.post(reverse("password_reset"), {"email": "sans.mot.de.passe@example.com"})
    assert len(mail.outbox) == 1


def test_activation_link_lasts_one_day(client, db, employer, france, django_capture_on_commit_callbacks):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)):
        client.force_login(employer)
        _response, state_id = start(client, NEW_NIR)
        client.post(step_url(state_id, "email"), {"email": "camille@example.com"})
        with django_capture_on_commit_callbacks(execute=True):
            create_through_the_steps(client, state_id, france=france)
        client.logout()
    link = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+)", mail.outbox[0].body).group(1)
    with time_machine.travel(datetime.datetime(2026, 3, 3, 11, 0, tzinfo=datetime.UTC)):
        page = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in page
