"""The "completer" page of the wizards (applications.md §8.4, §13.3) and the job seeker's own profile (§17)."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inclusion.geo.models import Country
from inclusion.users import job_seeker_data
from inclusion.users.enums import IdentityCertifier
from inclusion.users.models import IdentityCertification, JobSeekerProfile, User
from inclusion.users.validators import nir_key
from tests.companies.factories import CompanyFactory
from tests.geo.factories import CommuneFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory, valid_nir

NEXT = "/entreprise/candidatures/suite/"
NOW = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def france(db):
    CommuneFactory()  # Lyon (69123)
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


@pytest.fixture
def employer(db):
    user = ProfessionalFactory()
    CompanyFactory(with_member=user)
    return user


@pytest.fixture
def orienteur(db):
    user = ProfessionalFactory()
    PrescriberOrganizationFactory(with_member=user)
    return user


def complete_url(job_seeker, next_url=NEXT):
    return reverse("job_seeker_complete", args=[job_seeker.public_id]) + f"?next={next_url}"


def complete_data(france, **overrides):
    return {
        "pole_emploi_id": "1234567A",
        "lack_of_pole_emploi_id_reason": "",
        "birthdate": "1990-03-15",
        "birth_country": france.pk,
        "birth_place": "Lyon (69)",
        "birth_place_slug": "lyon-69",
        "address_line_1": "3 place Bellecour",
        "address_line_2": "",
        "post_code": "69002",
        "city": "Lyon",
        **overrides,
    }


def errors_of(response):
    return " ".join(str(error) for errors in response.context["form"].errors.values() for error in errors)


class TestCompleteAccess:
    def test_not_a_job_seeker(self, client, employer):
        client.force_login(employer)
        assert client.get(complete_url(ProfessionalFactory())).status_code == 404

    def test_orienteur_who_did_not_create_the_account(self, client, orienteur):
        client.force_login(orienteur)
        assert client.get(complete_url(JobSeekerFactory())).status_code == 403

    def test_orienteur_who_created_the_account(self, client, orienteur):
        client.force_login(orienteur)
        assert client.get(complete_url(JobSeekerFactory(created_by=orienteur))).status_code == 200

    @pytest.mark.parametrize("persona", ["institution_member", "staff", "other_job_seeker"])
    def test_refused(self, client, db, persona):
        if persona == "institution_member":
            user = ProfessionalFactory()
            InstitutionFactory(with_member=user)
        elif persona == "staff":
            user = StaffFactory()
        else:
            user = JobSeekerFactory()
        login(client, user)
        assert client.get(complete_url(JobSeekerFactory())).status_code == 403

    def test_anonymous(self, client, db):
        assert client.get(complete_url(JobSeekerFactory()))["Location"].startswith(reverse("login"))


class TestComplete:
    def test_lists_what_is_missing(self, client, employer):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        page = client.get(complete_url(job_seeker)).content.decode()
        assert "Informations à compléter" in page
        assert "Identifiant France Travail (ou la raison de son absence)" in page
        assert "Adresse (voie, code postal et ville)" in page
        # The NIR is set: shown, not editable (corrections go through the support).
        assert job_seeker.jobseeker_profile.nir in page
        assert 'name="nir"' not in page

    def test_saves_checks_and_goes_on(self, client, employer, france):
        job_seeker = JobSeekerFactory(last_checked_at=NOW - datetime.timedelta(days=400))
        client.force_login(employer)
        with time_machine.travel(NOW, tick=False):
            response = client.post(complete_url(job_seeker), complete_data(france))
        assert response["Location"] == NEXT
        job_seeker = User.objects.get(pk=job_seeker.pk)
        assert job_seeker.last_checked_at == NOW
        assert (job_seeker.address_line_1, job_seeker.post_code, job_seeker.commune.code_insee) == (
            "3 place Bellecour",
            "69002",
            "69123",
        )
        profile = job_seeker.jobseeker_profile
        assert (profile.pole_emploi_id, profile.birth_country, profile.birth_place.code_insee) == (
            "1234567A",
            france,
            "69123",
        )

    def test_unsafe_next_goes_to_the_dashboard(self, client, employer, france):
        client.force_login(employer)
        response = client.post(complete_url(JobSeekerFactory(), "https://pirate.example/"), complete_data(france))
        assert response["Location"] == reverse("dashboard")

    def test_nir_or_reason_when_none_is_set(self, client, employer, france):
        job_seeker = JobSeekerFactory(without_nir=True)
        client.force_login(employer)
        nir = valid_nir(order=321)
        response = client.post(complete_url(job_seeker), complete_data(france, nir=nir, lack_of_nir_reason=""))
        assert response.status_code == 302
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == nir

    def test_duplicate_nir_is_a_french_error(self, client, employer, france):
        holder = JobSeekerFactory()
        job_seeker = JobSeekerFactory(without_nir=True)
        client.force_login(employer)
        data = complete_data(france, nir=holder.jobseeker_profile.nir, lack_of_nir_reason="")
        response = client.post(complete_url(job_seeker), data)
        assert response.status_code == 200
        assert "déjà associé à un compte" in errors_of(response)
        assert 'value="3 place Bellecour"' in response.content.decode()

    def test_france_travail_forgotten_clears_the_identifier(self, client, employer, france):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        client.post(complete_url(job_seeker), complete_data(france, lack_of_pole_emploi_id_reason="FORGOTTEN"))
        profile = JobSeekerProfile.objects.get(user=job_seeker)
        assert (profile.pole_emploi_id, profile.lack_of_pole_emploi_id_reason) == ("", "FORGOTTEN")

    def test_france_travail_identifier_wins_over_not_registered(self, client, employer, france):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        client.post(complete_url(job_seeker), complete_data(france, lack_of_pole_emploi_id_reason="NOT_REGISTERED"))
        profile = JobSeekerProfile.objects.get(user=job_seeker)
        assert (profile.pole_emploi_id, profile.lack_of_pole_emploi_id_reason) == ("1234567A", "")

    @pytest.mark.parametrize(
        "overrides,message",
        [
            ({"pole_emploi_id": ""}, "Saisissez l'identifiant France Travail ou la raison"),
            ({"post_code": "ABCDE"}, "Le code postal doit comporter 5 chiffres"),
            ({"birthdate": ""}, "Indiquez la date de naissance"),
            ({"birthdate": "1990-02-15"}, "L'année et le mois de naissance ne correspondent pas"),
            ({"birth_country": ""}, "Indiquez le pays de naissance"),
            ({"birth_place": ""}, "obligatoire pour une personne née en France"),
            ({"address_line_1": ""}, "Indiquez l'adresse"),
        ],
    )
    def test_bad_input(self, client, employer, france, overrides, message):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        response = client.post(complete_url(job_seeker), complete_data(france, **overrides))
        assert response.status_code == 200
        assert message in errors_of(response)
        assert not User.objects.filter(pk=job_seeker.pk, address_line_1="3 place Bellecour").exists()

    def test_certified_fields_are_read_only(self, client, employer, france):
        job_seeker = JobSeekerFactory()
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.API_PARTICULIER)
        client.force_login(employer)
        page = client.get(complete_url(job_seeker))
        assert page.context["form"].fields["birthdate"].disabled
        client.post(complete_url(job_seeker), complete_data(france, birthdate="1990-03-20"))
        assert JobSeekerProfile.objects.get(user=job_seeker).birthdate == datetime.date(1990, 3, 15)
        assert IdentityCertification.objects.exists()

    def test_changed_birthdate_wipes_certifications(self, client, employer, france):
        job_seeker = JobSeekerFactory(without_nir=True)
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.FRANCE_TRAVAIL)
        client.force_login(employer)
        client.post(
            complete_url(job_seeker), complete_data(france, birthdate="1990-03-20", lack_of_nir_reason="NO_NIR")
        )
        assert JobSeekerProfile.objects.get(user=job_seeker).birthdate == datetime.date(1990, 3, 20)
        assert not IdentityCertification.objects.exists()

    def test_birth_data_prefilled_from_the_nir(self, client, employer, france):
        job_seeker = JobSeekerFactory()
        JobSeekerProfile.objects.filter(user=job_seeker).update(nir=valid_nir(order=12, department="69"))
        client.force_login(employer)
        form = client.get(complete_url(job_seeker)).context["form"]
        assert form["birth_country"].value() == france.pk
        assert form["birth_place"].value() == "Lyon (69)"

    def test_warns_when_checked_more_than_6_months_ago(self, client, employer, france):
        job_seeker = JobSeekerFactory(last_checked_at=timezone.now() - datetime.timedelta(days=200))
        client.force_login(employer)
        client.post(complete_url(job_seeker), complete_data(france))  # complete, but checked long ago
        User.objects.filter(pk=job_seeker.pk).update(last_checked_at=timezone.now() - datetime.timedelta(days=200))
        assert "Informations à vérifier" in client.get(complete_url(job_seeker)).content.decode()

    def test_the_job_seeker_completes_their_own_data(self, client, france):
        job_seeker = JobSeekerFactory()
        client.force_login(job_seeker)
        response = client.post(complete_url(job_seeker), complete_data(france))
        assert response["Location"] == NEXT


class TestCompletePhone:
    """applications.md §13.8: the end of the wizard sends proxies here to complete the address *and the phone*."""

    def test_the_phone_is_saved(self, client, employer, france):
        job_seeker = JobSeekerFactory(phone="")
        client.force_login(employer)
        assert 'name="phone"' in client.get(complete_url(job_seeker)).content.decode()
        response = client.post(complete_url(job_seeker), complete_data(france, phone="06 12 34 56 78"))
        assert response["Location"] == NEXT
        assert User.objects.get(pk=job_seeker.pk).phone == "06 12 34 56 78"

    def test_the_phone_stays_optional(self, client, employer, france):
        job_seeker = JobSeekerFactory(phone="")
        client.force_login(employer)
        assert client.post(complete_url(job_seeker), complete_data(france, phone=""))["Location"] == NEXT

    @pytest.mark.parametrize(
        "phone",
        [
            "0" * 21,  # organizations.md §2: at most 20 characters
            "06 12 34",  # too few digits
            "06 12 34 56 7A",
        ],
    )
    def test_a_bad_phone_is_a_french_error_and_keeps_the_input(self, client, employer, france, phone):
        job_seeker = JobSeekerFactory(phone="04 78 00 00 00")
        client.force_login(employer)
        response = client.post(complete_url(job_seeker), complete_data(france, phone=phone))
        assert response.status_code == 200
        assert "numéro de téléphone" in errors_of(response) or "20 caractères" in errors_of(response)
        assert 'value="3 place Bellecour"' in response.content.decode()
        assert User.objects.get(pk=job_seeker.pk).phone == "04 78 00 00 00"

    def test_20_characters_are_accepted(self, client, employer, france):
        job_seeker = JobSeekerFactory(phone="")
        client.force_login(employer)
        phone = "+33 (0)6 12 34 56 78"
        assert len(phone) == 20
        assert client.post(complete_url(job_seeker), complete_data(france, phone=phone))["Location"] == NEXT
        assert User.objects.get(pk=job_seeker.pk).phone == phone


def danish_nir():
    """A man born in Denmark in July 1998: department "99" then the INSEE country code 101 (organizations.md §4.1)."""
    first_13 = "1980799101042"
    return f"{first_13}{nir_key(first_13):02d}"


@pytest.fixture
def denmark(db):
    return Country.objects.get_or_create(
        insee_code="99101", defaults={"asp_code": "101", "name": "DANEMARK", "kind": "country"}
    )[0]


def missing_box(response):
    page = html.unescape(response.content.decode())
    match = re.search(r"Informations à compléter</h2>(.*?)</ul>", page, re.S)
    return match.group(1) if match else ""


class TestMissingBox:
    """The orange « Informations à compléter » box lists what the *saved* data lacks; an item that the fields below
    already hold (pre-filled from the NIR, or typed on a page sent back with errors) says it is not saved yet, instead
    of contradicting the select that shows a country."""

    def test_a_birth_country_prefilled_from_the_nir_is_not_reported_as_empty(self, client, employer, denmark):
        job_seeker = JobSeekerFactory(
            title="M", profile__nir=danish_nir(), profile__birthdate=datetime.date(1998, 7, 21)
        )
        client.force_login(employer)
        response = client.get(complete_url(job_seeker))
        assert response.context["form"]["birth_country"].value() == denmark.pk
        box = missing_box(response)
        assert "Pays de naissance : valeur indiquée ci-dessous mais pas encore enregistrée" in box
        # What the fields do not hold is still plainly missing.
        assert "<li>Identifiant France Travail (ou la raison de son absence)</li>" in box

    def test_saving_the_prefilled_country_clears_the_box(self, client, employer, denmark):
        job_seeker = JobSeekerFactory(
            title="M", profile__nir=danish_nir(), profile__birthdate=datetime.date(1998, 7, 21)
        )
        client.force_login(employer)
        data = complete_data(denmark, birthdate="1998-07-21", birth_place="", birth_place_slug="")
        assert client.post(complete_url(job_seeker), data)["Location"] == NEXT
        assert JobSeekerProfile.objects.get(user=job_seeker).birth_country == denmark
        assert "Informations à compléter" not in client.get(complete_url(job_seeker)).content.decode()

    def test_a_country_typed_on_a_page_sent_back_with_errors(self, client, employer, denmark):
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        data = complete_data(denmark, birth_place="", birth_place_slug="", address_line_1="")
        response = client.post(complete_url(job_seeker), data)
        assert response.status_code == 200
        box = missing_box(response)
        assert "Pays de naissance : valeur indiquée ci-dessous mais pas encore enregistrée" in box
        # The address field is the one in error: still missing, without the note.
        assert "<li>Adresse (voie, code postal et ville)</li>" in box

    def test_an_empty_select_is_reported_plainly(self, client, employer, denmark):
        # No NIR: nothing pre-fills the country (with a NIR, the reference data's France would).
        job_seeker = JobSeekerFactory(without_nir=True)
        client.force_login(employer)
        assert "<li>Pays de naissance</li>" in missing_box(client.get(complete_url(job_seeker)))

    def test_a_refused_save_shows_the_saved_nir_only(self, client, employer, france, monkeypatch):
        """Another account takes the NIR between the form's check and the write: the page shows what is saved."""
        job_seeker = JobSeekerFactory(profile__nir="")
        client.force_login(employer)

        def taken(*args, **kwargs):
            raise job_seeker_data.NIRAlreadyUsed

        monkeypatch.setattr(job_seeker_data, "save_job_seeker", taken)
        nir = valid_nir(order=322)
        response = client.post(complete_url(job_seeker), complete_data(france, nir=nir, lack_of_nir_reason=""))
        assert response.status_code == 200
        assert "déjà associé à un autre candidat" in errors_of(response)
        assert "Numéro de sécurité sociale : <strong>" not in response.content.decode()
        assert "Numéro de sécurité sociale (ou la raison de son absence)" in missing_box(response)


class TestBirthPlaceSlug:
    def test_a_nul_character_in_the_hidden_slug_is_no_server_error(self, client, employer, france):
        """PostgreSQL refuses a NUL in a query: the hidden input (never checked by a browser) must not reach it."""
        job_seeker = JobSeekerFactory()
        client.force_login(employer)
        data = complete_data(france, birth_place_slug="lyon\x00-69")
        with CaptureQueriesContext(connection) as queries:
            response = client.post(complete_url(job_seeker), data)
        assert not [query for query in queries if "\x00" in query["sql"]]
        assert response.status_code == 200
        assert response.context["form"].errors["birth_place_slug"]
        assert 'value="3 place Bellecour"' in response.content.decode()

    def test_a_nul_character_at_signup(self, client, france):
        data = {
            "title": "MME",
            "first_name": "Léa",
            "last_name": "Fontaine",
            "email": "lea.fontaine@example.com",
            "nir": "",
            "lack_of_nir_reason": "NO_NIR",
            "birthdate": "1990-03-15",
            "birth_country": france.pk,
            "birth_place": "Lyon (69)",
            "birth_place_slug": "\x00",
            "password1": "Un-mot-de-passe-solide-2026",
            "password2": "Un-mot-de-passe-solide-2026",
        }
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("job_seeker_signup"), data)
        assert not [query for query in queries if "\x00" in query["sql"]]
        assert response.status_code == 200
        assert response.context["form"].errors["birth_place_slug"]
        assert not User.objects.filter(email="lea.fontaine@example.com").exists()


class TestProfile:
    def profile_data(self, france, **overrides):
        return {
            "title": "MME",
            "first_name": "Sophie",
            "last_name": "Durand",
            "phone": "",
            "address_line_1": "12 rue de la République",
            "address_line_2": "",
            "post_code": "69003",
            "city": "Lyon",
            "birthdate": "1990-03-15",
            "birth_country": france.pk,
            "birth_place": "Lyon (69)",
            "birth_place_slug": "lyon-69",
            "pole_emploi_id": "",
            "lack_of_pole_emploi_id_reason": "NOT_REGISTERED",
            "education_level": "",
            "has_rsa_allocation": "NON",
            "rsa_allocation_since": "",
            **overrides,
        }

    @pytest.mark.parametrize("persona", ["employer", "orienteur"])
    def test_job_seekers_only(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("job_seeker_profile")).status_code == 403

    def test_staff_refused(self, client, db):
        login(client, StaffFactory())
        assert client.get(reverse("job_seeker_profile")).status_code == 403

    def test_anonymous(self, client, db):
        assert client.get(reverse("job_seeker_profile"))["Location"].startswith(reverse("login"))

    def test_incomplete_profile_is_announced(self, client, db):
        job_seeker = JobSeekerFactory()
        client.force_login(job_seeker)
        assert "Complétez votre profil" in client.get(reverse("job_seeker_profile")).content.decode()

    def test_edit(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        client.force_login(job_seeker)
        data = self.profile_data(france, phone="06 12 34 56 78", education_level="40", rqth_employee="on")
        response = client.post(reverse("job_seeker_profile"), data)
        assert response["Location"] == reverse("dashboard")
        job_seeker = User.objects.get(pk=job_seeker.pk)
        assert (job_seeker.phone, job_seeker.city, job_seeker.commune.code_insee) == (
            "06 12 34 56 78",
            "Lyon",
            "69123",
        )
        profile = job_seeker.jobseeker_profile
        assert (profile.education_level, profile.rqth_employee, profile.lack_of_pole_emploi_id_reason) == (
            "40",
            True,
            "NOT_REGISTERED",
        )

    def test_name_change_wipes_certifications(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.FRANCE_TRAVAIL)
        client.force_login(job_seeker)
        client.post(reverse("job_seeker_profile"), self.profile_data(france))
        assert IdentityCertification.objects.exists()  # nothing of the identity changed
        client.post(reverse("job_seeker_profile"), self.profile_data(france, last_name="Durand-Martin"))
        assert User.objects.get(pk=job_seeker.pk).last_name == "Durand-Martin"
        assert not IdentityCertification.objects.exists()

    def test_fields_certified_by_api_particulier_are_read_only(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        IdentityCertification.objects.create(job_seeker=job_seeker, certifier=IdentityCertifier.API_PARTICULIER)
        client.force_login(job_seeker)
        page = client.get(reverse("job_seeker_profile"))
        assert page.context["form"].fields["last_name"].disabled
        assert "les champs grisés ne peuvent pas être modifiés" in page.content.decode()
        response = client.post(
            reverse("job_seeker_profile"), self.profile_data(france, last_name="Autre", title="M", city="Bron")
        )
        assert response.status_code == 302, response.context["form"].errors
        job_seeker = User.objects.get(pk=job_seeker.pk)
        assert (job_seeker.last_name, job_seeker.title, job_seeker.city) == ("Durand", "MME", "Bron")
        assert IdentityCertification.objects.exists()

    def test_a_set_nir_is_not_editable(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand")
        nir = job_seeker.jobseeker_profile.nir
        client.force_login(job_seeker)
        client.post(reverse("job_seeker_profile"), self.profile_data(france, nir=valid_nir(order=400)))
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == nir

    def test_a_nir_may_be_added(self, client, france):
        job_seeker = JobSeekerFactory(first_name="Sophie", last_name="Durand", without_nir=True)
        client.force_login(job_seeker)
        nir = valid_nir(order=401)
        response = client.post(
            reverse("job_seeker_profile"), self.profile_data(france, nir=nir, lack_of_nir_reason="")
        )
        assert response.status_code == 302
        assert JobSeekerProfile.objects.get(user=job_seeker).nir == nir

    def test_required_items_of_a_complete_profile(self, client, france):
        job_seeker = JobSeekerFactory()
        client.force_login(job_seeker)
        response = client.post(reverse("job_seeker_profile"), self.profile_data(france, title="", city=""))
        assert response.status_code == 200
        assert "Indiquez la civilité." in errors_of(response)
        assert "Indiquez la ville." in errors_of(response)

    def test_a_job_seeker_without_profile_gets_one(self, client, france):
        job_seeker = JobSeekerFactory(profile=None)
        client.force_login(job_seeker)
        data = self.profile_data(france, nir="", lack_of_nir_reason="NO_NIR")
        assert client.post(reverse("job_seeker_profile"), data).status_code == 302
        assert JobSeekerProfile.objects.get(user=job_seeker).lack_of_nir_reason == "NO_NIR"
