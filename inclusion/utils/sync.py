"""Idempotent synchronisation of a table with rows read from a reference file."""

import csv
import gzip
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import models

BATCH_SIZE = 2000


@dataclass
class SyncReport:
    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    absent: int = 0  # rows in the database that the file no longer lists, kept because others may point at them

    def __str__(self):
        text = f"{self.label} : {self.created} créé(s), {self.updated} mis à jour, {self.unchanged} inchangé(s)"
        if self.deleted:
            text += f", {self.deleted} supprimé(s)"
        if self.absent:
            text += f", {self.absent} absent(s) du fichier (conservé(s))"
        return text

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted)


def read_csv(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sync_rows(
    model: type[models.Model],
    *,
    key: tuple[str, ...],
    rows: Iterable[dict],
    label: str,
    delete_absent: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda rows: rows,
) -> SyncReport:
    """Create or update `model` rows so that they match `rows`, identified by the `key` fields.

    Only the fields present in the row dicts are compared and written, so a second run on the same
    file writes nothing. Rows the file no longer lists are deleted only when `delete_absent` (link
    tables derived entirely from the file); otherwise they are counted and kept.
    """
    report = SyncReport(label)
    existing = {tuple(getattr(obj, f) for f in key): obj for obj in model.objects.all()}
    to_create, to_update, updated_fields = [], [], set()
    for row in progress(rows):
        obj = existing.pop(tuple(row[f] for f in key), None)
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [field for field, value in row.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, row[field])
            updated_fields.update(changed)
            to_update.append(obj)
        else:
            report.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(updated_fields), batch_size=BATCH_SIZE // 2)
    report.created, report.updated = len(to_create), len(to_update)
    if delete_absent and existing:
        report.deleted, _ = model.objects.filter(pk__in=[obj.pk for obj in existing.values()]).delete()
    else:
        report.absent = len(existing)
    return report
