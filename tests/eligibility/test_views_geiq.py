"""The GEIQ diagnosis pages: by the GEIQ while hiring, and by an authorized prescriber (eligibility.md §7)."""

import datetime

import pytest
from django.urls import reverse

from inclusion.applications.enums import JobApplicationState
from inclusion.companies.enums import CompanyKind
from inclusion.eligibility.enums import AuthorKind
from inclusion.eligibility.forms import GEIQ_COMMITMENT_REQUIRED
from inclusion.eligibility.models import GEIQEligibilityDiagnosis
from tests.applications.factories import JobApplicationFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import GEIQEligibilityDiagnosisFactory
from tests.eligibility.screens import NOW, TODAY, text
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import ProfessionalFactory

SIX_MONTHS_LATER = datetime.date(2026, 9, 10)
pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def geiq(db):
    return CompanyFactory(kind=CompanyKind.GEIQ, name="GEIQ BTP Rhône", with_member=True)


@pytest.fixture
def geiq_employer(geiq):
    return geiq.memberships.get().user


@pytest.fixture
def geiq_client(client, geiq_employer):
    client.force_login(geiq_employer)
    return client


@pytest.fixture
def job_application(geiq, job_seeker):
    return JobApplicationFactory(job_seeker=job_seeker, to_company=geiq)


@pytest.fixture
def prescriber_client(client, organization):
    client.force_login(organization.memberships.get().user)
    return client


def employer_url(job_application):
    return reverse("eligibility_geiq_employer", args=[job_application.id])


def prescriber_url(job_seeker):
    return reverse("eligibility_geiq_prescriber", args=[job_seeker.public_id])


def codes_of(diagnosis):
    return {selected.administrative_criteria_id for selected in diagnosis.selected_criteria.all()}


def commit(**data):
    return {"commitment": "on", **data}


# GEIQ employer: display ---------------------------------------------------------------------------------------------


def test_form_shows_parents_with_their_children_and_the_commitment(geiq_client, job_application):
    response = geiq_client.get(employer_url(job_application))
    assert response.status_code == 200
    groups = response.context["form"].groups()
    by_parent = {group.parent.code: [child.code for child in group.children] for group in groups}
    assert by_parent["MINIMA"] == ["RSA", "ASS", "AAH", "AUTRE_MINIMA"]
    assert by_parent["FT"] == ["DELD_12", "DELD", "DETLD"]
    assert by_parent["JEUNE"] == ["JEUNE_SQ"]
    assert sum(1 + len(children) for children in by_parent.values()) == 28
    content = response.content.decode()
    # eligibility.md §7.2: FT's children are one exclusive radio.
    assert content.count('type="radio" name="ft_duration"') == 3
    assert "Je m&#x27;engage à conserver les justificatifs pendant 24 mois" in content
    assert 'data-enables="submit-diagnosis"' in content


def test_submit_without_the_commitment_is_refused(geiq_client, job_application):
    response = geiq_client.post(employer_url(job_application), {"criteria": ["DE_45"]})
    assert response.status_code == 200
    content = text(response)
    assert GEIQ_COMMITMENT_REQUIRED in content
    assert 'href="#geiq-commitment"' in content
    assert not GEIQEligibilityDiagnosis.objects.exists()


@pytest.mark.parametrize(
    "data,codes,amount",
    [
        # eligibility.md §7.3: ≥ 1 level-1 → 1 400 €.
        ({"criteria": ["MINIMA", "RSA"]}, {"MINIMA", "RSA"}, "1\u202f400 €"),
        ({"criteria": ["FT"], "ft_duration": "DETLD"}, {"FT", "DETLD"}, "1\u202f400 €"),
        # ≥ 2 level-2 → 1 400 €; 1 level-2 alone → 0 € unless an annex-1 criterion.
        ({"criteria": ["PI", "PM"]}, {"PI", "PM"}, "1\u202f400 €"),
        ({"criteria": ["PI"]}, {"PI"}, "0 €"),
        ({"criteria": ["TH"]}, {"TH"}, "814 €"),  # annex 1+2 counts as annex 1
        ({"criteria": ["DE_45"]}, {"DE_45"}, "814 €"),
        ({"criteria": ["FT"], "ft_duration": "DELD_12"}, {"FT", "DELD_12"}, "0 €"),
    ],
)
def test_geiq_creates_a_diagnosis_and_sees_the_aid_amount(
    geiq_client, geiq, geiq_employer, job_application, data, codes, amount
):
    response = geiq_client.post(employer_url(job_application), commit(**data))
    assert response.status_code == 302
    diagnosis = GEIQEligibilityDiagnosis.objects.get()
    assert diagnosis.author_kind == AuthorKind.GEIQ
    assert diagnosis.author_geiq == geiq and diagnosis.author == geiq_employer
    assert diagnosis.expires_at == SIX_MONTHS_LATER
    assert codes_of(diagnosis) == codes
    content = text(geiq_client.get(employer_url(job_application)))
    assert f"Montant de l'aide à l'accompagnement : {amount}." in content
    assert f"Aide à l'accompagnement GEIQ : {amount}" in content


def test_several_ft_durations_are_refused(geiq_client, job_application):
    data = commit(criteria=["FT"], ft_duration=["DELD", "DETLD"])
    response = geiq_client.post(employer_url(job_application), data)
    assert response.status_code == 200
    content = text(response)
    assert "Une seule durée d'inscription à France Travail peut être choisie." in content
    assert 'aria-describedby="ft-duration-messages"' in content
    assert not GEIQEligibilityDiagnosis.objects.exists()


def test_a_child_without_its_parent_is_discarded(geiq_client, job_application):
    response = geiq_client.post(employer_url(job_application), commit(criteria=["RSA", "DE_45"], ft_duration="DELD"))
    assert response.status_code == 302
    assert codes_of(GEIQEligibilityDiagnosis.objects.get()) == {"DE_45"}


def test_only_orphan_children_leave_nothing_and_are_refused(geiq_client, job_application):
    response = geiq_client.post(employer_url(job_application), commit(criteria=["RSA"]))
    assert response.status_code == 200
    assert "Sélectionnez au moins un critère administratif." in text(response)
    assert not GEIQEligibilityDiagnosis.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"criteria": ["QPV", "ZRR"]},
        {"criteria": ["JEUNE", "DE_45"]},
        {"criteria": ["SENIOR", "ASE"]},
        {"criteria": ["REF_DA", "RS_PS_DA"]},
    ],
)
def test_exclusions_are_refused(geiq_client, job_application, data):
    response = geiq_client.post(employer_url(job_application), commit(**data))
    assert response.status_code == 200
    assert "ne peuvent pas être sélectionnés ensemble" in text(response)
    assert not GEIQEligibilityDiagnosis.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"criteria": ["FT"], "ft_duration": "RSA"},
        {"criteria": ["PIRATE"]},
        {"criteria": ["DELD"]},  # a radio value sent as a checkbox
    ],
)
def test_tampered_input_gets_a_french_error_not_a_500(geiq_client, job_application, data):
    response = geiq_client.post(employer_url(job_application), commit(**data))
    assert response.status_code == 200
    assert "Critère inconnu" in text(response)
    assert not GEIQEligibilityDiagnosis.objects.exists()


def test_own_valid_diagnosis_is_updated_in_place(geiq_client, geiq, job_application, job_seeker):
    diagnosis = GEIQEligibilityDiagnosisFactory(
        job_seeker=job_seeker, author_geiq=geiq, created_at=NOW - datetime.timedelta(days=60), criteria=["DE_45"]
    )
    response = geiq_client.get(employer_url(job_application))
    content = text(response)
    assert "Mettre à jour le diagnostic GEIQ" in content
    assert {choice.code for choice in response.context["form"].criteria_choices() if choice.checked} == {"DE_45"}
    response = geiq_client.post(employer_url(job_application), commit(criteria=["MINIMA", "AAH"]))
    assert response.status_code == 302
    assert GEIQEligibilityDiagnosis.objects.get() == diagnosis
    diagnosis.refresh_from_db()
    assert codes_of(diagnosis) == {"MINIMA", "AAH"}
    assert diagnosis.expires_at == SIX_MONTHS_LATER  # §7.1: reset to today + 6 months


def test_prescriber_diagnosis_is_shown_to_the_geiq_without_a_form(geiq_client, job_application, job_seeker):
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, from_prescriber=True)
    response = geiq_client.get(employer_url(job_application))
    content = text(response)
    assert "établi par un prescripteur habilité, sera utilisé à l'embauche" in content
    assert "Aide à l'accompagnement GEIQ : 1\u202f400 €" in content
    assert "Éligibilité GEIQ confirmée" in content
    assert 'name="criteria"' not in content
    assert geiq_client.post(employer_url(job_application), commit(criteria=["DE_45"])).status_code == 200
    assert GEIQEligibilityDiagnosis.objects.count() == 1


def test_another_geiq_diagnosis_is_not_shown(geiq_client, job_application, job_seeker):
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["DE_45"])
    response = geiq_client.get(employer_url(job_application))
    assert response.context["summary"] is None
    assert response.context["form"] is not None


def test_an_expired_own_diagnosis_leads_to_a_new_one(geiq_client, geiq, job_application, job_seeker):
    old = GEIQEligibilityDiagnosisFactory(
        job_seeker=job_seeker, author_geiq=geiq, created_at=NOW - datetime.timedelta(days=200), expires_at=TODAY
    )
    response = geiq_client.post(employer_url(job_application), commit(criteria=["DE_45"]))
    assert response.status_code == 302
    assert GEIQEligibilityDiagnosis.objects.exclude(pk=old.pk).get().expires_at == SIX_MONTHS_LATER


def test_next_redirect_only_on_this_site(geiq_client, job_application):
    response = geiq_client.post(employer_url(job_application), commit(criteria=["DE_45"], next="https://x.example/"))
    assert response["Location"] == employer_url(job_application)


# GEIQ employer: only while hiring (eligibility.md §7.1; applications.md §3) ----------------------------------------

ALREADY_ACCEPTED = (
    "Cette candidature est déjà acceptée : le diagnostic d'éligibilité ne se fait qu'au moment de l'embauche."
)


def test_an_accepted_application_is_refused_with_an_explanation(geiq_client, job_application):
    job_application.state = JobApplicationState.ACCEPTED
    job_application.hiring_start_at = TODAY
    job_application.save()
    response = geiq_client.get(employer_url(job_application))
    assert response.status_code == 403
    assert ALREADY_ACCEPTED in text(response)
    response = geiq_client.post(employer_url(job_application), commit(criteria=["DE_45"]))
    assert response.status_code == 403
    assert not GEIQEligibilityDiagnosis.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        JobApplicationState.NEW,
        JobApplicationState.PROCESSING,
        JobApplicationState.POSTPONED,
        JobApplicationState.POOL,
        JobApplicationState.PRIOR_TO_HIRE,
        JobApplicationState.REFUSED,
        JobApplicationState.CANCELLED,
        JobApplicationState.OBSOLETE,
    ],
)
def test_every_state_acceptance_starts_from_opens_the_form(geiq_client, job_application, state):
    job_application.state = state
    job_application.save()
    response = geiq_client.get(employer_url(job_application))
    assert response.status_code == 200
    assert response.context["form"] is not None
    assert geiq_client.post(employer_url(job_application), commit(criteria=["DE_45"])).status_code == 302
    assert GEIQEligibilityDiagnosis.objects.get().author_geiq == job_application.to_company


# GEIQ employer: access ---------------------------------------------------------------------------------------------


def test_anonymous_goes_to_login(client, job_application):
    response = client.get(employer_url(job_application))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_geiq_gets_a_404(client, job_application):
    client.force_login(CompanyFactory(kind=CompanyKind.GEIQ, with_member=True).memberships.get().user)
    assert client.get(employer_url(job_application)).status_code == 404


def test_an_siae_application_is_refused_on_the_geiq_page(client, job_seeker):
    company = CompanyFactory(kind=CompanyKind.ACI, with_member=True)
    client.force_login(company.memberships.get().user)
    job_application = JobApplicationFactory(job_seeker=job_seeker, to_company=company)
    assert client.get(employer_url(job_application)).status_code == 403


@pytest.mark.parametrize("who", ["authorized_prescriber", "orienteur", "institution_member", "job_seeker"])
def test_other_roles_are_refused_on_the_employer_page(client, job_application, who):
    user = ProfessionalFactory()
    match who:
        case "authorized_prescriber":
            PrescriberOrganizationFactory(authorized=True, with_member=user)
        case "orienteur":
            PrescriberOrganizationFactory(with_member=user)
        case "institution_member":
            InstitutionFactory(with_member=user)
        case "job_seeker":
            user = job_application.job_seeker
    client.force_login(user)
    assert client.get(employer_url(job_application)).status_code == 403


# Authorized prescriber ----------------------------------------------------------------------------------------------


def test_prescriber_form_has_no_commitment(prescriber_client, job_seeker):
    response = prescriber_client.get(prescriber_url(job_seeker))
    assert response.status_code == 200
    content = text(response)
    assert "Établir le diagnostic GEIQ" in content
    assert 'name="commitment"' not in content


def test_prescriber_may_tick_no_criterion_and_opens_the_full_aid(prescriber_client, organization, job_seeker):
    response = prescriber_client.post(prescriber_url(job_seeker), {})
    assert response.status_code == 302
    diagnosis = GEIQEligibilityDiagnosis.objects.get()
    assert diagnosis.author_kind == AuthorKind.PRESCRIBER
    assert diagnosis.author_prescriber_organization == organization
    assert diagnosis.expires_at == SIX_MONTHS_LATER
    content = text(prescriber_client.get(prescriber_url(job_seeker)))
    assert "Aide à l'accompagnement GEIQ : 1\u202f400 €" in content
    assert "un nouveau diagnostic ne pourra être établi qu'après son expiration" in content
    assert 'name="criteria"' not in content


def test_prescriber_cannot_duplicate_a_valid_prescriber_diagnosis(prescriber_client, job_seeker):
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, from_prescriber=True)
    response = prescriber_client.post(prescriber_url(job_seeker), {"criteria": ["DE_45"]})
    assert response.status_code == 200
    assert GEIQEligibilityDiagnosis.objects.count() == 1


def test_prescriber_does_not_see_geiq_authored_diagnoses(prescriber_client, job_seeker):
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=["DE_45"])
    response = prescriber_client.get(prescriber_url(job_seeker))
    assert response.context["summary"] is None
    assert prescriber_client.post(prescriber_url(job_seeker), {"criteria": ["PI"]}).status_code == 302
    assert GEIQEligibilityDiagnosis.objects.filter(author_kind=AuthorKind.PRESCRIBER).count() == 1


def test_prescriber_exclusion_is_refused(prescriber_client, job_seeker):
    response = prescriber_client.post(prescriber_url(job_seeker), {"criteria": ["JEUNE", "SENIOR"]})
    assert response.status_code == 200
    assert "ne peuvent pas être sélectionnés ensemble" in text(response)


def test_prescriber_page_anonymous_goes_to_login(client, job_seeker):
    response = client.get(prescriber_url(job_seeker))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["orienteur", "siae_employer", "geiq_employer", "institution_member", "job_seeker"])
def test_prescriber_page_refuses_other_roles(client, job_seeker, who):
    user = ProfessionalFactory()
    match who:
        case "orienteur":
            PrescriberOrganizationFactory(with_member=user)
        case "siae_employer":
            CompanyFactory(with_member=user)
        case "geiq_employer":
            CompanyFactory(kind=CompanyKind.GEIQ, with_member=user)
        case "institution_member":
            InstitutionFactory(with_member=user)
        case "job_seeker":
            user = job_seeker
    client.force_login(user)
    assert client.get(prescriber_url(job_seeker)).status_code == 403


def test_prescriber_page_target_must_be_a_job_seeker(prescriber_client):
    assert prescriber_client.get(prescriber_url(ProfessionalFactory())).status_code == 404
