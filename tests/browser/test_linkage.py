"""A registration officer works the duplicates queue: starts a search, opens the pair the
engine proposed, tries to decide without a reason (refused), decides with one; the pair is
decided and its history shows who and why. Then the group form checks a typed name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data, report_event
from borderwatch.core.roles import Role
from borderwatch.linkage.models import CandidatePair
from tests.border.conftest import event_input
from tests.browser.axe import assert_accessible
from tests.registration.conftest import new_person

pytestmark = pytest.mark.browser


def test_officer_decides_a_pair_with_a_reason(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    first = new_person(officer, "LT", name_transliterated="Muhammad El-Hassan",
                       name_as_written="", date_of_birth=dt.date(1990, 5, 3))  # fmt: skip
    new_person(officer, "LT", name_transliterated="Mohammed Alhassan", name_as_written="",
               date_of_birth=dt.date(1990, 1, 1), dob_is_estimated=True)  # fmt: skip
    page = logged_in_page(officer)
    page.click("nav >> text=Possible duplicates")
    page.wait_for_selector("#queue-empty")
    assert_accessible(page)
    page.click("#start-run")  # the test server runs the task at once
    page.wait_for_selector("#pair-queue")
    assert_accessible(page)
    pair = CandidatePair.objects.get()
    page.click(f"a[href='/linkage/pairs/{pair.pk}/']")
    page.wait_for_selector("#side-by-side")
    assert "Mohammed Alhassan" in page.inner_text("#side-by-side")
    assert_accessible(page)
    page.click("#decide-same_person")  # no reason: the browser or the server refuses
    page.wait_for_timeout(200)
    pair.refresh_from_db()
    assert pair.status == "proposed"
    page.fill("textarea[name=reason]", "Same passport photo and date of birth")
    page.click("#decide-different_persons")
    page.wait_for_selector("#decisions")
    assert "Same passport photo and date of birth" in page.inner_text("#decisions")
    assert page.locator("#decision-form").count() == 0
    assert_accessible(page)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by_id) == ("different_persons", officer.pk)
    # the person page lists the pair
    page.goto(f"{live_server.url}/registration/persons/{first.pk}/")
    page.wait_for_selector("#possible-duplicates")
    assert_accessible(page)


def test_the_group_form_checks_a_typed_name(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    ensure_reference_data()
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    known = new_person(officer, "LT", name_transliterated="Muhammad El-Hassan",
                       name_as_written="", date_of_birth=dt.date(1990, 5, 3))  # fmt: skip
    event = report_event(
        make_user(Role.BORDER_GUARD, "LT"), event_input(persons=1, nationalities={"IQ": 1})
    )
    page = logged_in_page(officer)
    page.goto(f"{live_server.url}/registration/events/{event.pk}/persons/")
    page.fill("input[name='p-0-name_as_written']", "محمد الحسن")
    page.fill("input[name='p-0-name_transliterated']", "Mohamad Alhasan")
    page.press("input[name='p-0-name_transliterated']", "Tab")
    page.wait_for_selector("#duplicate-results li")
    assert known.reference in page.inner_text("#duplicate-results")
    assert_accessible(page)
