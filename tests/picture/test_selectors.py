from __future__ import annotations

import datetime as dt

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection, EventType
from borderwatch.picture import layers, selectors
from tests.picture.data import add_event, confirm_level, lithuania_july_2021

D = dt.date
Sections = dict[str, BorderSection]


def _by_key(rows: list[selectors.DailyFigure]) -> dict[tuple[str, dt.date], selectors.DailyFigure]:
    return {(r.country, r.day): r for r in rows}


def test_year_to_date_counts_days_before_the_period(frontex: User, sections: Sections) -> None:
    lt = sections["LT"]
    add_event(lt, D(2021, 1, 5), {"IQ": 10})
    add_event(lt, D(2021, 7, 1), {"IQ": 20})
    add_event(lt, D(2021, 7, 2), {"IQ": 5})
    add_event(lt, D(2020, 12, 30), {"IQ": 400})  # last year: not in this year's total
    rows = _by_key(selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 31)))
    assert set(rows) == {("LT", D(2021, 7, 1)), ("LT", D(2021, 7, 2))}
    assert rows[("LT", D(2021, 7, 1))].ytd == 30
    assert rows[("LT", D(2021, 7, 2))].ytd == 35


def test_record_flag_exactly_when_a_day_beats_every_earlier_day(
    frontex: User, sections: Sections
) -> None:
    lt = sections["LT"]
    persons = {
        D(2021, 6, 1): 8,
        D(2021, 6, 2): 3,
        D(2021, 6, 3): 9,
        D(2021, 6, 4): 9,
        D(2021, 6, 9): 20,
    }
    for day, n in persons.items():
        add_event(lt, day, {"IQ": n})
    # an earlier day outside the period still sets the bar
    add_event(lt, D(2021, 2, 1), {"IQ": 15})
    rows = _by_key(selectors.daily_figures(frontex, D(2021, 6, 1), D(2021, 6, 30)))
    flagged = {day for (_, day), row in rows.items() if row.is_record}
    assert flagged == {D(2021, 6, 9)}


def test_the_171_day_is_the_largest_single_day(frontex: User, sections: Sections) -> None:
    lithuania_july_2021(sections)
    rows = _by_key(selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 31)))
    peak = rows[("LT", D(2021, 7, 27))]
    assert (peak.persons, peak.ytd, peak.is_record) == (171, 3 + 42 + 100 + 60 + 171, True)
    assert [(n.code, n.name, n.persons) for n in peak.nationalities] == [("IQ", "Iraq", 171)]
    assert not rows[("LT", D(2021, 7, 26))].is_record
    assert rows[("PL", D(2021, 7, 28))].is_record  # 20 beats Poland's 15 of the day before


def test_nationality_breakdown_sums_events_of_the_day(frontex: User, sections: Sections) -> None:
    lt = sections["LT"]
    add_event(lt, D(2021, 7, 20), {"IQ": 50, "SY": 4})
    add_event(lt, D(2021, 7, 20), {"IQ": 30, "XX": 4, "CM": 1}, hour=3)
    (row,) = selectors.daily_figures(frontex, D(2021, 7, 20), D(2021, 7, 20))
    assert row.persons == 89
    assert [(n.code, n.persons) for n in row.nationalities] == [
        ("IQ", 80), ("SY", 4), ("XX", 4), ("CM", 1),
    ]  # fmt: skip
    assert row.nationalities[2].name == "Unknown"


def test_deleted_events_are_excluded_everywhere(frontex: User, sections: Sections) -> None:
    lt = sections["LT"]
    add_event(lt, D(2021, 7, 1), {"IQ": 5})
    add_event(lt, D(2021, 7, 2), {"IQ": 6})
    add_event(lt, D(2021, 7, 2), {"SY": 500}, deleted=True)
    add_event(lt, D(2021, 7, 3), {"IQ": 900}, deleted=True)
    rows = _by_key(selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 31)))
    assert set(rows) == {("LT", D(2021, 7, 1)), ("LT", D(2021, 7, 2))}
    day = rows[("LT", D(2021, 7, 2))]
    assert (day.persons, day.ytd, [n.code for n in day.nationalities]) == (6, 11, ["IQ"])
    layer = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31))
    assert sorted(f["properties"]["persons"] for f in layer.events["features"]) == [5, 6]
    assert selectors.bulletin(frontex, D(2021, 7, 3)).persons == 0
    assert selectors.latest_day(frontex) == D(2021, 7, 2)


def test_only_the_chosen_event_types_count(frontex: User, sections: Sections) -> None:
    lt = sections["LT"]
    add_event(lt, D(2021, 7, 1), {"IQ": 5})
    add_event(lt, D(2021, 7, 1), {"IQ": 7}, event_type=EventType.PREVENTION_OF_ENTRY)
    (default,) = selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 1))
    assert default.persons == 5
    types = (EventType.APPREHENSION, EventType.PREVENTION_OF_ENTRY)
    (both,) = selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 1), event_types=types)
    assert both.persons == 12


def test_days_are_local_days_not_utc_days(frontex: User, sections: Sections) -> None:
    # 01:30 in Vilnius on 27 July is 22:30 UTC on 26 July
    add_event(sections["LT"], D(2021, 7, 27), {"IQ": 4}, hour=1)
    (row,) = selectors.daily_figures(frontex, D(2021, 7, 26), D(2021, 7, 27))
    assert row.day == D(2021, 7, 27)


def test_lithuanian_user_never_sees_polish_data(guard_lt: User, sections: Sections) -> None:
    lithuania_july_2021(sections)
    confirm_level(sections["PL"], D(2021, 7, 27), "high")
    start, end = D(2021, 7, 1), D(2021, 7, 31)
    assert {r.country for r in selectors.daily_figures(guard_lt, start, end)} == {"LT"}
    assert selectors.daily_figures(guard_lt, start, end, countries=["PL"]) == []
    layer = selectors.map_layers(guard_lt, start, end)
    assert {f["properties"]["country"] for f in layer.sections["features"]} == {"LT"}
    assert {f["properties"]["country"] for f in layer.events["features"]} == {"LT"}
    assert selectors.map_layers(guard_lt, start, end, ["PL"]).events["features"] == []
    report = selectors.bulletin(guard_lt, D(2021, 7, 27))
    assert [c.country for c in report.countries] == ["LT"]
    assert [c.code for c in selectors.visible_member_states(guard_lt)] == ["LT"]
    assert selectors.outline_countries(guard_lt) == [
        ("BY", "Belarus", False),
        ("LT", "Lithuania", True),
    ]


def test_frontex_sees_every_member_state(frontex: User, sections: Sections) -> None:
    lithuania_july_2021(sections)
    rows = selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 31))
    assert {r.country for r in rows} == {"LT", "PL"}
    only_pl = selectors.daily_figures(frontex, D(2021, 7, 1), D(2021, 7, 31), countries=["PL"])
    assert {r.country for r in only_pl} == {"PL"}
    report = selectors.bulletin(frontex, D(2021, 7, 27))
    assert [c.country for c in report.countries] == ["LV", "LT", "PL"]  # by name
    assert report.persons == 171 + 15


def test_map_layers_colour_sections_by_latest_confirmed_level(
    frontex: User, sections: Sections
) -> None:
    lt = sections["LT"]
    confirm_level(lt, D(2021, 7, 20), "medium")
    confirm_level(lt, D(2021, 7, 27), "high")
    unconfirmed = confirm_level(lt, D(2021, 7, 28), "critical")
    unconfirmed.confirmed_at = None
    unconfirmed.status = "proposed"
    unconfirmed.save()
    layer = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31))
    levels = {f["properties"]["code"]: f["properties"]["level"] for f in layer.sections["features"]}
    assert levels == {"LT-BY-01": "high", "LV-BY-01": "low", "PL-BY-01": "low"}
    feature = next(f for f in layer.sections["features"] if f["properties"]["code"] == "LT-BY-01")
    assert feature["geometry"]["type"] == "LineString"
    assert feature["properties"]["length_km"] == 100.0


def test_map_shows_the_levels_in_force_at_the_end_of_the_period(
    frontex: User, sections: Sections
) -> None:
    """Defect: the map showed today's levels whatever period was chosen."""
    lt = sections["LT"]
    confirm_level(lt, D(2021, 7, 20), "medium", reason="pressure rising")
    confirm_level(lt, D(2021, 7, 27), "high", reason="171 in one night")
    confirm_level(lt, D(2021, 8, 29), "critical", reason="late August")

    def level_of(layer: selectors.MapLayers) -> dict[str, object]:
        return next(
            f["properties"]
            for f in layer.sections["features"]
            if f["properties"]["code"] == "LT-BY-01"
        )

    early = level_of(selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 25)))
    assert early["level"] == "medium"
    july = level_of(selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31)))
    assert july["level"] == "high"
    assert july["history"] == [
        {"level": "high", "effective": "2021-07-27", "reason": "171 in one night"},
        {"level": "medium", "effective": "2021-07-20", "reason": "pressure rising"},
    ]
    before = level_of(selectors.map_layers(frontex, D(2021, 6, 1), D(2021, 6, 30)))
    assert (before["level"], before["history"]) == ("low", [])


def test_map_events_are_capped_to_the_newest(frontex: User, sections: Sections) -> None:
    lt = sections["LT"]
    for day in (1, 2, 3):
        add_event(lt, D(2021, 7, day), {"IQ": day})
    capped = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31), limit=2)
    assert capped.capped and capped.events_total == 3
    assert [f["properties"]["local_date"] for f in capped.events["features"]] == [
        "2021-07-03", "2021-07-02",
    ]  # fmt: skip
    point = capped.events["features"][0]
    assert point["geometry"]["coordinates"] == lt.geometry["coordinates"][0]
    assert point["properties"]["section"] == "LT-BY-01"
    # the time on the country's own clock: 22:00 in Vilnius (UTC+3 in summer)
    assert point["properties"]["zone"] == "Europe/Vilnius"
    assert point["properties"]["time"] == "2021-07-03T22:00:00+03:00"
    full = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31), limit=3)
    assert not full.capped and full.events_total == 3


def test_extra_layers_come_from_registered_providers(frontex: User, sections: Sections) -> None:
    seen: list[tuple[str, dt.date]] = []

    def provider(user: User, start: dt.date, end: dt.date, countries: object) -> layers.MapLayer:
        seen.append((user.username, end))
        return layers.MapLayer("test", "Test layer", {"type": "FeatureCollection", "features": []})

    layers.register("test", provider)
    try:
        result = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31))
    finally:
        layers.unregister("test")
    assert [layer.key for layer in result.extra] == ["test"]
    assert seen == [(frontex.username, D(2021, 7, 31))]


def test_bulletin_compares_with_previous_day_and_week(frontex: User, sections: Sections) -> None:
    lithuania_july_2021(sections)
    lt = sections["LT"]
    add_event(lt, D(2021, 7, 27), {"SY": 0 + 2}, event_type=EventType.SMUGGLING)  # not counted
    confirm_level(lt, D(2021, 7, 20), "medium")
    confirm_level(lt, D(2021, 7, 27), "high", reason="171 in one night")
    report = selectors.bulletin(frontex, D(2021, 7, 27))
    row = next(c for c in report.countries if c.country == "LT")
    assert (row.persons, row.previous_day, row.change, row.is_record) == (171, 60, 111, True)
    assert row.ytd == 3 + 42 + 100 + 60 + 171
    assert row.seven_day_average == pytest.approx((100 + 60) / 7)
    assert [(n.code, n.persons) for n in row.nationalities] == [("IQ", 171)]
    assert [(s.code, s.persons) for s in row.sections] == [("LT-BY-01", 171)]
    assert [(c.previous, c.level, c.reason) for c in row.level_changes] == [
        ("medium", "high", "171 in one night")
    ]
    latvia = next(c for c in report.countries if c.country == "LV")
    assert (latvia.persons, latvia.ytd, latvia.is_record, latvia.sections) == (0, 0, False, ())


def test_bulletin_year_to_date_on_a_quiet_day(frontex: User, sections: Sections) -> None:
    lithuania_july_2021(sections)
    row = next(
        c for c in selectors.bulletin(frontex, D(2021, 7, 29)).countries if c.country == "LT"
    )
    assert (row.persons, row.ytd, row.is_record, row.previous_day) == (0, 376, False, 0)


def test_default_period_is_the_last_30_days_of_data(guard_lt: User, sections: Sections) -> None:
    lithuania_july_2021(sections)
    add_event(sections["PL"], D(2021, 8, 30), {"AF": 1})  # invisible to a Lithuanian user
    assert selectors.default_period(guard_lt) == (D(2021, 6, 28), D(2021, 7, 27))


def test_the_reception_layer_gives_each_facility_a_readable_popup(
    frontex: User, sections: Sections
) -> None:
    """Issue 11 (map): facility markers with a readable popup, named in the legend."""
    from borderwatch.reception.services import save_facility

    save_facility(
        None, "lt-pop", member_state="LT", name="Popup Centre", kind="reception_centre",
        latitude=54.9, longitude=25.3, capacity_single_men=150, source_note="test",
    )  # fmt: skip
    result = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31))
    (reception,) = [x for x in result.extra if x.key == "reception"]
    assert reception.title  # the legend's entry
    (facility,) = reception.geojson["features"]
    p = facility["properties"]
    assert p["label"] == "Popup Centre"
    rows = dict(p["popup"])
    assert set(rows) == {"Kind", "Occupancy", "Occupied", "Member state"}
    assert rows["Occupancy"] == "0 of 150 places (estimated capacity)"
    assert rows["Member state"] == "LT"
    assert not any(key in rows for key in ("occupied", "capacity_is_estimate", "alert"))
    polish = selectors.map_layers(frontex, D(2021, 7, 1), D(2021, 7, 31), ["PL"])
    assert "reception" not in {x.key for x in polish.extra}
