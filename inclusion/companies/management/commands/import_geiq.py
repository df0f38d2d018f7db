"""Import of the GEIQ list (conventionnement.md §1.2). Format: docs/imports.md."""

from pathlib import Path

from inclusion.audit import acting_as
from inclusion.companies.imports.command import ImportCommand
from inclusion.companies.imports.files import read_csv
from inclusion.companies.imports.listed import GEIQ_COLUMNS, import_geiq


class Command(ImportCommand):
    help = "Importe la liste des GEIQ (CSV). Simulation par défaut ; --wet-run pour enregistrer."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV des GEIQ.")
        super().add_arguments(parser)

    @acting_as("commande : import_geiq")
    def handle(self, *args, file, wet_run=False, **options):
        rows = read_csv(file, GEIQ_COLUMNS)
        self.run(lambda now: import_geiq(rows=rows, now=now, progress=self.progress), wet_run=wet_run)
