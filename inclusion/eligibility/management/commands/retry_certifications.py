"""Daily job: re-queues the certifications of criteria due for a retry (eligibility.md §6.4).

Also scheduled by huey (inclusion/eligibility/tasks.py); both call `certification.retry_certifications`.
"""

from django.core.management.base import BaseCommand

from inclusion.audit import acting_as
from inclusion.eligibility.certification import retry_certifications
from inclusion.eligibility.enums import CertificationSource

KIND_LABELS = {"iae": "IAE", "geiq": "GEIQ"}


class Command(BaseCommand):
    help = (
        "Relance la certification des critères administratifs jamais certifiés (API Particulier) ou sans période "
        "en cours (France Travail), hors critères tentés ces 7 derniers jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")

    @acting_as("commande : retry_certifications")
    def handle(self, *args, wet_run=False, **options):
        # Dry run by default, like every command that changes many rows; the nightly huey task always applies.
        dry_run = not wet_run
        report = retry_certifications(dry_run=dry_run)
        for (kind, source), count in report.counts.items():
            self.stdout.write(f"  Diagnostics {KIND_LABELS[kind]}, {CertificationSource(source).label} : {count}")
        if dry_run:
            summary = f"Simulation : {report.total} critère(s) à recertifier, rien n'a été lancé."
        elif report.total:
            summary = f"{report.total} certification(s) relancée(s)."
        else:
            summary = "Aucune certification à relancer."
        self.stdout.write(self.style.SUCCESS(summary))
