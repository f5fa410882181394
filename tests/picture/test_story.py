"""The picture tells the story: period totals, annotations from the apps that own the facts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import services as border_services
from borderwatch.border.models import BorderSection
from borderwatch.core.roles import Role
from borderwatch.picture import selectors, story
from borderwatch.picture.story import Annotation
from tests.picture.data import add_event

D = dt.date
Sections = dict[str, BorderSection]
ClientFor = Callable[[User], Client]
WEEKEND = {"start": "2021-08-06", "end": "2021-08-09"}


@pytest.fixture
def poland_weekend(sections: Sections) -> Sections:
    """Poland's record weekend: 349 persons from Friday 6 to Monday 9 August 2021."""
    pl = sections["PL"]
    add_event(pl, D(2021, 8, 5), {"IQ": 30})  # before the weekend
    for day, persons in [(6, 61), (7, 102), (8, 98), (9, 60)]:
        add_event(pl, D(2021, 8, day), {"IQ": persons - 5, "AF": 5})
    add_event(pl, D(2021, 8, 9), {"IQ": 28}, hour=3)  # two events on Monday: 88 that day
    add_event(pl, D(2021, 8, 10), {"IQ": 40})  # after it
    add_event(sections["LT"], D(2021, 8, 7), {"IQ": 12})
    return sections


@pytest.fixture
def measures(sections: Sections) -> None:
    border_services.declare_scenario_measures()


def test_period_total_per_country(frontex: User, poland_weekend: Sections) -> None:
    daily = selectors.daily_figures(frontex, D(2021, 8, 6), D(2021, 8, 9))
    totals = {t.country: t for t in selectors.period_totals(daily)}
    assert totals["PL"].persons == 349
    assert (totals["PL"].peak_day, totals["PL"].peak_persons) == (D(2021, 8, 7), 102)
    assert totals["PL"].days == 4
    assert totals["LT"].persons == 12


def test_choosing_6_to_9_august_shows_polands_349(
    client_for: ClientFor, frontex: User, poland_weekend: Sections
) -> None:
    response = client_for(frontex).get("/", {**WEEKEND, "country": "PL"})
    html = response.content.decode()
    assert [(t.country, t.persons) for t in response.context["totals"]] == [("PL", 349)]
    assert '<tr data-total="PL">' in html
    assert '<td class="num period-total">349</td>' in html
    # the daily figures stay beside it
    assert 'data-country="PL" data-day="2021-08-09"' in html and ">88<" in html


def test_period_totals_api(client_for: ClientFor, frontex: User, poland_weekend: Sections) -> None:
    body = client_for(frontex).get("/api/picture/period-totals", WEEKEND).json()
    assert {row["country"]: row["persons"] for row in body} == {"LT": 12, "PL": 349}


def test_border_measures_are_annotations(frontex: User, measures: None) -> None:
    found = story.collect(frontex, D(2021, 8, 1), D(2021, 8, 31))
    assert [(a.member_state, a.kind, a.day_from, a.day_to, a.owner_app) for a in found] == [
        ("LT", "turn_back_order", D(2021, 8, 3), None, "border"),
        ("LV", "state_of_emergency", D(2021, 8, 11), D(2021, 11, 10), "border"),
    ]
    assert story.collect(frontex, D(2021, 7, 1), D(2021, 7, 31)) == []
    assert [a.member_state for a in story.collect(frontex, D(2021, 8, 1), D(2021, 8, 31), ["LV"])] == ["LV"]  # fmt: skip


def test_annotations_are_scoped_to_the_users_state(
    make_user: Callable[..., User], measures: None
) -> None:
    guard_lv = make_user(Role.BORDER_GUARD, "LV")
    found = story.collect(guard_lv, D(2021, 8, 1), D(2021, 8, 31))
    assert [a.member_state for a in found] == ["LV"]


@pytest.fixture
def support_provider() -> Iterator[None]:
    """A future app (support) registering its facts: the picture shows them with the border's."""

    def deployments(
        user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
    ) -> list[Annotation]:
        return [
            Annotation(D(2021, 7, 30), D(2021, 11, 30), "LT", "deployment", "Frontex deployment",
                       "Rapid border intervention", "test", "support"),
            Annotation(D(2021, 1, 1), D(2021, 1, 2), "LT", "deployment", "Frontex deployment",
                       "Out of the period", "test", "support"),
        ]  # fmt: skip

    real = story._providers.get("support")
    story.register("support", deployments)
    yield
    story.unregister("support")
    if real is not None:  # the support app's own provider, for the tests that follow
        story.register("support", real)


def test_every_registered_provider_feeds_the_picture(
    frontex: User, measures: None, support_provider: None
) -> None:
    assert story.providers() == ["border", "intelligence", "support"]
    found = story.collect(frontex, D(2021, 8, 1), D(2021, 8, 31))
    assert [(a.owner_app, a.title) for a in found][:2] == [
        ("support", "Rapid border intervention"),
        ("border", "Lithuania turns people back at the border instead of detaining them"),
    ]


def test_situation_shows_annotations_on_chart_list_and_map(
    client_for: ClientFor, frontex: User, poland_weekend: Sections, measures: None
) -> None:
    client = client_for(frontex)
    response = client.get("/", {"start": "2021-08-01", "end": "2021-08-31"})
    html = response.content.decode()
    assert 'data-annotation="LV-state_of_emergency"' in html
    assert "11 Aug 2021 \N{EN DASH} 10 Nov 2021" in html and "from 3 Aug 2021" in html
    chart = json.loads(
        html.split('id="chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert {a["kind"] for a in chart["annotations"]} == {"turn_back_order", "state_of_emergency"}
    layers = client.get("/api/picture/map-layers", {"start": "2021-08-01", "end": "2021-08-31"})
    assert {a["member_state"] for a in layers.json()["annotations"]} == {"LT", "LV"}


def test_latvian_user_defaults_to_latvias_latest_data(
    client_for: ClientFor, make_user: Callable[..., User], sections: Sections
) -> None:
    add_event(sections["LV"], D(2021, 8, 12), {"IQ": 4})
    add_event(sections["PL"], D(2021, 8, 30), {"IQ": 4})  # later, but not Latvia's
    response = client_for(make_user(Role.BORDER_GUARD, "LV")).get("/")
    assert (response.context["start"], response.context["end"]) == (D(2021, 7, 14), D(2021, 8, 12))


def test_towns_for_the_base_map_are_scoped_and_zoomed(
    client_for: ClientFor, guard_lt: User, sections: Sections
) -> None:
    data = client_for(guard_lt).get("/map/towns.geojson").json()
    by_name = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert {p["country"] for p in by_name.values()} <= {"LT", "BY"}
    assert by_name["Vilnius"]["min_zoom"] == 5 and by_name["Druskininkai"]["min_zoom"] >= 8
    assert "Šeškinė" not in by_name  # a district of Vilnius, not a town
    assert Client().get("/map/towns.geojson").status_code == 302
