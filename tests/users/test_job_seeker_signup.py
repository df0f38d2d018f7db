"""Self-signup (organizations.md §5.1): NIR or an explicit skip, title, names, e-mail, birthdate, birth place and
country; refused when the e-mail or the NIR exists. (The e-mail confirmation is tested in test_auth_views.py.)"""

import datetime

import pytest
from django.urls import reverse

from inclusion.geo.models import Country
from inclusion.users.models import JobSeekerProfile, User
from tests.geo.factories import CommuneFactory
from tests.users.factories import JobSeekerFactory, valid_nir

PASSWORD = "Un-mot-de-passe-Solide-42"


@pytest.fixture
def france(db):
    CommuneFactory()  # Lyon (69)
    return Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]


@pytest.fixture
def morocco(db):
    return Country.objects.get_or_create(
        insee_code="99350", defaults={"asp_code": "350", "name": "MAROC", "kind": "country"}
    )[0]


def data(country, **overrides):
    return {
        "title": "MME",
        "first_name": "Camille",
        "last_name": "Dupont",
        "email": "camille.dupont@example.com",
        "nir": valid_nir(birthdate=datetime.date(1990, 3, 15), order=42),
        "lack_of_nir_reason": "",
        "birthdate": "1990-03-15",
        "birth_country": country.pk,
        "birth_place": "Lyon (69)",
        "birth_place_slug": "lyon-69",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def errors_of(response):
    return " ".join(str(error) for errors in response.context["form"].errors.values() for error in errors)


def test_the_page_asks_every_item(client, db):
    page = client.get(reverse("job_seeker_signup")).content.decode()
    for name in ("title", "first_name", "last_name", "email", "nir", "lack_of_nir_reason", "birthdate"):
        assert f'name="{name}"' in page
    for name in ("birth_country", "birth_place", "birth_place_slug"):
        assert f'name="{name}"' in page
    assert "autocomplete.js" in page


def test_birth_data_is_stored(client, france):
    assert client.post(reverse("job_seeker_signup"), data(france)).status_code == 302
    profile = User.objects.get(email="camille.dupont@example.com").jobseeker_profile
    assert (profile.birth_country, profile.birth_place.code_insee) == (france, "69123")


def test_birth_place_typed_without_the_list(client, france):
    response = client.post(reverse("job_seeker_signup"), data(france, birth_place="lyon", birth_place_slug=""))
    assert response.status_code == 302
    assert JobSeekerProfile.objects.get().birth_place.code_insee == "69123"


def test_born_abroad_needs_no_birth_place(client, france, morocco):
    response = client.post(
        reverse("job_seeker_signup"), data(morocco, birth_place="Lyon (69)", nir="", lack_of_nir_reason="NO_NIR")
    )
    assert response.status_code == 302
    profile = JobSeekerProfile.objects.get()
    assert (profile.birth_country, profile.birth_place) == (morocco, None)


def test_explicit_skip_of_the_nir(client, france):
    response = client.post(reverse("job_seeker_signup"), data(france, nir="", lack_of_nir_reason="NO_NIR"))
    assert response.status_code == 302
    assert JobSeekerProfile.objects.get().lack_of_nir_reason == "NO_NIR"


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"birth_country": ""}, "Indiquez votre pays de naissance."),
        ({"birth_country": "999999"}, "Choisissez un pays dans la liste."),
        ({"birth_place": "", "birth_place_slug": ""}, "obligatoire pour une personne née en France"),
        ({"birth_place": "Atlantide", "birth_place_slug": ""}, "Commune inconnue"),
        ({"nir": "", "lack_of_nir_reason": ""}, "Saisissez votre numéro de sécurité sociale ou la raison"),
        ({"lack_of_nir_reason": "NO_NIR"}, "ne sélectionnez pas de raison"),
    ],
)
def test_bad_input_keeps_the_data(client, france, overrides, message):
    response = client.post(reverse("job_seeker_signup"), data(france, **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert 'value="Camille"' in response.content.decode()
    assert not User.objects.exists()


def test_existing_nir_is_refused(client, france):
    other = JobSeekerFactory()
    profile = other.jobseeker_profile
    response = client.post(
        reverse("job_seeker_signup"), data(france, nir=profile.nir, birthdate=profile.birthdate.isoformat())
    )
    assert "déjà associé à un compte" in errors_of(response)
    assert User.objects.count() == 1
