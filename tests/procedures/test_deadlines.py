"""The pure deadline module: working days of a state's calendar, the Directive's periods."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderwatch.procedures import deadlines as d

LT = d.state_holidays("LT", 2020, 2026)
NONE: frozenset[dt.date] = frozenset()
days = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2023, 12, 31))


def test_holidays_come_from_the_package_per_state() -> None:
    assert dt.date(2021, 7, 6) in LT  # Statehood Day (Lithuania)
    assert dt.date(2021, 7, 6) not in d.state_holidays("PL", 2021, 2021)
    assert dt.date(2021, 11, 11) in d.state_holidays("PL", 2021, 2021)  # Independence Day
    assert dt.date(2021, 11, 18) in d.state_holidays("LV", 2021, 2021)


def test_a_weekend_day_made_a_working_day_counts() -> None:
    lv = d.state_holidays("LV", 2021, 2021)
    assert dt.date(2021, 6, 19) in lv.workdays  # a Saturday worked in Latvia
    assert d.add_working_days(dt.date(2021, 6, 17), 3, lv) == dt.date(2021, 6, 21)


def test_registration_within_three_working_days_skips_weekend_and_holiday() -> None:
    # Friday 2 July 2021: Monday 5, (Tuesday 6 is Statehood Day), Wednesday 7, Thursday 8.
    assert d.registration_due(dt.date(2021, 7, 2), LT, influx=False) == dt.date(2021, 7, 8)
    assert d.registration_due(dt.date(2021, 7, 2), NONE, influx=False) == dt.date(2021, 7, 7)


def test_registration_within_ten_working_days_during_an_influx() -> None:
    assert d.registration_due(dt.date(2021, 7, 2), LT, influx=True) == dt.date(2021, 7, 19)


def test_decision_within_six_months_or_the_national_days() -> None:
    assert d.decision_due(dt.date(2021, 8, 31)) == dt.date(2022, 2, 28)
    assert d.decision_due(dt.date(2021, 7, 20), national_days=10) == dt.date(2021, 7, 30)


def test_extensions_nine_then_three_never_past_twenty_one_months() -> None:
    lodged = dt.date(2021, 1, 15)
    assert d.decision_due(lodged, [9]) == dt.date(2022, 4, 15)
    assert d.decision_due(lodged, [9, 3]) == dt.date(2022, 7, 15)
    d.check_extension([], 9)
    d.check_extension([9], 3)
    for previous, months, code in (
        ([], 10, "first_extension"),
        ([9], 4, "second_extension"),
        ([9, 3], 1, "extended_twice"),
        ([], 0, "at_least_one_month"),
    ):
        with pytest.raises(d.DeadlineError) as caught:
            d.check_extension(previous, months)
        assert caught.value.code == code


def test_negative_working_days_refused() -> None:
    with pytest.raises(d.DeadlineError):
        d.add_working_days(dt.date(2021, 7, 1), -1, LT)


def test_standing_overdue_and_due_soon() -> None:
    due = dt.date(2021, 7, 8)
    assert d.standing(due, dt.date(2021, 7, 9), LT).overdue
    soon = d.standing(due, dt.date(2021, 7, 5), LT)
    assert soon.due_soon and not soon.overdue and soon.working_days_left == 2


@given(days, st.integers(min_value=0, max_value=40))
def test_adding_working_days_lands_on_a_working_day_that_many_ahead(start: dt.date, n: int) -> None:
    end = d.add_working_days(start, n, LT)
    assert end >= start
    assert d.working_days_between(start, end, LT) == n
    if n:
        assert d.is_working_day(end, LT)


@given(days, st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=20))
def test_working_days_add_up(start: dt.date, a: int, b: int) -> None:
    assert d.add_working_days(d.add_working_days(start, a, LT), b, LT) == d.add_working_days(
        start, a + b, LT
    )


@given(days, st.booleans())
def test_influx_never_shortens_registration(made: dt.date, influx: bool) -> None:
    normal = d.registration_due(made, LT, influx=False)
    assert d.registration_due(made, LT, influx=True) >= normal > made


@given(
    days,
    st.lists(st.integers(min_value=1, max_value=12), max_size=3),
    st.one_of(st.none(), st.integers(min_value=1, max_value=400)),
)
def test_decision_never_past_twenty_one_months(
    lodged: dt.date, extensions: list[int], national: int | None
) -> None:
    due = d.decision_due(lodged, extensions, national)
    assert lodged < due <= d.add_months(lodged, d.DECISION_CEILING_MONTHS)


@given(days, st.integers(min_value=0, max_value=40))
def test_add_months_keeps_the_day_or_the_month_end(day: dt.date, months: int) -> None:
    later = d.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(days=1)).day == 1)
