"""Reads of the border app, scoped by the user's member state (core.permissions.in_scope).

Other apps (the picture first) read border data only through these functions: querysets of
border models where a page lists them, plain data (tuples, dataclasses) where a figure needs
an aggregate. Two rules live here and nowhere else:

- soft delete: figures count live events only (`Event.objects.live()`);
- figures (persons per day, nationality, section) read the daily rollups that border.rollups
  keeps with every write of events (`_rollups`), never the events themselves;
- impact level: the level in force on a day is the latest confirmed assessment effective on or
  before that day, by effective date, then by when it was confirmed (`levels_in_force`).

`countries` arguments narrow the user's scope, never widen it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import CharField, Max, Min, Model, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.models import (
    ALL_NATIONALITIES,
    BorderMeasure,
    BorderSection,
    Country,
    Event,
    EventNationality,
    EventRollup,
    EventStateRollup,
    ImpactAssessment,
    ImportJob,
)
from borderwatch.border.models import (
    AssessmentStatus as AssessmentStatus,
)
from borderwatch.border.models import (
    EventType as EventType,  # reference values for other apps (event-type filters)
)
from borderwatch.border.models import (
    ImpactLevel as ImpactLevel,
)
from borderwatch.border.sections import world_atlas_dir
from borderwatch.core.permissions import in_scope

DEFAULT_LEVEL = ImpactLevel.LOW.value  # a section never assessed
M = TypeVar("M", bound=Model)


def _narrow(
    qs: QuerySet[M], user: User, countries: Sequence[str] | None, field: str
) -> QuerySet[M]:
    qs = in_scope(qs, user, field)
    return qs if countries is None else qs.filter(**{f"{field}__in": list(countries)})


# --- countries and sections ----------------------------------------------------------------


def member_states(user: User) -> QuerySet[Country]:
    """The member states whose border data the user may see, by name."""
    return in_scope(Country.objects.filter(is_member_state=True), user, "code").order_by("name")


def member_state_codes() -> list[str]:
    """Codes of the member states in the reference data, sorted (the same for everyone)."""
    return sorted(Country.objects.filter(is_member_state=True).values_list("code", flat=True))


def country_names() -> dict[str, str]:
    """Code -> name of every country we map (reference data, the same for everyone)."""
    return dict(Country.objects.values_list("code", "name"))


def country_zones() -> dict[str, str]:
    """Code -> IANA time zone in which the country's events are dated and shown."""
    return dict(Country.objects.values_list("code", "timezone"))


def sections(
    user: User, country: str | None = None, *, countries: Sequence[str] | None = None
) -> QuerySet[BorderSection]:
    """Sections the user may see, in border order."""
    qs = _narrow(
        BorderSection.objects.select_related("country", "neighbour"), user, countries, "country_id"
    )
    return qs.filter(country_id=country) if country else qs


def neighbours(user: User) -> list[tuple[str, str]]:
    """(code, name) of the third countries across the user's visible sections."""
    rows = sections(user).order_by().values_list("neighbour_id", "neighbour__name").distinct()
    return sorted(rows)


def sections_by_code() -> dict[str, BorderSection]:
    """Every section by code, unscoped: for system callers only (scenario loader, tasks)."""
    return {s.code: s for s in BorderSection.objects.select_related("country")}


# --- events --------------------------------------------------------------------------------


def events(
    user: User,
    *,
    country: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    event_type: str | None = None,
    section: str | None = None,
    include_deleted: bool = False,
) -> QuerySet[Event]:
    """Events the user may see, newest first, with their nationalities and country (zone)."""
    base = Event.objects.all() if include_deleted else Event.objects.live()
    qs = in_scope(base.select_related("section", "country"), user, "country_id")
    if country:
        qs = qs.filter(country_id=country)
    if start:
        qs = qs.filter(local_date__gte=start)
    if end:
        qs = qs.filter(local_date__lte=end)
    if event_type:
        qs = qs.filter(event_type=event_type)
    if section:
        qs = qs.filter(section__code=section)
    return qs.prefetch_related(
        Prefetch("nationalities", queryset=EventNationality.objects.order_by("-persons"))
    )


def count_events(
    user: User,
    *,
    country: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    event_type: str | None = None,
    section: str | None = None,
) -> int:
    """How many live events `events` (with the same filters) lists, read from the daily
    rollups: a sum over days, where counting ten million rows takes seconds."""
    total = _rollups(
        user,
        countries=[country] if country else None,
        event_types=[event_type] if event_type else None,
        start=start,
        end=end,
        section=section or "",
    ).aggregate(n=Sum("events"))["n"]
    return int(total or 0)


def event(user: User, event_id: int) -> Event:
    """One event, or Event.DoesNotExist when it is not visible to the user."""
    return events(user, include_deleted=True).get(pk=event_id)


def import_job(user: User, job_id: int) -> ImportJob:
    """One import job of the user's member states, or ImportJob.DoesNotExist (also for another
    state's: the two are not told apart)."""
    return in_scope(ImportJob.objects.select_related("country"), user, "country_id").get(pk=job_id)


def events_by_ids(ids: Iterable[int]) -> QuerySet[Event]:
    """Events by id, unscoped: for system callers only (scenario loader, tasks)."""
    return Event.objects.filter(pk__in=list(ids))


def live_events(
    user: User,
    *,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    section: str = "",
) -> QuerySet[Event]:
    """Live events the user may see, narrowed by country, type, local day and section code."""
    qs = _narrow(Event.objects.live(), user, countries, "country_id")
    if section:
        qs = qs.filter(section__code=section)
    if event_types is not None:
        qs = qs.filter(event_type__in=list(event_types))
    if start is not None:
        qs = qs.filter(local_date__gte=start)
    if end is not None:
        qs = qs.filter(local_date__lte=end)
    return qs


def _rollups(
    user: User | None,
    *,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    section: str = "",
    whole: bool = True,
    per_section: bool = False,
) -> QuerySet[Any]:
    """The daily rollups of live events that the user may see (user None: unscoped, for
    services), narrowed like `live_events`: the whole events' rows, or (whole False) the
    nationalities' shares; per section (EventRollup) when a section is named or `per_section`,
    else per state (EventStateRollup, summed over the sections: far fewer rows). Rows that fell
    to zero (every event of the key withdrawn) are left out, so a day appears exactly when it
    has live events."""
    model: type[EventRollup | EventStateRollup] = (
        EventRollup if section or per_section else EventStateRollup
    )
    qs: QuerySet[Any] = model.objects.filter(events__gt=0)
    qs = (
        qs.filter(nationality=ALL_NATIONALITIES)
        if whole
        else qs.exclude(nationality=ALL_NATIONALITIES)
    )
    if user is not None:
        qs = _narrow(qs, user, countries, "country_id")
    elif countries is not None:
        qs = qs.filter(country_id__in=list(countries))
    if section:
        qs = qs.filter(section__code=section)
    if event_types is not None:
        qs = qs.filter(event_type__in=list(event_types))
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    return qs.order_by()


def latest_event_day(user: User, countries: Sequence[str] | None = None) -> dt.date | None:
    """The last local day with a visible live event."""
    day: dt.date | None = _rollups(user, countries=countries).aggregate(day=Max("day"))["day"]
    return day


def daily_persons(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    section: str = "",
) -> list[tuple[str, dt.date, int]]:
    """(country, local day, persons) for every day with events (on one section if given): one
    GROUP BY over the rollups."""
    rows = (
        _rollups(
            user, countries=countries, event_types=event_types, start=start, end=end,
            section=section,
        )
        .values("day", "country_id")  # the index's order: grouped as it is read, no sort
        .annotate(n=Sum("persons"))
        .values_list("day", "country_id", "n")
    )  # fmt: skip
    return [(country, day, int(n)) for day, country, n in rows]


def daily_nationalities(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
) -> list[tuple[str, dt.date, str, int]]:
    """(country, local day, nationality, persons) over the period's live events."""
    rows = (
        _rollups(
            user, countries=countries, event_types=event_types, start=start, end=end, whole=False
        )
        .values("day", "country_id", "nationality")  # the index's order (see daily_persons)
        .annotate(n=Sum("persons"), day_text=Min(Cast("day", CharField())))
        .values_list("day_text", "country_id", "nationality", "n")
    )
    # a year of every state is ~12,000 rows: read without the ORM's per-value converters and
    # the day as text (SQLite would otherwise parse the date of every row), each distinct day
    # parsed once; the text is an aggregate (of one value per group) so that the grouping
    # stays the index's order
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    days: dict[object, dt.date] = {}
    return [
        (country, days.get(day) or days.setdefault(day, _as_date(day)), code, int(n))
        for day, country, code, n in raw
    ]


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class SectionPersons:
    country: str
    code: str
    name: str
    persons: int


def section_persons(
    user: User,
    day: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
) -> list[SectionPersons]:
    """Persons per section on one local day."""
    rows = (
        _rollups(
            user,
            countries=countries,
            event_types=event_types,
            start=day,
            end=day,
            per_section=True,
        )
        .values("country_id", "section__code", "section__name")
        .annotate(n=Sum("persons"))
        .values_list("country_id", "section__code", "section__name", "n")
    )
    return [SectionPersons(country, code, name, int(n)) for country, code, name, n in rows]


def section_daily_persons(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
) -> list[tuple[str, dt.date, int]]:
    """(section code, local day, persons) for every section and day with events."""
    rows = (
        _rollups(
            user,
            countries=countries,
            event_types=event_types,
            start=start,
            end=end,
            per_section=True,
        )
        .values("section__code", "day")
        .annotate(n=Sum("persons"))
        .values_list("section__code", "day", "n")
    )
    return [(code, day, int(n)) for code, day, n in rows]


def section_totals(
    country: str, event_types: Sequence[str], start: dt.date, end: dt.date
) -> dict[int, int]:
    """Section id -> persons of live events of these types from start to end, unscoped: for
    border's services (impact-level proposals), which check their actor themselves."""
    rows = (
        _rollups(
            None,
            countries=[country],
            event_types=event_types,
            start=start,
            end=end,
            per_section=True,
        )
        .values("section_id")
        .annotate(n=Sum("persons"))
        .values_list("section_id", "n")
    )
    return {section: int(n) for section, n in rows}


# --- analytics export (border.export) --------------------------------------------------------


def export_events(
    user: User | None, country: str, first: dt.date, last: dt.date, *, withdrawn: bool = False
) -> QuerySet[Event]:
    """Events of one state from `first` to `last` (local days), live only unless `withdrawn`;
    scoped to the user (None: the system, unscoped). No ordering, no joins: border.export
    orders and picks its columns."""
    base = Event.objects.all() if withdrawn else Event.objects.live()
    qs = base.filter(country_id=country, local_date__gte=first, local_date__lte=last)
    return (qs if user is None else in_scope(qs, user, "country_id")).order_by()


def export_nationalities(
    events: QuerySet[Event], low: int, high: int
) -> QuerySet[EventNationality, tuple[int, str, int]]:
    """(event id, nationality, persons) of the `events` with ids from low to high, by event,
    largest share first: one query (a subquery, no list of ids) per chunk of the export."""
    chosen = events.filter(pk__gte=low, pk__lte=high).values("pk")
    return (
        EventNationality.objects.filter(event_id__in=chosen)
        .order_by("event_id", "-persons", "nationality")
        .values_list("event_id", "nationality", "persons")
    )


def export_rollups(
    user: User | None, country: str, first: dt.date, last: dt.date, *, per_section: bool = False
) -> QuerySet[Any]:
    """Rollup rows with live events of one state from `first` to `last`, whole events and
    nationalities' shares alike: (country, [section code,] day, type, nationality, persons,
    events), by day. Scoped like `_rollups` (user None: unscoped)."""
    model: type[EventRollup | EventStateRollup] = EventRollup if per_section else EventStateRollup
    qs: QuerySet[Any] = model.objects.filter(
        events__gt=0, country_id=country, day__gte=first, day__lte=last
    )
    if user is not None:
        qs = in_scope(qs, user, "country_id")
    keys = ["section__code"] if per_section else []
    return qs.order_by("day", *keys, "event_type", "nationality").values_list(
        "country_id", *keys, "day", "event_type", "nationality", "persons", "events"
    )


@dataclass(frozen=True)
class EventPoint:
    """An event as a point on the map; `occurred_at` is in the country's zone `zone`."""

    id: int
    event_type: str
    type_label: str
    persons: int
    occurred_at: dt.datetime
    zone: str
    local_date: dt.date
    latitude: float
    longitude: float
    country: str
    section: str


def event_points(
    user: User,
    start: dt.date,
    end: dt.date,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
    limit: int = 5000,
) -> tuple[list[EventPoint], int]:
    """The newest `limit` live events of the period as points, and how many there are in all."""
    qs = live_events(user, countries=countries, event_types=event_types, start=start, end=end)
    labels = dict(EventType.choices)
    zones = country_zones()
    rows = qs.order_by("-occurred_at", "-id").values_list(
        "id", "event_type", "persons", "occurred_at", "local_date",
        "latitude", "longitude", "country_id", "section__code",
    )[:limit]  # fmt: skip
    points = []
    for pk, kind, persons, occurred, day, lat, lon, country, section in rows:
        zone = zones.get(country, "UTC")
        points.append(
            EventPoint(
                id=pk,
                event_type=kind,
                type_label=str(labels.get(kind, kind)),
                persons=persons,
                occurred_at=occurred.astimezone(ZoneInfo(zone)),
                zone=zone,
                local_date=day,
                latitude=lat,
                longitude=lon,
                country=country,
                section=section,
            )
        )
    total = len(points) if len(points) < limit else qs.count()
    return points, total


# --- impact levels -------------------------------------------------------------------------


def assessments(
    user: User, *, country: str | None = None, open_only: bool = False, confirmed: bool = False
) -> QuerySet[ImpactAssessment]:
    """Assessments of the user's sections: all, the open proposals, or the confirmed ones."""
    base = ImpactAssessment.objects.all()
    if open_only:
        base = base.open()
    if confirmed:
        base = base.confirmed()
    qs = in_scope(base.select_related("section", "confirmed_by"), user, "section__country_id")
    return qs.filter(section__country_id=country) if country else qs


def confirmed_history(user: User, country: str | None = None) -> QuerySet[ImpactAssessment]:
    """Confirmed assessments, newest effective first (the sections page's history)."""
    return assessments(user, country=country, confirmed=True).order_by(
        "-as_of", "-confirmed_at", "-id"
    )


def _section_ids(sections: Iterable[BorderSection | int]) -> list[int]:
    return [s if isinstance(s, int) else s.pk for s in sections]


def levels_in_force(sections: Iterable[BorderSection | int], day: dt.date) -> dict[int, str]:
    """Section id -> the level in force on `day`: the latest confirmed assessment effective on
    or before it (by effective date, then by confirmation); `low` where there is none.

    Callers pass sections they got from a scoped selector.
    """
    ids = _section_ids(sections)
    levels = dict.fromkeys(ids, DEFAULT_LEVEL)
    rows = (
        ImpactAssessment.objects.confirmed()
        .filter(section_id__in=ids, as_of__lte=day)
        .in_force_order()
        .values_list("section_id", "level")
    )
    for section_id, level in rows:
        levels[section_id] = level  # later in force order wins
    return levels


def level_in_force(section: BorderSection | int, day: dt.date) -> str:
    """The level in force on `day` for one section (see `levels_in_force`)."""
    return levels_in_force([section], day)[section if isinstance(section, int) else section.pk]


def current_levels(user: User, country: str | None = None) -> dict[int, str]:
    """Section id -> the level in force today, for the user's visible sections."""
    return levels_in_force(sections(user, country), timezone.localdate())


@dataclass(frozen=True)
class LevelStep:
    """One confirmed level of a section's history."""

    level: str
    effective: dt.date
    reason: str


def level_history(
    sections: Iterable[BorderSection | int], until: dt.date
) -> dict[int, list[LevelStep]]:
    """Section id -> its confirmed levels effective on or before `until`, the one in force
    first (the reverse of the in-force order)."""
    ids = _section_ids(sections)
    history: dict[int, list[LevelStep]] = {pk: [] for pk in ids}
    rows = (
        ImpactAssessment.objects.confirmed()
        .filter(section_id__in=ids, as_of__lte=until)
        .order_by("-as_of", "-confirmed_at", "-id")
        .values_list("section_id", "level", "as_of", "reason")
    )
    for section_id, level, as_of, reason in rows:
        history[section_id].append(LevelStep(level, as_of, reason))
    return history


@dataclass(frozen=True)
class LevelChange:
    """A section whose level in force on a day differs from the day before."""

    country: str
    section: str
    section_name: str
    previous: str
    level: str
    reason: str


def level_changes(
    user: User, day: dt.date, countries: Sequence[str] | None = None
) -> list[LevelChange]:
    """Confirmed levels taking effect on `day` that change the level in force, by section code."""
    taking_effect = {
        a.section_id: a
        for a in _narrow(
            ImpactAssessment.objects.confirmed().in_force_order(),
            user,
            countries,
            "section__country_id",
        )
        .filter(as_of=day)
        .select_related("section")
    }  # the last one of the day wins
    before = levels_in_force(taking_effect, day - dt.timedelta(days=1))
    changes = [
        LevelChange(
            a.section.country_id, a.section.code, a.section.name, before[pk], a.level, a.reason
        )
        for pk, a in taking_effect.items()
        if a.level != before[pk]
    ]
    return sorted(changes, key=lambda c: c.section)


# ---- for other apps (registration): events persons are registered from -------------------------


def event_states(ids: list[int] | set[int]) -> dict[int, str]:
    """Event id -> member state, for the live (not deleted) events among `ids`.

    Unscoped: a service calls it to check the events it was given, then checks the actor.
    """
    if not ids:
        return {}
    live = Event.objects.live().filter(pk__in=list(ids))
    return dict(live.values_list("pk", "country_id"))


def event_days(ids: list[int] | set[int]) -> dict[int, dt.date]:
    """Event id -> local day, for the live events among `ids` (ids beyond the database's range
    are none). Unscoped, like event_states: a service checks the events it was given."""
    wanted = [i for i in ids if isinstance(i, int) and 0 < i < 2**63]
    if not wanted:
        return {}
    return dict(Event.objects.live().filter(pk__in=wanted).values_list("pk", "local_date"))


def live_event(user: User, event_id: int) -> Event:
    """One event the user may see and that was not deleted (Event.DoesNotExist otherwise)."""
    return events(user).get(pk=event_id)


def atlas_dir() -> Path:
    """Where the world atlas (country outlines and borders, from the npm registry) lies."""
    return world_atlas_dir()


# ---- border measures (state of emergency, turn-back order, fence, closures) ----------------


@dataclass(frozen=True)
class Measure:
    """A measure in force from `starts` to `ends` (None: still in force)."""

    id: int
    member_state: str
    kind: str
    kind_label: str
    title: str
    starts: dt.date
    ends: dt.date | None
    source: str


def measures_qs(user: User, countries: Sequence[str] | None = None) -> QuerySet[BorderMeasure]:
    """The measures of the user's member states, oldest first (pages, API)."""
    return _narrow(BorderMeasure.objects.all(), user, countries, "member_state_id")


def measure(user: User, measure_id: int) -> BorderMeasure:
    """One measure, or BorderMeasure.DoesNotExist when it is not the user's to see."""
    return measures_qs(user).get(pk=measure_id)


def measures(
    user: User,
    start: dt.date | None = None,
    end: dt.date | None = None,
    countries: Sequence[str] | None = None,
) -> list[Measure]:
    """Measures in force on at least one day from start to end, by first day."""
    qs = measures_qs(user, countries)
    if end is not None:
        qs = qs.filter(starts__lte=end)
    if start is not None:
        qs = qs.filter(Q(ends__isnull=True) | Q(ends__gte=start))
    return [measure_view(m) for m in qs.order_by("starts", "member_state_id", "id")]


def measure_view(m: BorderMeasure) -> Measure:
    """A measure as pages and the API show it (one the caller already holds)."""
    return Measure(
        m.pk, m.member_state_id, m.kind, m.get_kind_display(), m.title, m.starts, m.ends, m.source
    )


# ---- search (appended for the search app) -------------------------------------------------------


# search_events: up to SHORTLIST matches are read as ids, up to DENSE ordered by the database
# from a subquery, and beyond that (one event in ten at 1,000,000) the time index is walked
SEARCH_SHORTLIST = 2000
SEARCH_DENSE = 100_000


def search_events(user: User, query: str, limit: int = 50) -> QuerySet[Event]:
    """Live events the user may see whose reference contains the query (case ignored), newest
    first: "SCN-LT-20210828-001", or a part of it ("20210828")."""
    text = (query or "").strip()
    if len(text) < 2:
        return Event.objects.none()
    found = events(user).filter(ref__icontains=text)
    # Newest first over the events would walk the time index and read every event's row until
    # 50 match: a second or more at 1,000,000 events for a rare reference. So the matching
    # references are found first by their own index (on SQLite the references' unique index,
    # which covers the pattern test; on PostgreSQL the trigram index, migration 0008), and only
    # those events are ordered. Only when matches are dense does the walk stop early enough.
    matching = Event.objects.filter(ref__icontains=text).order_by().values_list("pk", flat=True)
    ids = list(matching[: SEARCH_SHORTLIST + 1])
    if len(ids) <= SEARCH_SHORTLIST:
        found = found.filter(pk__in=ids)
    elif matching[: SEARCH_DENSE + 1].count() <= SEARCH_DENSE:
        found = found.filter(pk__in=matching)
    return found[:limit]
