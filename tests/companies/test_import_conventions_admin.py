"""Back-office of the imported conventions: annexes shown read-only, state filter, "Réactiver la convention"."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inclusion.companies.enums import CompanySource
from inclusion.companies.imports.report import Action
from inclusion.companies.models import Convention, FinancialAnnex
from tests.companies.factories import CompanyFactory
from tests.companies.test_import_siae import run_without_these_conventions
from tests.users.auth import login
from tests.users.factories import ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)


def convention(asp_id=1001, **fields):
    return Convention.objects.create(asp_id=asp_id, kind="ACI", siret_signature="41007919800017", **fields)


def deactivated(asp_id=1001, days=10):
    return convention(asp_id, is_active=False, deactivated_at=NOW - datetime.timedelta(days=days))


@pytest.fixture
def staff_client(client):
    staff = StaffFactory()
    login(client, staff)
    client.staff = staff
    return client


def reactivate(client, url_name, pks, action):
    return client.post(reverse(url_name), {"action": action, "_selected_action": [str(pk) for pk in pks]}, follow=True)


def test_staff_reactivates_a_convention_and_protects_it_from_the_next_import(staff_client):
    conv = deactivated()
    company = CompanyFactory(source=CompanySource.ASP, convention=conv)
    assert not company.is_active
    with time_machine.travel(NOW, tick=False):
        response = reactivate(staff_client, "admin:companies_convention_changelist", [conv.pk], "reactivate")
    assert response.status_code == 200
    assert "1 convention(s) réactivée(s) : les imports ne les désactiveront pas pendant 90 jours." in (
        response.content.decode()
    )
    conv.refresh_from_db()
    assert conv.is_active and conv.deactivated_at is None
    assert (conv.reactivated_at, conv.reactivated_by) == (NOW, staff_client.staff)
    company.refresh_from_db()
    assert company.is_active

    # The next weekly import finds no active annex, yet keeps the convention active (conventionnement.md §1.2).
    report = run_without_these_conventions(now=NOW + datetime.timedelta(days=7))
    conv.refresh_from_db()
    assert conv.is_active
    assert len(report.of(Action.KEPT)) == 1


def test_staff_reactivates_the_convention_of_selected_companies(staff_client):
    conv = deactivated()
    first = CompanyFactory(source=CompanySource.ASP, convention=conv)
    antenna = CompanyFactory(source=CompanySource.USER_CREATED, convention=conv)
    without = CompanyFactory()
    response = reactivate(
        staff_client, "admin:companies_company_changelist", [first.pk, antenna.pk, without.pk], "reactivate_convention"
    )
    assert "1 convention(s) réactivée(s)" in response.content.decode()
    conv.refresh_from_db()
    assert conv.is_active and conv.reactivated_by == staff_client.staff


def test_a_professional_cannot_reach_the_back_office(client):
    conv = deactivated()
    employer = ProfessionalFactory()
    CompanyFactory(with_member=employer)
    client.force_login(employer)
    response = client.post(
        reverse("admin:companies_convention_changelist"), {"action": "reactivate", "_selected_action": [conv.pk]}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    conv.refresh_from_db()
    assert not conv.is_active


def test_convention_page_shows_its_annexes_read_only(staff_client):
    conv = convention()
    FinancialAnnex.objects.create(
        number="ACI069241001A0M0", convention=conv, state="VALIDE", start_at="2024-01-01", end_at="2099-12-31"
    )
    response = staff_client.get(reverse("admin:companies_convention_change", args=[conv.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ACI069241001A0M0" in content
    assert 'name="financial_annexes-0-number"' not in content  # shown, not editable
    assert 'name="is_active"' not in content  # the action is the only way to reactivate
    assert staff_client.get(reverse("admin:companies_convention_add")).status_code == 403


@pytest.mark.parametrize(
    "state,expected",
    [
        ("active", {"Active"}),
        ("grace", {"En grâce"}),
        ("expired", {"Expirée"}),
        ("none", {"Sans convention"}),
    ],
)
def test_companies_filtered_by_convention_state(staff_client, state, expected):
    CompanyFactory(name="Active", source=CompanySource.ASP, convention=convention(1))
    CompanyFactory(name="En grâce", source=CompanySource.ASP, convention=deactivated(2, days=29))
    CompanyFactory(name="Expirée", source=CompanySource.ASP, convention=deactivated(3, days=30))
    CompanyFactory(name="Sans convention")
    with time_machine.travel(NOW, tick=False):
        response = staff_client.get(reverse("admin:companies_company_changelist"), {"convention_state": state})
    assert response.status_code == 200
    assert {company.name for company in response.context["cl"].result_list} == expected
