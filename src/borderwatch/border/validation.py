"""Validation of event input shared by the form, the API and the CSV/JSON import.

Each problem is a sentence naming the field and the value, so a border guard can fix the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from borderwatch.border.models import EventSource, EventType
from borderwatch.border.sections import SectionFinder, max_distance_km
from borderwatch.core.codes import nationality_codes

# Clocks of reporting devices drift; an event a few minutes "in the future" is not an error.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


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


def parse_datetime(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        parsed = dt.datetime.fromisoformat(text)
    if timezone.is_naive(parsed):
        raise ValueError("needs a UTC offset, e.g. 2021-07-27T22:40:00+03:00")
    return parsed


def parse_nationalities(text: str) -> dict[str, int | str]:
    """'IQ:120;SY:3' -> {'IQ': '120', 'SY': '3'} (values checked later)."""
    result: dict[str, int | str] = {}
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        code, sep, count = part.partition(":")
        if not sep:
            raise ValueError(f"'{part}' is not CODE:COUNT")
        code = code.strip().upper()
        if code in result:
            raise ValueError(f"nationality {code} is given twice")
        result[code] = count.strip()
    return result


def validate_event(
    data: EventInput, *, tz: ZoneInfo, finder: SectionFinder, now: dt.datetime | None = None
) -> tuple[ValidEvent | None, list[str]]:
    """Check one event; return it cleaned, or None and every problem found."""
    errors: list[str] = []
    now = now or timezone.now()
    ref = str(data.ref or "").strip()
    if not ref:
        errors.append("ref is missing (the reporting system's identifier of the event)")
    elif len(ref) > 64:
        errors.append("ref is longer than 64 characters")

    occurred_at: dt.datetime | None = None
    try:
        occurred_at = parse_datetime(data.occurred_at)
        if occurred_at > now + FUTURE_TOLERANCE:
            errors.append(f"occurred_at {occurred_at.isoformat()} is in the future")
            occurred_at = None
    except (TypeError, ValueError) as exc:
        errors.append(f"occurred_at '{data.occurred_at}' is not an ISO 8601 time: {exc}")

    event_type = str(data.event_type or "").strip()
    if event_type not in EventType.values:
        errors.append(f"type '{event_type}' is not one of {', '.join(EventType.values)}")
    source = str(data.source or "").strip()
    if source not in EventSource.values:
        errors.append(f"source '{source}' is not one of {', '.join(EventSource.values)}")
    unit = str(data.reporting_unit or "").strip()
    if not unit:
        errors.append("reporting_unit is missing")

    persons = _positive_int(data.persons, "persons", errors)
    nationalities: dict[str, int] = {}
    for code, count in data.nationalities.items():
        code = str(code).strip().upper()
        if code not in nationality_codes():
            errors.append(f"nationality '{code}' is not an ISO 3166-1 alpha-2 code (XX: unknown)")
            continue
        value = _positive_int(count, f"count for {code}", errors)
        if value is not None:
            nationalities[code] = value
    if not data.nationalities:
        errors.append("nationalities are missing (use XX:<persons> when unknown)")
    elif persons is not None and nationalities and sum(nationalities.values()) != persons:
        errors.append(
            f"nationality counts add up to {sum(nationalities.values())}, not to persons={persons}"
        )

    latitude = _coordinate(data.latitude, "latitude", 90, errors)
    longitude = _coordinate(data.longitude, "longitude", 180, errors)
    section: tuple[int, str, float] | None = None
    if latitude is not None and longitude is not None:
        section = finder.nearest(latitude, longitude)
        limit = max_distance_km()
        if section is None:
            errors.append(f"{finder.country} has no border sections")
        elif section[2] > limit:
            errors.append(
                f"point ({latitude:.5f}, {longitude:.5f}) is {section[2]:.1f} km from the nearest "
                f"{finder.country} border section, outside every section (limit {limit:g} km)"
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
        ),
        [],
    )


def _positive_int(value: int | str, name: str, errors: list[str]) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors.append(f"{name} '{value}' is not a whole number")
        return None
    if number < 1:
        errors.append(f"{name} must be at least 1, not {number}")
        return None
    return number


def _coordinate(value: float | str, name: str, bound: float, errors: list[str]) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        errors.append(f"{name} '{value}' is not a number")
        return None
    if not -bound <= number <= bound or number != number:
        errors.append(f"{name} {value} is outside -{bound:g}..{bound:g}")
        return None
    return number
