"""Import of the GEIQ list: create / update / convert / delete-or-hide (conventionnement.md §1.2, last item)."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.imports.files import SourceRow
from inclusion.companies.imports.listed import import_geiq
from inclusion.companies.imports.report import Action
from inclusion.companies.models import Company
from tests.companies.factories import CompanyFactory
from tests.geo.factories import CommuneFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)
SIRET = "41791900800017"


@pytest.fixture(autouse=True)
def lyon():
    return CommuneFactory()


def geiq_row(siret=SIRET, **values):
    return {
        "name": "GEIQ BTP Rhône",
        "address_line_1": "60 avenue Jean Jaurès",
        "post_code": "69007",
        "code_insee": "69123",
        "siret": siret,
        "email": "direction@geiq-btp.example",
        **values,
    }


def run(*values, now=NOW):
    return import_geiq(rows=[SourceRow(line, row) for line, row in enumerate(values, start=2)], now=now)


def reasons(report, action):
    return [f"{line.subject} : {line.reason}" for line in report.of(action)]


def geiq(**fields):
    return CompanyFactory(kind=CompanyKind.GEIQ, **fields)


def test_creates_a_geiq_from_the_list():
    report = run(geiq_row())
    company = Company.objects.get()
    assert (company.kind, company.siret, company.source) == (CompanyKind.GEIQ, SIRET, CompanySource.GEIQ)
    assert company.auth_email == "direction@geiq-btp.example"
    assert (company.address_line_1, company.post_code, company.city) == ("60 avenue Jean Jaurès", "69007", "Lyon")
    assert company.latitude is not None
    assert company.is_active and company in Company.objects.searchable()
    assert reasons(report, Action.CREATED) == [f"GEIQ {SIRET} « GEIQ BTP Rhône » : nouvelle structure à Lyon"]


def test_the_list_updates_the_name_and_official_email_but_not_what_the_employer_edits():
    company = geiq(
        siret=SIRET,
        source=CompanySource.GEIQ,
        name="GEIQ BTP",
        auth_email="ancien@geiq.example",
        address_line_1="Adresse corrigée par l'employeur",
    )
    report = run(geiq_row())
    company.refresh_from_db()
    assert (company.name, company.auth_email) == ("GEIQ BTP Rhône", "direction@geiq-btp.example")
    assert company.address_line_1 == "Adresse corrigée par l'employeur"
    assert reasons(report, Action.UPDATED) == [
        f"GEIQ {SIRET} « GEIQ BTP Rhône » : nom « GEIQ BTP » → « GEIQ BTP Rhône », "
        "e-mail officiel « ancien@geiq.example » → « direction@geiq-btp.example »"
    ]


@pytest.mark.parametrize("source", [CompanySource.STAFF_CREATED, CompanySource.USER_CREATED])
def test_a_same_siret_geiq_created_by_hand_is_converted(source):
    company = geiq(siret=SIRET, source=source, name="GEIQ BTP Rhône", with_member=True)
    report = run(geiq_row())
    company.refresh_from_db()
    assert company.source == CompanySource.GEIQ
    assert company.memberships.count() == 1
    assert len(report.of(Action.CONVERTED)) == 1
    assert Company.objects.count() == 1


def test_an_absent_geiq_is_deleted_without_history_and_hidden_with_history():
    gone = geiq(siret="41799819200013", source=CompanySource.GEIQ, name="Sans historique")
    kept = geiq(siret="41807738400019", source=CompanySource.GEIQ, name="Avec membres", with_member=True)
    report = run(geiq_row())
    assert not Company.objects.filter(pk=gone.pk).exists()
    kept.refresh_from_db()
    assert not kept.is_searchable
    assert kept not in Company.objects.searchable()
    assert reasons(report, Action.DELETED) == [
        "GEIQ 41799819200013 « Sans historique » : absente de la liste ; aucun historique"
    ]
    assert reasons(report, Action.HIDDEN) == [
        "GEIQ 41807738400019 « Avec membres » : absente de la liste ; conservée car elle a un historique"
    ]
    assert not run(geiq_row()).changed


def test_a_geiq_that_left_its_list_loses_access_and_gets_it_back_when_listed_again():
    company = geiq(siret="41807738400019", source=CompanySource.GEIQ, name="GEIQ Propreté", with_member=True)
    run(geiq_row())
    company.refresh_from_db()
    assert not company.is_active  # organizations.md §8.3: active while listed
    report = run(geiq_row(), geiq_row(siret="41807738400019", name="GEIQ Propreté"))
    company.refresh_from_db()
    assert company.is_active and company in Company.objects.searchable()
    assert reasons(report, Action.REACTIVATED) == ["GEIQ 41807738400019 « GEIQ Propreté » : de nouveau dans la liste"]


def test_a_file_without_any_valid_row_removes_nothing():
    company = geiq(siret="41807738400019", source=CompanySource.GEIQ, with_member=True)
    report = run(geiq_row(siret="123"))
    company.refresh_from_db()
    assert company.is_searchable and company.is_active
    assert report.of(Action.HIDDEN) == [] and report.of(Action.DELETED) == []


@pytest.mark.parametrize(
    "age,removed",
    [
        (datetime.timedelta(days=364), False),
        (datetime.timedelta(days=365), True),  # 15 September 2025 → 15 September 2026: one year
        (datetime.timedelta(days=366), True),
    ],
)
def test_a_staff_created_geiq_absent_from_the_list_is_kept_one_year(age, removed):
    company = geiq(siret="41799819200013", source=CompanySource.STAFF_CREATED, created_at=NOW - age)
    run(geiq_row())
    assert Company.objects.filter(pk=company.pk).exists() is not removed


def test_user_created_antennas_are_never_removed_by_the_list():
    antenna = geiq(
        siret="41791900800025", source=CompanySource.USER_CREATED, created_at=NOW - datetime.timedelta(days=900)
    )
    run(geiq_row())
    antenna.refresh_from_db()
    assert antenna.is_searchable


def test_other_kinds_are_not_touched():
    aci = CompanyFactory(siret="41799819200013", kind=CompanyKind.ACI, source=CompanySource.STAFF_CREATED)
    run(geiq_row())
    assert Company.objects.filter(pk=aci.pk).exists()


def test_running_twice_changes_nothing_the_second_time():
    geiq(siret="41807738400019", source=CompanySource.GEIQ, with_member=True)
    rows = [geiq_row(), geiq_row("41799819200013", name="GEIQ Propreté", email=""), geiq_row("123")]
    assert run(*rows).changed
    snapshot = list(Company.objects.values())
    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        second = run(*rows, now=timezone.now())
    assert not second.changed
    assert list(Company.objects.values()) == snapshot


def test_command_dry_run_then_wet_run_with_rejected_rows():
    stdout = StringIO()
    call_command("import_geiq", DATA / "geiq.csv", stdout=stdout, stderr=StringIO())
    dry = stdout.getvalue()
    assert not Company.objects.exists()
    for expected in [
        "Ligne 4 : SIRET « 4179 » invalide : Le numéro SIRET doit comporter 14 chiffres.",
        "Ligne 5 : commune inconnue (code INSEE 99999)",
        "Ligne 6 : doublon du SIRET 41791900800017 (GEIQ) : ligne 2 conservée",
        "Totaux : 2 création(s), 0 conversion(s), 0 mise(s) à jour, 0 réactivation(s), 0 désactivation(s), "
        "0 maintenue(s) par un garde-fou, 0 masquée(s) de la recherche, 0 suppression(s), 3 ligne(s) rejetée(s)",
    ]:
        assert expected in dry, expected

    stdout = StringIO()
    call_command("import_geiq", DATA / "geiq.csv", "--wet-run", stdout=stdout, stderr=StringIO())
    assert stdout.getvalue().splitlines()[1:] == dry.splitlines()[1:]
    assert set(Company.objects.values_list("siret", "auth_email")) == {
        (SIRET, "direction@geiq-btp.example"),
        ("41799819200013", ""),  # the GEIQ list may omit the e-mail
    }
