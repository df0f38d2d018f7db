"""The job seeker's own eligibility page (eligibility.md §2.5, §7.3)."""

import datetime

import pytest
from django.urls import reverse

from inclusion.eligibility.enums import CertificationState
from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.eligibility.factories_rules import accepted_application
from tests.eligibility.screens import NOW, TODAY, text
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.auth import login
from tests.users.factories import ProfessionalFactory, StaffFactory

URL = "/mon-eligibilite/"
pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def job_seeker_client(client, job_seeker):
    client.force_login(job_seeker)
    return client


def test_url_name():
    assert reverse("eligibility_job_seeker") == URL


def test_without_diagnosis_the_page_explains_who_can_make_one(job_seeker_client):
    response = job_seeker_client.get(URL)
    assert response.status_code == 200
    content = text(response)
    assert "Pas encore de diagnostic d'éligibilité IAE" in content
    assert "Mon éligibilité GEIQ" not in content


def test_shows_the_latest_prescriber_diagnosis_even_expired(job_seeker_client, job_seeker):
    organization = PrescriberOrganizationFactory(authorized=True, name="France Travail Lyon Part-Dieu")
    EligibilityDiagnosisFactory(
        job_seeker=job_seeker,
        author_prescriber_organization=organization,
        created_at=NOW - datetime.timedelta(days=200),
        criteria=["AAH", "PM"],
    )
    content = text(job_seeker_client.get(URL))
    assert "Mon diagnostic d'éligibilité IAE" in content
    assert "France Travail Lyon Part-Dieu" in content
    assert "Allocataire AAH" in content and "Problème de mobilité" in content
    assert "Expiré depuis le" in content


def test_an_employer_diagnosis_is_shown_only_when_linked_to_a_pass(job_seeker_client, job_seeker):
    diagnosis = EligibilityDiagnosisFactory(
        job_seeker=job_seeker, from_employer=True, author_siae=CompanyFactory(name="Régie de quartier")
    )
    assert "Régie de quartier" not in text(job_seeker_client.get(URL))
    ApprovalFactory(user=job_seeker, eligibility_diagnosis=diagnosis, number="XXXXX2600042")
    content = text(job_seeker_client.get(URL))
    assert "Régie de quartier" in content
    assert "Vous disposez d'un PASS IAE valide" in content
    assert "XXXXX 26 00042" in content


def test_an_employer_diagnosis_linked_to_a_reused_pass_is_shown(job_seeker_client, job_seeker):
    # eligibility.md §2.6: a PASS reused by a later hiring is linked through the accepted application.
    approval = ApprovalFactory(user=job_seeker, eligibility_diagnosis__created_at=NOW - datetime.timedelta(days=300))
    company = CompanyFactory(name="Régie de quartier")
    diagnosis = EligibilityDiagnosisFactory(job_seeker=job_seeker, from_employer=True, author_siae=company)
    assert "Régie de quartier" not in text(job_seeker_client.get(URL))
    accepted_application(
        job_seeker=job_seeker,
        company=company,
        hiring_start_at=TODAY,
        approval=approval,
        eligibility_diagnosis=diagnosis,
    )
    assert "Régie de quartier" in text(job_seeker_client.get(URL))


PASS_END = datetime.date(2026, 5, 1)


@pytest.mark.parametrize(
    "period_end,state",
    [
        # eligibility.md §6.5: "Certifié temporairement" when the period ends before the considered expiry, which for
        # a diagnosis extended by a PASS is the day after the PASS end (§2.3).
        (PASS_END - datetime.timedelta(days=1), CertificationState.CERTIFIED_TEMPORARILY),
        (PASS_END, CertificationState.CERTIFIED),
        (PASS_END + datetime.timedelta(days=1), CertificationState.CERTIFIED),
    ],
)
def test_certification_of_a_diagnosis_extended_by_its_pass(job_seeker_client, job_seeker, period_end, state):
    diagnosis = EligibilityDiagnosisFactory(
        job_seeker=job_seeker, created_at=NOW - datetime.timedelta(days=250), criteria=["RSA"]
    )
    ApprovalFactory(
        user=job_seeker,
        eligibility_diagnosis=diagnosis,
        start_at=PASS_END - datetime.timedelta(days=729),
        end_at=PASS_END,
    )
    diagnosis.selected_criteria.update(
        last_certification_attempt_at=NOW,
        certification_period_start=datetime.date(2025, 3, 1),
        certification_period_end=period_end,
    )
    response = job_seeker_client.get(URL)
    summary = response.context["summary"]
    assert summary.extended_by_approval
    assert [line.certification for line in summary.criteria] == [state]
    content = text(response)
    assert ("Certifié temporairement" in content) is (state == CertificationState.CERTIFIED_TEMPORARILY)
    assert "tant que le PASS IAE qui l'utilise court (jusqu'au 1 mai 2026 inclus)" in content


@pytest.mark.parametrize(
    "criteria,shown",
    [
        (["DE_45"], True),  # 814 €
        (["MINIMA", "RSA"], True),  # 1 400 €
        (["FT", "DELD_12"], False),  # annex 0 only: 0 €, no card (§7.3)
        (["PI"], False),  # one level-2 criterion alone: 0 €
    ],
)
def test_geiq_card_only_with_an_allowance(job_seeker_client, job_seeker, criteria, shown):
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, criteria=criteria)
    content = text(job_seeker_client.get(URL))
    assert ("Mon éligibilité GEIQ" in content) is shown
    if shown:
        assert "Éligibilité GEIQ confirmée" in content
        assert "Aide à l'accompagnement" not in content  # the amount concerns the GEIQ, not the person


def test_geiq_card_shows_a_prescriber_diagnosis(job_seeker_client, job_seeker):
    GEIQEligibilityDiagnosisFactory(job_seeker=job_seeker, from_prescriber=True)
    assert "Mon éligibilité GEIQ" in text(job_seeker_client.get(URL))


def test_expired_geiq_diagnosis_shows_no_card(job_seeker_client, job_seeker):
    GEIQEligibilityDiagnosisFactory(
        job_seeker=job_seeker, criteria=["DE_45"], created_at=NOW - datetime.timedelta(days=200), expires_at=TODAY
    )
    assert "Mon éligibilité GEIQ" not in text(job_seeker_client.get(URL))


def test_another_person_diagnosis_is_never_shown(job_seeker_client):
    EligibilityDiagnosisFactory(criteria=["RSA"])
    GEIQEligibilityDiagnosisFactory(criteria=["DE_45"])
    content = text(job_seeker_client.get(URL))
    assert "Pas encore de diagnostic" in content and "Mon éligibilité GEIQ" not in content


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["prescriber", "employer", "staff"])
def test_professionals_are_refused(client, db, who):
    user = ProfessionalFactory()
    match who:
        case "prescriber":
            PrescriberOrganizationFactory(authorized=True, with_member=user)
        case "employer":
            CompanyFactory(with_member=user)
        case "staff":
            user = StaffFactory()
    login(client, user)
    assert client.get(URL).status_code == 403


def test_post_is_not_allowed(job_seeker_client):
    assert job_seeker_client.post(URL).status_code == 405
