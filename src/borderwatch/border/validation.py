"""Validation of event input shared by the form, the API and the CSV/JSON import.

Each problem names the field by the label a user sees on the form ("Time of the event", not
`occurred_at`) and the value, so a border guard can fix the row; it keeps the field's key for
the form (the message goes beside its field) and the API (422 detail by field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.border.models import EventSource, EventType
from borderwatch.border.sections import SectionFinder, max_distance_km
from borderwatch.core.codes import nationality_codes
from borderwatch.core.text import forbidden_characters

# Clocks of reporting devices drift; an event a few minutes "in the future" is not an error.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# No border event system of ours holds events from before 2000; a time before it is a typo
# (1850, year 1) that would put the event outside every chart and every daily figure.
EARLIEST = dt.date(2000, 1, 1)
# The most persons one event may count. The largest single crossings recorded at the EU's
# eastern border (Belarus 2021, Greece-Turkey 2020) were groups of a few hundred to a few
# thousand; 10,000 leaves room for those while a typo (an extra digit, 2^31) cannot put
# millions on the situational picture. Each nationality's count is within the event's persons.
MAX_PERSONS = 10_000
# The longest text each field holds (the model's max_length).
MAX_LENGTH = {"ref": 64, "reporting_unit": 100}
# looked up once per row of an import: sets, not the enums' lists built on each call
_EVENT_TYPES = frozenset(EventType.values)
_SOURCES = frozenset(EventSource.values)

# The labels of the event's fields, as the report form shows them; every message uses these.
# Lazy: each message says them in the language of the request.
LABELS = {
    "ref": gettext_lazy("Reference"),
    "occurred_at": gettext_lazy("Time of the event"),
    "event_type": gettext_lazy("Type of event"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "persons": gettext_lazy("Number of persons"),
    "nationalities": gettext_lazy("Nationalities"),
    "source": gettext_lazy("Source"),
    "reporting_unit": gettext_lazy("Reporting unit"),
    "description": gettext_lazy("Description"),
}


@dataclass(frozen=True)
class Problem:
    """One problem with an event: the field's key ('' for the event as a whole) and the text."""

    field: str
    text: str

    def __str__(self) -> str:
        return f"{LABELS[self.field]}: {self.text}" if self.field else self.text


def forbidden_characters_message(found: str) -> str:
    """The one message for forbidden characters; `found` from forbidden_characters()."""
    return _("contains control or text-direction characters (%(characters)s); remove them") % {
        "characters": found
    }


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
                _(
                    "'%(value)s' is not a date and time; write it like %(local)s (local time) "
                    "or %(utc)s (with its UTC offset)"
                )
                % {"value": value, "local": _EXAMPLE_LOCAL, "utc": _EXAMPLE_UTC}
            ) from None
    if parsed.date() < EARLIEST:  # the day as written
        raise ValueError(
            _("%(time)s is before %(earliest)s; check the year")
            % {"time": parsed.isoformat(timespec="minutes"), "earliest": EARLIEST.isoformat()}
        )
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
            _(
                "%(time)s does not exist in %(zone)s: the clocks went forward that night; "
                "check the time, or give its UTC offset"
            )
            % {"time": shown, "zone": tz.key}
        )
    raise ValueError(
        _(
            "%(time)s happened twice in %(zone)s: the clocks went back that night; give its UTC "
            "offset: %(first)s (the first time) or %(second)s (the second)"
        )
        % {
            "time": shown,
            "zone": tz.key,
            "first": f"{shown}{_offset(first)}",
            "second": f"{shown}{_offset(second)}",
        }
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
            raise ValueError(
                _("'%(part)s' is not CODE:COUNT (write e.g. IQ:10;SY:2)") % {"part": part}
            )
        code = code.strip().upper()
        if code in result:
            raise ValueError(_("%(code)s is given twice") % {"code": code})
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

    ref = _text(data.ref, "ref", errors)
    if not ref:
        problem("ref", _("missing (the reporting system's identifier of the event)"))

    occurred_at: dt.datetime | None = None
    local_time = False
    try:
        occurred_at, local_time = parse_datetime(data.occurred_at, tz)
        if occurred_at > now + FUTURE_TOLERANCE or occurred_at.year >= 9999:
            shown = occurred_at.astimezone(tz).isoformat(timespec="minutes")
            problem(
                "occurred_at",
                _("%(time)s (%(zone)s) is in the future") % {"time": shown, "zone": tz.key},
            )
            occurred_at = None
    except (TypeError, ValueError) as exc:
        problem("occurred_at", str(exc))
    except OverflowError:  # a time near year 9999 with a UTC offset
        occurred_at = None
        problem("occurred_at", _("'%(value)s' is in the future") % {"value": data.occurred_at})

    event_type = str(data.event_type or "").strip()
    if event_type not in _EVENT_TYPES:
        problem("event_type", _not_one_of(event_type, EventType.values))
    source = str(data.source or "").strip()
    if source not in _SOURCES:
        problem("source", _not_one_of(source, EventSource.values))
    unit = _text(data.reporting_unit, "reporting_unit", errors)
    if not unit:
        problem("reporting_unit", _("missing (the unit that reports the event)"))

    persons = _positive_int(data.persons, "persons", errors)
    nationalities: dict[str, int] = {}
    for code, count in data.nationalities.items():
        code = str(code).strip().upper()
        if code not in nationality_codes():
            problem(
                "nationalities",
                _("'%(code)s' is not an ISO 3166-1 alpha-2 code (XX: unknown)") % {"code": code},
            )
            continue
        value = _positive_int(count, "nationalities", errors, code=code)
        if value is not None:
            nationalities[code] = value
    if not data.nationalities:
        problem("nationalities", _("missing (write XX:<number of persons> when unknown)"))
    elif persons is not None and any(v > persons for v in nationalities.values()):
        problem(
            "nationalities",
            _("a count is larger than %(label)s (%(persons)d)")
            % {"label": LABELS["persons"], "persons": persons},
        )
    elif persons is not None and nationalities and sum(nationalities.values()) != persons:
        problem(
            "nationalities",
            _("the counts add up to %(total)d, but %(label)s is %(persons)d")
            % {
                "total": sum(nationalities.values()),
                "label": LABELS["persons"],
                "persons": persons,
            },
        )

    latitude = _coordinate(data.latitude, "latitude", 90, errors)
    longitude = _coordinate(data.longitude, "longitude", 180, errors)
    section: tuple[int, str, float] | None = None
    if latitude is not None and longitude is not None:
        section = finder.nearest(latitude, longitude)
        limit = max_distance_km()
        if section is None:
            problem("", _("%(country)s has no border sections") % {"country": finder.country})
        elif section[2] > limit:
            problem(
                "",
                _(
                    "The point (%(latitude)s, %(longitude)s) is %(km)s km from the nearest "
                    "%(country)s border section, outside every section (limit %(limit)s km)"
                )
                % {
                    "latitude": number_format(latitude, 5),
                    "longitude": number_format(longitude, 5),
                    "km": number_format(section[2], 1),
                    "country": finder.country,
                    "limit": number_format(limit, 0 if float(limit).is_integer() else None),
                },
            )

    description = _text(data.description, "description", errors)

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
            description=description,
            section_id=section[0],
            section_code=section[1],
            distance_km=section[2],
            local_time=local_time,
        ),
        [],
    )


def positions(inputs: Iterable[EventInput]) -> list[tuple[float, float]]:
    """The points of the inputs whose coordinates `validate_event` will accept, read as it
    reads them: for `SectionFinder.locate`, which finds all their sections in one pass."""
    found = []
    for data in inputs:
        latitude = _coordinate(data.latitude, "latitude", 90, [])
        longitude = _coordinate(data.longitude, "longitude", 180, [])
        if latitude is not None and longitude is not None:
            found.append((latitude, longitude))
    return found


def _not_one_of(value: str, values: list[str]) -> str:
    return _("'%(value)s' is not one of %(values)s") % {"value": value, "values": ", ".join(values)}


def _text(value: object, name: str, errors: list[Problem]) -> str:
    """A text field trimmed, with its length and characters checked (problems in `errors`)."""
    text = str(value or "").strip()
    limit = MAX_LENGTH.get(name)
    if limit is not None and len(text) > limit:
        errors.append(
            Problem(
                name,
                _("%(length)d characters, longer than %(limit)d")
                % {"length": len(text), "limit": limit},
            )
        )
    found = forbidden_characters(text, line_breaks=name == "description")
    if found:
        errors.append(Problem(name, forbidden_characters_message(found)))
    return text


def _positive_int(
    value: int | str, name: str, errors: list[Problem], *, code: str = ""
) -> int | None:
    """A whole number of at least 1; `code`: the nationality whose count it is."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        if code:
            text = _("the count for %(code)s '%(value)s' is not a whole number")
        else:
            text = _("'%(value)s' is not a whole number")
        errors.append(Problem(name, text % {"code": code, "value": value}))
        return None
    if number < 1:
        if code:
            text = _("the count for %(code)s must be at least 1, not %(number)d")
        else:
            text = _("must be at least 1, not %(number)d")
        errors.append(Problem(name, text % {"code": code, "number": number}))
        return None
    if number > MAX_PERSONS:
        if code:
            text = _("the count for %(code)s must be at most %(max)s, not %(number)s")
        else:
            text = _("must be at most %(max)s, not %(number)s")
        shown = str(number) if len(str(number)) <= 20 else f"{str(number)[:20]}…"
        values = {
            "code": code,
            "max": number_format(MAX_PERSONS, force_grouping=True),
            "number": shown,
        }
        errors.append(Problem(name, text % values))
        return None
    return number


def _coordinate(value: float | str, name: str, bound: float, errors: list[Problem]) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        errors.append(Problem(name, _("'%(value)s' is not a number") % {"value": value}))
        return None
    if not -bound <= number <= bound or number != number:
        errors.append(
            Problem(
                name,
                _("%(value)s is outside %(range)s")
                % {"value": value, "range": f"-{bound:g}..{bound:g}"},
            )
        )
        return None
    return number
