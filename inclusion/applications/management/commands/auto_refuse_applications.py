"""Periodic job: declines the applications left unanswered for 60 days (applications.md §11).

Also scheduled by huey (inclusion/applications/tasks.py); both call `auto_refusal.auto_refuse`.
"""

from django.core.management.base import BaseCommand

from inclusion.applications import auto_refusal
from inclusion.audit import acting_as


class Command(BaseCommand):
    help = (
        "Décline automatiquement les candidatures nouvelles ou à l'étude non mises à jour depuis "
        f"{auto_refusal.AUTO_REFUSAL_DELAY.days} jours, candidat par candidat "
        f"(au plus {auto_refusal.AUTO_REFUSAL_MAX_JOB_SEEKERS} candidats par passage)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")
        parser.add_argument(
            "--max-job-seekers",
            type=int,
            default=auto_refusal.AUTO_REFUSAL_MAX_JOB_SEEKERS,
            help="Nombre maximal de candidats traités par passage.",
        )

    @acting_as("commande : auto_refuse_applications")
    def handle(self, *args, wet_run=False, max_job_seekers=auto_refusal.AUTO_REFUSAL_MAX_JOB_SEEKERS, **options):
        if max_job_seekers < 1:
            self.stderr.write("Le nombre maximal de candidats doit être d'au moins 1.")
            return
        # The job seekers are few per run (40): no progress bar needed.
        job_seekers = len(auto_refusal.job_seekers_to_auto_refuse(max_job_seekers=max_job_seekers))
        count = auto_refusal.auto_refuse(max_job_seekers=max_job_seekers, dry_run=not wet_run)
        remaining = auto_refusal.applications_to_auto_refuse().count()
        if not wet_run:
            summary = (
                f"Simulation : {count} candidature(s) de {job_seekers} candidat(s) à décliner lors de ce passage, "
                f"{remaining} au total ; rien n'a changé."
            )
        elif count:
            summary = (
                f"{count} candidature(s) de {job_seekers} candidat(s) déclinée(s) automatiquement ; "
                f"encore {remaining} à décliner."
            )
        else:
            summary = "Aucune candidature à décliner."
        self.stdout.write(self.style.SUCCESS(summary))
