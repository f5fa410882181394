"""CSV and JSON import of flight data (routes, schedules, flights, suspensions), by the rules of
border's event import: every row or none, idempotent by ref, errors named by line.

One file holds one kind of row. A row whose ref (a route's code) already exists with the same
values is left unchanged, so importing the same file again changes nothing; with different
values it is an error. JSON is an array of objects (or {"<kind>": [...]}); its "line" numbers
are 1-based positions in the array.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.core.codes import is_nationality_code
from borderwatch.core.csvfile import checked_reader, utf8_text
from borderwatch.intelligence.models import (
    MINSK,
    Direction,
    Flight,
    FlightKind,
    Route,
    Schedule,
    Suspension,
    SuspensionScope,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MAX_ERRORS = 200
KINDS = ("routes", "schedules", "flights", "suspensions")
KIND_LABELS: dict[str, StrOrPromise] = {
    "routes": gettext_lazy("Routes"),
    "schedules": gettext_lazy("Schedules"),
    "flights": gettext_lazy("Flights"),
    "suspensions": gettext_lazy("Suspensions"),
}
# kind -> (columns, required columns)
COLUMNS: dict[str, tuple[list[str], set[str]]] = {
    "routes": (
        ["code", "origin_airport", "origin_city", "origin_country", "destination_airport"],
        {"code", "origin_airport", "origin_city", "origin_country"},
    ),
    "schedules": (
        ["ref", "route", "airline", "valid_from", "valid_to", "weekly_frequency",
         "seats_per_flight", "source"],
        {"ref", "route", "airline", "valid_from", "valid_to", "weekly_frequency",
         "seats_per_flight"},
    ),
    "flights": (
        ["ref", "route", "airline", "flight_number", "day", "direction", "kind", "seats",
         "passengers", "source"],
        {"ref", "route", "airline", "day", "direction", "kind", "seats"},
    ),
    "suspensions": (
        ["ref", "scope", "origin_country", "airline", "route", "starts", "ends",
         "except_repatriation", "title", "source"],
        {"ref", "scope", "origin_country", "starts", "title"},
    ),
}  # fmt: skip
MODELS: dict[str, type[Route | Schedule | Flight | Suspension]] = {
    "routes": Route,
    "schedules": Schedule,
    "flights": Flight,
    "suspensions": Suspension,
}
Progress = Callable[[int, str], None]


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class ImportRejected(ValidationError):
    """The file was rejected as a whole; `result.errors` names every problem by line."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(result.errors)


def read(kind: str, content: bytes, fmt: str) -> list[tuple[int, dict[str, str] | str]]:
    """Rows as (line number, values) or (line number, error); a file-level problem raises."""
    if kind not in KINDS:
        raise ValidationError(
            _("Unknown kind '%(kind)s': use %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    if fmt not in ("csv", "json"):
        raise ValidationError(_("Unknown format '%(format)s': use csv or json.") % {"format": fmt})
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    columns, required = COLUMNS[kind]
    text = utf8_text(content)
    rows: list[tuple[int, dict[str, str] | str]] = []
    if fmt == "csv":
        reader = checked_reader(text, required, columns)
        for record in reader:
            if None in record:
                rows.append((reader.line_num, _("more fields than columns")))
                continue
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
        return rows
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if isinstance(data, dict) and isinstance(data.get(kind), list):
        data = data[kind]
    if not isinstance(data, list):
        raise ValidationError(
            _('The JSON must be an array of objects (or {"%(kind)s": [...]}).') % {"kind": kind}
        )
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((index, _("is not an object")))
            continue
        unknown = set(item) - set(columns)
        if unknown:
            fields = ", ".join(sorted(unknown))
            rows.append((index, _("unknown field(s) %(fields)s") % {"fields": fields}))
            continue
        values = {k: "" if v is None else str(v).strip() for k, v in item.items()}
        missing = required - {k for k, v in values.items() if v}
        values.update({k: "" for k in missing})
        rows.append((index, values))
    return rows


class _Row:
    """Reads one row's fields, collecting a problem per bad field."""

    def __init__(self, values: dict[str, str], required: set[str]) -> None:
        self.values, self.required = values, required
        self.problems: list[str] = []

    def text(self, name: str, max_length: int) -> str:
        value = self.values.get(name, "")
        if not value and name in self.required:
            self.problems.append(_("%(field)s is required") % {"field": name})
        elif len(value) > max_length:
            self.problems.append(
                _("%(field)s is longer than %(n)d characters") % {"field": name, "n": max_length}
            )
        return value

    def code(self, name: str, length: int) -> str:
        value = self.text(name, length).upper()
        if value and (len(value) != length or not value.isalpha()):
            self.problems.append(
                _("%(field)s must be %(n)d letters") % {"field": name, "n": length}
            )
        return value

    def country(self, name: str) -> str:
        value = self.code(name, 2)
        if value and len(value) == 2 and not is_nationality_code(value):
            self.problems.append(
                _("%(field)s: unknown country %(code)s") % {"field": name, "code": value}
            )
        return value

    def day(self, name: str) -> dt.date | None:
        value = self.text(name, 10)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problems.append(_("%(field)s must be a date like 2021-08-06") % {"field": name})
            return None

    def number(self, name: str, low: int, high: int) -> int | None:
        value = self.text(name, 12)
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            self.problems.append(
                _("%(field)s must be a whole number from %(low)d to %(high)d")
                % {"field": name, "low": low, "high": high}
            )
            return None
        return number

    def choice(self, name: str, choices: list[str]) -> str:
        value = self.text(name, 20).lower()
        if value and value not in choices:
            self.problems.append(
                _("%(field)s must be one of %(choices)s")
                % {"field": name, "choices": ", ".join(choices)}
            )
        return value

    def flag(self, name: str) -> bool:
        value = self.values.get(name, "").lower()
        if value not in ("", "true", "false", "yes", "no", "1", "0"):
            self.problems.append(_("%(field)s must be yes or no") % {"field": name})
        return value in ("true", "yes", "1")


def validate(
    kind: str, values: dict[str, str], routes: dict[str, Route]
) -> tuple[dict[str, Any] | None, list[str]]:
    """A row's model fields (None with problems when it is invalid)."""
    row = _Row(values, COLUMNS[kind][1])
    fields: dict[str, Any] = {}
    if kind == "routes":
        fields = {
            "code": row.text("code", 16).upper(),
            "origin_airport": row.code("origin_airport", 3),
            "origin_city": row.text("origin_city", 80),
            "origin_country": row.country("origin_country"),
            "destination_airport": row.code("destination_airport", 3) or MINSK,
        }
    else:
        fields["ref"] = row.text("ref", 64)
        route_code = row.text("route", 16).upper()
        route = routes.get(route_code) if route_code else None
        if route_code and route is None:
            row.problems.append(
                _("route %(code)s is not known: import it first") % {"code": route_code}
            )
        if kind == "schedules":
            fields |= {
                "route": route,
                "airline": row.text("airline", 80),
                "valid_from": row.day("valid_from"),
                "valid_to": row.day("valid_to"),
                "weekly_frequency": row.number("weekly_frequency", 1, 70),
                "seats_per_flight": row.number("seats_per_flight", 1, 1000),
                "source": row.text("source", 300),
            }
            start, end = fields["valid_from"], fields["valid_to"]
            if start and end and end < start:
                row.problems.append(_("valid_to is before valid_from"))
        elif kind == "flights":
            fields |= {
                "route": route,
                "airline": row.text("airline", 80),
                "flight_number": row.text("flight_number", 12),
                "day": row.day("day"),
                "direction": row.choice("direction", list(Direction.values)),
                "kind": row.choice("kind", list(FlightKind.values)),
                "seats": row.number("seats", 0, 1000),
                "passengers": row.number("passengers", 0, 1000),
                "source": row.text("source", 300),
            }
            seats, passengers = fields["seats"], fields["passengers"]
            if seats is not None and passengers is not None and passengers > seats:
                row.problems.append(_("passengers exceed seats"))
        else:
            fields |= {
                "scope": row.choice("scope", list(SuspensionScope.values)),
                "origin_country": row.country("origin_country"),
                "airline": row.text("airline", 80),
                "route": route,
                "starts": row.day("starts"),
                "ends": row.day("ends"),
                "except_repatriation": row.flag("except_repatriation"),
                "title": row.text("title", 200),
                "source": row.text("source", 300),
            }
            start, end = fields["starts"], fields["ends"]
            if start and end and end < start:
                row.problems.append(_("ends is before starts"))
            scope = fields["scope"]
            if (
                scope in (SuspensionScope.AIRLINE, SuspensionScope.AIRLINE_ROUTE)
                and not fields["airline"]
            ):
                row.problems.append(_("an airline's suspension names the airline"))
            if scope == SuspensionScope.AIRLINE_ROUTE and route is None and not route_code:
                row.problems.append(_("a suspension on a route names the route"))
    if row.problems:
        return None, row.problems
    return fields, []


def comparable(kind: str, obj: Any) -> tuple[Any, ...]:
    """The imported fields of a row already there, to compare with a row of the file."""
    names = [c for c in COLUMNS[kind][0] if c not in ("ref", "code")]
    out = []
    for name in names:
        value = getattr(obj, f"{name}_id" if name == "route" else name)
        out.append(value)
    return tuple(out)


def comparable_fields(kind: str, fields: dict[str, Any]) -> tuple[Any, ...]:
    names = [c for c in COLUMNS[kind][0] if c not in ("ref", "code")]
    return tuple(
        (fields[n].pk if fields[n] is not None else None) if n == "route" else fields[n]
        for n in names
    )


def key_of(kind: str) -> str:
    return "code" if kind == "routes" else "ref"
