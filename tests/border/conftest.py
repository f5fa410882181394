from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from borderwatch.border.models import BorderSection
from borderwatch.border.services import ensure_reference_data
from borderwatch.border.validation import EventInput


@pytest.fixture
def border_data(db: None) -> None:
    """Countries and the real border sections (world-atlas geometry)."""
    ensure_reference_data()


def point_on(section_code: str) -> tuple[float, float]:
    """A (lat, lon) on the section's own line: the nearest section is that one."""
    section = BorderSection.objects.get(code=section_code)
    coords = section.geometry["coordinates"]
    lon, lat = coords[len(coords) // 2]
    return lat, lon


def event_input(section_code: str = "LT-BY-16", **overrides: Any) -> EventInput:
    lat, lon = point_on(section_code)
    values: dict[str, Any] = {
        "ref": "E-1",
        "occurred_at": dt.datetime(2021, 7, 27, 22, 40, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        "event_type": "apprehension",
        "latitude": lat,
        "longitude": lon,
        "persons": 12,
        "nationalities": {"IQ": 10, "SY": 2},
        "source": "patrol",
        "reporting_unit": "Druskininkai frontier station",
    }
    values.update(overrides)
    return EventInput(**values)
