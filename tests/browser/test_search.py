"""The header's search box: a name typed in Arabic finds the transliterated record, a reference
opens the results with the event; the results page passes axe-core (WCAG 2 A/AA)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data, report_event
from borderwatch.core.roles import Role
from tests.border.conftest import event_input
from tests.browser.axe import assert_accessible
from tests.registration.conftest import new_person

pytestmark = pytest.mark.browser


def test_header_search_finds_names_in_any_script_and_event_references(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    ensure_reference_data()
    guard = make_user(Role.BORDER_GUARD, "LT")
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    report_event(guard, event_input(ref="SCN-LT-20210828-001", persons=1, nationalities={"IQ": 1}))
    person = new_person(officer, "LT", name_transliterated="Mohammed Ali", name_as_written="")
    page = logged_in_page(officer)
    page.fill("#site-search-q", "محمد")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert person.reference in page.locator("#person-results").inner_text()
    assert_accessible(page)
    page.fill("#search-q", "SCN-LT-20210828")
    page.click("#search-form button")
    page.locator("#event-results .event-result").wait_for()
    assert "SCN-LT-20210828-001" in page.locator("#event-results").inner_text()
    page.fill("#search-q", "x")
    page.click("#search-form button")
    assert "at least 2 characters" in page.locator("#search-problem").inner_text()
    assert_accessible(page)
