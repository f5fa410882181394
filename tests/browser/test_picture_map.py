"""The situation map in a browser: a facility marker opens its popup (name, kind, occupancy
against capacity), and the sections' level colours show under the event points.

The drawn layers share one canvas (picture/static/picture/situation.js), so the tests read its
pixels: where a colour is drawn, and what an event over a section looks like."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from borderwatch.accounts.models import User
from borderwatch.border.models import Event, EventNationality
from borderwatch.border.rollups import count_created
from borderwatch.reception.services import place, save_facility
from borderwatch.registration.services import bulk_create_persons
from tests.picture.data import confirm_level, make_border

pytestmark = pytest.mark.browser
D = dt.date
EVENT_FILL = (0x10, 0x24, 0x3D)  # an event point's fill in situation.js
EVENT_OPACITY = 0.22

# Pixels of the drawn layers' canvas whose colour is within `tolerance` (sum over R, G, B) of
# `rgb` and nearly opaque: how many, and the page position of their centre.
PIXELS = """([rgb, tolerance]) => {
  const canvas = document.querySelector("#map .leaflet-sections-pane canvas");
  const { width, height } = canvas;
  const data = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < data.length; i += 4) {
    const d = Math.abs(data[i] - rgb[0]) + Math.abs(data[i + 1] - rgb[1]) + Math.abs(data[i + 2] - rgb[2]);
    if (d <= tolerance && data[i + 3] > 200) {
      n += 1; sx += (i / 4) % width; sy += Math.floor(i / 4 / width);
    }
  }
  const rect = canvas.getBoundingClientRect();
  return n ? [n, rect.left + (sx / n) * rect.width / width, rect.top + (sy / n) * rect.height / height]
    : [0, 0, 0];
}"""

# A CSS colour of the page (a level's `--high`) as [r, g, b].
CSS_RGB = """(name) => {
  const colour = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = colour; probe.fillRect(0, 0, 1, 1);
  return Array.from(probe.getImageData(0, 0, 1, 1).data.slice(0, 3));
}"""


def _show(page: Any, live_server: Any, start: str, end: str) -> None:
    page.goto(f"{live_server.url}/?country=LT&start={start}&end={end}")
    page.wait_for_function("() => document.getElementById('map').dataset.fitted === 'LT'")


def _pixels(page: Any, rgb: list[int], tolerance: int) -> list[float]:
    """PIXELS once the map has stopped moving (the re-fit to the country is animated)."""
    found = page.evaluate(PIXELS, [rgb, tolerance])
    for _ in range(50):
        page.wait_for_timeout(200)
        again = page.evaluate(PIXELS, [rgb, tolerance])
        if again == found:
            return list(found)
        found = again
    raise AssertionError("the map kept moving")


def test_a_facility_marker_opens_its_popup(
    logged_in_page: Callable[[User], Any], frontex: User, live_server: Any
) -> None:
    make_border()
    facility = save_facility(
        None, "lt-map", member_state="LT", name="Map Centre", kind="reception_centre",
        latitude=54.9, longitude=25.3, capacity_single_men=10, source_note="browser test",
    )  # fmt: skip
    base = {"member_state": "LT", "name_transliterated": "X", "nationality": "IQ", "sex": "M"}
    for person in bulk_create_persons(None, [{**base, "eurodac_category": 2}] * 3):
        place(None, person_id=person.pk, facility_id=facility.pk, start_date=D(2021, 7, 20))
    page = logged_in_page(frontex)
    _show(page, live_server, "2021-07-01", "2021-07-31")
    expect(page.locator("#map")).to_have_attribute("data-extra", "reception:1")
    popup = page.locator(".leaflet-popup-content")
    # the map can still be settling after the re-fit even when two reads agree: find the
    # marker's pixels again and click until its popup opens (a few tries)
    for _ in range(10):
        count, x, y = _pixels(page, [0x6A, 0x1B, 0x9A], 12)  # the reception layer's colour
        assert count > 20, "the facility's marker is not drawn"
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
        if popup.count():
            break
    expect(popup).to_contain_text("Map Centre")
    expect(popup).to_contain_text("Reception centre")
    expect(popup).to_contain_text("3 of 10 places")
    expect(popup).to_contain_text("30 %")


def test_section_colours_show_under_the_event_points(
    logged_in_page: Callable[[User], Any], frontex: User, live_server: Any
) -> None:
    """One event on the section's line: where they overlap, the canvas holds the event's fill
    at its opacity over the level's colour. That fails if the events hide the section (opaque
    points), if the section is drawn over the events, or if the section is not drawn; and the
    level's own colour shows along the rest of the line."""
    sections = make_border()
    lt = sections["LT"]
    confirm_level(lt, D(2021, 7, 1), "high", reason="browser test")
    lon, lat = lt.geometry["coordinates"][1]  # the line's far end: its round cap is drawn there
    occurred = dt.datetime(2021, 7, 10, 22, tzinfo=dt.UTC)
    event = Event.objects.create(
        country_id="LT", section=lt, event_type="apprehension", occurred_at=occurred,
        local_date=D(2021, 7, 11), latitude=lat, longitude=lon, persons=100, source="patrol",
        reporting_unit="test unit", ref="T-MAP-1",
    )  # fmt: skip
    EventNationality.objects.create(event=event, nationality="IQ", persons=100)
    count_created([(event, {"IQ": 100})])
    page = logged_in_page(frontex)
    _show(page, live_server, "2021-07-01", "2021-07-31")
    expect(page.locator("#map")).to_have_attribute("data-events", "1")
    expect(page.locator("#map")).to_have_attribute("data-levels", "LT-BY-01:high")
    high = page.evaluate(CSS_RGB, "--high")
    alone, _, _ = _pixels(page, high, 6)
    assert alone > 200, f"the section's level colour shows on {alone} pixels only"
    under = [
        round(h * (1 - EVENT_OPACITY) + e * EVENT_OPACITY)
        for h, e in zip(high, EVENT_FILL, strict=True)
    ]
    # a disc of radius 7.5 px over the 8 px line: 71 pixels when measured; an opaque point's
    # anti-aliased rim over the line could match a few
    blended, _, _ = _pixels(page, under, 6)
    assert blended > 40, f"the event over the section: {blended} pixels of the blend {under}"
