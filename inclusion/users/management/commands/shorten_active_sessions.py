"""Weekly job: every active session expires in one hour (platform_rules.md §3).

Also scheduled by huey (inclusion/users/tasks.py); both call `sessions.shorten_active_sessions`.
"""

from django.core.management.base import BaseCommand

from inclusion.users import sessions


class Command(BaseCommand):
    help = "Raccourcit à une heure toutes les sessions actives : les personnes absentes devront se reconnecter."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")

    def handle(self, *args, wet_run=False, **options):
        count = sessions.shorten_active_sessions(dry_run=not wet_run)
        if not wet_run:
            self.stdout.write(self.style.SUCCESS(f"Simulation : {count} session(s) à raccourcir, rien n'a changé."))
        elif count:
            self.stdout.write(self.style.SUCCESS(f"{count} session(s) raccourcie(s) à une heure."))
        else:
            self.stdout.write(self.style.SUCCESS("Aucune session à raccourcir."))
