"""pass_iae.md §13.2 and §14.2: suspensions (inclusive) and prolongations (half-open) of one PASS never overlap.

PostgreSQL enforces it with exclusion constraints; SQLite has none, and the rule is also checked in code
(`suspensions.py`, `prolongations.py`) on both databases.
"""

from django.db import migrations

CONSTRAINTS = {
    "approvals_suspension": ("suspension_no_overlap", "[]"),
    "approvals_prolongation": ("prolongation_no_overlap", "[)"),
}


def add_exclusion_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # btree_gist lets a GiST index compare the integer approval_id with "=". It is a trusted extension (PG ≥ 13).
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, (name, bounds) in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"(approval_id WITH =, daterange(start_at, end_at, '{bounds}') WITH &&)"
        )


def remove_exclusion_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (name, _bounds) in CONSTRAINTS.items():
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("approvals", "0002_initial")]

    operations = [migrations.RunPython(add_exclusion_constraints, remove_exclusion_constraints)]
