import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from inclusion.geo.models import Country
from inclusion.users.enums import LackOfNIRReason, UserKind
from inclusion.users.models import User
from tests.geo.factories import CommuneFactory
from tests.users.factories import DEFAULT_PASSWORD, JobSeekerFactory, ProfessionalFactory, valid_nir

STRONG_PASSWORD = "Un-mot-de-passe-Solide-42"


def verification_link(email):
    return re.search(r"https?://[^/]+(/inscription/confirmer/\S+)", email.body).group(1)


def france():
    # organizations.md §5.1: the signup asks the birth country, and the birth commune of people born in France.
    CommuneFactory()  # Lyon (69)
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


def signup_data(**overrides):
    data = {
        "birth_country": france().pk,
        "birth_place": "Lyon (69)",
        "birth_place_slug": "lyon-69",
        "title": "MME",
        "first_name": "Camille",
        "last_name": "Dupont",
        "email": "camille.dupont@example.com",
        "birthdate": "1990-03-15",
        "nir": valid_nir(birthdate=datetime.date(1990, 3, 15), order=42),
        "lack_of_nir_reason": "",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    return data | overrides


def errors_of(response):
    return " ".join(str(error) for errors in response.context["form"].errors.values() for error in errors)


class TestLogin:
    def test_login_with_email_in_any_case(self, client, db):
        user = JobSeekerFactory(email="sophie@example.com")
        response = client.post(reverse("login"), {"username": "Sophie@Example.COM", "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard")
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_wrong_password_gets_a_french_message(self, client, db):
        JobSeekerFactory(email="sophie@example.com")
        response = client.post(reverse("login"), {"username": "sophie@example.com", "password": "faux"})
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()

    def test_invalid_email_gets_a_french_message(self, client, db):
        response = client.post(reverse("login"), {"username": "pas-une-adresse", "password": "x"})
        assert response.status_code == 200
        assert "Saisissez une adresse e-mail valide" in response.content.decode()

    def test_inactive_account_cannot_log_in(self, client, db):
        JobSeekerFactory(email="sophie@example.com", is_active=False)
        response = client.post(reverse("login"), {"username": "sophie@example.com", "password": DEFAULT_PASSWORD})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_next_parameter_is_followed_only_inside_the_site(self, client, db):
        JobSeekerFactory(email="sophie@example.com")
        credentials = {"username": "sophie@example.com", "password": DEFAULT_PASSWORD}
        response = client.post(reverse("login") + "?next=https://evil.example.org/", credentials)
        assert response["Location"] == reverse("dashboard")

    def test_logout(self, client, db):
        client.force_login(JobSeekerFactory())
        response = client.post(reverse("logout"), follow=True)
        assert "_auth_user_id" not in client.session
        assert "Vous êtes déconnecté(e)" in response.content.decode()


class TestJobSeekerSignup:
    def test_signup_creates_a_job_seeker_who_confirms_the_email_address(
        self, client, db, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("job_seeker_signup"), signup_data())
        assert response["Location"] == reverse("job_seeker_signup_done")
        user = User.objects.get(email="camille.dupont@example.com")
        assert user.kind == UserKind.JOB_SEEKER
        assert user.jobseeker_profile.birthdate == datetime.date(1990, 3, 15)
        assert user.jobseeker_profile.nir == signup_data()["nir"]
        assert user.email_verified_at is None
        assert "_auth_user_id" not in client.session
        # The link of the e-mail logs the person in, once.
        link = verification_link(mail.outbox[-1])
        assert client.get(link)["Location"] == reverse("dashboard")
        assert client.session["_auth_user_id"] == str(user.pk)
        user.refresh_from_db()
        assert user.email_verified_at is not None
        client.logout()
        assert "Lien de confirmation expiré" in client.get(link).content.decode()

    def test_login_before_confirmation_sends_a_new_link(self, client, db, django_capture_on_commit_callbacks):
        JobSeekerFactory(email="camille@example.com", email_verified_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("login"), {"username": "camille@example.com", "password": DEFAULT_PASSWORD})
        assert "pas encore confirmée" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert len(mail.outbox) == 1
        assert client.get(verification_link(mail.outbox[0]))["Location"] == reverse("dashboard")

    def test_confirmation_link_of_a_deactivated_account_logs_nobody_in(
        self, client, db, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("job_seeker_signup"), signup_data())
        User.objects.update(is_active=False)
        response = client.get(verification_link(mail.outbox[-1]))
        assert "Lien de confirmation expiré" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_wrong_password_on_an_unconfirmed_account_sends_nothing(self, client, db):
        JobSeekerFactory(email="camille@example.com", email_verified_at=None)
        client.post(reverse("login"), {"username": "camille@example.com", "password": "faux"})
        assert mail.outbox == []

    def test_confirmation_link_is_valid_one_day(self, client, db, django_capture_on_commit_callbacks):
        with time_machine.travel("2026-11-21 10:00 +01:00", tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("job_seeker_signup"), signup_data())
            traveller.move_to("2026-11-22 09:59:59 +01:00")
            link = verification_link(mail.outbox[-1])
            assert "Lien de confirmation expiré" not in client.get(link, follow=True).content.decode()
        client.logout()
        User.objects.update(email_verified_at=None)
        with time_machine.travel("2026-11-22 10:00:01 +01:00", tick=False):
            assert "Lien de confirmation expiré" in client.get(link).content.decode()

    def test_signup_without_nir_needs_a_reason(self, client, db):
        response = client.post(reverse("job_seeker_signup"), signup_data(nir=""))
        assert response.status_code == 200
        assert "Saisissez votre numéro de sécurité sociale ou la raison de son absence" in errors_of(response)
        response = client.post(
            reverse("job_seeker_signup"), signup_data(nir="", lack_of_nir_reason=LackOfNIRReason.NO_NIR)
        )
        assert response.status_code == 302
        assert User.objects.get().jobseeker_profile.lack_of_nir_reason == LackOfNIRReason.NO_NIR

    def test_nir_typed_with_spaces_is_normalised(self, client, db):
        nir = signup_data()["nir"]
        spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
        assert client.post(reverse("job_seeker_signup"), signup_data(nir=spaced)).status_code == 302
        assert User.objects.get().jobseeker_profile.nir == nir

    @pytest.mark.parametrize(
        "overrides,message",
        [
            ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
            ({"email": "agent@francetravail.fr"}, "Une adresse e-mail France Travail"),
            ({"email": "a" * 300 + "@example.com"}, "au plus 254 caractères"),
            ({"nir": "12345"}, "trop court"),
            ({"nir": "2900369123042" + "00"}, "La clé de contrôle"),
            ({"title": "M"}, "La civilité ne correspond pas"),
            ({"birthdate": "1991-03-15"}, "L'année et le mois de naissance ne correspondent pas"),
            ({"password1": "court", "password2": "court"}, "au minimum 16 caractères"),
            ({"password1": "tout-en-minuscules-et-long", "password2": "tout-en-minuscules-et-long"}, "3 des 4 types"),
            ({"password2": "Un-autre-mot-de-passe-42"}, "ne sont pas identiques"),
            ({"birthdate": "2020-01-01"}, "plus de 16 ans"),
            ({"birthdate": "pas-une-date"}, "Saisissez une date valide"),
        ],
    )
    def test_bad_input_gets_a_clear_french_message_and_keeps_the_data(self, client, db, overrides, message):
        response = client.post(reverse("job_seeker_signup"), signup_data(**overrides))
        assert response.status_code == 200
        assert message in errors_of(response)
        assert not User.objects.exists()
        # What the person typed is kept (but never the passwords).
        assert 'value="Camille"' in response.content.decode()

    def test_existing_email_in_other_case_is_refused(self, client, db):
        JobSeekerFactory(email="camille.dupont@example.com")
        response = client.post(reverse("job_seeker_signup"), signup_data(email="Camille.Dupont@EXAMPLE.com"))
        assert "Un compte existe déjà avec cette adresse e-mail" in errors_of(response)

    def test_existing_nir_is_refused(self, client, db):
        other = JobSeekerFactory()
        nir = other.jobseeker_profile.nir
        birthdate = other.jobseeker_profile.birthdate
        response = client.post(reverse("job_seeker_signup"), signup_data(nir=nir, birthdate=birthdate.isoformat()))
        assert "déjà associé à un compte" in errors_of(response)

    def test_logged_in_user_is_sent_to_the_dashboard(self, client, db):
        client.force_login(ProfessionalFactory())
        assert client.get(reverse("job_seeker_signup"))["Location"] == reverse("dashboard")

    def test_the_confirmation_link_uses_the_site_url_whatever_the_host_header(
        self, client, db, settings, django_capture_on_commit_callbacks
    ):
        settings.SITE_URL = "https://emplois.exemple.gouv.fr"
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "pirate.example"]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("job_seeker_signup"), signup_data(), HTTP_HOST="pirate.example")
        body = mail.outbox[-1].body
        assert "https://emplois.exemple.gouv.fr/inscription/confirmer/" in body
        assert "pirate.example" not in body


class TestPasswordReset:
    def test_the_page_says_what_happens_and_its_button_is_short(self, client, db):
        page = client.get(reverse("password_reset")).content.decode()
        assert "votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe.</p>" in page
        assert '<button class="fr-btn fr-mt-2w" type="submit">Recevoir le lien</button>' in page

    def test_reset_by_email_link(self, client, db):
        user = JobSeekerFactory(email="sophie@example.com")
        response = client.post(reverse("password_reset"), {"email": "sophie@example.com"})
        assert response["Location"] == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject.startswith("Choisissez un nouveau mot de passe")
        link = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+)", mail.outbox[0].body).group(1)
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200
        response = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD},
        )
        assert response["Location"] == reverse("password_reset_complete")
        user.refresh_from_db()
        assert user.check_password(STRONG_PASSWORD)

    def test_reset_link_also_confirms_the_email_address(self, client, db):
        user = JobSeekerFactory(email="sophie@example.com", email_verified_at=None)
        client.post(reverse("password_reset"), {"email": "sophie@example.com"})
        link = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+)", mail.outbox[0].body).group(1)
        form_page = client.get(link, follow=True)
        client.post(
            form_page.redirect_chain[-1][0], {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}
        )
        user.refresh_from_db()
        assert user.email_verified_at is not None

    def test_link_is_valid_one_day(self, client, db):
        JobSeekerFactory(email="sophie@example.com")
        with time_machine.travel("2026-11-21 10:00 +01:00", tick=False) as traveller:
            client.post(reverse("password_reset"), {"email": "sophie@example.com"})
            link = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+)", mail.outbox[0].body).group(1)
            traveller.move_to("2026-11-22 10:00:01 +01:00")
            response = client.get(link, follow=True)
        assert "Ce lien n'est plus valide" in response.content.decode()

    def test_unknown_email_reveals_nothing(self, client, db):
        response = client.post(reverse("password_reset"), {"email": "inconnu@example.com"})
        assert response["Location"] == reverse("password_reset_done")
        assert mail.outbox == []
