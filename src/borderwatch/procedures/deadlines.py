"""Procedure deadlines in working days of a member state's own calendar: pure, no Django.

The Asylum Procedures Directive 2013/32 sets the clocks: an application is registered within
3 working days of being made, up to 10 during a mass influx (art 6(1) and 6(5)); the first-instance
decision falls within 6 months of lodging, extendable by up to 9 months and then by up to 3, and
never later than 21 months after lodging (art 31(3) and 31(5)). A national rule may shorten the
decision period to a number of days (Lithuania's law of 13 July 2021: 10 days during the influx).

Public holidays come from the `holidays` package (docs/decisions/holidays.md); every function
takes the holiday days as a plain container, so tests can pass any calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import cache

import holidays as holiday_calendars

REGISTRATION_WORKING_DAYS = 3
REGISTRATION_WORKING_DAYS_INFLUX = 10
DECISION_MONTHS = 6
FIRST_EXTENSION_MAX_MONTHS = 9
SECOND_EXTENSION_MAX_MONTHS = 3
DECISION_CEILING_MONTHS = 21
DUE_SOON_WORKING_DAYS = 5


class DeadlineError(ValueError):
    """A deadline rule refuses the request: `code` names the rule, `params` its figures (the
    caller words the message in the user's language)."""

    def __init__(self, code: str, **params: int) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class Calendar(frozenset[dt.date]):
    """A state's public holidays, knowing also the weekend days made working days (Latvia
    worked on Saturday 19 June 2021 in exchange for 25 June)."""

    workdays: frozenset[dt.date]

    def __new__(cls, holidays: frozenset[dt.date], workdays: frozenset[dt.date]) -> Calendar:
        made = super().__new__(cls, holidays)
        made.workdays = workdays
        return made


@cache
def state_holidays(member_state: str, first_year: int, last_year: int) -> Calendar:
    """The public holidays of a member state (ISO code) in the years given, inclusive."""
    years = range(first_year, last_year + 1)
    found = holiday_calendars.country_holidays(member_state, years=years)
    workdays = frozenset(getattr(found, "weekend_workdays", ()) or ())
    return Calendar(frozenset(found.keys()), workdays)


def holidays_around(member_state: str, day: dt.date, years_after: int = 2) -> Calendar:
    """Holidays from the year of `day` to `years_after` later: enough for any deadline here."""
    return state_holidays(member_state, day.year, day.year + years_after)


def is_working_day(day: dt.date, holidays: Container[dt.date]) -> bool:
    """A weekday that is no public holiday, or a weekend day the state made a working day."""
    if day in getattr(holidays, "workdays", ()):
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: Container[dt.date]) -> dt.date:
    """The `days`-th working day after `start` (start itself not counted); `start` for 0."""
    if days < 0:
        raise DeadlineError("negative_days", days=days)
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Container[dt.date]) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start, holidays)
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=n), holidays)
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def registration_due(made_on: dt.date, holidays: Container[dt.date], influx: bool) -> dt.date:
    """Art 6: registered within 3 working days of being made, 10 during a mass influx."""
    days = REGISTRATION_WORKING_DAYS_INFLUX if influx else REGISTRATION_WORKING_DAYS
    return add_working_days(made_on, days, holidays)


def check_extension(previous: Sequence[int], months: int) -> None:
    """Art 31(3): a first extension of at most 9 months, a second of at most 3, no third."""
    if len(previous) >= 2:
        raise DeadlineError("extended_twice")
    if months < 1:
        raise DeadlineError("at_least_one_month", months=months)
    if not previous and months > FIRST_EXTENSION_MAX_MONTHS:
        raise DeadlineError("first_extension", limit=FIRST_EXTENSION_MAX_MONTHS, months=months)
    if previous and months > SECOND_EXTENSION_MAX_MONTHS:
        raise DeadlineError("second_extension", limit=SECOND_EXTENSION_MAX_MONTHS, months=months)


def decision_due(
    lodged_on: dt.date, extensions: Sequence[int] = (), national_days: int | None = None
) -> dt.date:
    """The first-instance decision's last day: 6 months after lodging, or the national rule's
    `national_days` (calendar days) where one applies; plus the extensions; never past 21 months.
    """
    base = (
        lodged_on + dt.timedelta(days=national_days)
        if national_days is not None
        else add_months(lodged_on, DECISION_MONTHS)
    )
    due = add_months(base, sum(extensions)) if extensions else base
    return min(due, add_months(lodged_on, DECISION_CEILING_MONTHS))


@dataclass(frozen=True)
class Standing:
    """Where a pending step stands against its deadline on a day."""

    due_on: dt.date
    overdue: bool
    due_soon: bool
    working_days_left: int


def standing(
    due_on: dt.date,
    today: dt.date,
    holidays: Container[dt.date],
    soon: int = DUE_SOON_WORKING_DAYS,
) -> Standing:
    """Overdue after the due day; due soon within `soon` working days of it."""
    left = working_days_between(today, due_on, holidays)
    return Standing(due_on, today > due_on, today <= due_on and left <= soon, left)
