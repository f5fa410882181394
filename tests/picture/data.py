"""Border data built with the ORM for picture tests (no dependency on the real geometry)."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.utils import timezone

from borderwatch.border import rollups
from borderwatch.border.models import (
    AssessmentStatus,
    BorderSection,
    Country,
    Event,
    EventNationality,
    EventType,
    ImpactAssessment,
)

COUNTRIES = [
    ("LT", "Lithuania", True, "Europe/Vilnius"),
    ("LV", "Latvia", True, "Europe/Riga"),
    ("PL", "Poland", True, "Europe/Warsaw"),
    ("BY", "Belarus", False, "Europe/Minsk"),
]
# A short line per member state along its border with Belarus (lon, lat).
LINES = {
    "LT": [[25.0, 54.2], [25.6, 54.5]],
    "LV": [[27.0, 55.8], [27.6, 55.7]],
    "PL": [[23.6, 52.6], [23.8, 53.2]],
}
_refs = itertools.count(1)


def make_border() -> dict[str, BorderSection]:
    """The countries and one section per member state, keyed by member state."""
    for code, name, member, tz in COUNTRIES:
        Country.objects.update_or_create(
            code=code, defaults={"name": name, "is_member_state": member, "timezone": tz}
        )
    sections = {}
    for state, line in LINES.items():
        sections[state], _ = BorderSection.objects.get_or_create(
            code=f"{state}-BY-01",
            defaults={
                "country_id": state,
                "neighbour_id": "BY",
                "order": 1,
                "name": f"{state} test section",
                "geometry": {"type": "LineString", "coordinates": line},
                "length_km": 100.0,
                "measured_km": 98.5,
            },
        )
    return sections


def add_event(
    section: BorderSection,
    day: dt.date,
    nationalities: dict[str, int],
    *,
    event_type: str = EventType.APPREHENSION,
    hour: int = 22,
    deleted: bool = False,
) -> Event:
    """An event on `day` (local), its persons the sum of its nationalities; counted in the daily
    rollups as border.services.create_events counts what it inserts."""
    tz = ZoneInfo(section.country.timezone)
    occurred = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
    lon, lat = section.geometry["coordinates"][0]
    event = Event.objects.create(
        country_id=section.country_id,
        section=section,
        event_type=event_type,
        occurred_at=occurred,
        local_date=day,
        latitude=lat,
        longitude=lon,
        persons=sum(nationalities.values()),
        source="patrol",
        reporting_unit="test unit",
        ref=f"T-{next(_refs)}",
        deleted_at=timezone.now() if deleted else None,
    )
    EventNationality.objects.bulk_create(
        EventNationality(event=event, nationality=code, persons=n)
        for code, n in nationalities.items()
    )
    rollups.count_created([(event, nationalities)])
    return event


def confirm_level(
    section: BorderSection, as_of: dt.date, level: str, *, reason: str = ""
) -> ImpactAssessment:
    """A confirmed assessment (written directly: the border services are not under test)."""
    return ImpactAssessment.objects.create(
        section=section,
        as_of=as_of,
        pressure_per_km=1.0,
        persons_in_window=100,
        proposed_level=level,
        level=level,
        status=AssessmentStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        reason=reason,
    )


def lithuania_july_2021(sections: dict[str, BorderSection]) -> None:
    """A compressed summer 2021: earlier Lithuanian days, then 171 Iraqis on Tuesday 27 July."""
    lt, pl = sections["LT"], sections["PL"]
    add_event(lt, dt.date(2021, 1, 14), {"IQ": 3})
    add_event(lt, dt.date(2021, 7, 2), {"IQ": 40, "BY": 2})
    add_event(lt, dt.date(2021, 7, 20), {"IQ": 90, "SY": 10})
    add_event(lt, dt.date(2021, 7, 26), {"IQ": 60})
    add_event(lt, dt.date(2021, 7, 27), {"IQ": 100}, hour=23)
    add_event(lt, dt.date(2021, 7, 27), {"IQ": 71}, hour=2)
    add_event(pl, dt.date(2021, 7, 27), {"IQ": 12, "AF": 3})
    add_event(pl, dt.date(2021, 7, 28), {"AF": 20})
