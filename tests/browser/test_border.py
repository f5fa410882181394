"""Border pages as their users meet them, each checked with axe-core (WCAG 2 A/AA): a guard
reports an event (a refused try first), opens it, lists events, imports a file whose times have
no UTC offset; a coordinator proposes levels for the latest day with events, confirms one with
another level and rejects another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.models import Event, ImpactAssessment
from borderwatch.border.services import ensure_reference_data, report_event
from borderwatch.core.roles import Role
from tests.border.conftest import event_input, point_on
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def assert_accessible_wide_and_narrow(page: Any) -> None:
    """axe at desktop width and at phone width (where wide tables scroll inside the page)."""
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        assert_accessible(page)
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})


def test_guard_reports_lists_and_imports_events(
    logged_in_page: Callable[[User], Any],
    make_user: Callable[..., User],
    live_server: Any,
    tmp_path: Path,
) -> None:
    ensure_reference_data()
    guard = make_user(Role.BORDER_GUARD, "LT")
    lat, lon = point_on("LT-BY-09")
    page = logged_in_page(guard)
    page.goto(f"{live_server.url}/border/events/")
    assert_accessible_wide_and_narrow(page)
    page.click("text=Report an event")
    assert_accessible_wide_and_narrow(page)
    page.get_by_label("Reference").fill("BR-1")
    page.get_by_label("Time of the event (local time, Europe/Vilnius)").fill("2021-03-28T03:30")
    page.get_by_label("Latitude").fill(str(lat))
    page.get_by_label("Longitude").fill(str(lon))
    page.get_by_label("Number of persons").fill("3")
    page.get_by_label("Nationalities").fill("IQ:2")
    page.get_by_label("Reporting unit").fill("Šalčininkai")
    page.click("button[type=submit]")
    text = page.locator("main").inner_text()
    assert "does not exist in Europe/Vilnius" in text
    assert "Number of persons is 3" in text and "persons=" not in text
    assert not Event.objects.exists()
    assert_accessible_wide_and_narrow(page)  # the refused form, errors beside their fields

    page.get_by_label("Time of the event (local time, Europe/Vilnius)").fill("2021-08-28T01:05")
    page.get_by_label("Nationalities").fill("IQ:2;XX:1")
    page.click("button[type=submit]")
    page.wait_for_url("**/border/events/*/")
    assert "2021-08-28 01:05" in page.locator("main").inner_text()
    assert_accessible_wide_and_narrow(page)  # event detail with the correction and delete forms

    page.goto(f"{live_server.url}/border/events/import/")
    assert_accessible_wide_and_narrow(page)
    bad = tmp_path / "bad.csv"
    good = tmp_path / "night.csv"
    header = "ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\n"
    bad.write_text(header + f"BI-1,yesterday,apprehension,{lat},{lon},2,IQ:2,patrol,Šalčininkai\n")
    good.write_text(header + f"BI-2,2021-08-28T02:10,apprehension,{lat},{lon},2,IQ:2,patrol,Š\n")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button[type=submit]")
    page.wait_for_url("**/border/imports/*/")  # the job's page: refused, every line named
    assert "line 2: Time of the event: 'yesterday'" in page.locator("[role=alert]").inner_text()
    assert_accessible_wide_and_narrow(page)
    page.goto(f"{live_server.url}/border/events/import/")
    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit]")
    page.wait_for_url("**/border/imports/*/")
    summary = page.locator("#import-summary")  # polled until done (at once here)
    assert "read as local time in Europe/Vilnius" in summary.inner_text()
    assert "1 event(s) created" in summary.inner_text()
    assert Event.objects.get(ref="BI-2").occurred_at == dt.datetime(
        2021, 8, 27, 23, 10, tzinfo=dt.UTC
    )
    assert_accessible_wide_and_narrow(page)


def test_coordinator_proposes_confirms_and_rejects_levels(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    ensure_reference_data()
    guard = make_user(Role.BORDER_GUARD, "LT")
    coordinator = make_user(Role.NATIONAL_COORDINATOR, "LT")
    when = dt.datetime(2021, 8, 27, 20, 0, tzinfo=dt.UTC)
    for n, code in enumerate(("LT-BY-09", "LT-BY-10", "LT-BY-16")):
        report_event(
            guard,
            event_input(
                code, ref=f"P-{n}", persons=900, nationalities={"IQ": 900}, occurred_at=when
            ),
        )
    page = logged_in_page(coordinator)
    page.goto(f"{live_server.url}/border/sections/")
    assert page.locator("input[name=as_of]").input_value() == "2021-08-27"
    assert "Latest day with events in Lithuania: 27 Aug 2021" in page.locator("main").inner_text()
    assert_accessible_wide_and_narrow(page)
    page.click("text=Propose levels")
    assert "3 new proposal(s) as of 27 Aug 2021" in page.locator(".messages").inner_text()
    assert_accessible_wide_and_narrow(
        page
    )  # open proposals: a level select and reasons on every row

    page.get_by_label("Level for LT-BY-09").select_option("high")
    page.get_by_label("Reason for confirming LT-BY-09").fill("fence finished on this stretch")
    page.locator("tr", has_text="LT-BY-09").get_by_role("button", name="Confirm").click()
    assert "Impact level confirmed" in page.locator(".messages").inner_text()
    page.get_by_label("Why reject the proposal for LT-BY-10").fill("one night only")
    page.locator("tr", has_text="LT-BY-10").get_by_role("button", name="Reject").click()
    assert "Proposal rejected" in page.locator(".messages").inner_text()
    statuses = dict(ImpactAssessment.objects.values_list("section__code", "status"))
    assert statuses == {"LT-BY-09": "confirmed", "LT-BY-10": "rejected", "LT-BY-16": "proposed"}
    assert ImpactAssessment.objects.get(section__code="LT-BY-09").level == "high"
    assert_accessible_wide_and_narrow(page)  # with the level history
