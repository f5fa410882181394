"""An officer opens the day's arrivals, has the optimiser propose, accepts the proposal by its id
(at any size), sees the occupancy; the facility page releases no one by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.reception.models import Placement
from borderwatch.reception.services import place, save_facility
from borderwatch.registration.services import bulk_create_persons
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
BUSY_DAY = 1_050  # more rows than Django accepts form fields (DATA_UPLOAD_MAX_NUMBER_FIELDS)


def _facility(code: str, name: str, lat: float, lon: float, medical: bool) -> int:
    return save_facility(
        None,
        code,
        member_state="LT",
        name=name,
        kind="reception_centre",
        latitude=lat,
        longitude=lon,
        capacity_single_men=5,
        capacity_single_women=5,
        capacity_families=10,
        medical=medical,
        source_note="browser test",
    ).pk


def test_officer_accepts_the_proposal(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    manager = make_user(Role.RECEPTION_MANAGER, "LT")
    plain = _facility("lt-plain", "Plain Centre", 54.9, 25.3, medical=False)
    clinic = _facility("lt-clinic", "Clinic Centre", 55.9, 23.3, medical=True)
    base = {"member_state": "LT", "name_transliterated": "X", "nationality": "IQ"}
    man, pregnant = bulk_create_persons(
        None,
        [
            {**base, "sex": "M", "eurodac_category": 2},
            {**base, "sex": "F", "eurodac_category": 1, "pregnancy": True},
        ],
    )
    page = logged_in_page(manager)
    page.click("nav >> text=Reception")
    page.click("text=The day's arrivals")
    assert "2 persons awaiting placement" in page.locator("#awaiting-summary").inner_text()
    assert_accessible(page)
    page.click("#propose")
    page.locator(".progress-panel[data-status=done]").wait_for()
    assert_accessible(page)
    assert man.reference in page.locator(f"tr[data-row=p{man.pk}]").inner_text()
    summary = page.locator("#proposal-summary")
    assert "2 persons awaiting placement" in summary.inner_text()
    assert "proposes places for 2" in summary.inner_text()
    # the pregnant woman is proposed to the facility with medical care
    assert page.locator(f"tr[data-row=p{pregnant.pk}] td.facility").inner_text() == "Clinic Centre"
    assert page.locator(f"tr[data-row=p{man.pk}] td.facility").inner_text() in {
        "Plain Centre",
        "Clinic Centre",
    }
    page.click("#accept")
    page.locator(".messages li").wait_for()
    assert "2 persons placed" in page.locator(".messages").inner_text()
    assert "Accepted by" in page.locator("#accepted").inner_text()
    assert Placement.objects.get(person=pregnant).facility_id == clinic
    assert Placement.objects.get(person=man).facility_id in {plain, clinic}
    page.click("text=The day's arrivals")
    assert "Nobody is awaiting placement" in page.content()
    # occupancy shows on the facility list and the chart is drawn from the local Chart.js
    today = timezone.localdate().isoformat()
    page.goto(f"{live_server.url}/reception/facilities/{clinic}/?day={today}")
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    assert page.locator("#occupancy-chart").is_visible()


def test_the_facility_pages_action_defaults_to_nothing(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    manager = make_user(Role.RECEPTION_MANAGER, "LT")
    plain = _facility("lt-plain", "Plain Centre", 54.9, 25.3, medical=False)
    _facility("lt-clinic", "Clinic Centre", 55.9, 23.3, medical=True)
    base = {"member_state": "LT", "name_transliterated": "X", "nationality": "IQ"}
    [man] = bulk_create_persons(None, [{**base, "sex": "M", "eurodac_category": 2}])
    placement = place(None, person_id=man.pk, facility_id=plain, start_date=timezone.localdate())
    page = logged_in_page(manager)
    page.goto(f"{live_server.url}/reception/facilities/{plain}/")
    assert_accessible(page)
    assert page.locator(f"tr[data-person='{man.pk}'] td.ref").inner_text() == man.reference
    action = page.locator(f"select[aria-label='action for {man.reference}']")
    assert action.input_value() == ""
    assert action.locator("option:checked").inner_text() == "choose…"
    # a careless submit (a reason typed, no action chosen) releases no one
    page.fill("input[name=reason]", "typed by mistake")
    page.click("form.inline button[type=submit]")
    placement.refresh_from_db()
    assert placement.end_date is None
    action.select_option("release")
    page.click("form.inline button[type=submit]")
    page.locator(".messages li").wait_for()
    assert "Released." in page.locator(".messages").inner_text()
    placement.refresh_from_db()
    assert placement.status == "released"


def test_a_busy_days_proposal_is_accepted_posting_one_field(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    manager = make_user(Role.RECEPTION_MANAGER, "LT")
    save_facility(
        None,
        "lt-big",
        member_state="LT",
        name="Big Centre",
        kind="reception_centre",
        latitude=54.9,
        longitude=25.3,
        capacity_single_men=BUSY_DAY,
        source_note="browser test",
    )
    base = {"member_state": "LT", "name_transliterated": "X", "nationality": "IQ"}
    bulk_create_persons(None, [{**base, "sex": "M", "eurodac_category": 2}] * BUSY_DAY)
    page = logged_in_page(manager)
    page.goto(f"{live_server.url}/reception/arrivals/")
    page.click("#propose")
    page.locator(".progress-panel[data-status=done]").wait_for()
    assert f"Proposed rows 1\u2013200 of {BUSY_DAY}" in page.locator("h2").last.inner_text()
    with page.expect_request(lambda r: r.method == "POST" and "/accept/" in r.url) as posted:
        page.click("#accept")
    assert list(parse_qs(posted.value.post_data or "")) == ["csrfmiddlewaretoken"]
    page.locator(".messages li").wait_for()
    assert f"{BUSY_DAY} persons placed" in page.locator(".messages").inner_text()
    assert Placement.objects.count() == BUSY_DAY


def test_the_proposal_lists_the_placed_rows_first(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    """Issue 11: the proposed rows were buried among the rest of the day's arrivals."""
    from tests.reception.test_pages import save_rows_unplaced_first

    manager = make_user(Role.RECEPTION_MANAGER, "LT")
    save_facility(
        None, "lt-one", member_state="LT", name="Only Centre", kind="reception_centre",
        latitude=54.9, longitude=25.3, capacity_single_men=1, source_note="browser test",
    )  # fmt: skip
    base = {"member_state": "LT", "name_transliterated": "X", "nationality": "IQ"}
    bulk_create_persons(None, [{**base, "sex": "M", "eurodac_category": 2}] * 3)
    page = logged_in_page(manager)
    page.goto(f"{live_server.url}/reception/arrivals/")
    page.click("#propose")
    page.locator(".progress-panel[data-status=done]").wait_for()
    save_rows_unplaced_first(int(page.url.rstrip("/").rsplit("/", 1)[1]))
    page.reload()
    cells = page.locator("#proposal-rows td.facility").all_inner_texts()
    assert cells == ["Only Centre", "not now", "not now"]
    assert_accessible(page)
