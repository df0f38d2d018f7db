"""Import of the EA/EATT list: pipe-separated file with EN-TETE and FIN lines (conventionnement.md §1.2)."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.imports.files import EA_EATT_HEADER, ImportFileError, read_pipe_file
from inclusion.companies.imports.listed import EA_EATT_COLUMNS, import_ea_eatt
from inclusion.companies.imports.report import Action
from inclusion.companies.models import Company
from tests.companies.factories import CompanyFactory
from tests.geo.factories import CommuneFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)
EA_LINE = (
    "42583800000015|EA|Atelier Adapté du Confluent|15 cours Charlemagne|69002|69123|direction@atelier.example|04 78"
)
EATT_LINE = "42591719200014|EATT|Handi Intérim Lyon|102 rue de Marseille|69007|69123|direction@handi.example|"


@pytest.fixture(autouse=True)
def lyon():
    return CommuneFactory()


def write(tmp_path, *lines):
    path = tmp_path / "ea_eatt.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(tmp_path, *lines):
    return import_ea_eatt(file=read_pipe_file(write(tmp_path, *lines), EA_EATT_COLUMNS), now=NOW)


def call(path, *args):
    stdout = StringIO()
    call_command("import_ea_eatt", path, *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def test_creates_ea_and_eatt_with_their_phone(tmp_path):
    report = run(tmp_path, "EN-TETE|EA_EATT|20260105", EA_LINE, EATT_LINE, "FIN|2")
    assert set(Company.objects.values_list("kind", "source", "phone")) == {
        (CompanyKind.EA, CompanySource.EA_EATT, "04 78"),
        (CompanyKind.EATT, CompanySource.EA_EATT, ""),
    }
    assert all(company.is_active for company in Company.objects.all())
    assert report.totals[Action.CREATED] == 2


@pytest.mark.parametrize(
    "lines,message",
    [
        ((EA_LINE, "FIN|1"), f"la première ligne doit être la ligne d'en-tête « {EA_EATT_HEADER}|… »"),
        (("EN-TETE|EA_EATT|20260105", EA_LINE), "la dernière ligne doit être « FIN|<nombre de lignes> »"),
        (("EN-TETE|EA_EATT|20260105", EA_LINE, "FIN|un"), "la dernière ligne doit être « FIN|<nombre de lignes> »"),
    ],
)
def test_a_file_without_header_or_footer_imports_nothing(tmp_path, lines, message):
    with pytest.raises(ImportFileError, match=message.replace("|", r"\|")):
        read_pipe_file(write(tmp_path, *lines), EA_EATT_COLUMNS)
    with pytest.raises(CommandError, match="Fichier illisible, rien n'a été importé"):
        call(write(tmp_path, *lines), "--wet-run")
    assert not Company.objects.exists()


def test_a_row_count_mismatch_is_reported_and_removes_nothing(tmp_path):
    absent = CompanyFactory(siret="42599638600016", kind=CompanyKind.EA, source=CompanySource.EA_EATT)
    report = run(tmp_path, "EN-TETE|EA_EATT|20260105", EA_LINE, "FIN|3")
    assert Company.objects.filter(pk=absent.pk, is_searchable=True).exists()
    assert report.notes == [
        "la ligne FIN annonce 3 ligne(s), le fichier en contient 1 : par prudence, aucune structure absente "
        "n'est supprimée ni masquée."
    ]
    assert Company.objects.filter(siret="42583800000015").exists()

    report = run(tmp_path, "EN-TETE|EA_EATT|20260105", EA_LINE, "FIN|1")
    assert not Company.objects.filter(pk=absent.pk).exists()
    assert len(report.of(Action.DELETED)) == 1


def test_a_company_of_the_other_kind_with_the_same_siret_is_a_different_company(tmp_path):
    ea = CompanyFactory(siret="42591719200014", kind=CompanyKind.EA, source=CompanySource.EA_EATT, with_member=True)
    report = run(tmp_path, "EN-TETE|EA_EATT|20260105", EATT_LINE, "FIN|1")
    ea.refresh_from_db()
    assert not ea.is_searchable  # no longer listed as an EA
    assert Company.objects.filter(siret="42591719200014", kind=CompanyKind.EATT).exists()
    assert len(report.of(Action.HIDDEN)) == 1


def test_command_reports_rejected_rows_and_is_idempotent():
    dry = call(DATA / "ea_eatt.txt")
    assert not Company.objects.exists()
    for expected in [
        "Ligne 4 : type « ESAT » inconnu (attendu : EA ou EATT)",
        "Ligne 5 : 8 champs attendus, 4 lus",
        "Ligne 6 : doublon du SIRET 42591719200014 (EATT) : ligne 3 conservée",
    ]:
        assert expected in dry, expected
    wet = call(DATA / "ea_eatt.txt", "--wet-run")
    assert wet.splitlines()[1:] == dry.splitlines()[1:]
    assert Company.objects.count() == 2
    again = call(DATA / "ea_eatt.txt", "--wet-run")
    assert "Aucun changement : tout est déjà à jour." in again
    assert Company.objects.count() == 2
