"""The public forms under random input (issue 6 §5): job seeker signup, login, password reset, the searches.

Whatever is posted or put in the query string (NUL bytes, long or foreign text, numbers out of range, missing,
repeated or unknown fields), the answer is never a server error, and a form posted again shows its error in French.
"""

from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from inclusion.geo.models import Country
from tests.companies.factories import CompanyFactory, JobDescriptionFactory
from tests.geo.factories import CommuneFactory
from tests.robustness.fuzz import assert_answered_in_french, form_data
from tests.robustness.helpers import examples, rolled_back
from tests.robustness.strategies import nasty_text, posted_dates, well_formed_nirs
from tests.users.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Un-Mot-De-Passe-Solide-2026"
emails = st.one_of(st.emails(), st.sampled_from(["nom@domaine.fr", "candidat@francetravail.fr", "@", "a@b"]))


@pytest.fixture
def places():
    lyon = CommuneFactory()
    france = Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )[0]
    return lyon, france


@examples(15)
@given(
    data=form_data(
        {
            "title": st.sampled_from(["M", "MME"]),
            "first_name": st.just("Camille"),
            "last_name": st.just("Martin"),
            "email": emails,
            "nir": well_formed_nirs(),
            "lack_of_nir_reason": st.sampled_from(["", "TEMPORARY_NUMBER", "NO_NIR"]),
            "birthdate": posted_dates,
            "birth_country": st.sampled_from(["1", "0", "-1", "99999999999999999999"]),
            "birth_place": st.sampled_from(["Lyon (69)", "Lyon"]),
            "birth_place_slug": st.sampled_from(["lyon-69", ""]),
            "password1": st.just(PASSWORD),
            "password2": st.just(PASSWORD),
        },
        numbers=("birth_country",),
    )
)
@example(data={"nir": "\x00" * 15, "birth_place_slug": "\x00", "birth_country": "1" * 30})
def test_job_seeker_signup(client, places, data):
    with rolled_back():
        response = client.post(reverse("job_seeker_signup"), data)
    assert_answered_in_french(response, form_posted=True)


@examples(15)
@given(
    data=form_data({"username": emails, "password": st.one_of(st.just(PASSWORD), nasty_text)}),
    next_url=st.one_of(st.none(), nasty_text, st.sampled_from(["/tableau-de-bord/", "https://ailleurs.example/"])),
)
def test_login(client, db, data, next_url):
    cache.clear()  # the login throttle counts failures per address: each example starts afresh
    url = reverse("login") if next_url is None else f"{reverse('login')}?{urlencode({'next': next_url})}"
    response = client.post(url, data)
    assert_answered_in_french(response, form_posted=True)
    if response.status_code == 302:
        # Only the right password logs in, and never towards another site.
        assert not response["Location"].startswith("https://ailleurs")


@examples(10)
@given(data=form_data({"email": emails}))
def test_password_reset_request(client, db, data):
    with rolled_back():
        JobSeekerFactory(email="nom@domaine.fr")
        response = client.post(reverse("password_reset"), data)
    assert_answered_in_french(response, form_posted=True)


@examples(10)
@given(
    uidb64=st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True), nasty_text),
    token=st.one_of(st.from_regex(r"[a-z0-9]{1,8}-[a-f0-9]{1,40}", fullmatch=True), nasty_text),
    data=form_data({"new_password1": st.just(PASSWORD), "new_password2": st.just(PASSWORD)}),
)
def test_password_reset_link_with_any_token(client, db, uidb64, token, data):
    """A forged or damaged link: a French page saying the link is not valid, whatever the path holds."""
    url = f"/mot-de-passe/nouveau/{_path_segment(uidb64)}/{_path_segment(token)}/"
    assert_answered_in_french(client.get(url))
    assert_answered_in_french(client.post(url, data))


# --- Searches (GET): the query string is the form


@pytest.fixture
def search_world(places):
    lyon, _france = places
    for _index in range(3):
        company = CompanyFactory(commune=lyon, with_member=True)
        JobDescriptionFactory(company=company)


search_params = {
    "city": st.sampled_from(["lyon-69", "lyon", "69123"]),
    "city_name": st.sampled_from(["Lyon (69)", "Lyon", "lyon-69"]),
    "distance": st.sampled_from(["2", "5", "10", "15", "25", "50", "100"]),
    "page": st.sampled_from(["1", "2", "last", "0", "-1"]),
    "kinds": st.sampled_from(["ACI", "EI", "GEIQ", "EA", "RESERVED"]),
    "departments": st.sampled_from(["69", "2A", "971", "00", "69 "]),
    "domains": st.sampled_from(["A", "K", "Z"]),
    "contract_types": st.sampled_from(["FIXED_TERM_I", "PERMANENT", "OTHER"]),
}


@examples(20)
@given(
    url_name=st.sampled_from(["search_companies", "search_job_descriptions", "search_prescribers"]),
    params=form_data(search_params, numbers=("distance", "page")),
)
@example(url_name="search_companies", params={"city": "\x00", "city_name": "Lyon"})
@example(url_name="search_job_descriptions", params={"city": "lyon-69", "page": "9" * 400})
@example(url_name="search_prescribers", params={"city_name": "\x00" * 3, "distance": "1e309"})
def test_searches(client, search_world, url_name, params):
    response = client.get(reverse(url_name), params)
    assert_answered_in_french(response)
    assert response.status_code == 200
    html = response.content.decode()
    searched = "city" in params or "city_name" in params
    if searched and "résultat" not in response.context["title"]:
        # Not searched: the form says why, in French.
        assert "fr-error-text" in html or "fr-alert--error" in html or "fr-message--error" in html, params


def _path_segment(text):
    """A path segment as a browser sends it: percent-encoded, never empty nor a slash."""
    return quote(text, safe="") or "x"


@examples(20)
@given(
    url_name=st.sampled_from(["commune_autocomplete", "appellation_autocomplete"]),
    params=form_data({"term": st.sampled_from(["lyon", "69003", "Œuvre", "agent de propreté", "K2204", "l'"])}),
)
@example(url_name="commune_autocomplete", params={"term": "\x00"})
@example(url_name="appellation_autocomplete", params={"term": "(" * 50 + "\\"})
def test_autocompletes(client, search_world, url_name, params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)
