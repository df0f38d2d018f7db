"""Loading of the geographic reference files shipped in geo/data (sources in geo/data/README.md)."""

from collections import defaultdict
from pathlib import Path

from django.core.cache import cache

from inclusion.geo.enums import ZrrStatus
from inclusion.geo.models import Commune, CommuneFormerCode, Country, Department, PostalCode, Region
from inclusion.geo.text import commune_slug, normalize_name
from inclusion.utils.sync import read_csv, sync_rows

DATA_DIR = Path(__file__).parent / "data"

DEPARTMENTS_KEY = "geo:departments"
# The departments change with the reference files only (`import_geo` forgets them): an hour is a safety net.
DEPARTMENTS_SECONDS = 3600

# Communes re-created on 2025-01-01 out of Neussargues en Pinatelle (15141) (data README): they had no code of
# their own in the 2022 ZRR list, so they keep the status of the commune they left. Other communes created since
# 2022 (60694, 85165, 85212, 27676) have no documented parent here and stay without a ZRR status.
SPLIT_OFF_SINCE_2022 = {"15031": "15141", "15035": "15141", "15047": "15141", "15171": "15141"}


def import_geo(progress):
    regions = read_csv(DATA_DIR / "regions.csv.gz")
    yield sync_rows(
        Region,
        key=("code",),
        rows=[{"code": r["code"], "name": r["name"], "zone": r["zone"]} for r in regions],
        label="Régions",
    )
    region_ids = dict(Region.objects.values_list("code", "pk"))
    departments = read_csv(DATA_DIR / "departments.csv.gz")
    yield sync_rows(
        Department,
        key=("code",),
        rows=[
            {"code": d["code"], "name": d["name"], "region_id": region_ids[d["region_code"]], "zone": d["zone"]}
            for d in departments
        ],
        label="Départements",
    )
    forget_departments()
    yield from _import_communes(progress)
    countries = read_csv(DATA_DIR / "countries.csv.gz")
    yield sync_rows(
        Country,
        key=("insee_code",),
        rows=[
            {
                "insee_code": c["insee_code"],
                "asp_code": c["asp_code"],
                "name": c["name"],
                "kind": c["kind"],
                "group": c["group_code"],
            }
            for c in countries
        ],
        label="Pays",
    )


def departments():
    """[(code, name)] of every department, by code, kept in the cache: the application lists' filters show them on
    every visit."""
    rows = cache.get(DEPARTMENTS_KEY)
    if rows is None:
        rows = list(Department.objects.order_by("code").values_list("code", "name"))
        cache.set(DEPARTMENTS_KEY, rows, DEPARTMENTS_SECONDS)
    return rows


def forget_departments(**signal_kwargs):
    cache.delete(DEPARTMENTS_KEY)


def _import_communes(progress):
    communes = read_csv(DATA_DIR / "communes.csv.gz")
    former_codes = read_csv(DATA_DIR / "communes_former_codes.csv.gz")
    zrr_by_code = _zrr_status_by_current_code(read_csv(DATA_DIR / "zrr_communes.csv.gz"), former_codes)
    department_ids = dict(Department.objects.values_list("code", "pk"))
    yield sync_rows(
        Commune,
        key=("code_insee",),
        rows=[
            {
                "code_insee": c["code_insee"],
                "name": c["name"],
                "normalized_name": normalize_name(c["name"]),
                "slug": commune_slug(c["name"], c["department_code"]),
                "kind": c["type"],
                "department_id": department_ids[c["department_code"]],
                "postal_codes": c["postal_codes"],
                "latitude": float(c["latitude"]),
                "longitude": float(c["longitude"]),
                "population": int(c["population"]) if c["population"] else None,
                "zrr_status": zrr_by_code.get(c["code_insee"], ""),
            }
            for c in communes
        ],
        label="Communes",
        progress=progress,
    )
    commune_ids = dict(Commune.objects.values_list("code_insee", "pk"))
    parents = sync_rows(
        Commune,
        key=("code_insee",),
        rows=[
            {"code_insee": c["code_insee"], "parent_id": commune_ids[c["parent_code"]] if c["parent_code"] else None}
            for c in communes
        ],
        label="Communes (arrondissements)",
    )
    if parents.updated:  # a first import links the arrondissements; later ones only if the file changed
        yield parents
    yield sync_rows(
        PostalCode,
        key=("code", "commune_id"),
        rows=[
            {"code": code, "commune_id": commune_ids[c["code_insee"]]}
            for c in communes
            for code in filter(None, c["postal_codes"].split("|"))
        ],
        label="Codes postaux",
        delete_absent=True,
    )
    yield sync_rows(
        CommuneFormerCode,
        key=("former_code", "commune_id", "relation"),
        rows=[
            {
                "former_code": f["former_code"],
                "former_name": f["former_name"],
                "commune_id": commune_ids[f["current_code"]],
                "relation": f["relation"],
            }
            for f in former_codes
        ],
        label="Anciens codes de communes",
        delete_absent=True,
    )


def _zrr_status_by_current_code(zrr_rows, former_codes):
    """The ZRR list uses 2022 codes: carry each status to today's commune.

    A commune formed from communes of different statuses is "partiellement classée".
    """
    current_codes_of = defaultdict(set)
    for f in former_codes:
        current_codes_of[f["former_code"]].add(f["current_code"])
    statuses = defaultdict(set)
    for row in zrr_rows:
        for code in current_codes_of.get(row["code_insee"], set()) | {row["code_insee"]}:
            statuses[code].add(row["status"])
    status_in_2022 = {row["code_insee"]: row["status"] for row in zrr_rows}
    for code, parent in SPLIT_OFF_SINCE_2022.items():
        statuses[code] = {status_in_2022[parent]}
    return {code: found.pop() if len(found) == 1 else ZrrStatus.PARTIELLEMENT for code, found in statuses.items()}
