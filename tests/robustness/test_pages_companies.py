"""The company forms under random input (issue 6 §5; organizations.md §8.6, search_and_jobs.md §3.2): the edit of the
company card and the job description form, with their preview step, as an admin member of the company."""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from inclusion.companies.enums import CompanyKind
from tests.companies.factories import CompanyFactory
from tests.geo.factories import CommuneFactory
from tests.jobs.factories import AppellationFactory
from tests.robustness.fuzz import assert_answered_in_french, form_data, posted
from tests.robustness.helpers import examples, rolled_back

pytestmark = pytest.mark.django_db

steps = st.sampled_from(["confirm", "edit", "preview", ""])


@pytest.fixture(params=[CompanyKind.ACI, CompanyKind.OPCS])
def admin_client(request, client):
    CommuneFactory()  # Lyon
    AppellationFactory()
    company = CompanyFactory(kind=request.param, with_member=True)
    client.force_login(company.memberships.get().user)
    return client


@examples(10)
@given(
    data=form_data(
        {
            "brand": st.just("Les Jardins"),
            "address_line_1": st.just("1 place Bellecour"),
            "address_line_2": st.just(""),
            "post_code": st.sampled_from(["69002", "6900", "2A004", "ABCDE"]),
            "commune": st.sampled_from(["Lyon (69)", "Lyon", "Paris"]),
            "commune_slug": st.sampled_from(["lyon-69", ""]),
            "phone": st.sampled_from(["04 72 00 00 00", "0" * 30]),
            "email": st.sampled_from(["contact@jardins.fr", "pas-une-adresse"]),
            "website": st.sampled_from(
                ["https://jardins.fr", "jardins.fr", "javascript:alert(1)", "http://" + "a" * 300]
            ),
            "description": st.just("Maraîchage biologique."),
            "provided_support": st.just("Accompagnement socioprofessionnel."),
            "step": steps,
        },
        numbers=("post_code",),
    )
)
@example(data={"commune": "Lyon", "commune_slug": "\x00", "post_code": "69002", "step": "confirm"})
def test_company_edit(admin_client, data):
    with rolled_back():
        response = admin_client.post(reverse("company_edit"), data)
    assert_answered_in_french(response, form_posted=posted(data, "step") == "confirm")


@examples(10)
@given(
    data=form_data(
        {
            "appellation": st.sampled_from(
                [
                    "Agent / Agente de propreté de locaux (K2204)",
                    "agent / agente de propreté de locaux",
                    "Maçon (F1703)",
                ]
            ),
            "appellation_code": st.sampled_from(["10571", "", "00000"]),
            "custom_name": st.just("Maçon VRD"),
            "contract_type": st.sampled_from(["FIXED_TERM_I", "PERMANENT_I", "OTHER", "APPRENTICESHIP", "x"]),
            "other_contract_type": st.just("Contrat saisonnier"),
            "location": st.sampled_from(["Lyon (69)", "Lyon", "Atlantide"]),
            "location_slug": st.sampled_from(["lyon-69", ""]),
            "hours_per_week": st.sampled_from(["0", "1", "35", "48", "49"]),
            "open_positions": st.sampled_from(["0", "1", "999", "1000"]),
            "description": st.just("Travaux de maçonnerie."),
            "profile_description": st.just("Débutant accepté."),
            "is_resume_mandatory": st.sampled_from(["on", ""]),
            "market_context": st.just("Marché public de voirie."),
            "is_qpv_mandatory": st.sampled_from(["on", ""]),
            "step": steps,
        },
        numbers=("hours_per_week", "open_positions", "appellation_code"),
    )
)
@example(data={"appellation": "Maçon", "appellation_code": "\x00", "location": "Lyon", "step": "confirm"})
@example(data={"appellation": "\x00", "location": "\x00", "location_slug": "\x00", "step": "confirm"})
def test_job_description_form(admin_client, data):
    with rolled_back():
        response = admin_client.post(reverse("job_description_create"), data)
    assert_answered_in_french(response, form_posted=posted(data, "step") == "confirm")
