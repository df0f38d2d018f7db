"""Recovery: disables the 2FA application of one account, for the day when no other administrator can reach the
admin to do it (the only superuser lost their phone and their backup codes). The person enrols a new application
at the next login."""

from django.core.management.base import BaseCommand, CommandError

from inclusion.users import two_factor
from inclusion.users.models import TOTPDevice, User


class Command(BaseCommand):
    help = "Désactive l'application d'authentification d'un compte : une nouvelle sera demandée à la connexion."

    def add_arguments(self, parser):
        parser.add_argument("email", help="Adresse e-mail du compte.")

    def handle(self, *args, email, **options):
        try:
            user = User.objects.get_by_natural_key(email)
        except User.DoesNotExist as error:
            raise CommandError(f"Aucun compte avec l'adresse {email}.") from error
        devices = list(TOTPDevice.objects.active().filter(user=user))
        if not devices:
            self.stdout.write(f"{user.email} n'a pas d'application d'authentification active : rien à faire.")
            return
        for device in devices:
            two_factor.device_disable(device=device)
        self.stdout.write(
            self.style.SUCCESS(
                f"Application d'authentification de {user.email} désactivée : une nouvelle sera demandée à la "
                "prochaine connexion."
            )
        )
