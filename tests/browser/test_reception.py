"""An officer opens the day's arrivals, accepts the optimiser's proposal, sees the occupancy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.reception.models import Placement
from borderwatch.reception.services import save_facility
from borderwatch.registration.services import bulk_create_persons

pytestmark = pytest.mark.browser


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
    summary = page.locator("#proposal-summary")
    assert "2 persons awaiting placement" in summary.inner_text()
    # the pregnant woman is proposed to the facility with medical care
    chosen = page.locator(f"tr[data-group=p{pregnant.pk}] select").input_value()
    assert chosen == str(clinic)
    assert page.locator(f"tr[data-group=p{man.pk}] select").input_value() in {
        str(plain),
        str(clinic),
    }
    page.click("#accept")
    page.locator(".messages li").wait_for()
    assert "2 persons placed" in page.locator(".messages").inner_text()
    assert "Nobody is awaiting placement" in page.content()
    assert Placement.objects.get(person=pregnant).facility_id == clinic
    # occupancy shows on the facility list and the chart is drawn from the local Chart.js
    today = dt.date.today().isoformat()
    page.goto(f"{live_server.url}/reception/facilities/{clinic}/?day={today}")
    page.wait_for_function("typeof Chart !== 'undefined'")
    assert page.locator("#occupancy-chart").is_visible()
