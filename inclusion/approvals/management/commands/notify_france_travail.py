"""Periodic job: sends the PASS IAE changes to France Travail (pass_iae.md §19), through the outbox of
`inclusion.approvals.france_travail`. Idempotent: what was sent is not sent again until its dates change."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from inclusion.approvals import france_travail
from inclusion.approvals.enums import FranceTravailNotificationStatus as Status
from inclusion.approvals.models import Approval, CancelledApproval
from inclusion.audit import acting_as
from inclusion.utils.dates import today


class Command(BaseCommand):
    help = (
        "Envoie à France Travail les PASS IAE créés, modifiés ou annulés, par lots "
        "(les PASS IAE qui n'ont pas encore commencé attendent leur premier jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoyer réellement (sinon : simulation).")
        parser.add_argument(
            "--batch-size", type=int, default=france_travail.BATCH_SIZE, help="Nombre de PASS IAE par lot."
        )
        parser.add_argument("--max-batches", type=int, default=None, help="Arrêter après ce nombre de lots.")

    @acting_as("commande : notify_france_travail")
    def handle(self, *args, wet_run=False, batch_size=france_travail.BATCH_SIZE, max_batches=None, **options):
        if batch_size < 1:
            self.stderr.write("La taille des lots doit être d'au moins 1.")
            return
        if not wet_run:
            self.stdout.write(self.style.SUCCESS(self._simulation_summary()))
            return
        france_travail.mark_ready()
        total = sum(model.objects.filter(ft_notification_status=Status.READY).count() for model in _MODELS)
        with tqdm(total=total, unit="PASS", disable=None, file=self.stderr) as bar:
            sent, failed = france_travail.send_ready_items(
                batch_size=batch_size, max_batches=max_batches, progress=bar.update
            )
        self.stdout.write(self.style.SUCCESS(f"{sent} PASS IAE transmis à France Travail, {failed} en erreur."))

    def _simulation_summary(self):
        day = today()
        to_send = Approval.objects.filter(
            ft_notification_status__in=[Status.PENDING, Status.READY], start_at__lte=day
        ).count()
        cancelled = CancelledApproval.objects.filter(ft_notification_status__in=[Status.PENDING, Status.READY]).count()
        waiting = Approval.objects.filter(ft_notification_status=Status.PENDING, start_at__gt=day).count()
        return (
            f"Simulation : {to_send} PASS IAE et {cancelled} PASS IAE annulé(s) à transmettre, {waiting} PASS IAE "
            "non démarré(s) en attente ; rien n'a été envoyé."
        )


_MODELS = (Approval, CancelledApproval)
