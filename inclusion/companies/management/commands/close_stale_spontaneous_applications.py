"""Daily job: closes spontaneous applications open for 90 days (search_and_jobs.md §3.4, organizations.md §8.7).

Also scheduled by huey (inclusion/companies/tasks.py); both call `freshness.close_stale_spontaneous_applications`.
"""

from django.core.management.base import BaseCommand

from inclusion.audit import acting_as
from inclusion.companies.freshness import AUTO_CLOSING_DELAY, close_stale_spontaneous_applications


class Command(BaseCommand):
    help = (
        f"Ferme les candidatures spontanées ouvertes depuis {AUTO_CLOSING_DELAY.days} jours sans mise à jour, "
        "et prévient par e-mail les membres des structures concernées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")

    @acting_as("commande : close_stale_spontaneous_applications")
    def handle(self, *args, wet_run=False, **options):
        # Dry run by default, like every command that changes many rows; the nightly huey task always applies.
        dry_run = not wet_run
        report = close_stale_spontaneous_applications(dry_run=dry_run)
        for company in report.closed:
            self.stdout.write(f"  {company.display_name} (SIRET {company.siret})")
        count = report.companies_count
        if dry_run:
            summary = f"Simulation : candidatures spontanées de {count} structure(s) à fermer, rien n'a changé."
        elif count:
            summary = f"Candidatures spontanées fermées pour {count} structure(s) ; leurs membres sont prévenus."
        else:
            summary = "Aucune candidature spontanée à fermer."
        self.stdout.write(self.style.SUCCESS(summary))
