"""Weekly import of the SIAE list of the ASP (conventionnement.md §1.2). Format: docs/imports.md."""

from pathlib import Path

from inclusion.audit import acting_as
from inclusion.companies.imports.command import ImportCommand
from inclusion.companies.imports.files import read_csv
from inclusion.companies.imports.siae import ANNEX_COLUMNS, STRUCTURE_COLUMNS, import_siae


class Command(ImportCommand):
    help = (
        "Importe la liste des SIAE de l'ASP (structures et annexes financières) : crée, met à jour, désactive "
        "les conventions. Simulation par défaut ; --wet-run pour enregistrer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", type=Path, required=True, help="CSV des structures (vue structures).")
        parser.add_argument("--annexes", type=Path, required=True, help="CSV des annexes financières.")
        super().add_arguments(parser)

    @acting_as("commande : import_siae")
    def handle(self, *args, structures, annexes, wet_run=False, **options):
        structure_rows, annex_rows = read_csv(structures, STRUCTURE_COLUMNS), read_csv(annexes, ANNEX_COLUMNS)
        self.run(
            lambda now: import_siae(
                structure_rows=structure_rows, annex_rows=annex_rows, now=now, progress=self.progress
            ),
            wet_run=wet_run,
        )
