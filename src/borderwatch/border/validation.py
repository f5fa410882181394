"""Validation of event input shared by the form, the API and the CSV/JSON import.

Each problem names the field by the label a user sees on the form ("Time of the event", not
`occurred_at`) and the value, so a border guard can fix the row; it keeps the field's key for
the form (the message goes beside its field) and the API (422 detail by field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from borderwatch.border.models import EventSource, EventType
from borderwatch.border.sections import SectionFinder, max_distance_km
from borderwatch.core.codes import nationality_codes

# Clocks of reporting devices drift; an event a few minutes "in the future" is not an error.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

# The labels of the event's fields, as the report form shows them; every message uses these.
LABELS: dict[str, str] = {
    "ref": "Reference",
    "occurred_at": "Time of the event",
    "event_type": "Type of event",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "persons": "Number of persons",
    "nationalities": "Nationalities",
    "source": "Source",
    "reporting_unit": "Reporting unit",
    "description": "Description",
}


@dataclass(frozen=True)
class Problem:
    """One problem with an event: the field's key ('' for the event as a whole) and the text."""

    field: str
    text: str

    def __str__(self) -> str:
        return f"{LABELS[self.field]}: {self.text}" if self.field else self.text


def by_field(problems: list[Problem], keys: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Problems as {field key: [messages]} for a ValidationError (whole-event ones under
    NON_FIELD_ERRORS); `keys` renames fields (the API and files call event_type 'type')."""
    result: dict[str, list[str]] = {}
    for p in problems:
        key = (keys or {}).get(p.field, p.field) or NON_FIELD_ERRORS
        result.setdefault(key, []).append(str(p))
    return result


@dataclass
class EventInput:
    """One event as reported, before validation (values as given)."""

    ref: str
    occurred_at: dt.datetime | str
    event_type: str
    latitude: float | str
    longitude: float | str
    persons: int | str
    nationalities: dict[str, int | str]
    source: str
    reporting_unit: str
    description: str = ""


@dataclass
class ValidEvent:
    """An event that passed every check, with its derived section and local day."""

    ref: str
    occurred_at: dt.datetime
    local_date: dt.date
    event_type: str
    latitude: float
    longitude: float
    persons: int
    nationalities: dict[str, int]
    source: str
    reporting_unit: str
    description: str
    section_id: int
    section_code: str
    distance_km: float = field(default=0.0, compare=False)
    local_time: bool = field(default=False, compare=False)  # given without a UTC offset

    def comparable(self) -> tuple[object, ...]:
        """The values an import compares with an existing event of the same ref."""
        return (
            self.occurred_at,
            self.event_type,
            round(self.latitude, 6),
            round(self.longitude, 6),
            self.persons,
            tuple(sorted(self.nationalities.items())),
            self.source,
            self.reporting_unit,
            self.description,
        )


def parse_datetime(value: dt.datetime | str, tz: ZoneInfo) -> tuple[dt.datetime, bool]:
    """An aware time, and whether it was read as local time in `tz` (it had no UTC offset).

    A local time that the clocks skipped or went through twice (a DST change) is refused: only
    the UTC offset says which moment is meant.
    """
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"'{value}' is not a date and time; write it like {_EXAMPLE_LOCAL} (local time) "
                f"or {_EXAMPLE_UTC} (with its UTC offset)"
            ) from None
    if timezone.is_aware(parsed):
        return parsed, False
    return _localise(parsed, tz), True


_EXAMPLE_LOCAL = "2021-08-28T01:05"
_EXAMPLE_UTC = "2021-08-27T22:05+00:00"


def _localise(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    shown = naive.isoformat(timespec="minutes")
    if first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{shown} does not exist in {tz.key}: the clocks went forward that night; "
            "check the time, or give its UTC offset"
        )
    raise ValueError(
        f"{shown} happened twice in {tz.key}: the clocks went back that night; give its UTC "
        f"offset: {shown}{_offset(first)} (the first time) or {shown}{_offset(second)} "
        "(the second)"
    )


def _offset(moment: dt.datetime) -> str:
    text = moment.isoformat()
    return text[-6:]


def parse_nationalities(text: str) -> dict[str, int | str]:
    """'IQ:120;SY:3' -> {'IQ': '120', 'SY': '3'} (values checked later)."""
    result: dict[str, int | str] = {}
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        code, sep, count = part.partition(":")
        if not sep:
            raise ValueError(f"'{part}' is not CODE:COUNT (write e.g. IQ:10;SY:2)")
        code = code.strip().upper()
        if code in result:
            raise ValueError(f"{code} is given twice")
        result[code] = count.strip()
    return result


def validate_event(
    data: EventInput, *, tz: ZoneInfo, finder: SectionFinder, now: dt.datetime | None = None
) -> tuple[ValidEvent | None, list[Problem]]:
    """Check one event; return it cleaned, or None and every problem found.

    A time without a UTC offset is read as local time in `tz` (the member state's zone).
    """
    errors: list[Problem] = []
    now = now or timezone.now()

    def problem(name: str, text: str) -> None:
        errors.append(Problem(name, text))

    ref = str(data.ref or "").strip()
    if not ref:
        problem("ref", "missing (the reporting system's identifier of the event)")
    elif len(ref) > 64:
        problem("ref", "longer than 64 characters")

    occurred_at: dt.datetime | None = None
    local_time = False
    try:
        occurred_at, local_time = parse_datetime(data.occurred_at, tz)
        if occurred_at > now + FUTURE_TOLERANCE:
            shown = occurred_at.astimezone(tz).isoformat(timespec="minutes")
            problem("occurred_at", f"{shown} ({tz.key}) is in the future")
            occurred_at = None
    except (TypeError, ValueError) as exc:
        problem("occurred_at", str(exc))

    event_type = str(data.event_type or "").strip()
    if event_type not in EventType.values:
        problem("event_type", f"'{event_type}' is not one of {', '.join(EventType.values)}")
    source = str(data.source or "").strip()
    if source not in EventSource.values:
        problem("source", f"'{source}' is not one of {', '.join(EventSource.values)}")
    unit = str(data.reporting_unit or "").strip()
    if not unit:
        problem("reporting_unit", "missing (the unit that reports the event)")

    persons = _positive_int(data.persons, "persons", "", errors)
    nationalities: dict[str, int] = {}
    for code, count in data.nationalities.items():
        code = str(code).strip().upper()
        if code not in nationality_codes():
            problem("nationalities", f"'{code}' is not an ISO 3166-1 alpha-2 code (XX: unknown)")
            continue
        value = _positive_int(count, "nationalities", f"the count for {code} ", errors)
        if value is not None:
            nationalities[code] = value
    if not data.nationalities:
        problem("nationalities", "missing (write XX:<number of persons> when unknown)")
    elif persons is not None and nationalities and sum(nationalities.values()) != persons:
        problem(
            "nationalities",
            f"the counts add up to {sum(nationalities.values())}, "
            f"but {LABELS['persons']} is {persons}",
        )

    latitude = _coordinate(data.latitude, "latitude", 90, errors)
    longitude = _coordinate(data.longitude, "longitude", 180, errors)
    section: tuple[int, str, float] | None = None
    if latitude is not None and longitude is not None:
        section = finder.nearest(latitude, longitude)
        limit = max_distance_km()
        if section is None:
            problem("", f"{finder.country} has no border sections")
        elif section[2] > limit:
            problem(
                "",
                f"The point ({latitude:.5f}, {longitude:.5f}) is {section[2]:.1f} km from the "
                f"nearest {finder.country} border section, outside every section "
                f"(limit {limit:g} km)",
            )

    if errors:
        return None, errors
    assert occurred_at is not None and persons is not None and section is not None
    assert latitude is not None and longitude is not None
    return (
        ValidEvent(
            ref=ref,
            occurred_at=occurred_at,
            local_date=occurred_at.astimezone(tz).date(),
            event_type=event_type,
            latitude=latitude,
            longitude=longitude,
            persons=persons,
            nationalities=nationalities,
            source=source,
            reporting_unit=unit,
            description=str(data.description or "").strip(),
            section_id=section[0],
            section_code=section[1],
            distance_km=section[2],
            local_time=local_time,
        ),
        [],
    )


def _positive_int(value: int | str, name: str, what: str, errors: list[Problem]) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors.append(Problem(name, f"{what}'{value}' is not a whole number".lstrip()))
        return None
    if number < 1:
        errors.append(Problem(name, f"{what}must be at least 1, not {number}"))
        return None
    return number


def _coordinate(value: float | str, name: str, bound: float, errors: list[Problem]) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        errors.append(Problem(name, f"'{value}' is not a number"))
        return None
    if not -bound <= number <= bound or number != number:
        errors.append(Problem(name, f"{value} is outside -{bound:g}..{bound:g}"))
        return None
    return number
