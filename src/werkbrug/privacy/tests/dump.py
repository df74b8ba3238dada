"""The whole database and the whole MEDIA_ROOT as text, to look for what must be gone (no tests
here). Introspection and SELECT * work the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from django.db import connection


def database_text() -> str:
    """Every row of every table, one line per row, in a stable order."""
    lines: list[str] = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            rows = [" | ".join(str(value) for value in row) for row in cursor.fetchall()]
            lines.extend(f"{table}: {row}" for row in sorted(rows))
    return "\n".join(lines)


def files_text(root: Path) -> str:
    """The names and the bytes (as Latin-1, so any byte string can be searched) of every file."""
    parts = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        parts.append(str(path))
        parts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def found(text: str, values: list[str]) -> list[str]:
    lowered = text.lower()
    return [value for value in values if value.lower() in lowered]
