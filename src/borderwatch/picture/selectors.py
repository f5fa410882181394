"""Reads of the situational picture: daily figures, map layers and the daily bulletin.

The picture composes the selectors of the apps it shows (border here; reception through its
map layer) and owns no table: scoping, the soft-delete rule and the level in force are
border.selectors'. The database does the heavy work (GROUP BY country, local day, nationality);
year-to-date totals and records are computed in Python over the per-day series, which is at
most 366 rows per country and year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border
from borderwatch.core.codes import UNKNOWN_NATIONALITY, nationality_name
from borderwatch.picture import figures, l10n, layers, story
from borderwatch.picture.story import Annotation

APPREHENSIONS: tuple[str, ...] = (border.EventType.APPREHENSION.value,)
EVENT_POINT_LIMIT = 5000
TOP_N = 5


class NationalityCount(NamedTuple):
    """A tuple, not a dataclass: a whole year of every state builds ~12,000 of them per call,
    and tuples of strings and ints are cheaper to build and left alone by the cyclic GC."""

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


@dataclass(frozen=True)
class MemberState:
    code: str
    name: str


def visible_member_states(user: User) -> list[MemberState]:
    """The member states the user may filter on, by name (in the reader's language)."""
    states = [
        MemberState(c.code, l10n.country_name(c.code, c.name)) for c in border.member_states(user)
    ]
    return sorted(states, key=lambda s: s.name)


def latest_day(user: User, countries: Sequence[str] | None = None) -> dt.date | None:
    """The last local day with a visible event (the picture opens on the latest data)."""
    return border.latest_event_day(user, countries)


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
    """Country -> local day -> persons."""
    series: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for country, day, persons in border.daily_persons(user, first, last, countries, event_types):
        series[country][day] = persons
    return series


def _nationality_totals(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None,
    event_types: Sequence[str] | None,
) -> dict[tuple[str, dt.date], list[NationalityCount]]:
    """(country, day) -> nationalities by persons, largest first."""
    out: dict[tuple[str, dt.date], list[NationalityCount]] = defaultdict(list)
    rows = border.daily_nationalities(user, start, end, countries, event_types)
    names: dict[str, str] = {}  # a year of all states is ~10,000 rows over a few dozen codes
    for country, day, code, persons in rows:
        name = names.get(code)
        if name is None:
            name = names[code] = _nationality(code)
        out[(country, day)].append(NationalityCount(code, name, persons))
    for counts in out.values():
        counts.sort(key=lambda c: (-c.persons, c.name))
    return out


def _nationality(code: str) -> str:
    if code == UNKNOWN_NATIONALITY:
        return gettext("Unknown")
    return l10n.country_name(code, nationality_name(code))


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
    names = border.country_names()
    result = []
    for country, per_day in series.items():
        country_name = l10n.country_name(country, names.get(country, country))
        for day, standing in figures.standings(per_day).items():
            if day < start:
                continue
            result.append(
                DailyFigure(
                    country=country,
                    country_name=country_name,
                    day=day,
                    persons=per_day[day],
                    ytd=standing.ytd,
                    is_record=standing.is_record,
                    nationalities=tuple(breakdown.get((country, day), ())),
                )
            )
    result.sort(key=lambda f: (-f.day.toordinal(), f.country_name))
    return result


@dataclass(frozen=True)
class PeriodTotal:
    """One country's persons over the whole chosen period, and its busiest day in it."""

    country: str
    country_name: str
    persons: int
    days: int  # days of the period with any persons
    peak_day: dt.date
    peak_persons: int


def period_totals(daily: Sequence[DailyFigure]) -> list[PeriodTotal]:
    """The sum of each country's daily figures (as `daily_figures` gave them), by name."""
    by_country: dict[str, list[DailyFigure]] = defaultdict(list)
    for row in daily:
        by_country[row.country].append(row)
    totals = []
    for country, rows in by_country.items():
        peak = max(rows, key=lambda r: (r.persons, -r.day.toordinal()))
        totals.append(
            PeriodTotal(
                country=country,
                country_name=rows[0].country_name,
                persons=sum(r.persons for r in rows),
                days=len(rows),
                peak_day=peak.day,
                peak_persons=peak.persons,
            )
        )
    return sorted(totals, key=lambda t: t.country_name)


# --- map layers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapLayers:
    sections: dict[str, Any]
    events: dict[str, Any]
    events_total: int
    capped: bool
    extra: list[layers.MapLayer] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)


def _section_features(
    user: User, end: dt.date, countries: Sequence[str] | None
) -> list[dict[str, Any]]:
    """Sections with the level in force on `end` and their history up to it (newest first)."""
    sections = list(border.sections(user, countries=countries))
    levels = border.levels_in_force(sections, end)
    history = border.level_history(sections, end)
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
                "level": levels[s.pk],
                "history": [
                    {"level": h.level, "effective": h.effective.isoformat(), "reason": h.reason}
                    for h in history[s.pk]
                ],
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
    points, total = border.event_points(user, start, end, countries, event_types, limit)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {
                "id": p.id,
                "type": p.event_type,
                "type_label": p.type_label,
                "persons": p.persons,
                "time": p.occurred_at.isoformat(),
                "zone": p.zone,
                "local_date": p.local_date.isoformat(),
                "country": p.country,
                "section": p.section,
            },
        }
        for p in points
    ]
    return features, total


def map_layers(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    limit: int = EVENT_POINT_LIMIT,
) -> MapLayers:
    """Sections coloured by the level in force at the end of the period, and the newest
    `limit` events of the period."""
    events, total = _event_features(user, start, end, countries, event_types, limit)
    return MapLayers(
        sections={"type": "FeatureCollection", "features": _section_features(user, end, countries)},
        events={"type": "FeatureCollection", "features": events},
        events_total=total,
        capped=total > len(events),
        extra=layers.extra_layers(user, start, end, countries),
        annotations=story.collect(user, start, end, countries),
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
    out: dict[str, list[SectionCount]] = defaultdict(list)
    for row in border.section_persons(user, day, countries, APPREHENSIONS):
        out[row.country].append(SectionCount(row.code, row.name, row.persons))
    return {c: sorted(v, key=lambda s: (-s.persons, s.code))[:TOP_N] for c, v in out.items()}


def _level_changes(
    user: User, day: dt.date, countries: Sequence[str] | None
) -> dict[str, list[LevelChange]]:
    """Levels taking effect on `day` that change the section's level in force."""
    out: dict[str, list[LevelChange]] = defaultdict(list)
    for c in border.level_changes(user, day, countries):
        out[c.country].append(LevelChange(c.section, c.section_name, c.previous, c.level, c.reason))
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
    out = {c.code: (c.code, c.name, True) for c in visible_member_states(user)}
    for code, name in border.neighbours(user):
        out.setdefault(code, (code, l10n.country_name(code, name), False))
    return sorted(out.values())
