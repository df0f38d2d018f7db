"""The job seeker pages of the professionals under random input (issue 6 §5; organizations.md §5.2): the search by
NIR and by e-mail, the three creation steps (identity and birth data, address, situation), and the "completer" page
of the wizards. An employer acts, as the forms allow employers and prescribers alike."""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from inclusion.geo.models import Country
from tests.companies.factories import CompanyFactory
from tests.geo.factories import CommuneFactory
from tests.robustness.fuzz import assert_answered_in_french, form_data, posted
from tests.robustness.helpers import examples, rolled_back
from tests.robustness.strategies import nasty_text, posted_dates, well_formed_nirs
from tests.users.factories import JobSeekerFactory, ProfessionalFactory
from tests.users.test_job_seeker_find import ADDRESS, IDENTITY, SITUATION, start, step_url

pytestmark = pytest.mark.django_db

NIR_NOBODY_HAS = IDENTITY["nir"]


@pytest.fixture
def employer_client(client):
    CommuneFactory()  # Lyon, the birth place and the address of the plausible values
    Country.objects.get_or_create(
        insee_code=Country.FRANCE_INSEE_CODE, defaults={"asp_code": "100", "name": "FRANCE", "kind": "country"}
    )
    employer = ProfessionalFactory()
    CompanyFactory(with_member=employer)
    client.force_login(employer)
    return client


def france_pk():
    return str(Country.objects.get(insee_code=Country.FRANCE_INSEE_CODE).pk)


next_urls = st.one_of(
    st.sampled_from(["/tableau-de-bord/", "//ailleurs.example/", "https://ailleurs.example/"]), nasty_text
)


@examples(15)
@given(data=form_data({"nir": well_formed_nirs(), "next": next_urls}))
@example(data={"nir": "\x00" * 15})
@example(data={"nir": ["269054958815780", "2690549588157 80"]})
def test_search_by_nir(employer_client, data):
    with rolled_back():
        response = employer_client.post(reverse("job_seeker_find"), data)
    assert_answered_in_french(response, form_posted=True)
    if response.status_code == 302:
        assert "ailleurs.example" not in response["Location"]


@examples(12)
@given(
    data=form_data(
        {
            "email": st.one_of(st.emails(), st.just("conseiller@francetravail.fr")),
            "action": st.sampled_from(["", "no_email", "search"]),
        }
    )
)
def test_search_by_email(employer_client, data):
    with rolled_back():
        _response, state_id = start(employer_client, NIR_NOBODY_HAS)
        response = employer_client.post(step_url(state_id, "email"), data)
    assert_answered_in_french(response, form_posted=posted(data, "action") != "no_email")


# The plausible values of each creation step; the steps before it are filled with valid data.
STEPS = {
    "identite": (
        {
            "title": st.sampled_from(["M", "MME"]),
            "first_name": st.just("Camille"),
            "last_name": st.just("Martin"),
            "birthdate": posted_dates,
            "birth_country": st.sampled_from(["FRANCE_PK", "0", "-1"]),
            "birth_place": st.sampled_from(["Lyon (69)", "Lyon", "Atlantide (99)"]),
            "birth_place_slug": st.sampled_from(["lyon-69", "", "nulle-part-00"]),
            "nir": well_formed_nirs(),
            "lack_of_nir_reason": st.sampled_from(["", "NO_NIR", "NIR_ASSOCIATED_TO_OTHER", "AUTRE"]),
            "confirm_homonym": st.sampled_from(["on", ""]),
        },
        ("birth_country",),
    ),
    "adresse": (
        {
            "address_line_1": st.just("12 rue de la République"),
            "address_line_2": st.just(""),
            "post_code": st.sampled_from(["69003", "6900", "690030", "2A004", "00000"]),
            "city": st.sampled_from(["Lyon", "LYON", "Lyon 3e"]),
            "phone": st.sampled_from(["06 12 34 56 78", "+33612345678", "0" * 40]),
        },
        ("post_code", "phone"),
    ),
    "situation": (
        {
            "pole_emploi_id": st.sampled_from(["1234567A", "12345678901", "1234567é", ""]),
            "lack_of_pole_emploi_id_reason": st.sampled_from(["", "FORGOTTEN", "NOT_REGISTERED"]),
            "education_level": st.sampled_from(["00", "50", "99", ""]),
            "resourceless": st.sampled_from(["on", "", "false"]),
            "rqth_employee": st.sampled_from(["on", ""]),
            "oeth_employee": st.sampled_from(["on", ""]),
            "pole_emploi_since": st.sampled_from(["01", "04", "05", ""]),
            "unemployed_since": st.sampled_from(["01", "04", ""]),
            "has_rsa_allocation": st.sampled_from(["NON", "OUI-M", "OUI-NM", "PEUT-ÊTRE"]),
            "rsa_allocation_since": st.sampled_from(["01", "02", ""]),
            "ass_allocation_since": st.sampled_from(["01", ""]),
            "aah_allocation_since": st.sampled_from(["03", ""]),
            "are_allocation_since": st.sampled_from(["04", ""]),
            "activity_bonus_since": st.sampled_from(["02", ""]),
        },
        ("pole_emploi_id",),
    ),
}
VALID_STEPS = {"identite": IDENTITY, "adresse": ADDRESS, "situation": SITUATION}


def creation_step_data(step):
    fields, numbers = STEPS[step]
    return form_data(fields, numbers=numbers)


@examples(15)
@given(step=st.sampled_from(list(STEPS)), data=st.data())
def test_creation_steps_then_summary(employer_client, step, data):
    posted_data = data.draw(creation_step_data(step), label="posted")
    if posted(posted_data, "birth_country") == "FRANCE_PK":
        posted_data["birth_country"] = france_pk()
    with rolled_back():
        _response, state_id = start(employer_client, NIR_NOBODY_HAS)
        employer_client.post(step_url(state_id, "email"), {"action": "no_email"})
        for previous in list(STEPS)[: list(STEPS).index(step)]:
            valid = {**VALID_STEPS[previous], **({"birth_country": france_pk()} if previous == "identite" else {})}
            assert employer_client.post(step_url(state_id, previous), valid).status_code == 302
        response = employer_client.post(step_url(state_id, step), posted_data)
        assert_answered_in_french(response, form_posted=True)
        # Whatever was accepted, the next pages (and the summary, which validates every step again) answer too.
        for later in [*list(STEPS)[list(STEPS).index(step) + 1 :], "recapitulatif"]:
            assert_answered_in_french(employer_client.get(step_url(state_id, later)))


@examples(12)
@given(
    data=form_data(
        {
            **STEPS["identite"][0],
            **STEPS["adresse"][0],
            "pole_emploi_id": STEPS["situation"][0]["pole_emploi_id"],
            "lack_of_pole_emploi_id_reason": STEPS["situation"][0]["lack_of_pole_emploi_id_reason"],
        },
        numbers=("birth_country", "post_code"),
    )
)
def test_the_completer_page_of_the_wizards(employer_client, data):
    """applications.md §8.4 step 1: the missing data of a job seeker (NIR, France Travail, birth data, address)."""
    if posted(data, "birth_country") == "FRANCE_PK":
        data["birth_country"] = france_pk()
    with rolled_back():
        job_seeker = JobSeekerFactory(profile__nir="", profile__birthdate=None)
        url = reverse("job_seeker_complete", args=[job_seeker.public_id]) + "?next=/tableau-de-bord/"
        response = employer_client.post(url, data)
    assert_answered_in_french(response, form_posted=True)
