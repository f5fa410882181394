"""Reads of flight data (not personal data: anyone who sees the picture sees them) and of
forecast runs (scoped: national users see their own state's runs, EU-level roles all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from borderwatch.accounts.models import User
from borderwatch.core.permissions import check, in_scope, visible_states
from borderwatch.core.roles import Capability
from borderwatch.intelligence.models import (
    Direction,
    Flight,
    FlightImportJob,
    FlightKind,
    ForecastRun,
    Route,
    Schedule,
    Suspension,
    SuspensionScope,
)


def routes(user: User) -> QuerySet[Route]:
    check(user, Capability.VIEW_PICTURE)
    return Route.objects.all()


def schedules(user: User) -> QuerySet[Schedule]:
    check(user, Capability.VIEW_PICTURE)
    return Schedule.objects.select_related("route").order_by("valid_from", "route__code", "id")


def flights(
    user: User, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Flight]:
    check(user, Capability.VIEW_PICTURE)
    qs = Flight.objects.select_related("route").order_by("day", "route__code", "id")
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    return qs


def suspensions(
    user: User, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Suspension]:
    """Suspensions in force on at least one day of the period."""
    check(user, Capability.VIEW_PICTURE)
    qs = Suspension.objects.select_related("route").order_by("starts", "ref")
    if end is not None:
        qs = qs.filter(starts__lte=end)
    if start is not None:
        qs = qs.filter(Q(ends__isnull=True) | Q(ends__gte=start))
    return qs


def _suspended(flight_country: str, airline: str, route_id: int, kind: str, day: dt.date,
               stops: Sequence[Suspension]) -> bool:  # fmt: skip
    for s in stops:
        if s.starts > day or (s.ends is not None and s.ends < day):
            continue
        if s.except_repatriation and kind == FlightKind.REPATRIATION:
            continue
        if s.scope == SuspensionScope.COUNTRY and s.origin_country == flight_country:
            return True
        if s.scope == SuspensionScope.AIRLINE and s.airline == airline:
            return True
        if (
            s.scope == SuspensionScope.AIRLINE_ROUTE
            and s.airline == airline
            and s.route_id in (None, route_id)
        ):
            return True
    return False


def daily_seats(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Seats into Minsk per day of the recorded inbound flights (repatriation aircraft fly in
    empty and are not counted): one GROUP BY."""
    rows = (
        Flight.objects.filter(day__gte=start, day__lte=end, direction=Direction.INBOUND)
        .exclude(kind=FlightKind.REPATRIATION)
        .order_by()
        .values("day")
        .annotate(n=Sum("seats"))
        .values_list("day", "n")
    )
    return {day: int(n or 0) for day, n in rows}


def planned_seats(
    start: dt.date, end: dt.date, *, resume_on: dt.date | None = None
) -> dict[dt.date, float]:
    """Seats into Minsk per day the schedules plan (weekly seats spread over the week), less
    what the suspensions stop; `resume_on`: what if every suspension ends the day before."""
    stops = list(suspensions_between(start, end))
    out: dict[dt.date, float] = {}
    plans = Schedule.objects.filter(valid_from__lte=end, valid_to__gte=start).select_related(
        "route"
    )
    for plan in plans:
        per_day = plan.weekly_frequency * plan.seats_per_flight / 7
        day = max(start, plan.valid_from)
        while day <= min(end, plan.valid_to):
            lifted = resume_on is not None and day >= resume_on
            if lifted or not _suspended(plan.route.origin_country, plan.airline, plan.route_id,
                                        FlightKind.SCHEDULED, day, stops):  # fmt: skip
                out[day] = out.get(day, 0.0) + per_day
            day += dt.timedelta(days=1)
    return out


def suspensions_between(start: dt.date, end: dt.date) -> QuerySet[Suspension]:
    return Suspension.objects.filter(starts__lte=end).filter(
        Q(ends__isnull=True) | Q(ends__gte=start)
    )


def suspended_days(
    start: dt.date, end: dt.date, *, resume_on: dt.date | None = None
) -> set[dt.date]:
    """Days on which a country-wide suspension is in force (the regressor's flag)."""
    days: set[dt.date] = set()
    for s in suspensions_between(start, end).filter(scope=SuspensionScope.COUNTRY):
        last = min(s.ends or end, end)
        if resume_on is not None:
            last = min(last, resume_on - dt.timedelta(days=1))
        day = max(s.starts, start)
        while day <= last:
            days.add(day)
            day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class WeekSeats:
    week_start: dt.date  # a Monday
    seats: int
    flights: int


def weekly_seats(user: User, start: dt.date, end: dt.date) -> list[WeekSeats]:
    """Seats into Minsk per week (Monday to Sunday) from the recorded inbound flights: the
    indicator shown beside crossings."""
    check(user, Capability.VIEW_PICTURE)
    first = start - dt.timedelta(days=start.weekday())
    rows = (
        Flight.objects.filter(day__gte=first, day__lte=end, direction=Direction.INBOUND)
        .exclude(kind=FlightKind.REPATRIATION)
        .order_by()
        .values_list("day", "seats")
    )
    seats: dict[dt.date, int] = {}
    counts: dict[dt.date, int] = {}
    for day, n in rows:
        monday = day - dt.timedelta(days=day.weekday())
        seats[monday] = seats.get(monday, 0) + n
        counts[monday] = counts.get(monday, 0) + 1
    out = []
    week = first
    while week <= end:
        out.append(WeekSeats(week, seats.get(week, 0), counts.get(week, 0)))
        week += dt.timedelta(days=7)
    return out


def flight_span() -> tuple[dt.date | None, dt.date | None]:
    from django.db.models import Max, Min

    span = Flight.objects.aggregate(first=Min("day"), last=Max("day"))
    return span["first"], span["last"]


def import_job(user: User, job_id: int) -> FlightImportJob:
    check(user, Capability.IMPORT_FLIGHTS)
    return FlightImportJob.objects.get(pk=job_id)


def import_jobs(user: User) -> QuerySet[FlightImportJob]:
    check(user, Capability.IMPORT_FLIGHTS)
    return FlightImportJob.objects.defer("content")


def forecast_runs(user: User, member_state: str | None = None) -> QuerySet[ForecastRun]:
    """Runs of the states the user may see (national users: their own)."""
    check(user, Capability.VIEW_PICTURE)
    qs = in_scope(ForecastRun.objects.select_related("base"), user)
    if member_state:
        qs = qs.filter(member_state=member_state)
    return qs


def forecast_run(user: User, run_id: int) -> ForecastRun:
    """One run; another state's answers exactly like a missing one."""
    return forecast_runs(user).get(pk=run_id)


def may_forecast(user: User, member_state: str) -> bool:
    states = visible_states(user)
    return states is None or member_state in states
