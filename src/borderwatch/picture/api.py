"""Picture API: the same scoped reads as the pages, as typed JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import BaseModel

from borderwatch.border.selectors import EventType
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.picture import selectors, story
from borderwatch.picture.forms import DEFAULT_DAYS, MAX_SPAN_DAYS

router = Router(tags=["picture"])


class NationalityOut(Schema):
    code: str
    name: str
    persons: int


# The daily figures' schemas are plain pydantic models, fed plain dicts (_figure_out): a whole
# year is ~13,000 objects, and ninja's Schema reads every attribute through its getter in
# Python, which took most of the call; pydantic's core validates dicts in a few milliseconds.


class DailyNationalityOut(BaseModel):
    code: str
    name: str
    persons: int


class DailyFigureOut(BaseModel):
    country: str
    country_name: str
    day: dt.date
    persons: int
    ytd: int
    is_record: bool
    nationalities: list[DailyNationalityOut]


class LineString(Schema):
    type: Literal["LineString"]
    coordinates: list[list[float]]


class LevelStepOut(Schema):
    level: str
    effective: dt.date
    reason: str


class SectionProperties(Schema):
    code: str
    name: str
    country: str
    neighbour: str
    length_km: float
    level: str  # in force at the end of the period
    history: list[LevelStepOut]  # confirmed levels effective up to then, newest first


class SectionFeature(Schema):
    type: Literal["Feature"]
    geometry: LineString
    properties: SectionProperties


class SectionCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[SectionFeature]


class PointGeometry(Schema):
    type: Literal["Point"]
    coordinates: list[float]


class EventProperties(Schema):
    id: int
    type: str
    type_label: str
    persons: int
    time: dt.datetime  # with the country's UTC offset
    zone: str
    local_date: dt.date
    country: str
    section: str


class EventFeature(Schema):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: EventProperties


class EventCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[EventFeature]


class ExtraLayerOut(Schema):
    key: str
    title: str
    colour: str
    notes: list[str]
    alert_label: str
    geojson: dict[str, Any]


class AnnotationOut(Schema):
    day_from: dt.date
    day_to: dt.date | None
    member_state: str
    kind: str
    kind_label: str
    title: str
    source: str
    owner_app: str


class MapLayersOut(Schema):
    start: dt.date
    end: dt.date
    sections: SectionCollection
    events: EventCollection
    events_total: int
    events_shown: int
    capped: bool
    extra: list[ExtraLayerOut]
    annotations: list[AnnotationOut]


class SectionCountOut(Schema):
    code: str
    name: str
    persons: int


class LevelChangeOut(Schema):
    section: str
    section_name: str
    previous: str
    level: str
    reason: str


class CountryBulletinOut(Schema):
    country: str
    country_name: str
    persons: int
    ytd: int
    is_record: bool
    previous_day: int
    change: int
    seven_day_average: float
    nationalities: list[NationalityOut]
    sections: list[SectionCountOut]
    level_changes: list[LevelChangeOut]


class BulletinOut(Schema):
    day: dt.date
    persons: int
    previous_day: int
    seven_day_average: float
    countries: list[CountryBulletinOut]


def _period(
    request: HttpRequest, start: dt.date | None, end: dt.date | None, countries: list[str] | None
) -> tuple[dt.date, dt.date]:
    end = end or selectors.default_period(request.user, countries)[1]  # type: ignore[arg-type]
    start = start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise ValidationError("end is before start")
    if (end - start).days >= MAX_SPAN_DAYS:
        raise ValidationError(f"choose at most {MAX_SPAN_DAYS} days")
    return start, end


@router.get("/daily-figures", response=list[DailyFigureOut], url_name="picture_daily_figures")
def daily_figures(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    country: list[str] | None = Query(None),  # noqa: B008
    event_type: list[EventType] | None = Query(None),  # noqa: B008
) -> list[dict[str, Any]]:
    """Persons per country and local day, with YTD totals and records (default: apprehensions,
    the last 30 days of data)."""
    check(request.user, Capability.VIEW_PICTURE)
    start, end = _period(request, start, end, country)
    types = [t.value for t in event_type] if event_type else selectors.APPREHENSIONS
    figures = selectors.daily_figures(request.user, start, end, country or None, types)  # type: ignore[arg-type]
    return [_figure_out(f) for f in figures]


def _figure_out(figure: selectors.DailyFigure) -> dict[str, Any]:
    """A figure as the plain dict DailyFigureOut validates (see there)."""
    return {
        "country": figure.country,
        "country_name": figure.country_name,
        "day": figure.day,
        "persons": figure.persons,
        "ytd": figure.ytd,
        "is_record": figure.is_record,
        "nationalities": [n._asdict() for n in figure.nationalities],
    }


@router.get("/map-layers", response=MapLayersOut, url_name="picture_map_layers")
def map_layers(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    country: list[str] | None = Query(None),  # noqa: B008
) -> dict[str, Any]:
    """Border sections with the impact level in force at the end of the period (and its
    history), and the newest events as points."""
    check(request.user, Capability.VIEW_PICTURE)
    start, end = _period(request, start, end, country)
    layers = selectors.map_layers(request.user, start, end, country or None)  # type: ignore[arg-type]
    return {
        "start": start,
        "end": end,
        "sections": layers.sections,
        "events": layers.events,
        "events_total": layers.events_total,
        "events_shown": len(layers.events["features"]),
        "capped": layers.capped,
        "extra": [vars(layer) for layer in layers.extra],
        "annotations": layers.annotations,
    }


@router.get("/bulletin", response=BulletinOut, url_name="picture_bulletin")
def bulletin(request: HttpRequest, day: dt.date | None = None) -> selectors.Bulletin:
    """The daily bulletin; without `day`, the latest day with data."""
    check(request.user, Capability.VIEW_PICTURE)
    day = day or selectors.latest_day(request.user) or timezone.localdate()  # type: ignore[arg-type]
    return selectors.bulletin(request.user, day)  # type: ignore[arg-type]


class PeriodTotalOut(Schema):
    country: str
    country_name: str
    persons: int
    days: int
    peak_day: dt.date
    peak_persons: int


@router.get("/period-totals", response=list[PeriodTotalOut], url_name="picture_period_totals")
def period_totals(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    country: list[str] | None = Query(None),  # noqa: B008
) -> list[selectors.PeriodTotal]:
    """Apprehended persons per country over the whole period (default: the last 30 days of
    data), with the busiest day."""
    check(request.user, Capability.VIEW_PICTURE)
    start, end = _period(request, start, end, country)
    daily = selectors.daily_figures(request.user, start, end, country or None)  # type: ignore[arg-type]
    return selectors.period_totals(daily)


@router.get("/annotations", response=list[AnnotationOut], url_name="picture_annotations")
def annotations_in_period(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    country: list[str] | None = Query(None),  # noqa: B008
) -> list[story.Annotation]:
    """What happened: the annotations of every app that provides them, in force in the period."""
    check(request.user, Capability.VIEW_PICTURE)
    start, end = _period(request, start, end, country)
    return story.collect(request.user, start, end, country or None)  # type: ignore[arg-type]
