"""Reads of the situational picture: daily figures, map layers and the daily bulletin.

Every function takes the user and restricts rows to `visible_states(user)` here, in the
selector layer, so that views, API and exports cannot forget it. The database does the
heavy work (GROUP BY country, local_date, nationality over the composite index); year-to-date
totals and records are computed in Python over the per-day series, which is at most 366 rows
per country and year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.models import (
    BorderSection,
    Country,
    Event,
    EventNationality,
    EventType,
    ImpactAssessment,
    ImpactLevel,
)
from borderwatch.core.codes import nationality_name
from borderwatch.core.permissions import visible_states
from borderwatch.picture import figures, layers

APPREHENSIONS: tuple[str, ...] = (EventType.APPREHENSION,)
EVENT_POINT_LIMIT = 5000
TOP_N = 5


@dataclass(frozen=True)
class NationalityCount:
    code: str
    name: str
    persons: int


@dataclass(frozen=True)
class DailyFigure:
    """One country's persons on one local day, with its standing in the year."""

    country: str
    country_name: str
    day: dt.date
    persons: int
    ytd: int
    is_record: bool
    nationalities: tuple[NationalityCount, ...]


# --- scoping -----------------------------------------------------------------------------------


def _scope(user: User, countries: Iterable[str] | None, prefix: str = "") -> Q:
    """Rows of the visible states, narrowed to `countries` when given (never widened)."""
    q = Q()
    states = visible_states(user)
    if states is not None:
        q &= Q(**{f"{prefix}country_id__in": states})
    if countries is not None:
        q &= Q(**{f"{prefix}country_id__in": list(countries)})
    return q


def _events(
    user: User, countries: Iterable[str] | None, event_types: Iterable[str] | None, prefix: str = ""
) -> Q:
    q = _scope(user, countries, prefix) & Q(**{f"{prefix}deleted_at__isnull": True})
    if event_types is not None:
        q &= Q(**{f"{prefix}event_type__in": list(event_types)})
    return q


def visible_member_states(user: User) -> list[Country]:
    """The member states the user may filter on, by name."""
    qs = Country.objects.filter(is_member_state=True)
    states = visible_states(user)
    if states is not None:
        qs = qs.filter(code__in=states)
    return list(qs.order_by("name"))


def latest_day(user: User, countries: Sequence[str] | None = None) -> dt.date | None:
    """The last local day with a visible event (the picture opens on the latest data)."""
    found = Event.objects.filter(_events(user, countries, None)).aggregate(day=Max("local_date"))
    return found["day"]


def default_period(
    user: User, countries: Sequence[str] | None = None, days: int = 30
) -> tuple[dt.date, dt.date]:
    """The last `days` days of data, or of the calendar when there is none yet."""
    end = latest_day(user, countries) or timezone.localdate()
    return end - dt.timedelta(days=days - 1), end


# --- daily figures -----------------------------------------------------------------------------


def _daily_totals(
    user: User,
    first: dt.date,
    last: dt.date,
    countries: Sequence[str] | None,
    event_types: Sequence[str] | None,
) -> dict[str, dict[dt.date, int]]:
    """Country -> local day -> persons, one GROUP BY in the database."""
    rows = (
        Event.objects.filter(_events(user, countries, event_types), local_date__range=(first, last))
        .order_by()
        .values("country_id", "local_date")
        .annotate(persons=Sum("persons"))
        .values_list("country_id", "local_date", "persons")
    )
    series: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for country, day, persons in rows:
        series[country][day] = int(persons)
    return series


def _nationality_totals(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None,
    event_types: Sequence[str] | None,
) -> dict[tuple[str, dt.date], list[NationalityCount]]:
    """(country, day) -> nationalities by persons, largest first."""
    rows = (
        EventNationality.objects.filter(
            _events(user, countries, event_types, prefix="event__"),
            event__local_date__range=(start, end),
        )
        .order_by()
        .values("event__country_id", "event__local_date", "nationality")
        .annotate(persons=Sum("persons"))
        .values_list("event__country_id", "event__local_date", "nationality", "persons")
    )
    out: dict[tuple[str, dt.date], list[NationalityCount]] = defaultdict(list)
    for country, day, code, persons in rows:
        out[(country, day)].append(NationalityCount(code, nationality_name(code), int(persons)))
    for counts in out.values():
        counts.sort(key=lambda c: (-c.persons, c.name))
    return out


def _country_names() -> dict[str, str]:
    return dict(Country.objects.values_list("code", "name"))


def daily_figures(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = APPREHENSIONS,
) -> list[DailyFigure]:
    """Persons per country and local day from start to end, newest day first.

    The year-to-date total counts from 1 January of each day's year, including days before
    `start`; `is_record` says the day beat every earlier day of that year in that country.
    Days without events are left out.
    """
    if end < start:
        return []
    series = _daily_totals(user, dt.date(start.year, 1, 1), end, countries, event_types)
    breakdown = _nationality_totals(user, start, end, countries, event_types)
    names = _country_names()
    result = []
    for country, per_day in series.items():
        for day, standing in figures.standings(per_day).items():
            if day < start:
                continue
            result.append(
                DailyFigure(
                    country=country,
                    country_name=names.get(country, country),
                    day=day,
                    persons=per_day[day],
                    ytd=standing.ytd,
                    is_record=standing.is_record,
                    nationalities=tuple(breakdown.get((country, day), ())),
                )
            )
    result.sort(key=lambda f: (-f.day.toordinal(), f.country_name))
    return result


# --- map layers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapLayers:
    sections: dict[str, Any]
    events: dict[str, Any]
    events_total: int
    capped: bool
    extra: list[layers.MapLayer] = field(default_factory=list)


def current_levels(user: User, countries: Sequence[str] | None = None) -> dict[int, str]:
    """Section id -> its latest confirmed impact level (sections never assessed are absent)."""
    confirmed = (
        ImpactAssessment.objects.filter(
            _scope(user, countries, prefix="section__"), confirmed_at__isnull=False
        )
        .order_by("confirmed_at", "id")
        .values_list("section_id", "level")
    )
    return dict(confirmed)  # later confirmations overwrite earlier ones


def _section_features(user: User, countries: Sequence[str] | None) -> list[dict[str, Any]]:
    levels = current_levels(user, countries)
    sections = BorderSection.objects.filter(_scope(user, countries)).order_by(
        "country_id", "neighbour_id", "order"
    )
    return [
        {
            "type": "Feature",
            "geometry": s.geometry,
            "properties": {
                "code": s.code,
                "name": s.name,
                "country": s.country_id,
                "neighbour": s.neighbour_id,
                "length_km": s.length_km,
                "level": levels.get(s.pk, ImpactLevel.LOW.value),
            },
        }
        for s in sections
    ]


def _event_features(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None,
    event_types: Sequence[str] | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    qs = Event.objects.filter(_events(user, countries, event_types), local_date__range=(start, end))
    labels = dict(EventType.choices)
    rows = qs.order_by("-occurred_at", "-id").values_list(
        "id", "event_type", "persons", "occurred_at", "local_date",
        "latitude", "longitude", "country_id", "section__code",
    )[:limit]  # fmt: skip
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": pk,
                "type": kind,
                "type_label": str(labels.get(kind, kind)),
                "persons": persons,
                "time": occurred.isoformat(),
                "local_date": day.isoformat(),
                "country": country,
                "section": section,
            },
        }
        for pk, kind, persons, occurred, day, lat, lon, country, section in rows
    ]
    total = len(features) if len(features) < limit else qs.count()
    return features, total


def map_layers(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    limit: int = EVENT_POINT_LIMIT,
) -> MapLayers:
    """Sections coloured by current level, and the newest `limit` events of the period."""
    events, total = _event_features(user, start, end, countries, event_types, limit)
    return MapLayers(
        sections={"type": "FeatureCollection", "features": _section_features(user, countries)},
        events={"type": "FeatureCollection", "features": events},
        events_total=total,
        capped=total > len(events),
        extra=layers.extra_layers(user, start, end, countries),
    )


# --- daily bulletin ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionCount:
    code: str
    name: str
    persons: int


@dataclass(frozen=True)
class LevelChange:
    section: str
    section_name: str
    previous: str
    level: str
    reason: str


@dataclass(frozen=True)
class CountryBulletin:
    country: str
    country_name: str
    persons: int
    ytd: int
    is_record: bool
    previous_day: int
    seven_day_average: float
    nationalities: tuple[NationalityCount, ...]
    sections: tuple[SectionCount, ...]
    level_changes: tuple[LevelChange, ...]

    @property
    def change(self) -> int:
        return self.persons - self.previous_day


@dataclass(frozen=True)
class Bulletin:
    day: dt.date
    countries: tuple[CountryBulletin, ...]

    @property
    def persons(self) -> int:
        return sum(c.persons for c in self.countries)

    @property
    def previous_day(self) -> int:
        return sum(c.previous_day for c in self.countries)

    @property
    def seven_day_average(self) -> float:
        return sum(c.seven_day_average for c in self.countries)

    @property
    def ytd(self) -> int:
        return sum(c.ytd for c in self.countries)


def _top_sections(
    user: User, day: dt.date, countries: Sequence[str] | None
) -> dict[str, list[SectionCount]]:
    rows = (
        Event.objects.filter(_events(user, countries, APPREHENSIONS), local_date=day)
        .order_by()
        .values("country_id", "section__code", "section__name")
        .annotate(persons=Sum("persons"))
        .values_list("country_id", "section__code", "section__name", "persons")
    )
    out: dict[str, list[SectionCount]] = defaultdict(list)
    for country, code, name, persons in rows:
        out[country].append(SectionCount(code, name, int(persons)))
    return {c: sorted(v, key=lambda s: (-s.persons, s.code))[:TOP_N] for c, v in out.items()}


def _level_changes(
    user: User, day: dt.date, countries: Sequence[str] | None
) -> dict[str, list[LevelChange]]:
    """Confirmed levels that take effect on `day` and differ from the section's level before."""
    confirmed = (
        ImpactAssessment.objects.filter(
            _scope(user, countries, prefix="section__"),
            confirmed_at__isnull=False,
            as_of__lte=day,
        )
        .select_related("section")
        .order_by("as_of", "confirmed_at", "id")
    )
    level: dict[int, str] = {}
    out: dict[str, list[LevelChange]] = defaultdict(list)
    for a in confirmed:
        before = level.get(a.section_id, ImpactLevel.LOW.value)
        if a.as_of == day and a.level != before:
            out[a.section.country_id].append(
                LevelChange(a.section.code, a.section.name, before, a.level, a.reason)
            )
        level[a.section_id] = a.level
    return out


def bulletin(user: User, day: dt.date, countries: Sequence[str] | None = None) -> Bulletin:
    """One day per visible member state: persons, YTD, record, top nationalities and sections,
    level changes, against the previous day and the average of the seven days before."""
    first = min(dt.date(day.year, 1, 1), day - dt.timedelta(days=7))
    series = _daily_totals(user, first, day, countries, APPREHENSIONS)
    nationalities = _nationality_totals(user, day, day, countries, APPREHENSIONS)
    sections = _top_sections(user, day, countries)
    changes = _level_changes(user, day, countries)
    rows = []
    for country in visible_member_states(user):
        if countries is not None and country.code not in countries:
            continue
        per_day = series.get(country.code, {})
        this_year = {d: n for d, n in per_day.items() if d.year == day.year}
        standing = figures.standings(this_year).get(day)
        ytd = standing.ytd if standing else sum(n for d, n in this_year.items() if d <= day)
        rows.append(
            CountryBulletin(
                country=country.code,
                country_name=country.name,
                persons=per_day.get(day, 0),
                ytd=ytd,
                is_record=bool(standing and standing.is_record),
                previous_day=per_day.get(day - dt.timedelta(days=1), 0),
                seven_day_average=figures.window_average(per_day, day),
                nationalities=tuple(nationalities.get((country.code, day), ())[:TOP_N]),
                sections=tuple(sections.get(country.code, ())),
                level_changes=tuple(changes.get(country.code, ())),
            )
        )
    return Bulletin(day=day, countries=tuple(rows))


def outline_countries(user: User) -> list[tuple[str, str, bool]]:
    """The visible member states and their neighbours across a mapped border, for the backdrop."""
    members = visible_member_states(user)
    neighbours = (
        BorderSection.objects.filter(_scope(user, None))
        .values_list("neighbour_id", "neighbour__name")
        .distinct()
    )
    out = {c.code: (c.code, c.name, True) for c in members}
    for code, name in neighbours:
        out.setdefault(code, (code, name, False))
    return sorted(out.values())
