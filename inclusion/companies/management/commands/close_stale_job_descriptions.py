"""Daily job: closes the job descriptions not updated for 90 days (search_and_jobs.md §3.4).

Also scheduled by huey (inclusion/companies/tasks.py); both call `freshness.close_stale_job_descriptions`.
"""

from django.core.management.base import BaseCommand

from inclusion.audit import acting_as
from inclusion.companies.freshness import AUTO_CLOSING_DELAY, close_stale_job_descriptions


class Command(BaseCommand):
    help = (
        f"Ferme les fiches de poste créées par les employeurs et non mises à jour depuis {AUTO_CLOSING_DELAY.days} "
        "jours, et prévient par e-mail les membres des structures concernées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")

    @acting_as("commande : close_stale_job_descriptions")
    def handle(self, *args, wet_run=False, **options):
        # Dry run by default, like every command that changes many rows; the nightly huey task always applies.
        dry_run = not wet_run
        report = close_stale_job_descriptions(dry_run=dry_run)
        for company, names in report.closed.items():
            self.stdout.write(f"  {company.display_name} (SIRET {company.siret}) : {', '.join(names)}")
        count, companies = report.items_count, report.companies_count
        if dry_run:
            summary = f"Simulation : {count} fiche(s) de poste de {companies} structure(s) à fermer, rien n'a changé."
        elif count:
            summary = f"{count} fiche(s) de poste fermée(s) ; membres de {companies} structure(s) prévenus par e-mail."
        else:
            summary = "Aucune fiche de poste à fermer."
        self.stdout.write(self.style.SUCCESS(summary))
