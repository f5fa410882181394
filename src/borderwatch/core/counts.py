"""Counts kept beside the data they count (border's daily rollups, procedures' case counts):
one way to add to them and take from them inside the writer's transaction.

An addition is an upsert that adds (INSERT ... ON CONFLICT ... DO UPDATE SET n = n +
excluded.n, on SQLite and PostgreSQL; many rows a statement), so two transactions that count
the same key at once lose neither; the ORM's upsert can only overwrite. A subtraction updates the
existing row only if it holds enough, and raises CountDrift if it does not: the counts and the
data have drifted, and the app's rebuild command mends them. Keys are applied in key order, so
two writers meet their rows in the same order and wait for each other instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any

from django.db import connection, models

CHUNK = 2000

Key = tuple[Any, ...]


class CountDrift(RuntimeError):
    """Counts are missing or too small to take off: they need a rebuild."""

    def __init__(self, missing: int, first: Key, rebuild: str) -> None:
        shown = "/".join(str(part) if part not in ("", None) else "*" for part in first)
        super().__init__(
            f"{missing} count(s) missing or too small to subtract from (among the keys from "
            f"{shown}); run `borderwatch {rebuild}`."
        )


def add(
    model: type[models.Model],
    key_columns: Sequence[str],
    value_columns: Sequence[str],
    change: Mapping[Key, tuple[int, ...]],
    *,
    rebuild: str,
) -> None:
    """Add `change` (key -> one number per value column; negative: take off) to `model`'s
    rows, whose unique key is `key_columns`. Call inside the writer's transaction: a
    CountDrift raised here undoes the whole write."""
    zero = (0,) * len(value_columns)
    ordered = sorted((key, values) for key, values in change.items() if values != zero)
    table = connection.ops.quote_name(model._meta.db_table)
    keys = ", ".join(key_columns)
    subtract = (
        f"UPDATE {table} SET "  # noqa: S608 - names from the model, values bound
        + ", ".join(f"{c} = {c} + %s" for c in value_columns)
        + " WHERE "
        + " AND ".join(f"{c} = %s" for c in key_columns)
        + " AND "
        + " AND ".join(f"{c} >= %s" for c in value_columns)
    )
    conflict = f"ON CONFLICT ({keys}) DO UPDATE SET " + ", ".join(
        f"{c} = {table}.{c} + excluded.{c}" for c in value_columns
    )
    with connection.cursor() as cursor:
        for adding, run in groupby(ordered, key=lambda item: min(item[1]) >= 0):
            items = list(run)
            for start in range(0, len(items), CHUNK):
                chunk = items[start : start + CHUNK]
                if adding:
                    _upsert(cursor, model, (*key_columns, *value_columns), conflict, chunk)
                    continue
                cursor.executemany(
                    subtract,
                    [(*vals, *key, *(max(-v, 0) for v in vals)) for key, vals in chunk],
                )
                if cursor.rowcount != len(chunk):  # the transaction that raises undoes the rest
                    raise CountDrift(len(chunk) - cursor.rowcount, chunk[0][0], rebuild)


def _upsert(
    cursor: Any,
    model: type[models.Model],
    columns: Sequence[str],
    conflict: str,
    chunk: Sequence[tuple[Key, tuple[int, ...]]],
) -> None:
    """One statement for a chunk of additions: on PostgreSQL the rows travel as one array per
    column (unnest), on SQLite as one multi-row VALUES; a row per statement cost an import
    more time than inserting its events."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(columns)
    rows = [(*key, *values) for key, values in chunk]
    if connection.vendor == "postgresql":
        fields = {f.column: f for f in model._meta.concrete_fields}
        arrays = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in columns)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}",  # noqa: S608 - names from the model, values bound
            [list(column) for column in zip(*rows, strict=True)],
        )
        return
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(rows), _SQLITE_ROWS):
        part = rows[start : start + _SQLITE_ROWS]
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(part))} {conflict}",  # noqa: S608 - names from the model, values bound
            [value for r in part for value in r],
        )


# SQLite binds at most 32,766 values a statement; rows of up to ten columns stay well under it
_SQLITE_ROWS = 500
