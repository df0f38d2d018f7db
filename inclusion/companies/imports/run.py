"""Dry run or wet run of an importer: the same code, committed or rolled back."""

from collections.abc import Callable

from django.db import transaction

from inclusion.companies.imports.report import ImportReport


def run_import(importer: Callable[[], ImportReport], *, wet_run: bool) -> ImportReport:
    """Run `importer` in one transaction, rolled back unless `wet_run`.

    The dry run executes every write, so its report is exactly what the wet run would do
    (conventionnement.md §1.2: all steps in one transaction, dry run unless explicitly confirmed).
    """
    with transaction.atomic():
        report = importer()
        if not wet_run:
            transaction.set_rollback(True)
    return report
