"""Readers of the import files (formats: docs/imports.md). A malformed file raises ImportFileError, a malformed
row is handed over as it is: the importer rejects it with its reason and keeps the other rows."""

import csv
from dataclasses import dataclass
from pathlib import Path

# UTF-8, with or without the byte order mark spreadsheets add.
ENCODING = "utf-8-sig"
CSV_DELIMITER = ";"
PIPE_DELIMITER = "|"
EA_EATT_HEADER = "EN-TETE"
EA_EATT_FOOTER = "FIN"


class ImportFileError(Exception):
    """The file cannot be read at all (missing columns, truncated): nothing is imported."""


@dataclass(frozen=True)
class SourceRow:
    line: int  # line number in the file, for the report
    values: dict[str, str]


@dataclass(frozen=True)
class PipeFile:
    header: list[str]
    rows: list[SourceRow]
    declared_count: int


def _read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding=ENCODING)
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path} : le fichier doit être encodé en UTF-8 ({error.reason}).") from error
    except OSError as error:
        raise ImportFileError(f"{path} : lecture impossible ({error.strerror}).") from error


def read_csv(path: Path, columns: tuple[str, ...]) -> list[SourceRow]:
    """Rows of a `;`-separated CSV whose first line names the columns (extra columns are ignored)."""
    reader = csv.DictReader(_read_text(path).splitlines(), delimiter=CSV_DELIMITER)
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(f"{path} : colonne(s) absente(s) de la première ligne : {', '.join(missing)}.")
    rows = []
    for values in reader:
        # A short row leaves None in the last columns: the importer then reports an empty value.
        rows.append(SourceRow(reader.line_num, {column: (values.get(column) or "").strip() for column in columns}))
    return rows


def read_pipe_file(path: Path, columns: tuple[str, ...]) -> PipeFile:
    """The weekly EA/EATT file: `EN-TETE|...` line, one `|`-separated row per company, `FIN|<row count>` line."""
    lines = _read_text(path).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or lines[0].split(PIPE_DELIMITER)[0].strip() != EA_EATT_HEADER:
        raise ImportFileError(f"{path} : la première ligne doit être la ligne d'en-tête « {EA_EATT_HEADER}|… ».")
    footer = lines[-1].split(PIPE_DELIMITER) if len(lines) > 1 else []
    if len(footer) != 2 or footer[0].strip() != EA_EATT_FOOTER or not footer[1].strip().isdigit():
        raise ImportFileError(
            f"{path} : la dernière ligne doit être « {EA_EATT_FOOTER}|<nombre de lignes> » : fichier tronqué ?"
        )
    rows = []
    for line_number, line in enumerate(lines[1:-1], start=2):
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split(PIPE_DELIMITER)]
        if len(fields) != len(columns):
            # Kept with a marker: the importer reports the row with its line number instead of losing it.
            rows.append(SourceRow(line_number, {"__error__": f"{len(columns)} champs attendus, {len(fields)} lus"}))
            continue
        rows.append(SourceRow(line_number, dict(zip(columns, fields, strict=True))))
    return PipeFile(header=lines[0].split(PIPE_DELIMITER), rows=rows, declared_count=int(footer[1]))
