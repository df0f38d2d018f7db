"""`manage.py import_reference_data`: the shipped COG 2026, ZRR and ROME files, loaded idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from inclusion.geo.enums import CommuneKind, ZrrStatus
from inclusion.geo.models import Commune, CommuneFormerCode, Country, Department, PostalCode, Region
from inclusion.geo.reference import DATA_DIR, departments
from inclusion.jobs.models import Appellation, Rome
from inclusion.utils.sync import read_csv

pytestmark = pytest.mark.usefixtures("reference_data", "db")

MODELS = [Region, Department, Commune, PostalCode, CommuneFormerCode, Country, Rome, Appellation]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run_import():
    stdout = StringIO()
    call_command("import_reference_data", verbosity=0, stdout=stdout)
    return stdout.getvalue()


def test_row_counts():
    assert Commune.objects.count() == 35_014
    assert Commune.objects.filter(kind=CommuneKind.ARRONDISSEMENT).count() == 45
    assert Rome.objects.count() == 532
    assert Appellation.objects.count() == 11_061
    assert Department.objects.count() == 109
    assert Region.objects.count() == 26
    assert Country.objects.count() == 327


@pytest.mark.parametrize(
    "code_insee,name,department,latitude,longitude",
    [
        ("75056", "Paris", "75", 48.8589, 2.347),
        ("69123", "Lyon", "69", 45.758, 4.8351),
        ("13055", "Marseille", "13", 43.2803, 5.3806),
        ("97411", "Saint-Denis", "974", -20.88522, 55.4579),
        ("97209", "Fort-de-France", "972", 14.6492, -61.0686),
        ("97611", "Mamoudzou", "976", -12.7875, 45.1964),
        ("2A004", "Ajaccio", "2A", 41.9228, 8.7058),
        ("69149", "Oullins-Pierre-Bénite", "69", 45.70844, 4.81516),
    ],
)
def test_communes_have_the_documented_coordinates(code_insee, name, department, latitude, longitude):
    commune = Commune.objects.select_related("department").get(code_insee=code_insee)
    assert commune.name == name
    assert commune.department.code == department
    assert commune.department_code == department
    assert commune.latitude == pytest.approx(latitude, abs=1e-3)
    assert commune.longitude == pytest.approx(longitude, abs=1e-3)


def test_overseas_departments_are_drom():
    reunion = Department.objects.select_related("region").get(code="974")
    assert reunion.name == "La Réunion"
    assert reunion.zone == "drom"
    assert Commune.objects.filter(department=reunion).count() == 24


def test_arrondissements_point_to_their_city():
    paris = Commune.objects.get(code_insee="75056")
    first = Commune.objects.get(code_insee="75101")
    assert first.kind == CommuneKind.ARRONDISSEMENT
    assert first.parent == paris
    assert paris.parent is None
    assert paris.arrondissements.count() == 20
    assert Commune.objects.get(code_insee="69123").arrondissements.count() == 9
    assert Commune.objects.get(code_insee="13055").arrondissements.count() == 16


def test_postal_code_finds_the_commune():
    communes = Commune.objects.filter(pk__in=PostalCode.objects.filter(code="75116").values("commune"))
    assert {c.code_insee for c in communes} == {"75056", "75116"}  # Paris and its 16th arrondissement
    assert "75116" in Commune.objects.get(code_insee="75056").postal_code_list
    reunion = PostalCode.objects.filter(code="97417").values_list("commune__code_insee", flat=True)
    assert list(reunion) == ["97411"]


def test_former_code_leads_to_the_current_commune():
    former = CommuneFormerCode.objects.filter(former_code="69152").select_related("commune")
    assert {f.commune.code_insee for f in former} == {"69149"}
    assert {f.former_name for f in former} == {"Pierre-Bénite"}
    assert not Commune.objects.filter(code_insee="69152").exists()


def test_zrr_status_of_a_classified_commune():
    # 01060 is classée in the 2022 list and has kept its code and territory.
    assert Commune.objects.get(code_insee="01060").zrr_status == ZrrStatus.CLASSEE
    assert Commune.objects.get(code_insee="75056").zrr_status == ZrrStatus.NON_CLASSEE


def test_zrr_status_of_a_commune_merged_from_communes_of_different_statuses():
    # Neuville Saint Denis (28319) gathers Rouvray-Saint-Denis (28319, classée), Barmainville (28025, classée)
    # and Neuvy-en-Beauce (28276, non classée) since 2022: it is partly classified.
    zrr = {row["code_insee"]: row["status"] for row in read_csv(DATA_DIR / "zrr_communes.csv.gz")}
    merged = {
        row["former_code"]
        for row in read_csv(DATA_DIR / "communes_former_codes.csv.gz")
        if row["current_code"] == "28319"
    }
    assert {code: zrr[code] for code in merged} == {"28319": "C", "28025": "C", "28276": "NC"}
    assert Commune.objects.get(code_insee="28319").zrr_status == ZrrStatus.PARTIELLEMENT


def test_second_import_changes_nothing():
    before = row_counts()
    output = run_import()
    assert "Aucun changement" in output
    assert "Communes : 0 créé(s), 0 mis à jour, 35014 inchangé(s)" in output
    assert "Appellations ROME : 0 créé(s), 0 mis à jour, 11061 inchangé(s)" in output
    assert row_counts() == before


def test_import_restores_a_modified_commune():
    lyon = Commune.objects.get(code_insee="69123")
    Commune.objects.filter(pk=lyon.pk).update(name="Lugdunum", latitude=0)
    before = row_counts()
    output = run_import()
    assert "Communes : 0 créé(s), 1 mis à jour, 35013 inchangé(s)" in output
    assert "Aucun changement" not in output
    assert "Données de référence à jour" in output
    lyon.refresh_from_db()
    assert lyon.name == "Lyon"
    assert lyon.latitude == pytest.approx(45.758)
    assert row_counts() == before


def test_import_recreates_a_deleted_postal_code():
    PostalCode.objects.filter(code="75116", commune__code_insee="75056").delete()
    output = run_import()
    assert "Codes postaux : 1 créé(s)" in output
    assert PostalCode.objects.filter(code="75116", commune__code_insee="75056").exists()


def test_communes_split_off_since_2022_keep_the_zrr_status_of_the_commune_they_left():
    # 15031 Celles left Neussargues en Pinatelle (15141, classée in 2022) on 2025-01-01.
    statuses_2022 = {row["code_insee"]: row["status"] for row in read_csv(DATA_DIR / "zrr_communes.csv.gz")}
    assert "15031" not in statuses_2022
    assert Commune.objects.get(code_insee="15031").zrr_status == statuses_2022["15141"]


def test_import_refreshes_the_cached_departments():
    """A bulk change sends no signal: the cached list keeps what it read until the import reloads the files."""
    Department.objects.filter(code="69").update(name="Nom périmé")
    assert ("69", "Nom périmé") in departments()
    run_import()
    assert Department.objects.get(code="69").name == "Rhône"
    assert ("69", "Rhône") in departments()
