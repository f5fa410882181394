"""A case officer's main path through an asylum case in the browser: make the application,
register, lodge, admit, interview, decide; a refused step says why; each page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.procedures.models import AsylumApplication
from tests.browser.axe import assert_accessible
from tests.registration.conftest import new_person

pytestmark = pytest.mark.browser


def _step(page: Any, base: str, case: int, target: str, day: str, **fields: str) -> None:
    page.goto(f"{base}/procedures/{case}/")
    page.click(f"a[data-step={target}]")
    page.fill("input[name=on]", day)
    for name, value in fields.items():
        page.fill(f"textarea[name={name}]", value)
    page.click("#apply-step")


def test_case_officer_takes_a_case_to_a_decision(
    logged_in_page: Callable[[User], Any], live_server: Any, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.CASE_OFFICER, "LT")
    person = new_person(None, "LT")
    page = logged_in_page(officer)
    base = live_server.url
    page.click("text=Asylum cases")
    assert_accessible(page)
    page.click("text=New application")
    page.fill("input[name=person_id]", str(person.pk))
    page.fill("input[name=made_on]", "2021-07-02")
    page.click("#make")
    page.wait_for_selector("#timeline")
    assert_accessible(page)
    case = AsylumApplication.objects.get().pk
    _step(page, base, case, "registered", "2021-07-01")  # before the application: refused
    assert "before the application was made" in page.content()
    assert_accessible(page)
    _step(page, base, case, "registered", "2021-07-05")
    _step(page, base, case, "lodged", "2021-07-05")
    _step(page, base, case, "admissible", "2021-07-06")
    _step(
        page, base, case, "interviewed", "2021-07-07", interview_record="Held with an interpreter."
    )
    _step(page, base, case, "rejected_manifestly", "2021-07-09", reason="Reasoned decision text.")
    page.wait_for_selector("#timeline")
    assert "Rejected as manifestly unfounded" in page.inner_text("#case-status")
    assert page.locator("#timeline li").count() == 6
    assert_accessible(page)
    page.goto(f"{base}/procedures/backlog/?day=2021-07-31")
    assert "Iraq" in page.inner_text("#outcomes")
    assert_accessible(page)
