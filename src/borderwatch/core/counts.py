"""Counts kept beside the data they count (border's daily rollups, procedures' case counts):
one way to add to them and take from them inside the writer's transaction.

An addition is an upsert that adds (INSERT ... ON CONFLICT ... DO UPDATE SET n = n +
excluded.n, the same text on SQLite and PostgreSQL), so two transactions that count the same
key at once lose neither; the ORM's upsert can only overwrite. A subtraction updates the
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
    values = ", ".join(value_columns)
    marks = ", ".join(["%s"] * (len(key_columns) + len(value_columns)))
    upsert = (
        f"INSERT INTO {table} ({keys}, {values}) VALUES ({marks}) "  # noqa: S608 - names from the model, values bound
        f"ON CONFLICT ({keys}) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in value_columns)
    )
    subtract = (
        f"UPDATE {table} SET "  # noqa: S608 - names from the model, values bound
        + ", ".join(f"{c} = {c} + %s" for c in value_columns)
        + " WHERE "
        + " AND ".join(f"{c} = %s" for c in key_columns)
        + " AND "
        + " AND ".join(f"{c} >= %s" for c in value_columns)
    )
    with connection.cursor() as cursor:
        for adding, run in groupby(ordered, key=lambda item: min(item[1]) >= 0):
            items = list(run)
            for start in range(0, len(items), CHUNK):
                chunk = items[start : start + CHUNK]
                if adding:
                    cursor.executemany(upsert, [(*key, *vals) for key, vals in chunk])
                    continue
                cursor.executemany(
                    subtract,
                    [(*vals, *key, *(max(-v, 0) for v in vals)) for key, vals in chunk],
                )
                if cursor.rowcount != len(chunk):  # the transaction that raises undoes the rest
                    raise CountDrift(len(chunk) - cursor.rowcount, chunk[0][0], rebuild)
