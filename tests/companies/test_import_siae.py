"""Import of the SIAE list of the ASP (conventionnement.md §1.2): rows, steps, safety valves, dry run, report."""

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from inclusion.companies.enums import CompanyKind, CompanySource
from inclusion.companies.imports.files import SourceRow
from inclusion.companies.imports.report import Action
from inclusion.companies.imports.siae import import_siae
from inclusion.companies.models import Company, Convention, FinancialAnnex
from inclusion.geo.models import CommuneFormerCode
from tests.companies.factories import CompanyFactory, CompanyMembershipFactory
from tests.geo.factories import CommuneFactory
from tests.users.factories import StaffFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
# A Tuesday of September: outside the January–June mass-deactivation valve.
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 9, 15)
SIRET = "41007919800017"


@pytest.fixture(autouse=True)
def lyon():
    return CommuneFactory()


def structure(asp_id=1001, siret=SIRET, **values):
    return {
        "asp_id": str(asp_id),
        "siret": siret,
        "siret_signature": values.pop("siret_signature", siret),
        "auth_email": "direction@jardins.example",
        "naf": "8899B",
        "name": "Jardins de Cocagne du Rhône",
        "address_line_1": "12 rue d'Austerlitz",
        "address_line_2": "",
        "post_code": "69004",
        "code_insee": "69123",
        "phone": "04 78 11 21 31",
        **values,
    }


def annex(number="ACI069241001A0M0", asp_id=1001, measure="ACI", end_at="2099-12-31", state="VALIDE", **values):
    return {
        "number": number,
        "asp_id": str(asp_id),
        "measure": measure,
        "start_at": "2024-01-01",
        "end_at": end_at,
        "state": state,
        **values,
    }


def rows(*values):
    return [SourceRow(line, row) for line, row in enumerate(values, start=2)]


def run(structures=(), annexes=(), now=NOW):
    return import_siae(structure_rows=rows(*structures), annex_rows=rows(*annexes), now=now)


def run_without_these_conventions(now=NOW):
    """An export that lists one unrelated structure: every stored convention has lost its annexes."""
    other = 999999
    return run([structure(asp_id=other, siret="41007919800025")], [annex("ACI069249999A0M0", asp_id=other)], now=now)


def convention(asp_id=1001, kind=CompanyKind.ACI, **fields):
    fields.setdefault("siret_signature", SIRET)
    return Convention.objects.create(asp_id=asp_id, kind=kind, **fields)


def asp_company(conv, **fields):
    return CompanyFactory(siret=SIRET, kind=conv.kind, source=CompanySource.ASP, convention=conv, **fields)


def reasons(report, action=Action.REJECTED):
    return [f"{line.subject} : {line.reason}" for line in report.of(action)]


def test_creates_the_siae_its_convention_and_its_annexes(lyon):
    report = run(
        [structure()],
        [annex(), annex("ACI069231001A0M0", start_at="2023-01-01", end_at="2023-12-31", state="HISTORISE")],
    )

    company = Company.objects.get()
    assert (company.kind, company.siret, company.source) == (CompanyKind.ACI, SIRET, CompanySource.ASP)
    assert company.name == "Jardins de Cocagne du Rhône"
    assert company.auth_email == "direction@jardins.example"
    assert (company.post_code, company.city, company.department) == ("69004", "Lyon", "69")
    assert (company.commune, company.latitude, company.longitude) == (lyon, lyon.latitude, lyon.longitude)
    assert company.convention.asp_id == 1001
    assert company.convention.is_active
    assert company.is_active
    assert sorted(company.convention.financial_annexes.values_list("number", flat=True)) == [
        "ACI069231001A0M0",
        "ACI069241001A0M0",
    ]
    assert report.totals[Action.CREATED] == 3  # the company and two annexes
    assert "les structures créées ne reçoivent pas encore d'e-mail" in report.render(wet_run=True)


def test_a_structure_with_only_expired_annexes_is_not_created():
    report = run([structure()], [annex(end_at="2025-12-31")])
    assert not Company.objects.exists()
    assert not Convention.objects.exists()
    assert report.skipped  # its annex has no convention to hang on


def test_one_structure_with_two_measures_gives_two_companies_of_the_same_siret():
    run([structure()], [annex(), annex("EI069241001A0M0", measure="EI_DC")])
    assert set(Company.objects.values_list("kind", "siret")) == {(CompanyKind.ACI, SIRET), (CompanyKind.EI, SIRET)}
    assert Convention.objects.count() == 2


def test_penitentiary_measures_and_other_measures_are_skipped():
    report = run([structure()], [annex(), annex("ACI069249001A0M0", measure="ACI_MP"), annex(measure="EA")])
    assert FinancialAnnex.objects.count() == 1
    assert not report.of(Action.REJECTED)
    assert report.skipped == {
        "annexe d'une mesure pénitentiaire (_MP)": 1,
        "annexe d'une mesure qui n'est pas une SIAE (EA)": 1,
    }


@pytest.mark.parametrize(
    "bad_row,reason",
    [
        (structure(1002, auth_email=""), "Structures, ligne 3 : e-mail manquant"),
        (structure(1002, siret="4100791980001"), "Structures, ligne 3 : SIRET « 4100791980001 » invalide"),
        (
            structure(1002, siret="41015838000015", siret_signature="52015838000015"),
            "Structures, ligne 3 : le SIREN du SIRET (410158380) diffère de celui du SIRET à la signature (520158380)",
        ),
        (structure(1002, code_insee="69999"), "Structures, ligne 3 : commune inconnue (code INSEE 69999)"),
        (structure(1002, naf="88.99"), "Structures, ligne 3 : code NAF « 8899 » invalide"),
        (
            structure(1001, name="Doublon"),
            "Structures, ligne 3 : doublon de l'identifiant ASP 1001 (ligne 2 conservée)",
        ),
    ],
)
def test_a_rejected_structure_is_reported_and_the_good_rows_are_imported(bad_row, reason):
    report = run([structure(), bad_row], [annex(), annex("ACI069241002A0M0", asp_id=1002)])
    assert [line for line in reasons(report) if line.startswith(reason)], reasons(report)
    assert Company.objects.get().name == "Jardins de Cocagne du Rhône"


@pytest.mark.parametrize(
    "bad_row,reason",
    [
        (annex("ACI69241002A0M0", asp_id=1002), "numéro d'annexe financière « ACI69241002A0M0 » invalide"),
        (annex("ACI069241002A0M0", asp_id=1002, state="INCONNU"), "état « INCONNU » inconnu"),
        (annex("ACI069241002A0M0", asp_id=1002, end_at="31-12-2099"), "date de fin « 31-12-2099 » invalide"),
        (annex("ACI069241002A0M0", asp_id=1002, end_at="2023-01-01"), "la date de fin (01/01/2023) doit suivre"),
        (annex("ACI069241002A0M0", asp_id="x"), "identifiant ASP « x » invalide"),
    ],
)
def test_a_rejected_annex_is_reported_and_the_good_rows_are_imported(bad_row, reason):
    report = run([structure(), structure(1002, siret="41015838000015")], [annex(), bad_row])
    assert len(reasons(report)) == 1
    assert reasons(report)[0].startswith(f"Annexes, ligne 3 : {reason}")
    assert Company.objects.get().convention.asp_id == 1001


def test_duplicate_annexes_keep_the_active_one_then_the_latest_end():
    report = run(
        [structure()],
        [
            annex(end_at="2099-12-31", state="ANNULE"),
            annex(end_at="2098-12-31"),
            annex(end_at="2097-12-31"),
        ],
    )
    saved = FinancialAnnex.objects.get()
    assert (saved.state, saved.end_at) == ("VALIDE", datetime.date(2098, 12, 31))
    assert reasons(report) == [
        "Annexes, ligne 2 : doublon de l'annexe ACI069241001A0M0 "
        "(ligne 3 conservée : active, puis fin la plus tardive)",
        "Annexes, ligne 4 : doublon de l'annexe ACI069241001A0M0 "
        "(ligne 3 conservée : active, puis fin la plus tardive)",
    ]


def test_a_former_commune_code_is_resolved_to_the_current_commune(lyon):
    # 69000 is no INSEE code: it stands for a merged commune (real communes may be loaded by other tests).
    CommuneFormerCode.objects.create(former_code="69000", commune=lyon, relation="commune_deleguee")
    report = run([structure(code_insee="69000")], [annex()])
    assert not report.of(Action.REJECTED)
    assert Company.objects.get().commune == lyon


def test_siret_and_official_email_follow_the_asp_id():
    company = asp_company(convention(), auth_email="ancien@jardins.example")
    report = run([structure(siret="41007919800025", siret_signature=SIRET)], [annex()])
    company.refresh_from_db()
    assert (company.siret, company.auth_email) == ("41007919800025", "direction@jardins.example")
    assert reasons(report, Action.UPDATED) == [
        f"ACI 41007919800025 « {company.name} » : SIRET {SIRET} → 41007919800025, "
        "e-mail officiel ancien@jardins.example → direction@jardins.example"
    ]


def test_signature_siret_of_the_convention_follows_the_file():
    conv = convention()
    asp_company(conv, auth_email="direction@jardins.example")
    run([structure(siret_signature="41007919800033")], [annex()])
    conv.refresh_from_db()
    assert conv.siret_signature == "41007919800033"


@pytest.mark.parametrize("end_at,active", [(TODAY, False), (TODAY + datetime.timedelta(days=1), True)])
def test_convention_is_deactivated_the_day_its_last_annex_ends(end_at, active):
    conv = convention()
    company = asp_company(conv, auth_email="direction@jardins.example")
    report = run([structure()], [annex(end_at=end_at.isoformat())])
    conv.refresh_from_db()
    assert conv.is_active is active
    assert conv.deactivated_at == (None if active else NOW)
    assert Company.objects.get(pk=company.pk).is_active is active
    assert len(report.of(Action.DEACTIVATED)) == (0 if active else 1)


def test_a_new_active_annex_reactivates_the_convention():
    conv = convention(is_active=False, deactivated_at=NOW - datetime.timedelta(days=10))
    asp_company(conv, auth_email="direction@jardins.example")
    report = run([structure()], [annex()])
    conv.refresh_from_db()
    assert conv.is_active and conv.deactivated_at is None
    assert conv.reactivated_at is None  # not a support reactivation: no protection
    assert reasons(report, Action.REACTIVATED) == ["Convention ACI - ASP 1001 : au moins une annexe financière active"]


def _conventions_without_annexes(count):
    Convention.objects.bulk_create(
        Convention(asp_id=asp_id, kind=CompanyKind.ACI, siret_signature=SIRET) for asp_id in range(1, count + 1)
    )


@pytest.mark.parametrize(
    "count,now,deactivated",
    [
        (199, datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC), 199),
        (200, datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC), 0),
        # The first and last days of the valve, in Paris time, and the first days outside it.
        (200, datetime.datetime(2025, 12, 31, 22, 59, tzinfo=datetime.UTC), 200),
        (200, datetime.datetime(2025, 12, 31, 23, 0, tzinfo=datetime.UTC), 0),  # 1 January, 0:00 in Paris
        (200, datetime.datetime(2026, 6, 30, 21, 59, tzinfo=datetime.UTC), 0),
        (200, datetime.datetime(2026, 6, 30, 22, 0, tzinfo=datetime.UTC), 200),  # 1 July, 0:00 in Paris
    ],
)
def test_mass_deactivation_valve_from_january_to_june(count, now, deactivated):
    _conventions_without_annexes(count)
    report = run_without_these_conventions(now=now)
    assert Convention.objects.filter(is_active=False).count() == deactivated
    assert len(report.of(Action.DEACTIVATED)) == deactivated
    if deactivated == 0:
        assert len(report.of(Action.KEPT)) == count
        assert f"{count} conventions seraient désactivées" in report.render(wet_run=True)


@pytest.mark.parametrize("days,protected", [(89, True), (90, False)])
def test_a_support_reactivation_protects_the_convention_for_90_days(days, protected):
    conv = convention(reactivated_at=NOW - datetime.timedelta(days=days), reactivated_by=StaffFactory())
    report = run_without_these_conventions()
    conv.refresh_from_db()
    assert conv.is_active is protected
    if protected:
        assert reasons(report, Action.KEPT) == [
            "Convention ACI - ASP 1001 : aucune annexe active, mais réactivée par le support le 18/06/2026 : "
            "protégée jusqu'au 16/09/2026"
        ]


def test_protected_conventions_do_not_count_towards_the_mass_deactivation_valve():
    _conventions_without_annexes(200)
    Convention.objects.filter(asp_id=1).update(reactivated_at=NOW - datetime.timedelta(days=1))
    run_without_these_conventions(now=datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC))
    assert Convention.objects.filter(is_active=False).count() == 199


@pytest.mark.parametrize("source", [CompanySource.STAFF_CREATED, CompanySource.USER_CREATED])
def test_a_same_siret_and_kind_company_is_converted_and_keeps_its_members(source):
    company = CompanyFactory(siret=SIRET, kind=CompanyKind.ACI, source=source, with_member=True)
    report = run([structure()], [annex()])
    company.refresh_from_db()
    assert company.source == CompanySource.ASP
    assert company.convention.asp_id == 1001
    assert company.auth_email == "direction@jardins.example"
    assert company.memberships.count() == 1
    assert Company.objects.count() == 1
    assert len(report.of(Action.CONVERTED)) == 1


def test_an_asp_company_already_holding_the_siret_is_not_overwritten():
    other = asp_company(convention(asp_id=999), auth_email="x@example.com")
    report = run([structure()], [annex()])
    assert Company.objects.get() == other
    assert "SIRET déjà pris" in reasons(report)[0]


def test_memberless_user_created_antennas_are_deleted():
    conv = convention()
    asp_company(conv, auth_email="direction@jardins.example")
    lonely = CompanyFactory(siret="41007919800041", source=CompanySource.USER_CREATED, convention=conv)
    staffed = CompanyFactory(
        siret="41007919800058", source=CompanySource.USER_CREATED, convention=conv, with_member=True
    )
    left = CompanyFactory(siret="41007919800066", source=CompanySource.USER_CREATED, convention=conv)
    CompanyMembershipFactory(organization=left, is_active=False, is_admin=False)
    report = run([structure()], [annex()])
    assert not Company.objects.filter(pk=lonely.pk).exists()
    assert Company.objects.filter(pk__in=[staffed.pk, left.pk]).count() == 2
    assert reasons(report, Action.DELETED) == [
        f"ACI 41007919800041 « {lonely.name} » : antenne créée par un utilisateur, sans aucun membre"
    ]


def test_annexes_are_updated_moved_and_deleted():
    first, second = convention(1001), convention(1002, siret_signature="41015838000015")
    asp_company(first, auth_email="direction@jardins.example")
    CompanyFactory(
        siret="41015838000015", source=CompanySource.ASP, convention=second, auth_email="direction@jardins.example"
    )
    FinancialAnnex.objects.create(
        number="ACI069241001A0M0", convention=first, state="PROVISOIRE", start_at="2024-01-01", end_at="2099-12-31"
    )
    FinancialAnnex.objects.create(
        number="ACI069241002A0M0", convention=first, state="VALIDE", start_at="2024-01-01", end_at="2099-12-31"
    )
    FinancialAnnex.objects.create(
        number="ACI069221001A0M0", convention=first, state="VALIDE", start_at="2022-01-01", end_at="2022-12-31"
    )
    # A row rejected this week never deletes the annex it describes.
    FinancialAnnex.objects.create(
        number="ACI069241003A0M0", convention=second, state="VALIDE", start_at="2024-01-01", end_at="2099-12-31"
    )
    report = run(
        [structure(), structure(1002, siret="41015838000015")],
        [
            annex(),
            annex("ACI069241002A0M0", asp_id=1002),
            annex("ACI069241003A0M0", asp_id=1002, end_at="bad"),
        ],
    )
    assert dict(FinancialAnnex.objects.values_list("number", "convention__asp_id")) == {
        "ACI069241001A0M0": 1001,
        "ACI069241002A0M0": 1002,
        "ACI069241003A0M0": 1002,
    }
    assert FinancialAnnex.objects.get(number="ACI069241001A0M0").state == "VALIDE"
    assert reasons(report, Action.UPDATED) == [
        "Annexe ACI069241001A0M0 : état PROVISOIRE → VALIDE",
        "Annexe ACI069241002A0M0 : déplacée de la convention ACI - ASP 1001 vers ACI - ASP 1002",
    ]
    assert reasons(report, Action.DELETED) == [
        "Annexe ACI069221001A0M0 : absente du fichier des annexes (convention ACI - ASP 1001)"
    ]


class TestGracePeriod:
    DEACTIVATED_AT = datetime.datetime(2026, 8, 1, 10, 0, tzinfo=datetime.UTC)

    def setup_company(self, **fields):
        conv = convention(is_active=False, deactivated_at=self.DEACTIVATED_AT)
        return asp_company(conv, auth_email="direction@jardins.example", **fields)

    def run_on_day(self, day):
        with time_machine.travel(self.DEACTIVATED_AT + datetime.timedelta(days=day), tick=False):
            return run([structure()], [annex(end_at="2026-07-31")], now=timezone.now())

    @pytest.mark.parametrize("day,deleted", [(29, False), (30, True), (31, True)])
    def test_a_company_without_history_is_deleted_when_the_grace_period_ends(self, day, deleted):
        company = self.setup_company()
        report = self.run_on_day(day)
        assert Company.objects.filter(pk=company.pk).exists() is not deleted
        if deleted:
            assert reasons(report, Action.DELETED) == [
                f"ACI {SIRET} « {company.name} » : période de grâce de 30 jours terminée "
                "(convention désactivée le 01/08/2026) ; aucun historique"
            ]

    @pytest.mark.parametrize("day,hidden", [(29, False), (30, True)])
    def test_a_company_holding_history_is_only_hidden(self, day, hidden):
        company = self.setup_company(with_member=True)
        report = self.run_on_day(day)
        company.refresh_from_db()
        assert company.is_searchable is not hidden
        assert len(report.of(Action.HIDDEN)) == int(hidden)
        if hidden:  # the next run has nothing more to do
            assert not self.run_on_day(day + 7).changed

    def test_a_pending_invitation_is_history(self):
        company = self.setup_company()
        company.invitations.create(email="personne@example.com", first_name="A", last_name="B")
        self.run_on_day(30)
        assert Company.objects.filter(pk=company.pk, is_searchable=False).exists()


def test_running_twice_changes_nothing_the_second_time():
    conv = convention(1003, is_active=False, deactivated_at=NOW - datetime.timedelta(days=60))
    CompanyFactory(siret="41023757200012", source=CompanySource.ASP, convention=conv, with_member=True)
    structures = [
        structure(),
        structure(1002, siret="41015838000015", auth_email=""),
        structure(1003, siret="41023757200012"),
    ]
    annexes = [
        annex(),
        annex("ACI069231001A0M0", start_at="2023-01-01", end_at="2023-12-31", state="HISTORISE"),
        annex("XX", asp_id=1003),
    ]
    first = run(structures, annexes)
    assert first.changed
    snapshot = list(Company.objects.values()), list(Convention.objects.values()), list(FinancialAnnex.objects.values())
    second = run(structures, annexes)
    assert not second.changed
    assert reasons(second) == reasons(first)  # the broken rows are reported again, nothing else
    assert snapshot == (
        list(Company.objects.values()),
        list(Convention.objects.values()),
        list(FinancialAnnex.objects.values()),
    )


def test_report_text():
    CompanyFactory(
        name="Ancienne Régie",
        siret="41015838000015",
        source=CompanySource.ASP,
        convention=convention(1002, is_active=False, deactivated_at=NOW - datetime.timedelta(days=45)),
    )
    report = run([structure(), structure(1003, auth_email="")], [annex()])
    assert report.render(wet_run=False) == (
        "Import des SIAE (liste de l'ASP) — SIMULATION : rien n'a été enregistré (relancez avec --wet-run pour "
        "enregistrer ces changements)\n"
        "Note : date de référence 15/09/2026 : 1 structure(s) et 1 annexe(s) valides lues ; les structures créées "
        "ne reçoivent pas encore d'e-mail.\n"
        "Créations (2)\n"
        f"  - ACI {SIRET} « Jardins de Cocagne du Rhône » (ASP 1001) : nouvelle structure conventionnée à Lyon (69)\n"
        "  - Annexe ACI069241001A0M0 : convention ACI - ASP 1001, VALIDE du 01/01/2024 au 31/12/2099\n"
        "Suppressions (1)\n"
        "  - ACI 41015838000015 « Ancienne Régie » : période de grâce de 30 jours terminée (convention "
        "désactivée le 01/08/2026) ; aucun historique\n"
        "Lignes rejetées (1)\n"
        "  - Structures, ligne 3 : e-mail manquant : ligne écartée (conventionnement.md §1.2)\n"
        "Totaux : 2 création(s), 0 conversion(s), 0 mise(s) à jour, 0 réactivation(s), 0 désactivation(s), "
        "0 maintenue(s) par un garde-fou, 0 masquée(s) de la recherche, 1 suppression(s), 1 ligne(s) rejetée(s)"
    )


class TestCommand:
    def call(self, *args, verbosity=1):
        stdout, stderr = StringIO(), StringIO()
        call_command(
            "import_siae",
            "--structures",
            DATA / "siae_structures.csv",
            "--annexes",
            DATA / "siae_annexes.csv",
            *args,
            verbosity=verbosity,
            stdout=stdout,
            stderr=stderr,
        )
        return stdout.getvalue(), stderr.getvalue()

    def test_dry_run_by_default_writes_nothing_and_reports_what_the_wet_run_does(self):
        dry, _ = self.call()
        assert "SIMULATION : rien n'a été enregistré" in dry
        assert not Company.objects.exists() and not Convention.objects.exists()
        assert not FinancialAnnex.objects.exists()

        wet, _ = self.call("--wet-run")
        assert "changements enregistrés" in wet
        assert dry.splitlines()[1:] == wet.splitlines()[1:]
        assert Company.objects.count() == 2

        again, _ = self.call("--wet-run")
        assert "Aucun changement : tout est déjà à jour." in again

    def test_the_test_file_rows_are_rejected_with_their_reasons(self):
        out, _ = self.call("--wet-run")
        for expected in [
            "Structures, ligne 4 : e-mail manquant",
            "Structures, ligne 5 : SIRET « 4123 » invalide",
            "Structures, ligne 6 : le SIREN du SIRET (410239999) diffère de celui du SIRET à la signature",
            "Structures, ligne 7 : commune inconnue (code INSEE 99999)",
            "Structures, ligne 8 : doublon de l'identifiant ASP 1001 (ligne 2 conservée)",
            "Annexes, ligne 4 : numéro d'annexe financière « ACI69241001A0M0 » invalide",
            "Annexes, ligne 5 : doublon de l'annexe ACI069241001A0M0",
        ]:
            assert expected in out, expected
        assert "7 ligne(s) rejetée(s)" in out

    def test_progress_bar_on_stderr_hidden_at_verbosity_0(self):
        out, err = self.call(verbosity=0)
        assert out == "" and err == ""
        _, err = self.call(verbosity=1)
        assert "lignes" in err

    def test_a_file_missing_a_column_imports_nothing(self, tmp_path):
        broken = tmp_path / "structures.csv"
        broken.write_text("asp_id;siret\n1001;41007919800017\n", encoding="utf-8")
        shutil.copy(DATA / "siae_annexes.csv", tmp_path / "annexes.csv")
        with pytest.raises(CommandError, match="colonne\\(s\\) absente\\(s\\) de la première ligne : siret_signature"):
            call_command("import_siae", "--structures", broken, "--annexes", tmp_path / "annexes.csv", "--wet-run")
        assert not Company.objects.exists()


@pytest.mark.usefixtures("reference_data")
def test_the_sample_files_import_without_any_rejected_row():
    samples = Path(__file__).parents[2] / "inclusion" / "companies" / "data" / "samples"
    outputs = []
    for args in (
        ["import_siae", "--structures", samples / "siae_structures.csv", "--annexes", samples / "siae_annexes.csv"],
        ["import_geiq", samples / "geiq.csv"],
        ["import_ea_eatt", samples / "ea_eatt.txt"],
    ):
        stdout = StringIO()
        call_command(*args, "--wet-run", stdout=stdout, stderr=StringIO())
        outputs.append(stdout.getvalue())
    assert all("0 ligne(s) rejetée(s)" in output for output in outputs), outputs
    assert Company.objects.filter(source=CompanySource.ASP).count() == 32
    assert Company.objects.filter(source=CompanySource.GEIQ).count() == 6
    assert Company.objects.filter(source=CompanySource.EA_EATT).count() == 6
    # Annexes end in 2099 so that the demo does not rot: every imported SIAE is active.
    assert Company.objects.active().count() == 44


@pytest.mark.parametrize("structures,annexes", [([], [annex()]), ([structure()], []), ([structure(siret="1")], [])])
def test_an_empty_or_entirely_broken_export_changes_nothing(structures, annexes):
    conv = convention()
    company = asp_company(conv, auth_email="direction@jardins.example")
    FinancialAnnex.objects.create(
        number="ACI069241001A0M0", convention=conv, state="VALIDE", start_at="2024-01-01", end_at="2099-12-31"
    )
    report = run(structures, annexes)
    conv.refresh_from_db()
    assert conv.is_active and Company.objects.get(pk=company.pk).is_active
    assert FinancialAnnex.objects.count() == 1
    assert not report.of(Action.DEACTIVATED) and not report.of(Action.DELETED)
