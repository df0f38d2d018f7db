from django.core.management.base import BaseCommand, CommandError

from inclusion.bench.seed.run import SeedError, seed_national


class Command(BaseCommand):
    help = (
        "Remplit une base PostgreSQL vide (migrée, données de référence importées) avec un jeu de données national "
        "reproductible : entreprises, prescripteurs, candidats, candidatures, diagnostics et PASS IAE, plus les "
        "comptes du banc de mesure (mot de passe Bench-Inclusion-2026!)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Facteur appliqué aux volumes (défaut : 1).")
        parser.add_argument("--seed", type=int, default=2026, help="Même graine, mêmes lignes (défaut : 2026).")

    def handle(self, *args, scale, seed, verbosity=1, **options):
        if scale <= 0:
            raise CommandError("--scale doit être strictement positif.")

        def log(message):
            if verbosity >= 1:
                self.stderr.write(message)

        try:
            report = seed_national(scale=scale, seed=seed, log=log)
        except SeedError as error:
            raise CommandError(str(error)) from error
        width = max(len(name) for name, _rows, _seconds in report.tables)
        self.stdout.write(f"{'Table'.ljust(width)}  {'Lignes':>10}  {'Secondes':>8}")
        for name, rows, seconds in report.tables:
            self.stdout.write(f"{name.ljust(width)}  {rows:>10}  {seconds:>8.1f}")
        self.stdout.write(
            f"Génération {report.generation_seconds:.1f} s, chargement {report.load_seconds:.1f} s, "
            f"total {report.total_seconds:.1f} s ; taille de la base : {report.database_mb:.0f} Mo."
        )
        self.stdout.write(self.style.SUCCESS("Jeu de données national chargé."))
