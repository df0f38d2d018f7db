"""What the three import commands share: --wet-run, the progress bar, the printed report."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from inclusion.companies.imports.files import ImportFileError, SourceRow
from inclusion.companies.imports.run import run_import


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Enregistrer les changements (par défaut : simulation, rien n'est enregistré).",
        )

    def progress(self, rows: list[SourceRow]):
        """A progress bar over the rows an importer works through (stderr; hidden at verbosity 0)."""
        return tqdm(rows, unit=" lignes", disable=self.verbosity < 1, file=self.stderr, leave=False)

    def run(self, importer, *, wet_run: bool):
        report = run_import(lambda: importer(now=timezone.now()), wet_run=wet_run)
        if self.verbosity >= 1:
            self.stdout.write(report.render(wet_run=wet_run))
        return report

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        try:
            return super().execute(*args, **options)
        except ImportFileError as error:
            raise CommandError(f"Fichier illisible, rien n'a été importé. {error}") from error
