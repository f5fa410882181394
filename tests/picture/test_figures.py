from __future__ import annotations

import datetime as dt

from borderwatch.picture.figures import days_between, standings, window_average

D = dt.date


def test_running_total_and_records_within_a_year() -> None:
    series = {
        D(2021, 7, 1): 10,
        D(2021, 7, 2): 5,
        D(2021, 7, 3): 12,
        D(2021, 7, 5): 12,
        D(2021, 7, 9): 30,
    }
    result = standings(series)
    assert [s.ytd for s in result.values()] == [10, 15, 27, 39, 69]
    # the first day beats nothing; 12 beats 10; the tie on 5 July is not a record
    assert [s.is_record for s in result.values()] == [False, False, True, False, True]


def test_year_to_date_and_records_restart_on_1_january() -> None:
    series = {D(2020, 12, 31): 500, D(2021, 1, 2): 3, D(2021, 1, 3): 4}
    result = standings(series)
    assert result[D(2021, 1, 2)].ytd == 3
    assert result[D(2021, 1, 3)].ytd == 7
    assert result[D(2021, 1, 3)].is_record  # 500 was last year


def test_order_of_the_mapping_does_not_matter() -> None:
    series = {D(2021, 3, 3): 9, D(2021, 3, 1): 4, D(2021, 3, 2): 2}
    result = standings(series)
    assert result[D(2021, 3, 3)].ytd == 15 and result[D(2021, 3, 3)].is_record
    assert not result[D(2021, 3, 2)].is_record


def test_window_average_counts_quiet_days_as_zero_and_excludes_the_day() -> None:
    series = {D(2021, 7, 20): 70, D(2021, 7, 26): 7, D(2021, 7, 27): 1000, D(2021, 7, 19): 999}
    assert window_average(series, D(2021, 7, 27)) == (70 + 7) / 7


def test_days_between_is_inclusive() -> None:
    assert days_between(D(2021, 2, 27), D(2021, 3, 1)) == [
        D(2021, 2, 27),
        D(2021, 2, 28),
        D(2021, 3, 1),
    ]
    assert days_between(D(2021, 3, 2), D(2021, 3, 1)) == []
