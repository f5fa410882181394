"""At phone width (390 px) the header folds its menu and no page scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from borderwatch.accounts.models import User
from tests.conftest import PASSWORD
from tests.picture.data import lithuania_july_2021, make_border

pytestmark = pytest.mark.browser


def test_phone_header_folds_and_tables_scroll_inside_the_page(
    browser: Any, live_server: Any, transactional_db: None, frontex: User
) -> None:
    lithuania_july_2021(make_border())
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", frontex.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 90  # one or two lines, not five
    assert not page.locator("header nav").is_visible()
    page.click("details.menu > summary")
    assert page.locator("header nav").is_visible()
    for path in ("/", "/border/events/", "/border/sections/", "/reception/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 392, f"{path} is {overflow}px wide at 390px"
    context.close()
