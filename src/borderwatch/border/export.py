"""Analytics export: events and the daily rollups as Parquet, for DuckDB on a laptop or Spark.

Three tables (docs/export.md has the schema): `events` (one row per event, its nationalities as
a list of structs), `state_days` (EventStateRollup) and `section_days` (EventRollup). Rows are
read in chunks of `BATCH_ROWS` (a server-side cursor on PostgreSQL) and written one record batch
(one Parquet row group) at a time, so memory stays bounded at any number of events.

Two shapes: a hive-partitioned folder (`<table>/country=LT/month=2021-07/part-0.parquet`, the
partition keys in the path and not in the files, as Spark and DuckDB expect) for the command, and
one file per table with `country` as a column for the API. Both carry `SCHEMA_VERSION` in the
file's key-value metadata. Who may export what is the selectors' scope: a requested state
outside it is refused (PermissionDenied), an unknown code is bad input (ValidationError). Every
export is audited (Action.EVENT_EXPORT, one entry per state exported: filters and row counts,
never the data). Free text (descriptions, reasons) and who reported are never exported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from borderwatch.accounts.models import User
from borderwatch.border import selectors
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.codes import MEMBER_STATES, member_state_name
from borderwatch.core.permissions import check, visible_states
from borderwatch.core.roles import Capability

SCHEMA_VERSION = "1"
BATCH_ROWS = 50_000  # rows per query chunk, record batch and row group
API_MAX_DAYS = 1096  # three years, leap day included: one request, one temporary file
PARTITION_KEYS = ("country", "month")
FILE_NAME = "part-0.parquet"
MEDIA_TYPE = "application/vnd.apache.parquet"

UTC_MICROS = pa.timestamp("us", tz="UTC")
NATIONALITY = pa.struct([("nationality", pa.string()), ("persons", pa.int32())])


class Table(StrEnum):
    EVENTS = "events"
    STATE_DAYS = "state_days"
    SECTION_DAYS = "section_days"


_ROLLUP_TAIL = [
    ("day", pa.date32()),
    ("event_type", pa.string()),
    # null: the whole events of the key; a code: that nationality's share of them
    ("nationality", pa.string()),
    ("persons", pa.int64()),
    ("events", pa.int64()),
]
SCHEMAS: dict[Table, pa.Schema] = {
    Table.EVENTS: pa.schema(
        [
            ("id", pa.int64()),
            ("ref", pa.string()),
            ("country", pa.string()),
            ("section", pa.string()),
            ("event_type", pa.string()),
            ("occurred_at", UTC_MICROS),
            ("local_date", pa.date32()),
            ("latitude", pa.float64()),
            ("longitude", pa.float64()),
            ("persons", pa.int32()),
            ("nationalities", pa.list_(NATIONALITY)),
            ("source", pa.string()),
            ("reporting_unit", pa.string()),
            ("synthetic", pa.bool_()),
            ("created_at", UTC_MICROS),
            ("withdrawn_at", UTC_MICROS),  # null unless withdrawn events were asked for
        ]
    ),
    Table.STATE_DAYS: pa.schema([("country", pa.string()), *_ROLLUP_TAIL]),
    Table.SECTION_DAYS: pa.schema(
        [("country", pa.string()), ("section", pa.string()), *_ROLLUP_TAIL]
    ),
}
ROLLUP_TABLES = (Table.STATE_DAYS, Table.SECTION_DAYS)


@dataclass(frozen=True)
class Request:
    """What is exported: a period of local days, member states (None: all the user may see),
    and whether withdrawn events are included (events only)."""

    start: dt.date
    end: dt.date
    countries: tuple[str, ...] | None = None
    withdrawn: bool = False

    def filters(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "countries": list(self.countries) if self.countries is not None else None,
            "withdrawn": self.withdrawn,
        }


@dataclass
class Written:
    """Rows written per table and member state."""

    rows: dict[Table, dict[str, int]] = field(default_factory=dict)

    def add(self, table: Table, country: str, n: int) -> None:
        per_state = self.rows.setdefault(table, {})
        per_state[country] = per_state.get(country, 0) + n

    def total(self, table: Table | None = None) -> int:
        tables = [table] if table is not None else list(self.rows)
        return sum(sum(self.rows.get(t, {}).values()) for t in tables)

    def states(self) -> list[str]:
        return sorted({c for per_state in self.rows.values() for c in per_state})


# --- checks ----------------------------------------------------------------------------------


def validate(request: Request, max_days: int | None = None) -> None:
    """Bad input, by parameter (ValidationError): a backwards or too long period, a code that is
    not a member state."""
    errors: dict[str, list[str]] = {}
    if request.end < request.start:
        errors["end"] = [_("The end date is before the start date.")]
    elif max_days is not None and (request.end - request.start).days + 1 > max_days:
        errors["end"] = [
            ngettext("Choose at most %(days)s day.", "Choose at most %(days)s days.", max_days)
            % {"days": max_days}
        ]
    unknown = [c for c in request.countries or () if c not in MEMBER_STATES]
    if unknown:
        errors["country"] = [_("“%(code)s” is not a member state.") % {"code": c} for c in unknown]
    if errors:
        raise ValidationError(errors)


def states_for(user: User | None, request: Request) -> list[str]:
    """The member states to export: those asked for, each of which the user must see (another
    state's figures are refused unless the role sees every state), or all the user sees.
    user None: the system (the command run by an operator), every member state."""
    if user is not None:
        check(user, Capability.EXPORT_FIGURES)
    visible = None if user is None else visible_states(user)
    if request.countries is None:
        return selectors.member_state_codes() if visible is None else sorted(visible)
    for code in request.countries:
        if visible is not None and code not in visible:
            raise PermissionDenied(
                _("You may not export the figures of this member state: %(state)s.")
                % {"state": member_state_name(code)}
            )
    return sorted(set(request.countries))


# --- reading, in record batches ---------------------------------------------------------------

Batch = tuple[str, str, pa.RecordBatch]  # (country, month "YYYY-MM", rows)


def months(start: dt.date, end: dt.date) -> Iterator[tuple[str, dt.date, dt.date]]:
    """("YYYY-MM", first day, last day) of each month of [start, end], cut to the period."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        yield f"{year:04d}-{month:02d}", max(first, start), min(last, end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_EVENT_COLUMNS = (
    "id", "ref", "country_id", "section__code", "event_type", "occurred_at", "local_date",
    "latitude", "longitude", "persons", "source", "reporting_unit", "synthetic", "created_at",
    "deleted_at",
)  # fmt: skip


def _event_batch(
    rows: list[tuple[Any, ...]], nationalities: dict[int, list[Any]]
) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True))
    ids = columns[0]
    arrays = [
        *columns[:10],
        [nationalities.get(pk, []) for pk in ids],
        *columns[10:],
    ]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(values, type=f.type)
            for values, f in zip(arrays, SCHEMAS[Table.EVENTS], strict=True)
        ],
        schema=SCHEMAS[Table.EVENTS],
    )


def event_batches(user: User | None, request: Request, states: Sequence[str]) -> Iterator[Batch]:
    """Events per state and month, oldest id first, in record batches of at most `size` rows.
    Each chunk's nationalities come in one query over its id range (no long IN list)."""
    for country in states:
        for month, first, last in months(request.start, request.end):
            events = selectors.export_events(
                user, country, first, last, withdrawn=request.withdrawn
            )
            rows = events.order_by("id").values_list(*_EVENT_COLUMNS)
            for chunk in _chunks(rows.iterator(chunk_size=BATCH_ROWS), BATCH_ROWS):
                shares: dict[int, list[dict[str, Any]]] = {}
                for event_id, code, persons in selectors.export_nationalities(
                    events, chunk[0][0], chunk[-1][0]
                ):
                    shares.setdefault(event_id, []).append(
                        {"nationality": code, "persons": persons}
                    )
                yield country, month, _event_batch(chunk, shares)


def rollup_batches(
    user: User | None, request: Request, states: Sequence[str], table: Table
) -> Iterator[Batch]:
    """State-day or section-day rollup rows with live events, per state and month."""
    schema = SCHEMAS[table]
    per_section = table == Table.SECTION_DAYS
    for country in states:
        for month, first, last in months(request.start, request.end):
            rows = selectors.export_rollups(user, country, first, last, per_section=per_section)
            for chunk in _chunks(rows.iterator(chunk_size=BATCH_ROWS), BATCH_ROWS):
                columns = [list(c) for c in zip(*chunk, strict=True)]
                nationality = columns[-3]
                columns[-3] = [code or None for code in nationality]
                yield (
                    country,
                    month,
                    pa.RecordBatch.from_arrays(
                        [pa.array(v, type=f.type) for v, f in zip(columns, schema, strict=True)],
                        schema=schema,
                    ),
                )


def batches(
    user: User | None, request: Request, states: Sequence[str], table: Table
) -> Iterator[Batch]:
    if table == Table.EVENTS:
        return event_batches(user, request, states)
    return rollup_batches(user, request, states, table)


# --- writing ----------------------------------------------------------------------------------


def _metadata(table: Table, request: Request, states: Sequence[str]) -> dict[str, str]:
    return {
        "borderwatch.schema_version": SCHEMA_VERSION,
        "borderwatch.table": str(table),
        "borderwatch.start": request.start.isoformat(),
        "borderwatch.end": request.end.isoformat(),
        "borderwatch.countries": ",".join(states),
        "borderwatch.withdrawn": "true" if request.withdrawn and table == Table.EVENTS else "false",
        "borderwatch.exported_at": timezone.now().isoformat(timespec="seconds"),
    }


def write_file(
    out: str | Path | IO[bytes],
    user: User | None,
    request: Request,
    states: Sequence[str],
    table: Table,
    written: Written,
) -> None:
    """One Parquet file of the table (country a column), written batch by batch."""
    schema = SCHEMAS[table].with_metadata(_metadata(table, request, states))
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for country, _month, batch in batches(user, request, states, table):
            writer.write_batch(batch)
            written.add(table, country, batch.num_rows)


def write_partitions(
    folder: Path,
    user: User | None,
    request: Request,
    states: Sequence[str],
    table: Table,
    written: Written,
) -> None:
    """`folder/<table>/country=XX/month=YYYY-MM/part-0.parquet`: one file per state and month
    with rows (the keys in the path, not in the file); months without rows have no folder."""
    schema = SCHEMAS[table].remove(SCHEMAS[table].get_field_index("country"))
    schema = schema.with_metadata(_metadata(table, request, states))
    writer: pq.ParquetWriter | None = None
    key: tuple[str, str] | None = None
    try:
        for country, month, batch in batches(user, request, states, table):
            if (country, month) != key:
                if writer is not None:
                    writer.close()
                key = (country, month)
                place = folder / str(table) / f"country={country}" / f"month={month}"
                place.mkdir(parents=True, exist_ok=True)
                writer = pq.ParquetWriter(place / FILE_NAME, schema, compression="zstd")
            assert writer is not None
            writer.write_batch(batch.drop_columns(["country"]))
            written.add(table, country, batch.num_rows)
    finally:
        if writer is not None:
            writer.close()


# --- the two entry points -----------------------------------------------------------------------


def _record(
    user: User | None,
    request: Request,
    states: Sequence[str],
    written: Written,
    tables: Sequence[Table],
    via: dict[str, str],
) -> None:
    """One audit entry per state whose rows were exported (filed under it, so its coordinator
    sees who took its figures), or one under the actor's own state when none were: the filters,
    the tables and the rows of that state; never a value of a row."""
    exported = written.states() or [user.member_state if user is not None else ""]
    for state in exported:
        audit.record(
            user,
            Action.EVENT_EXPORT,
            object_type="border.Event",
            member_state=state,
            new={
                **request.filters(),
                **via,
                "tables": [str(t) for t in tables],
                "rows": {str(t): written.rows.get(t, {}).get(state, 0) for t in tables},
            },
        )


def export_folder(
    user: User | None,
    request: Request,
    folder: Path,
    tables: Sequence[Table],
    *,
    operator: str = "",
) -> Written:
    """The command's export: each table as a hive-partitioned folder under `folder`. A table's
    folder that already exists is refused (no stale partitions mixed in); a failed table's
    folder is removed. `operator`: the account that ran the command, for the audit trail."""
    validate(request)
    states = states_for(user, request)
    taken = [str(folder / t) for t in tables if (folder / t).exists()]
    if taken:
        raise ValidationError(
            {"out": [_("Already exists: %(paths)s.") % {"paths": ", ".join(taken)}]}
        )
    written = Written()
    for table in tables:
        try:
            write_partitions(folder, user, request, states, table, written)
        except BaseException:
            shutil.rmtree(folder / table, ignore_errors=True)
            raise
    via = {"via": "command", **({"operator": operator} if operator else {})}
    _record(user, request, states, written, tables, via)
    return written


def export_file(
    user: User, request: Request, table: Table, out: IO[bytes], max_days: int = API_MAX_DAYS
) -> Written:
    """The API's export: one table as one Parquet file into `out` (a temporary file)."""
    validate(request, max_days)
    states = states_for(user, request)
    written = Written()
    write_file(out, user, request, states, table, written)
    _record(user, request, states, written, [table], {"via": "api"})
    return written


def read_metadata(path: str | Path | IO[bytes]) -> dict[str, str]:
    """The borderwatch keys of a Parquet file's metadata (schema version, table, filters)."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if k.startswith(b"borderwatch.")}
