from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from borderwatch.accounts.models import User
from tests.browser.axe import assert_accessible
from tests.picture.data import confirm_level, lithuania_july_2021, make_border

pytestmark = pytest.mark.browser


@pytest.fixture
def july(transactional_db: None) -> None:
    lithuania_july_2021(make_border())


def _filter(page: Any, countries: list[str], start: str, end: str) -> None:
    for box in page.locator("input[name=country]").all():
        box.set_checked(box.get_attribute("value") in countries)
    page.fill("input[name=start]", start)
    page.fill("input[name=end]", end)
    page.click("form.filters button[type=submit]")


def test_picture_shows_the_171_record_and_poland_hides_it(
    logged_in_page: Callable[[User], Any], frontex: User, july: None, live_server: Any
) -> None:
    page = logged_in_page(frontex)
    _filter(page, ["LT", "PL"], "2021-07-01", "2021-07-31")
    record = page.locator('tr[data-country="LT"][data-day="2021-07-27"]')
    record.wait_for()
    assert record.locator("td.persons").inner_text() == "171"
    assert "Largest single day this year" in record.inner_text()
    assert "Iraq 171" in record.inner_text()
    # the map drew the sections and the chart its canvas, from local assets only
    page.wait_for_function("() => document.getElementById('map').dataset.sections === '2'")
    expect(page.locator("#map")).to_have_attribute("data-events", "7")
    expect(page.locator("#map-note")).to_have_text("7 events shown.")
    assert page.locator("#daily-chart").bounding_box()["height"] > 100
    assert_accessible(page)
    if shots := os.environ.get("BORDERWATCH_SCREENSHOTS"):
        page.screenshot(path=str(Path(shots) / "picture.png"), full_page=True)

    _filter(page, ["PL"], "2021-07-01", "2021-07-31")
    # the figures are swapped in asynchronously: wait for the Lithuanian rows to go
    expect(page.locator('tr[data-country="LT"]')).to_have_count(0)
    expect(page.locator('tr[data-country="PL"][data-day="2021-07-28"]')).to_be_visible()
    expect(page.locator("#figures")).not_to_contain_text("171")
    expect(page).to_have_url(re.compile(r"country=PL"))  # the filter is in the address


# A point of the drawn section on the page: a pixel of the sections' canvas in the level's
# colour, near the section's north-east end (events and coverage badges sit elsewhere on it).
SECTION_POINT = """() => {
  const canvas = document.querySelector("#map .leaflet-sections-pane canvas");
  const colour = getComputedStyle(document.documentElement).getPropertyValue("--high").trim();
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = colour; probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  const { width, height } = canvas;
  const data = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let best = null;
  for (let i = 0; i < data.length; i += 4) {
    const near = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30;
    if (near && data[i + 3] > 200) {
      const px = (i / 4) % width;
      if (!best || px > best[0]) best = [px, Math.floor(i / 4 / width)];
    }
  }
  const rect = canvas.getBoundingClientRect();
  return [rect.left + (best[0] - 6) * rect.width / width, rect.top + best[1] * rect.height / height];
}"""


def test_map_colours_sections_by_the_level_in_force_at_the_end_of_the_period(
    logged_in_page: Callable[[User], Any], frontex: User, live_server: Any
) -> None:
    import datetime as dt

    sections = make_border()
    lithuania_july_2021(sections)
    confirm_level(sections["LT"], dt.date(2021, 7, 20), "medium", reason="pressure rising")
    confirm_level(sections["LT"], dt.date(2021, 7, 27), "high", reason="171 in one night")
    page = logged_in_page(frontex)
    _filter(page, ["LT"], "2021-07-01", "2021-07-25")
    expect(page.locator("#map")).to_have_attribute("data-levels", "LT-BY-01:medium")
    _filter(page, ["LT"], "2021-07-01", "2021-07-31")
    expect(page.locator("#map")).to_have_attribute("data-levels", "LT-BY-01:high")
    # hovering the section shows its level on the period's end and the history up to it
    # the map may still be settling after the re-fit: find the section's pixels again and hover
    # until the tooltip opens (a few tries), then check what it says
    tooltip = page.locator(".leaflet-tooltip")
    for _ in range(10):
        page.wait_for_timeout(300)
        x, y = page.evaluate(SECTION_POINT)
        page.mouse.move(x - 30, y + 30)
        page.mouse.move(x, y, steps=5)
        if tooltip.count():
            break
    expect(tooltip).to_contain_text("LT-BY-01: high on 31 Jul 2021")
    expect(tooltip).to_contain_text("171 in one night")
    expect(tooltip).to_contain_text("pressure rising")
    page.mouse.move(0, 0)
    _filter(page, ["LT"], "2021-06-01", "2021-06-30")
    expect(page.locator("#map")).to_have_attribute("data-levels", "LT-BY-01:low")


def test_bulletin_of_the_record_day(
    logged_in_page: Callable[[User], Any], guard_lt: User, july: None, live_server: Any
) -> None:
    page = logged_in_page(guard_lt)
    page.goto(f"{live_server.url}/bulletin/?day=2021-07-27")
    row = page.locator('tr[data-country="LT"]')
    assert row.locator("td.persons").inner_text() == "171"
    assert "Largest single day this year" in row.inner_text()
    assert "Poland" not in page.content()
    assert_accessible(page)
    if shots := os.environ.get("BORDERWATCH_SCREENSHOTS"):
        page.screenshot(path=str(Path(shots) / "bulletin.png"), full_page=True)
