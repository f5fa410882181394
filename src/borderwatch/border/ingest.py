"""Inserting validated events at the database's speed: COPY on PostgreSQL, one prepared INSERT
run over every row on SQLite.

The ORM's bulk_create prepares each value of each row through its field (about 0.2 ms a row),
which made an import of a day's sensor feed take minutes. Here every row is a tuple built once
from a `ValidEvent`, in the column order below. Callers hold the transaction and keep the
rollups (`services.create_events` is the one caller); nothing here checks or audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from borderwatch.border.models import Event, EventNationality
from borderwatch.border.validation import ValidEvent

EVENT_COLUMNS = (
    "country_id",
    "section_id",
    "event_type",
    "occurred_at",
    "local_date",
    "latitude",
    "longitude",
    "persons",
    "source",
    "reporting_unit",
    "description",
    "ref",
    "synthetic",
    "import_batch_id",
    "created_by_id",
    "created_at",
    "deleted_reason",
)
NATIONALITY_COLUMNS = ("event_id", "nationality", "persons")
_READ_BACK = 500  # refs per query when SQLite reads the new ids back
Row = tuple[Any, ...]  # one row's values in its table's column order


def insert_events(
    state: str,
    events: Sequence[ValidEvent],
    *,
    created_by_id: int | None,
    import_batch_id: int | None,
    synthetic: bool,
) -> list[int]:
    """Insert the events and their nationality rows; returns the new ids in the events' order."""
    if not events:
        return []
    now = timezone.now()
    rows: list[Row] = [
        (
            state,
            v.section_id,
            v.event_type,
            v.occurred_at,
            v.local_date,
            v.latitude,
            v.longitude,
            v.persons,
            v.source,
            v.reporting_unit,
            v.description,
            v.ref,
            synthetic,
            import_batch_id,
            created_by_id,
            now,
            "",
        )
        for v in events
    ]
    if connection.vendor == "postgresql":
        ids = _copy_events(rows)
    else:
        ids = _insert_events(state, rows, [v.ref for v in events])
    shares: list[Row] = [
        (event_id, code, persons)
        for event_id, v in zip(ids, events, strict=True)
        for code, persons in v.nationalities.items()
    ]
    if connection.vendor == "postgresql":
        _copy(EventNationality._meta.db_table, NATIONALITY_COLUMNS, shares)
    else:
        _insert(EventNationality._meta.db_table, NATIONALITY_COLUMNS, shares)
    return ids


STATISTICS_AFTER = 10_000  # rows inserted at once after which PostgreSQL's statistics are renewed
STATISTICS_SHARE = 0.1  # ... when they are also this share of the rows the statistics know of


def renew_statistics(inserted: int) -> None:
    """After a large insert, ANALYZE the events' tables on PostgreSQL (a sample: about 0.25 s
    at ten million rows). Without it the planner, still believing the table small, reads the
    next import's refs through the wrong index (measured: 0.1 s instead of 2 ms for 500 refs,
    a third of an import's time). Only when the insert is also a tenth of what the statistics
    counted (autovacuum's own default share): another 50,000 rows change nothing the planner
    needs to know about ten million, and autovacuum renews them later as usual."""
    if connection.vendor != "postgresql" or inserted < STATISTICS_AFTER:
        return
    tables = (Event, EventNationality)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Event._meta.db_table]
        )
        known = float(cursor.fetchone()[0])  # -1 before the first ANALYZE
        if known > 0 and inserted < STATISTICS_SHARE * known:
            return
        cursor.execute(
            "ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
        )


# --- PostgreSQL: ids from the table's sequence, then COPY ---------------------------------------


def _copy_events(rows: list[Row]) -> list[int]:
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [int(i) for (i,) in cursor.fetchall()]
    _copy(table, ("id", *EVENT_COLUMNS), [(i, *row) for i, row in zip(ids, rows, strict=True)])
    return ids


def _copy(table: str, columns: Sequence[str], rows: list[Row]) -> None:
    from psycopg import sql  # only where PostgreSQL runs

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


# --- SQLite: one INSERT over all rows, ids read back by ref -------------------------------------


def _insert_events(state: str, rows: list[Row], refs: list[str]) -> list[int]:
    table = Event._meta.db_table
    ops = connection.ops
    at, day = EVENT_COLUMNS.index("occurred_at"), EVENT_COLUMNS.index("local_date")
    created = EVENT_COLUMNS.index("created_at")
    adapted = []
    created_at = ops.adapt_datetimefield_value(_aware(rows[0][created]))  # one `now` for all
    for row in rows:
        values = list(row)
        values[at] = ops.adapt_datetimefield_value(_aware(values[at]))
        values[day] = ops.adapt_datefield_value(values[day])
        values[created] = created_at
        adapted.append(tuple(values))
    _insert(table, EVENT_COLUMNS, adapted)
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(refs), _READ_BACK):
            chunk = refs[start : start + _READ_BACK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT ref, id FROM {ops.quote_name(table)} "  # noqa: S608 - names from the model, values bound
                f"WHERE country_id = %s AND ref IN ({marks})",
                [state, *chunk],
            )
            found.update(cursor.fetchall())
    return [found[ref] for ref in refs]


def _insert(table: str, columns: Sequence[str], rows: list[Row]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608 - names from the model, values bound
            rows,
        )


def _aware(value: object) -> dt.datetime:
    assert isinstance(value, dt.datetime) and timezone.is_aware(value), value
    return value
