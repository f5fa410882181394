"""What a reception manager meets first: the overview's headline on a busy day, the arrivals a
page at a time, the day shown by default; every page passes axe's WCAG 2 AA rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.roles import Role
from borderwatch.reception.services import place, save_facility
from tests.browser.axe import assert_accessible
from tests.reception.test_pages import persons

pytestmark = pytest.mark.browser
BUSY = dt.date(2021, 8, 31)


def _busy_day() -> int:
    """A full centre, a shelter opening later, and people waiting since 2021-08-21."""
    ensure_reference_data()
    full = save_facility(
        None,
        "lt-full",
        member_state="LT",
        name="Full Centre",
        kind="reception_centre",
        latitude=54.9,
        longitude=25.3,
        capacity_single_men=2,
        capacity_families=2,
        source_note="browser test estimate",
    )
    save_facility(
        None,
        "lt-later",
        member_state="LT",
        name="Later Shelter",
        kind="temporary_shelter",
        latitude=54.6,
        longitude=25.2,
        capacity_single_men=300,
        opened_on=dt.date(2021, 9, 17),
        source_note="browser test estimate",
    )
    for p in persons(dt.date(2021, 8, 1), 2):
        place(None, person_id=p.pk, facility_id=full.pk, start_date=dt.date(2021, 8, 1))
    persons(dt.date(2021, 8, 21), 100, name_transliterated="Waiting Man")
    persons(BUSY, 4, name_transliterated="Recent Man")
    persons(BUSY, 1, name_transliterated="Amina Child", sex="F", minor=True,
            unaccompanied_minor=True)  # fmt: skip
    return full.pk


def test_overview_leads_with_the_unplaced_on_the_latest_day(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User]
) -> None:
    _busy_day()
    page = logged_in_page(make_user(Role.RECEPTION_MANAGER, "LT"))
    page.click("nav >> text=Reception")
    assert page.locator("input[type=date][name=day]").input_value() == "2021-08-31"
    assert "latest day with arrivals or placements" in page.locator("#day-shown").inner_text()
    headline = page.locator(".unplaced .headline").inner_text()
    assert "105 persons awaiting a place" in headline
    assert "longest 10 days" in headline and "median 10 days" in headline
    gaps = page.locator("table.gaps").inner_text()
    assert "Single men" in gaps
    could_open = page.locator(".could-open").inner_text()
    assert "Full Centre" in could_open and "Later Shelter" in could_open
    alerts = page.locator("#facility-alerts > li")
    assert alerts.count() == 1
    assert "single men 100 % (2/2)" in alerts.first.inner_text()
    assert_accessible(page)


def test_arrivals_are_paged_vulnerable_first_and_accessible(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    _busy_day()
    page = logged_in_page(make_user(Role.RECEPTION_MANAGER, "LT"))
    page.goto(f"{live_server.url}/reception/arrivals/")
    assert page.locator("input[type=date][name=day]").input_value() == "2021-08-31"
    assert "Persons 1\u2013100 of 105" in page.locator("#awaiting-heading").inner_text()
    rows = page.locator("#awaiting tbody tr")
    assert rows.count() == 100
    first = rows.first.inner_text()
    assert "Amina Child" in first and "unaccompanied minor" in first and "0 days" in first
    assert "Waiting Man" in rows.nth(1).inner_text() and "10 days" in rows.nth(1).inner_text()
    assert_accessible(page)
    page.click("nav.pager >> text=Next")
    assert "Persons 101\u2013105 of 105" in page.locator("#awaiting-heading").inner_text()
    assert page.locator("#awaiting tbody tr").count() == 5
    assert "Recent Man" in page.locator("#awaiting tbody tr").last.inner_text()
    page.select_option("select[name=order]", "waiting")
    page.click("form.filters button[type=submit]")
    assert "Waiting Man" in page.locator("#awaiting tbody tr").first.inner_text()
    page.goto(f"{live_server.url}/reception/arrivals/?day=31.08.2021")
    assert "not a date" in page.locator("#day-error").inner_text()
    assert_accessible(page)


def test_facility_page_names_the_placed_and_is_accessible(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    full = _busy_day()
    page = logged_in_page(make_user(Role.NATIONAL_COORDINATOR, "LT"))
    page.goto(f"{live_server.url}/reception/facilities/{full}/")
    assert page.locator("input[type=date][name=day]").input_value() == "2021-08-31"
    assert "Placed on 2021-08-31: 1\u20132 of 2" in page.locator("#placed-heading").inner_text()
    row = page.locator("#placed tbody tr").first.inner_text()
    assert "LT00000" in row and "Ahmed Karimi" in row and "30 days" in row
    assert "Full Centre" in page.locator("#facility-alert").inner_text()
    assert_accessible(page)
