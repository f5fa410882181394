"""The scenario follows the reported figures of data/reported_2021.csv and says so."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from borderwatch.scenario import belarus2021 as scenario

CODES = {
    "LT": [f"LT-BY-{i:02d}" for i in range(1, 18)],
    "PL": [f"PL-BY-{i:02d}" for i in range(1, 11)],
    "LV": [f"LV-BY-{i:02d}" for i in range(1, 5)],
}
SEEDS = [1, 7, 2021, 99991]


@pytest.fixture(scope="module", params=SEEDS)
def generated(request: pytest.FixtureRequest) -> list[scenario.GroupEvent]:
    return scenario.generate(request.param, CODES)


def _daily(events: list[scenario.GroupEvent]) -> Counter[tuple[str, str, dt.date]]:
    daily: Counter[tuple[str, str, dt.date]] = Counter()
    for e in events:
        daily[(e.country, e.event_type, e.day)] += e.persons
    return daily


def _sum(daily: Counter[tuple[str, str, dt.date]], row: scenario.Reported) -> int:
    days = (row.date_to - row.date_from).days + 1
    return sum(
        daily[(row.country, row.event_type, row.date_from + dt.timedelta(days=i))]
        for i in range(days)
    )


def test_the_data_file_parses_with_a_source_on_every_row() -> None:
    rows = scenario.read_reported()
    assert len(rows) >= 50
    assert all(r.source for r in rows)
    keys = [(r.country, r.date_from, r.date_to, r.measure) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r.country for r in rows} == {"LT", "LV", "PL"}
    # every row not held says why
    assert all(r.note.startswith("not held") for r in rows if not r.held)
    # the data file ships with the package
    assert scenario.DATA_FILE.parent.name == "data" and scenario.DATA_FILE.is_file()


def test_every_reported_figure_is_held(generated: list[scenario.GroupEvent]) -> None:
    daily = _daily(generated)
    held = [r for r in scenario.reported() if r.held]
    assert held
    for row in held:
        assert _sum(daily, row) == row.persons, row


def test_reported_days_are_exact_and_named_and_the_rest_generated(
    generated: list[scenario.GroupEvent],
) -> None:
    days = scenario.reported_days()
    daily = _daily(generated)
    for (country, kind, day), row in days.items():
        assert daily[(country, kind, day)] == row.persons
    for e in generated:
        row = days.get((e.country, e.event_type, e.day))
        if row is None:
            assert e.reported_source == ""
            assert "generated" in scenario.provenance(e)
        else:
            assert e.reported_source == row.source
            assert row.source in scenario.provenance(e)
    # days the press gave (the examples)
    assert daily[("LT", "apprehension", dt.date(2021, 7, 1))] == 150
    assert daily[("LT", "apprehension", dt.date(2021, 7, 3))] == 160


def test_monthly_totals_where_reported(generated: list[scenario.GroupEvent]) -> None:
    daily = _daily(generated)
    months = [r for r in scenario.reported() if r.held and r.kind == "month"]
    assert {(r.country, r.date_from.month) for r in months} >= {
        ("LT", 6), ("LT", 7), ("PL", 8), ("PL", 9), ("PL", 10), ("PL", 11), ("PL", 12),
    }  # fmt: skip
    for row in months:
        assert _sum(daily, row) == row.persons
    october = sum(n for (c, k, d), n in daily.items() if c == "PL" and k == "prevention_of_entry"
                  and d.month == 10)  # fmt: skip
    assert october == 17447


def test_turn_backs_and_the_emergency(generated: list[scenario.GroupEvent]) -> None:
    daily = _daily(generated)
    lt_prevented = {
        d: n for (c, k, d), n in daily.items() if (c, k) == ("LT", "prevention_of_entry")
    }
    assert min(lt_prevented) == dt.date(2021, 8, 3)
    assert lt_prevented[dt.date(2021, 8, 3)] == 247
    assert sum(lt_prevented.values()) == 8106
    lv_prevented = {d for (c, k, d), n in daily.items() if (c, k) == ("LV", "prevention_of_entry")}
    assert min(lv_prevented) >= scenario.LV_EMERGENCY
    # Iraq's suspension: hardly anyone detained in Lithuania in the week after it
    lt = [daily[("LT", "apprehension", scenario.FLIGHTS_SUSPENDED + dt.timedelta(days=i))]
          for i in range(6)]  # fmt: skip
    assert sum(lt) == 3
    # Poland's autumn is prevented attempts; apprehensions stay a small share
    pl_app = sum(n for (c, k, d), n in daily.items() if (c, k) == ("PL", "apprehension"))
    assert 1000 < pl_app < 6000
    assert (
        sum(n for (c, k, d), n in daily.items() if (c, k) == ("PL", "prevention_of_entry")) == 39670
    )


def test_volume_stays_reasonable(generated: list[scenario.GroupEvent]) -> None:
    assert len(generated) < 15000
    assert max(e.persons for e in generated if e.event_type == "prevention_of_entry") <= 100
    assert max(e.day for e in generated) <= scenario.END == dt.date(2021, 12, 31)
    apprehended = sum(e.persons for e in generated if e.event_type == "apprehension")
    assert apprehended < 10000


def test_a_conflicting_figure_is_refused(tmp_path: Path) -> None:
    rows = scenario.read_reported()
    series = next(s for s in scenario.SERIES if (s.country, s.event_type) == ("LT", "apprehension"))
    lt = [r for r in rows if r.held and r.country == "LT" and r.event_type == "apprehension"]
    bad = [*lt, scenario.Reported("LT", dt.date(2021, 1, 1), dt.date(2021, 7, 1), "apprehended",
                                  822, "year_to_date", True, "x", "")]  # fmt: skip
    with pytest.raises(scenario.ScenarioDataError, match="conflicts"):
        scenario._plan_series(series, bad, np.random.default_rng(0))
    path = tmp_path / "bad.csv"
    text = scenario.DATA_FILE.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*text, text[-1]]) + "\n", encoding="utf-8")
    with pytest.raises(scenario.ScenarioDataError, match="duplicate"):
        scenario.read_reported(path)
