"""Nightly job: archives the applications not updated for 180 days (applications.md §11).

Also scheduled by huey (inclusion/applications/tasks.py); both call `archiving.archive_stale`.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from inclusion.applications import archiving
from inclusion.audit import acting_as


class Command(BaseCommand):
    help = (
        f"Archive les candidatures non mises à jour depuis {archiving.AUTO_ARCHIVING_DELAY.days} jours "
        "(nouvelles, à l'étude, en attente, déclinées, embauches annulées, embauchés ailleurs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")

    @acting_as("commande : archive_applications")
    def handle(self, *args, wet_run=False, **options):
        # Dry run by default, like every command that changes many rows; the nightly huey task always applies.
        if not wet_run:
            count = archiving.archive_stale(dry_run=True)
            self.stdout.write(self.style.SUCCESS(f"Simulation : {count} candidature(s) à archiver, rien n'a changé."))
            return
        total = archiving.stale_applications_to_archive().count()
        with tqdm(total=total, unit=" candidatures", disable=None, file=self.stderr) as bar:
            count = archiving.archive_stale(dry_run=False, progress=bar.update)
        summary = f"{count} candidature(s) archivée(s)." if count else "Aucune candidature à archiver."
        self.stdout.write(self.style.SUCCESS(summary))
