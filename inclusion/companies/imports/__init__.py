"""Imports of the State's employer lists (conventionnement.md §1.2): SIAE and their annexes (ASP), GEIQ, EA/EATT.

Each importer is a plain function taking parsed rows and `now` and returning an `ImportReport`; it writes to the
database and never commits by itself: `run.run_import` decides between a dry run (rolled back) and a wet run.
File formats: docs/imports.md.
"""
