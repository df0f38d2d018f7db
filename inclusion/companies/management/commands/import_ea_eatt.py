"""Weekly import of the EA/EATT list (conventionnement.md §1.2). Format: docs/imports.md."""

from pathlib import Path

from inclusion.audit import acting_as
from inclusion.companies.imports.command import ImportCommand
from inclusion.companies.imports.files import read_pipe_file
from inclusion.companies.imports.listed import EA_EATT_COLUMNS, import_ea_eatt


class Command(ImportCommand):
    help = (
        "Importe la liste des entreprises adaptées (EA, EATT), fichier à séparateur « | » avec lignes EN-TETE et "
        "FIN. Simulation par défaut ; --wet-run pour enregistrer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier des EA et EATT.")
        super().add_arguments(parser)

    @acting_as("commande : import_ea_eatt")
    def handle(self, *args, file, wet_run=False, **options):
        pipe_file = read_pipe_file(file, EA_EATT_COLUMNS)
        self.run(lambda now: import_ea_eatt(file=pipe_file, now=now, progress=self.progress), wet_run=wet_run)
