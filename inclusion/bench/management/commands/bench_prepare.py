import json

from django.core.management.base import BaseCommand, CommandError

from inclusion.bench.prepare import PreparationError, as_json, prepare


class Command(BaseCommand):
    help = "Prépare le banc de mesure (make bench) : sessions, pages mesurées, requêtes SQL, contrats d'embauche."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Fichier JSON à écrire.")
        parser.add_argument("--hiring-clients", type=int, default=8)
        parser.add_argument("--hires-per-client", type=int, default=120)

    def handle(self, *args, out, hiring_clients, hires_per_client, **options):
        try:
            pages, hiring = prepare(hiring_clients=hiring_clients, hires_per_client=hires_per_client)
        except PreparationError as error:
            raise CommandError(str(error)) from error
        with open(out, "w") as file:
            json.dump(as_json(pages, hiring), file, indent=1)
