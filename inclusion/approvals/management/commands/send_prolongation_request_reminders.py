"""Daily job: reminds the authorized prescribers of the prolongation requests waiting for them (pass_iae.md §15.4).

Also scheduled by huey (inclusion/approvals/tasks.py); both call `prolongations.send_request_reminders`.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from inclusion.approvals.prolongations import REMINDERS_MAX, requests_due_for_reminder, send_request_reminders
from inclusion.audit import acting_as


class Command(BaseCommand):
    help = (
        "Relance par e-mail les prescripteurs habilités pour les demandes de prolongation de PASS IAE en attente "
        f"depuis 10, 20 et 30 jours ({REMINDERS_MAX} relances au plus)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoyer les relances (sinon : simulation).")

    @acting_as("commande : send_prolongation_request_reminders")
    def handle(self, *args, wet_run=False, **options):
        # Dry run by default, like every command that changes many rows; the daily huey task always sends.
        dry_run = not wet_run
        for request in requests_due_for_reminder():
            organization = request.prescriber_organization
            created_on = timezone.localdate(request.created_at)
            self.stdout.write(
                f"  PASS IAE {request.approval.number_with_spaces} : demande du {created_on:%d/%m/%Y} "
                f"adressée à {organization.display_name if organization else '(organisation supprimée)'}, "
                f"relance n° {request.reminders_count + 1}"
            )
        count = send_request_reminders(dry_run=dry_run)
        if dry_run:
            summary = f"Simulation : {count} demande(s) de prolongation à relancer, aucun e-mail envoyé."
        elif count:
            summary = f"{count} demande(s) de prolongation relancée(s)."
        else:
            summary = "Aucune demande de prolongation à relancer."
        self.stdout.write(self.style.SUCCESS(summary))
