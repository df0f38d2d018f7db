"""Rows written as COPY text to temporary files while the data set is generated, then loaded table by table.

The generator produces several tables at once (a job seeker's story writes users, applications, diagnoses...), while
one connection runs one COPY at a time: temporary files decouple both. Around the load, the secondary indexes and the
foreign keys of the loaded tables are dropped, then rebuilt once and validated by PostgreSQL (a foreign key added
to a filled table is checked in one join): far faster than maintaining them row by row, and nothing is trusted
blindly. Everything runs in the caller's transaction: a failure leaves the database as it was.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

# COPY text format: NULL, booleans.
NULL = "\\N"
TRUE, FALSE = "t", "f"
CHUNK_SIZE = 1 << 20


def opt(value) -> str:
    """A nullable value in COPY text."""
    return NULL if value is None else str(value)


def flag(value: bool) -> str:
    return TRUE if value else FALSE


@dataclass
class Table:
    """One table's rows, in COPY text, in a temporary file."""

    name: str
    columns: tuple[str, ...]
    path: Path
    count: int = 0
    seconds: float = 0.0
    file: object = field(default=None, repr=False)
    # Files of the same table written by other processes (see `adopt`).
    other_paths: list = field(default_factory=list)

    def open(self):
        self.file = open(self.path, "w", encoding="utf-8", buffering=CHUNK_SIZE)  # noqa: SIM115 (closed by close())

    def add(self, *values):
        """Values already in COPY text (see `opt`, `flag`): joined, no conversion here."""
        self.file.write("\t".join(values) + "\n")
        self.count += 1

    def close(self):
        if self.file is not None:
            self.file.close()
            self.file = None

    def adopt(self, path, count):
        """Rows of this table that another process wrote (loaded after this table's own)."""
        self.other_paths.append(Path(path))
        self.count += count


class Tables:
    """The tables of the data set, in load order (referenced tables first)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.by_name: dict[str, Table] = {}

    def declare(self, name, columns):
        columns = tuple(columns.split()) if isinstance(columns, str) else tuple(columns)
        table = Table(name=name, columns=columns, path=self.directory / f"{name}.copy")
        table.open()
        self.by_name[name] = table
        return table

    def __iter__(self):
        return iter(self.by_name.values())

    def flush(self):
        """Before a fork: a child must not inherit unwritten buffers (it could write them a second time)."""
        for table in self:
            if table.file is not None:
                table.file.flush()

    def close(self):
        for table in self:
            table.close()


_SECONDARY_INDEXES = """
    SELECT c.relname, i.relname, pg_get_indexdef(ix.indexrelid)
    FROM pg_index ix
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_class c ON c.oid = ix.indrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)
      AND NOT EXISTS (
          SELECT 1 FROM pg_constraint con
          WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')
      )
    ORDER BY c.relname, i.relname
"""
_FOREIGN_KEYS = """
    SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    WHERE con.contype = 'f' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)
    ORDER BY c.relname, con.conname
"""


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def load(cursor, tables: Tables, *, log=None):
    """COPY every table of `tables` (files closed first), with its secondary indexes and foreign keys rebuilt after.

    `table.seconds` receives the time of the table's COPY, index builds and foreign key validations.
    """
    tables.close()
    loaded = [table for table in tables if table.count]
    names = [table.name for table in loaded]
    by_name = {table.name: table for table in loaded}
    cursor.execute(_SECONDARY_INDEXES, [names])
    indexes = cursor.fetchall()
    cursor.execute(_FOREIGN_KEYS, [names])
    foreign_keys = cursor.fetchall()
    for table_name, name, _definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {_quote(table_name)} DROP CONSTRAINT {_quote(name)}")
    for _table_name, name, _definition in indexes:
        cursor.execute(f"DROP INDEX {_quote(name)}")

    for table in loaded:
        started = time.monotonic()
        columns = ", ".join(_quote(column) for column in table.columns)
        for path in (table.path, *table.other_paths):
            with cursor.copy(f"COPY {_quote(table.name)} ({columns}) FROM STDIN") as copy, open(path, "rb") as file:
                while chunk := file.read(CHUNK_SIZE):
                    copy.write(chunk)
            path.unlink()
        # Statistics before the index builds and the foreign key checks, so that their joins are planned well.
        cursor.execute(f"ANALYZE {_quote(table.name)}")
        table.seconds += time.monotonic() - started
        if log:
            log(f"{table.name} : {table.count} lignes copiées ({table.seconds:.1f} s)")

    for table_name, _name, definition in indexes:
        started = time.monotonic()
        cursor.execute(definition)
        by_name[table_name].seconds += time.monotonic() - started
    for table_name, name, definition in foreign_keys:
        started = time.monotonic()
        cursor.execute(f"ALTER TABLE {_quote(table_name)} ADD CONSTRAINT {_quote(name)} {definition}")
        by_name[table_name].seconds += time.monotonic() - started
    if log:
        log(f"{len(indexes)} index reconstruits, {len(foreign_keys)} clés étrangères vérifiées")
