"""A case officer's main return path in the browser: return decision -> readmission request
(identity, travel document) -> flight (boarding) -> departure -> returned; a refused step says
why; each page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.procedures.models import ReturnCase, ReturnFlight
from tests.browser.axe import assert_accessible
from tests.registration.conftest import new_person

pytestmark = pytest.mark.browser


def test_case_officer_returns_a_person_on_a_flight(
    logged_in_page: Callable[[User], Any], live_server: Any, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.CASE_OFFICER, "LT")
    person = new_person(None, "LT")
    page = logged_in_page(officer)
    base = live_server.url
    page.goto(f"{base}/procedures/returns/")
    assert_accessible(page)
    page.click("text=New return decision")
    page.fill("input[name=person_id]", str(person.pk))
    page.fill("input[name=decided_on]", "2021-09-01")
    page.fill("input[name=country]", "IQ")
    page.select_option("select[name=kind]", "forced")
    page.fill("input[name=departure_days]", "40")  # outside 7-30: refused
    page.fill("textarea[name=decision_text]", "Reasoned return decision.")
    page.click("#submit")
    assert "7 to 30 days, not 40" in page.content()
    assert_accessible(page)
    page.fill("input[name=departure_days]", "")
    page.check("input[name=risk_of_absconding]")
    page.click("#submit")
    page.wait_for_selector("#timeline")
    assert_accessible(page)
    case = ReturnCase.objects.get()
    page.click("#send-readmission")
    page.fill("input[name=on]", "2021-09-02")
    page.click("#submit")
    for target, day in (("identity_confirmed", "2021-09-10"), ("travel_document", "2021-09-15")):
        page.click(f"a[data-readmission={target}]")
        page.fill("input[name=on]", day)
        page.click("#submit")
        page.wait_for_selector("#timeline")
    page.goto(f"{base}/procedures/returns/flights/")
    page.select_option("select[name=kind]", "charter")
    page.fill("input[name=departs_on]", "2021-10-01")
    page.fill("input[name=route]", "VNO-EBL")
    page.fill("input[name=country]", "IQ")
    page.fill("input[name=seats]", "98")
    page.fill("input[name=escorts]", "40")
    page.click("#plan-flight")
    page.wait_for_selector("#on-board")
    assert_accessible(page)
    page.fill("input[name=case_id]", str(case.pk))
    page.click("#board")
    page.wait_for_selector("#passengers")
    assert "1 / 98" in page.inner_text("#on-board")
    page.click("#depart")
    page.click("#submit")
    page.wait_for_selector("#flight-status")
    assert ReturnFlight.objects.get().status == "departed"
    page.goto(f"{base}/procedures/returns/{case.pk}/")
    assert "Returned" in page.inner_text("#return-status")
    assert page.locator("#timeline li").count() == 6
    assert_accessible(page)
