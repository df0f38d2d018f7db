"""Back-office of the eligibility: criteria read-only, diagnoses with their criteria, certified criteria kept
(eligibility.md §3, §6.5)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.approvals.factories import ApprovalFactory
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.users.auth import login
from tests.users.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-10 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def staff_client(client):
    login(client, StaffFactory())
    return client


def _change_url(diagnosis):
    return reverse(f"admin:eligibility_{diagnosis._meta.model_name}_change", args=[diagnosis.pk])


def _post(client, diagnosis, *, delete=(), add=(), expires_at=None):
    rows = list(diagnosis.selected_criteria.order_by("pk"))
    data = {
        "expires_at": (expires_at or diagnosis.expires_at).isoformat(),
        "selected_criteria-TOTAL_FORMS": str(len(rows) + len(add)),
        "selected_criteria-INITIAL_FORMS": str(len(rows)),
        "selected_criteria-MIN_NUM_FORMS": "0",
        "selected_criteria-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"selected_criteria-{index}-id"] = str(row.pk)
        data[f"selected_criteria-{index}-eligibility_diagnosis"] = str(diagnosis.pk)
        data[f"selected_criteria-{index}-administrative_criteria"] = row.administrative_criteria_id
        if row.administrative_criteria_id in delete:
            data[f"selected_criteria-{index}-DELETE"] = "on"
    for offset, code in enumerate(add, start=len(rows)):
        data[f"selected_criteria-{offset}-eligibility_diagnosis"] = str(diagnosis.pk)
        data[f"selected_criteria-{offset}-administrative_criteria"] = code
    return client.post(_change_url(diagnosis), data)


def _codes(diagnosis):
    return set(diagnosis.selected_criteria.values_list("administrative_criteria_id", flat=True))


def test_criteria_are_read_only(staff_client):
    response = staff_client.get(reverse("admin:eligibility_administrativecriteria_changelist"))
    assert response.status_code == 200
    assert "Bénéficiaire du RSA" in response.text
    assert staff_client.get(reverse("admin:eligibility_administrativecriteria_add")).status_code == 403
    change = staff_client.get(reverse("admin:eligibility_administrativecriteria_change", args=["RSA"]))
    assert change.status_code == 200
    assert 'name="name"' not in change.text  # shown, not editable
    assert staff_client.get(reverse("admin:eligibility_geiqadministrativecriteria_changelist")).status_code == 200


def test_diagnoses_are_not_added_by_hand(staff_client):
    assert staff_client.get(reverse("admin:eligibility_eligibilitydiagnosis_add")).status_code == 403


def test_change_page_shows_criteria_and_certification(staff_client):
    diagnosis = EligibilityDiagnosisFactory(criteria=["RSA", "PM"])
    diagnosis.selected_criteria.filter(administrative_criteria="RSA").update(
        last_certification_attempt_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        certification_period_start=datetime.date(2025, 3, 1),
    )
    response = staff_client.get(_change_url(diagnosis))
    assert response.status_code == 200
    assert "Certifié" in response.text
    assert "En cours" in response.text


def test_staff_removes_an_uncertified_criterion(staff_client):
    diagnosis = EligibilityDiagnosisFactory(criteria=["RSA", "PM"])
    response = _post(staff_client, diagnosis, delete=["PM"])
    assert response.status_code == 302
    assert _codes(diagnosis) == {"RSA"}


def test_staff_cannot_remove_a_certified_criterion(staff_client):
    diagnosis = EligibilityDiagnosisFactory(criteria=["RSA", "PM"])
    diagnosis.selected_criteria.filter(administrative_criteria="RSA").update(
        last_certification_attempt_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        certification_period_start=datetime.date(2025, 3, 1),
    )
    response = _post(staff_client, diagnosis, delete=["RSA"])
    assert response.status_code == 200
    assert (
        "Le critère « Bénéficiaire du RSA » est certifié : il ne peut pas être retiré du diagnostic." in response.text
    )
    assert _codes(diagnosis) == {"RSA", "PM"}


def test_staff_edits_follow_the_counting_rules(staff_client):
    siae = CompanyFactory(kind="ACI")
    diagnosis = EligibilityDiagnosisFactory(from_employer=True, author_siae=siae, criteria=["RSA"])
    response = _post(staff_client, diagnosis, delete=["RSA"], add=["PM", "FLE"])
    assert response.status_code == 200
    assert "au moins 3 critères de niveau 2" in response.text
    assert _codes(diagnosis) == {"RSA"}
    response = _post(staff_client, diagnosis, add=["SENIOR", "JEUNE"])
    assert "ne peuvent pas être sélectionnés ensemble" in response.text


def test_staff_corrects_the_expiry(staff_client):
    diagnosis = EligibilityDiagnosisFactory(criteria=["PM"])
    response = _post(staff_client, diagnosis, expires_at=datetime.date(2026, 4, 1))
    assert response.status_code == 302
    diagnosis.refresh_from_db()
    assert diagnosis.expires_at == datetime.date(2026, 4, 1)


def test_geiq_diagnosis_admin_refuses_an_orphan_child(staff_client):
    diagnosis = GEIQEligibilityDiagnosisFactory(criteria=["PM"])
    response = _post(staff_client, diagnosis, add=["RSA"])
    assert response.status_code == 200
    assert "Un critère est coché sans son critère parent." in response.text
    response = _post(staff_client, diagnosis, add=["MINIMA", "RSA"])
    assert response.status_code == 302
    assert _codes(diagnosis) == {"PM", "MINIMA", "RSA"}


def test_changelists(staff_client):
    EligibilityDiagnosisFactory(criteria=["PM"])
    GEIQEligibilityDiagnosisFactory(criteria=["PM"])
    assert staff_client.get(reverse("admin:eligibility_eligibilitydiagnosis_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:eligibility_geiqeligibilitydiagnosis_changelist")).status_code == 200


def test_certification_is_judged_against_the_expiry_extended_by_the_pass(staff_client):
    """eligibility.md §2.3, §6.5: like the screens, the admin compares the certification period with the considered
    expiry: a diagnosis carried by a valid PASS lives until the PASS end, so a period ending before is temporary."""
    diagnosis = EligibilityDiagnosisFactory(criteria=["RSA"])  # expires 2026-09-10 (exclusive)
    diagnosis.selected_criteria.update(
        last_certification_attempt_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        certification_period_start=datetime.date(2026, 1, 1),
        certification_period_end=datetime.date(2026, 12, 31),  # covers the diagnosis' own life
    )
    assert "Certifié temporairement" not in staff_client.get(_change_url(diagnosis)).text
    ApprovalFactory(user=diagnosis.job_seeker, eligibility_diagnosis=diagnosis)  # valid until 2028-03-08
    response = staff_client.get(_change_url(diagnosis))
    assert response.status_code == 200
    assert "Certifié temporairement" in response.text


@pytest.mark.parametrize(
    "factory, url_name",
    [
        (EligibilityDiagnosisFactory, "admin:eligibility_eligibilitydiagnosis_changelist"),
        (GEIQEligibilityDiagnosisFactory, "admin:eligibility_geiqeligibilitydiagnosis_changelist"),
    ],
)
def test_diagnosis_list_query_count_does_not_grow_with_the_rows(
    staff_client, factory, url_name, django_assert_max_num_queries
):
    factory(criteria=["RSA"])
    url = reverse(url_name)
    staff_client.get(url)  # warms the session and the content types
    with django_assert_max_num_queries(100) as one_row:
        assert staff_client.get(url).status_code == 200
    factory.create_batch(4, criteria=["RSA"])
    with django_assert_max_num_queries(len(one_row)) as five_rows:
        response = staff_client.get(url)
    assert response.content.decode().count('class="action-select"') == 5
    assert len(five_rows) == len(one_row)
