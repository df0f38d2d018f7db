"""Loading of the ROME files shipped in jobs/data (sources in jobs/data/README.md)."""

from pathlib import Path

from inclusion.jobs.models import Appellation, Rome
from inclusion.utils.sync import read_csv, sync_rows

DATA_DIR = Path(__file__).parent / "data"


def import_jobs(progress):
    romes = read_csv(DATA_DIR / "rome_codes.csv.gz")
    yield sync_rows(
        Rome,
        key=("code",),
        rows=[
            {
                "code": r["code"],
                "name": r["name"],
                "domain_code": r["domain_code"],
                "domain_name": r["domain_name"],
                "grand_domain_code": r["grand_domain_code"],
                "grand_domain_name": r["grand_domain_name"],
            }
            for r in romes
        ],
        label="Fiches ROME",
    )
    rome_ids = dict(Rome.objects.values_list("code", "pk"))
    appellations = read_csv(DATA_DIR / "rome_appellations.csv.gz")
    yield sync_rows(
        Appellation,
        key=("code",),
        rows=[{"code": a["code"], "name": a["name"], "rome_id": rome_ids[a["rome_code"]]} for a in appellations],
        label="Appellations ROME",
        progress=progress,
    )
