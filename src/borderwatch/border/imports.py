"""CSV and JSON import of events: all rows or none, idempotent, errors by line number.

A file is imported for one member state. Each row's `ref` identifies the event in the
reporting system: a row whose ref exists with the same values is left unchanged (so
re-importing a file changes nothing); with different values it is an error (use a
correction, which is audited with a reason). A time without a UTC offset is read as local
time in the member state's zone (the zone of its border sections), and the result says how
many were; a local time that a clock change skipped or repeated is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.models import Event, EventSource, EventType, ImportBatch
from borderwatch.border.sections import SectionFinder
from borderwatch.border.services import country_tz, create_events
from borderwatch.border.validation import (
    LABELS,
    EventInput,
    ValidEvent,
    parse_nationalities,
    validate_event,
)
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability

CSV_COLUMNS = [
    "ref",
    "occurred_at",
    "type",
    "latitude",
    "longitude",
    "persons",
    "nationalities",
    "source",
    "reporting_unit",
    "description",
]
REQUIRED_COLUMNS = set(CSV_COLUMNS) - {"description"}
COLUMN_FIELDS = {"type": "event_type"}  # the file's column -> the form's field
COLUMN_FORMATS = {
    "ref": "the reporting system's identifier; the same ref again with the same values is skipped",
    "occurred_at": "ISO 8601, e.g. 2021-08-27T22:05+00:00; without a UTC offset "
    "(2021-08-28T01:05) it is local time in your member state's zone",
    "type": ", ".join(EventType.values),
    "latitude": "decimal degrees (WGS 84), e.g. 54.3521",
    "longitude": "decimal degrees (WGS 84), e.g. 25.3790",
    "persons": "a whole number, at least 1",
    "nationalities": "CODE:COUNT;… e.g. IQ:10;SY:2 (XX: unknown); a JSON object in JSON",
    "source": ", ".join(EventSource.values),
    "reporting_unit": "the unit that reports the event",
    "description": "optional free text",
}
MAX_ERRORS = 200


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    batch_id: int | None = None
    local_times: int = 0  # rows whose time had no UTC offset, read in `time_zone`
    time_zone: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def note(self) -> str:
        """What the user should know about how the times were read ('' when nothing)."""
        if not self.local_times:
            return ""
        rows = "1 row" if self.local_times == 1 else f"{self.local_times} rows"
        return f"{rows} gave the time without a UTC offset: read as local time in {self.time_zone}."


class ImportRejected(ValidationError):
    """The file was rejected as a whole; `result.errors` names every problem by line."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(result.errors)


def column_guide() -> list[tuple[str, str, str]]:
    """(column, the label the form and the error messages use, what to write) per column."""
    return [(c, LABELS[COLUMN_FIELDS.get(c, c)], COLUMN_FORMATS[c]) for c in CSV_COLUMNS]


def read_csv(content: bytes) -> list[tuple[int, EventInput | str]]:
    """Rows as (line number, input) or (line number, error)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"The file is not UTF-8 text (byte {exc.start}).") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise ValidationError(f"line 1: missing column(s) {', '.join(sorted(missing))}")
    unknown = set(header) - set(CSV_COLUMNS)
    if unknown:
        raise ValidationError(f"line 1: unknown column(s) {', '.join(sorted(unknown))}")
    reader.fieldnames = header
    rows: list[tuple[int, EventInput | str]] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            rows.append((line, "more fields than columns"))
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        try:
            nationalities = parse_nationalities(values["nationalities"])
        except ValueError as exc:
            rows.append((line, f"{LABELS['nationalities']}: {exc}"))
            continue
        rows.append((line, _input(values, nationalities)))
    return rows


def read_json(content: bytes) -> list[tuple[int, EventInput | str]]:
    """A JSON array of event objects; 'line' numbers are 1-based positions in the array."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"The file is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if not isinstance(data, list):
        raise ValidationError('The JSON must be an array of events (or {"events": [...]}).')
    rows: list[tuple[int, EventInput | str]] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((index, "is not an object"))
            continue
        unknown = set(item) - set(CSV_COLUMNS)
        if unknown:
            rows.append((index, f"unknown field(s) {', '.join(sorted(unknown))}"))
            continue
        nationalities = item.get("nationalities") or {}
        if not isinstance(nationalities, dict):
            rows.append((index, f'{LABELS["nationalities"]}: must be an object like {{"IQ": 3}}'))
            continue
        rows.append((index, _input(item, nationalities)))
    return rows


def _input(values: dict[str, Any], nationalities: dict[str, Any]) -> EventInput:
    return EventInput(
        ref=values.get("ref", ""),
        occurred_at=values.get("occurred_at", ""),
        event_type=values.get("type", ""),
        latitude=values.get("latitude", ""),
        longitude=values.get("longitude", ""),
        persons=values.get("persons", ""),
        nationalities={str(k).strip().upper(): v for k, v in nationalities.items()},
        source=values.get("source", ""),
        reporting_unit=values.get("reporting_unit", ""),
        description=values.get("description", "") or "",
    )


def import_events(
    user: User, member_state: str, content: bytes, *, file_name: str, fmt: str
) -> ImportResult:
    """Import a CSV or JSON file of events for one member state: every row or none."""
    check(user, Capability.IMPORT_EVENTS, member_state)
    if fmt not in ("csv", "json"):
        raise ValidationError(f"Unknown format '{fmt}': use csv or json.")
    if not content.strip():
        raise ValidationError("The file is empty.")
    digest = hashlib.sha256(content).hexdigest()
    parsed = read_csv(content) if fmt == "csv" else read_json(content)
    tz, finder, now = country_tz(member_state), SectionFinder(member_state), timezone.now()
    result = ImportResult(rows=len(parsed), time_zone=tz.key)
    if not parsed:
        raise ValidationError("The file has no events.")

    valid: list[tuple[int, ValidEvent]] = []
    seen: dict[str, int] = {}
    for line, item in parsed:
        if isinstance(item, str):
            result.errors.append(f"line {line}: {item}")
            continue
        event, problems = validate_event(item, tz=tz, finder=finder, now=now)
        result.errors.extend(f"line {line}: {p}" for p in problems)
        if event is None:
            continue
        if event.ref in seen:
            result.errors.append(
                f"line {line}: {LABELS['ref']} {event.ref} repeats line {seen[event.ref]}"
            )
            continue
        seen[event.ref] = line
        result.local_times += event.local_time
        valid.append((line, event))
        if len(result.errors) >= MAX_ERRORS:
            break
    if result.errors:
        raise ImportRejected(_truncated(result))

    with transaction.atomic():
        existing = _existing(member_state, [e.ref for _, e in valid])
        new: list[ValidEvent] = []
        for line, event in valid:
            old = existing.get(event.ref)
            if old is None:
                new.append(event)
            elif old == event.comparable():
                result.unchanged += 1
            else:
                result.errors.append(
                    f"line {line}: {LABELS['ref']} {event.ref} exists with different values; "
                    "correct the event instead of re-importing it"
                )
        if result.errors:
            raise ImportRejected(_truncated(result))
        if new:
            batch = ImportBatch.objects.create(
                country_id=member_state,
                file_name=file_name[:255],
                sha256=digest,
                format=fmt,
                rows=result.rows,
                created=len(new),
                unchanged=result.unchanged,
                imported_by=user,
            )
            create_events(user, member_state, new, import_batch_id=batch.pk)
            result.batch_id = batch.pk
            audit.record(
                user,
                Action.EVENT_IMPORT,
                batch,
                member_state=member_state,
                new={
                    "file": file_name,
                    "sha256": digest,
                    "rows": result.rows,
                    "created": len(new),
                    "unchanged": result.unchanged,
                    "local_times": result.local_times,
                    "time_zone": result.time_zone,
                },
            )
        result.created = len(new)
    return result


def _existing(member_state: str, refs: list[str]) -> dict[str, tuple[object, ...]]:
    """Comparable values of the events that already carry these refs."""
    found: dict[str, tuple[object, ...]] = {}
    for start in range(0, len(refs), 5000):
        chunk = refs[start : start + 5000]
        events = Event.objects.filter(country_id=member_state, ref__in=chunk).prefetch_related(
            "nationalities"
        )
        for e in events:
            found[e.ref] = (
                e.occurred_at,
                e.event_type,
                round(e.latitude, 6),
                round(e.longitude, 6),
                e.persons,
                tuple(sorted((n.nationality, n.persons) for n in e.nationalities.all())),
                e.source,
                e.reporting_unit,
                e.description,
            )
    return found


def _truncated(result: ImportResult) -> ImportResult:
    if len(result.errors) >= MAX_ERRORS:
        result.errors = [*result.errors[:MAX_ERRORS], "... more errors not shown; fix these first"]
    return result
