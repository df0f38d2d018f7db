"""Weekly job: deletes the 2FA devices disabled 90 days ago or more (platform_rules.md §1.4).

Also scheduled by huey (inclusion/users/tasks.py); both call `two_factor.purge_disabled_devices`.
"""

from django.core.management.base import BaseCommand

from inclusion.users import two_factor


class Command(BaseCommand):
    help = (
        "Supprime les applications d'authentification désactivées depuis au moins "
        f"{two_factor.DISABLED_DEVICE_RETENTION.days} jours, avec leurs codes de secours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Appliquer les changements (sinon : simulation).")

    def handle(self, *args, wet_run=False, **options):
        count = two_factor.purge_disabled_devices(dry_run=not wet_run)
        if not wet_run:
            self.stdout.write(self.style.SUCCESS(f"Simulation : {count} application(s) à supprimer, rien n'a changé."))
        elif count:
            self.stdout.write(self.style.SUCCESS(f"{count} application(s) désactivée(s) supprimée(s)."))
        else:
            self.stdout.write(self.style.SUCCESS("Aucune application désactivée à supprimer."))
