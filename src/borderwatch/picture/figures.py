"""Pure arithmetic over small per-day series: year-to-date totals, records, averages.

Kept free of the ORM so that the database only does the heavy GROUP BY and the rules that
newspapers quote ("the largest number in a single day this year") are tested on plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class DayStanding:
    """A day's place in its year: the running total and whether it set a new record."""

    ytd: int
    is_record: bool


def standings(series: Mapping[dt.date, int]) -> dict[dt.date, DayStanding]:
    """Year-to-date total and record flag for every day of one country's per-day totals.

    A day is a record when its total is strictly larger than every earlier day of the same
    year. The first day of a year with any persons beats nothing, so it is not flagged; a tie
    with the best day so far is not a record either.
    """
    out: dict[dt.date, DayStanding] = {}
    year: int | None = None
    running = 0
    best: int | None = None
    for day in sorted(series):
        if day.year != year:
            year, running, best = day.year, 0, None
        persons = series[day]
        running += persons
        out[day] = DayStanding(ytd=running, is_record=best is not None and persons > best)
        best = persons if best is None else max(best, persons)
    return out


def window_average(series: Mapping[dt.date, int], before: dt.date, days: int = 7) -> float:
    """Mean persons per day over the `days` days before `before`; days without events count 0."""
    total = sum(series.get(before - dt.timedelta(days=n), 0) for n in range(1, days + 1))
    return total / days


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from start to end inclusive (the x axis of a chart)."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
