"""The employer's job descriptions: list, freshness warning, create / edit with preview, open / close, delete
(search_and_jobs.md §3.2-§3.4)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inclusion.companies.enums import CompanyKind, ContractType
from inclusion.companies.models import JobDescription
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory, JobDescriptionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
WARNING = "Mise à jour il y a plus de 60 jours"


@pytest.fixture
def company(reference_data, db):
    return CompanyFactory(kind=CompanyKind.ACI, with_member=True)


@pytest.fixture
def employer(company):
    return company.memberships.get().user


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


def form_data(**overrides):
    data = {
        "appellation": "Agent / Agente de propreté de locaux (K2204)",
        "appellation_code": "10571",
        "custom_name": "",
        "contract_type": ContractType.FIXED_TERM_I,
        "other_contract_type": "",
        "location": "Villeurbanne (69)",
        "location_slug": "villeurbanne-69",
        "hours_per_week": "35",
        "open_positions": "2",
        "description": "Entretien des locaux d'entreprises.",
        "profile_description": "Débutant accepté.",
        "step": "confirm",
    }
    return {**data, **overrides}


def create(client, **overrides):
    return client.post(reverse("job_description_create"), form_data(**overrides))


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


# List ---------------------------------------------------------------------------------------------------------------


def test_list_shows_active_first_then_most_recently_updated(employer_client, company):
    with time_machine.travel(NOW, tick=False):
        days = datetime.timedelta(days=1)
        old_open = JobDescriptionFactory(
            company=company, custom_name="Ancienne ouverte", last_employer_update_at=NOW - 9 * days
        )
        recent_open = JobDescriptionFactory(
            company=company, custom_name="Récente ouverte", last_employer_update_at=NOW - days
        )
        closed = JobDescriptionFactory(
            company=company, custom_name="Fermée récente", is_active=False, last_employer_update_at=NOW
        )
        JobDescriptionFactory(custom_name="Autre structure")
        response = employer_client.get(reverse("job_description_list"))
    assert [row["job"] for row in response.context["rows"]] == [recent_open, old_open, closed]
    content = response.content.decode()
    assert "Recrutement ouvert" in content and "Recrutement fermé" in content
    assert "Autre structure" not in content
    assert "3 fiches de poste, dont 2 ouvertes au recrutement" in content


@pytest.mark.parametrize(
    "age,warned",
    [
        (datetime.timedelta(days=59), False),
        (datetime.timedelta(days=60) - datetime.timedelta(seconds=1), False),
        (datetime.timedelta(days=60), True),  # search_and_jobs.md §3.4: the 60th day included
        (datetime.timedelta(days=61), True),
    ],
)
def test_freshness_warning_after_60_days(employer_client, company, age, warned):
    JobDescriptionFactory(company=company, last_employer_update_at=NOW - age)
    with time_machine.travel(NOW, tick=False):
        response = employer_client.get(reverse("job_description_list"))
    assert (WARNING in response.content.decode()) is warned


def test_no_freshness_warning_for_a_closed_job_description(employer_client, company):
    JobDescriptionFactory(company=company, is_active=False, last_employer_update_at=NOW - datetime.timedelta(days=200))
    with time_machine.travel(NOW, tick=False):
        response = employer_client.get(reverse("job_description_list"))
    assert WARNING not in response.content.decode()


@pytest.mark.parametrize("days,warned", [(59, False), (60, True), (61, True)])
def test_freshness_warning_for_spontaneous_applications(employer_client, company, days, warned):
    company.spontaneous_applications_open_since = NOW - datetime.timedelta(days=days)
    company.save()
    with time_machine.travel(NOW, tick=False):
        response = employer_client.get(reverse("job_description_list"))
    assert (WARNING in response.content.decode()) is warned


def test_list_runs_a_fixed_number_of_queries(employer_client, company, django_assert_num_queries):
    """Principle 6 (ARCHITECTURE.md): the same queries for 1 or 35 job descriptions."""
    JobDescriptionFactory(company=company)
    employer_client.get(reverse("job_description_list"))  # the first request after login also writes the session
    # Session, user, the 3 membership queries of the middleware, the membership behind each of the 2 predicates,
    # the job descriptions with their appellation and location.
    with django_assert_num_queries(8) as one:
        employer_client.get(reverse("job_description_list"))
    JobDescriptionFactory.create_batch(34, company=company, custom_name="")
    with django_assert_num_queries(8) as many:
        response = employer_client.get(reverse("job_description_list"))
    assert len(response.context["rows"]) == 35
    assert len(one.captured_queries) == len(many.captured_queries)


def test_list_for_a_member_who_is_not_admin(client, company):
    employee = CompanyMembershipFactory(organization=company, is_admin=False).user
    client.force_login(employee)
    response = client.get(reverse("job_description_list"))
    assert response.status_code == 200
    assert reverse("company_edit") not in response.content.decode()


def test_list_refused_to_a_prescriber_and_to_anonymous(client, company):
    assert client.get(reverse("job_description_list")).url.startswith(reverse("login"))
    client.force_login(PrescriberOrganizationFactory(authorized=True, with_member=True).memberships.get().user)
    assert client.get(reverse("job_description_list")).status_code == 403


# Create -------------------------------------------------------------------------------------------------------------


def test_create_form_defaults_to_the_company_commune(employer_client, company):
    response = employer_client.get(reverse("job_description_create"))
    form = response.context["form"]
    assert form["location"].value() == str(company.commune)
    assert form["location_slug"].value() == company.commune.slug
    assert form["open_positions"].value() == 1
    content = response.content.decode()
    assert 'data-autocomplete-target="id_appellation_code"' in content
    assert 'data-autocomplete-url="/autocompletion/metiers/"' in content


def test_create_with_preview_then_confirm(employer_client, company):
    with time_machine.travel(NOW, tick=False):
        preview = create(employer_client, step="preview")
        assert preview.status_code == 200
        assert not JobDescription.objects.filter(company=company).exists()
        content = preview.content.decode()
        assert "Aperçu et enregistrement" in content
        assert "Agent / Agente de propreté de locaux" in content and "Villeurbanne" in content
        assert 'name="step" value="confirm"' in content
        response = create(employer_client)
        assert response.status_code == 302 and response.url == reverse("job_description_list")
        assert "a été créée" in employer_client.get(response.url).content.decode()
    job = JobDescription.objects.get(company=company)
    assert job.appellation.code == "10571"
    assert job.location.slug == "villeurbanne-69"
    assert (job.hours_per_week, job.open_positions, job.is_active) == (35, 2, True)
    assert job.last_employer_update_at == NOW


def test_back_from_preview_keeps_the_values(employer_client):
    response = create(employer_client, step="edit")
    assert response.context["form"]["open_positions"].value() == "2"
    assert "Voir l'aperçu" in response.content.decode()
    assert not JobDescription.objects.exists()


def test_without_javascript_codes_and_names_are_typed(employer_client, company):
    response = create(
        employer_client, appellation="10571", appellation_code="", location="villeurbanne", location_slug=""
    )
    assert response.status_code == 302
    job = JobDescription.objects.get(company=company)
    assert (job.appellation.code, job.location.name) == ("10571", "Villeurbanne")


def test_without_javascript_the_typed_text_beats_a_stale_hidden_value(employer_client, company):
    # The form arrives with the company's commune in both inputs; without JavaScript only the text is changed.
    response = create(employer_client, location="69100", location_slug="lyon-69", appellation="10689")
    assert response.status_code == 302
    job = JobDescription.objects.get(company=company)
    assert (job.location.name, job.appellation.code) == ("Villeurbanne", "10689")


def test_a_post_code_of_several_cities_is_ambiguous(employer_client):
    # 69100 is Villeurbanne only; 01090 serves several communes.
    assert create(employer_client, location="69100", location_slug="").status_code == 302
    response = create(employer_client, location="01090", location_slug="")
    assert "Commune inconnue" in field_errors(response, "location")[0]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"appellation": "99999", "appellation_code": ""}, "appellation", "Métier inconnu"),
        ({"appellation": "plombier de l'espace", "appellation_code": "nope"}, "appellation", "Métier inconnu"),
        ({"appellation": "", "appellation_code": ""}, "appellation", "Choisissez le métier"),
        ({"contract_type": ContractType.APPRENTICESHIP}, "contract_type", "pas proposé pour ce type de structure"),
        ({"contract_type": "N'IMPORTE QUOI"}, "contract_type", "pas proposé pour ce type de structure"),
        ({"contract_type": ""}, "contract_type", "Choisissez le type de contrat"),
        ({"contract_type": ContractType.OTHER, "other_contract_type": "  "}, "other_contract_type", "Précisez"),
        ({"hours_per_week": "49"}, "hours_per_week", "ne peut pas dépasser 48 heures"),
        ({"hours_per_week": "0"}, "hours_per_week", "au moins 1 heure"),
        ({"hours_per_week": "trente"}, "hours_per_week", "nombre entier"),
        ({"open_positions": "0"}, "open_positions", "au moins un poste ouvert"),
        ({"open_positions": ""}, "open_positions", "nombre de postes ouverts"),
        ({"location": "Atlantide", "location_slug": ""}, "location", "Commune inconnue"),
        ({"location": "", "location_slug": ""}, "location", "Indiquez la commune"),
    ],
)
def test_bad_input_gets_a_clear_message(employer_client, overrides, field, message):
    response = create(employer_client, **overrides)
    assert response.status_code == 200
    assert message in " ".join(field_errors(response, field))
    assert "Le formulaire contient des erreurs" in response.content.decode()
    assert not JobDescription.objects.exists()


def test_boundaries_accepted(employer_client, company):
    assert create(employer_client, hours_per_week="48", open_positions="1").status_code == 302
    assert create(employer_client, hours_per_week="").status_code == 302
    assert (
        create(employer_client, contract_type=ContractType.OTHER, other_contract_type="CDD senior").status_code == 302
    )
    assert JobDescription.objects.filter(company=company).count() == 3


def test_other_contract_text_dropped_with_another_contract_type(employer_client, company):
    create(employer_client, other_contract_type="oublié là")
    assert JobDescription.objects.get(company=company).other_contract_type == ""


def test_contract_types_offered_follow_the_company_kind(client, reference_data, db):
    geiq = CompanyFactory(kind=CompanyKind.GEIQ, with_member=True)
    client.force_login(geiq.memberships.get().user)
    offered = [
        value
        for value, _ in client.get(reverse("job_description_create")).context["form"].fields["contract_type"].choices
    ]
    assert offered == ["", ContractType.APPRENTICESHIP, ContractType.PROFESSIONAL_TRAINING, ContractType.OTHER]
    response = create(client, contract_type=ContractType.FIXED_TERM_I)
    assert "pas proposé pour ce type de structure" in field_errors(response, "contract_type")[0]
    assert create(client, contract_type=ContractType.APPRENTICESHIP).status_code == 302


def test_convergence_aci_offers_phc_and_cvg(client, reference_data, db):
    aci = CompanyFactory(kind=CompanyKind.ACI, is_convergence=True, with_member=True)
    client.force_login(aci.memberships.get().user)
    assert create(client, contract_type=ContractType.FIXED_TERM_I_CVG).status_code == 302


def test_market_context_and_qpv_clause_for_opcs_only(client, employer_client, company, reference_data):
    content = employer_client.get(reverse("job_description_create")).content.decode()
    assert "Contexte du marché" not in content and "Clause QPV" not in content
    create(employer_client, market_context="ignoré", is_qpv_mandatory="on")
    job = JobDescription.objects.get(company=company)
    assert (job.market_context, job.is_qpv_mandatory) == ("", False)

    opcs = CompanyFactory(kind=CompanyKind.OPCS, with_member=True)
    client.force_login(opcs.memberships.get().user)
    assert "Contexte du marché" in client.get(reverse("job_description_create")).content.decode()
    response = create(client, contract_type=ContractType.PERMANENT)
    assert (
        "obligatoire pour une structure porteuse de la clause sociale" in field_errors(response, "market_context")[0]
    )
    response = create(client, contract_type=ContractType.PERMANENT, market_context="Tramway T9", is_qpv_mandatory="on")
    assert response.status_code == 302
    job = JobDescription.objects.get(company=opcs)
    assert (job.market_context, job.is_qpv_mandatory) == ("Tramway T9", True)


# Edit ---------------------------------------------------------------------------------------------------------------


def test_edit_prefills_and_refreshes_the_update_date(employer_client, company):
    job = JobDescriptionFactory(
        company=company, custom_name="Agent d'entretien", last_employer_update_at=NOW - datetime.timedelta(days=80)
    )
    url = reverse("job_description_edit", args=[job.uid])
    form = employer_client.get(url).context["form"]
    assert form["appellation"].value() == "Agent / Agente de propreté de locaux (K2204)"
    assert form["appellation_code"].value() == "10571"
    assert form["custom_name"].value() == "Agent d'entretien"
    assert form["location"].value() == "Lyon (69)"
    with time_machine.travel(NOW, tick=False):
        response = employer_client.post(url, form_data(custom_name="Agent de propreté", open_positions="3"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.custom_name, job.open_positions, job.last_employer_update_at) == ("Agent de propreté", 3, NOW)
    assert JobDescription.objects.count() == 1


def test_job_description_of_another_company_is_not_found(employer_client):
    other = JobDescriptionFactory(company=CompanyFactory())
    for name in ("job_description_edit", "job_description_delete"):
        assert employer_client.get(reverse(name, args=[other.uid])).status_code == 404
    assert (
        employer_client.post(reverse("job_description_toggle", args=[other.uid]), {"action": "close"}).status_code
        == 404
    )
    assert employer_client.post(reverse("job_description_delete", args=[other.uid])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


# Open / close, delete -----------------------------------------------------------------------------------------------


def test_closing_keeps_the_date_reopening_refreshes_it(employer_client, company):
    before = NOW - datetime.timedelta(days=70)
    job = JobDescriptionFactory(company=company, last_employer_update_at=before)
    url = reverse("job_description_toggle", args=[job.uid])
    with time_machine.travel(NOW, tick=False):
        employer_client.post(url, {"action": "close"})
        job.refresh_from_db()
        assert (job.is_active, job.last_employer_update_at) == (False, before)
        employer_client.post(url, {"action": "open"})
    job.refresh_from_db()
    assert (job.is_active, job.last_employer_update_at) == (True, NOW)


def test_confirming_an_open_job_description_clears_the_warning(employer_client, company):
    job = JobDescriptionFactory(company=company, last_employer_update_at=NOW - datetime.timedelta(days=70))
    with time_machine.travel(NOW, tick=False):
        response = employer_client.post(
            reverse("job_description_toggle", args=[job.uid]), {"action": "open"}, follow=True
        )
    assert "recrute toujours" in response.content.decode()
    assert WARNING not in response.content.decode()


def test_toggle_unknown_action_changes_nothing(employer_client, company):
    job = JobDescriptionFactory(company=company)
    response = employer_client.post(reverse("job_description_toggle", args=[job.uid]), {"action": "flip"}, follow=True)
    assert "Action inconnue" in response.content.decode()
    job.refresh_from_db()
    assert job.is_active


def test_toggle_is_post_only(employer_client, company):
    job = JobDescriptionFactory(company=company)
    assert employer_client.get(reverse("job_description_toggle", args=[job.uid])).status_code == 405


def test_delete_asks_then_deletes(employer_client, company):
    job = JobDescriptionFactory(company=company, custom_name="Maraîcher")
    url = reverse("job_description_delete", args=[job.uid])
    assert "Supprimer définitivement" in employer_client.get(url).content.decode()
    assert JobDescription.objects.filter(pk=job.pk).exists()
    response = employer_client.post(url, follow=True)
    assert "« Maraîcher » a été supprimée" in response.content.decode()
    assert not JobDescription.objects.filter(pk=job.pk).exists()


def test_a_member_who_is_not_admin_manages_job_descriptions(client, company):
    employee = CompanyMembershipFactory(organization=company, is_admin=False).user
    client.force_login(employee)
    assert create(client).status_code == 302
