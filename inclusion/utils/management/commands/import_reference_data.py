import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from inclusion.geo.reference import import_geo
from inclusion.jobs.reference import import_jobs


class Command(BaseCommand):
    help = "Charge ou met à jour les données de référence (géographie, ROME). Idempotent : relancer ne change rien."

    def handle(self, *args, verbosity=1, **options):
        started = time.monotonic()

        def progress(rows):
            return tqdm(rows, unit=" lignes", disable=verbosity < 1, file=self.stderr, leave=False)

        reports = []
        with transaction.atomic():
            for importer in (import_geo, import_jobs):
                for report in importer(progress):
                    reports.append(report)
                    self.stdout.write(str(report))
        changed = any(report.changed for report in reports)
        summary = "Données de référence à jour" if changed else "Aucun changement : les données étaient déjà à jour"
        self.stdout.write(self.style.SUCCESS(f"{summary} ({time.monotonic() - started:.1f} s)."))
