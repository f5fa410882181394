"""The picture tells the story in a browser: period total, annotations on chart and map, the
base map (towns, facilities, re-fit), and both picture pages free of WCAG 2 AA violations."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from borderwatch.accounts.models import User
from borderwatch.border import services as border_services
from tests.browser.axe import assert_accessible
from tests.picture.data import add_event, lithuania_july_2021, make_border

pytestmark = pytest.mark.browser
D = dt.date


@pytest.fixture
def summer(transactional_db: None) -> None:
    sections = make_border()
    lithuania_july_2021(sections)
    for day, persons in [(6, 61), (7, 102), (8, 98), (9, 88)]:
        add_event(sections["PL"], D(2021, 8, day), {"IQ": persons})
    add_event(sections["PL"], D(2021, 8, 10), {"IQ": 40})
    add_event(sections["LV"], D(2021, 8, 12), {"IQ": 9})
    border_services.declare_scenario_measures()


def _filter(page: Any, countries: list[str], start: str, end: str) -> None:
    for box in page.locator("input[name=country]").all():
        box.set_checked(box.get_attribute("value") in countries)
    page.fill("input[name=start]", start)
    page.fill("input[name=end]", end)
    page.click("form.filters button[type=submit]")


def test_period_total_annotations_and_map(
    logged_in_page: Callable[[User], Any], frontex: User, summer: None, live_server: Any
) -> None:
    page = logged_in_page(frontex)
    assert_accessible(page)
    _filter(page, ["PL"], "2021-08-06", "2021-08-09")
    total = page.locator('tr[data-total="PL"] td.period-total')
    expect(total).to_have_text("349")
    expect(page.locator('tr[data-country="PL"][data-day="2021-08-09"] td.persons')).to_have_text(
        "88"
    )
    expect(page.locator("#map")).to_have_attribute("data-fitted", "PL")

    _filter(page, ["LT", "LV", "PL"], "2021-08-01", "2021-08-31")
    story = page.locator("ol.annotations li")
    expect(story).to_have_count(2)
    expect(story.first).to_contain_text("from 3 Aug 2021")
    expect(story.nth(1)).to_contain_text("11 Aug 2021 \N{EN DASH} 10 Nov 2021")
    expect(page.locator("#daily-chart")).to_have_attribute("data-annotations", "2")
    expect(page.locator("#map")).to_have_attribute("data-annotations", "2")
    expect(page.locator("#map")).to_have_attribute("data-fitted", "LT,LV,PL")
    flag = page.locator(".annotation-flag").filter(has_text="2")
    # the flag may sit past the map's visible edge after the re-fit; its click handler is the
    # same either way
    flag.dispatch_event("click")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("State of emergency")
    page.wait_for_function(  # axe reads colours: wait for the popup's fade-in to end
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert int(page.locator("#map").get_attribute("data-towns") or 0) > 0
    assert_accessible(page)
    if shots := os.environ.get("BORDERWATCH_SCREENSHOTS"):
        page.screenshot(path=str(Path(shots) / "picture-story.png"), full_page=True)


def test_bulletin_is_accessible(
    logged_in_page: Callable[[User], Any], guard_lt: User, summer: None, live_server: Any
) -> None:
    page = logged_in_page(guard_lt)
    page.goto(f"{live_server.url}/bulletin/?day=2021-07-27")
    expect(page.get_by_label("Day", exact=True)).to_have_value("2021-07-27")
    assert_accessible(page)
