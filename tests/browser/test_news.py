"""A coordinator's path through the news intake in Chromium: paste an article, see its claims
marked in the text, accept the count from the queue, follow it to its border event's figure on
the situational picture; a refused decision says why. Each page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.roles import Role
from borderwatch.news.models import NewsClaim
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

TEXT = (
    "Lithuania's border guard service said it detained 171 people on Tuesday night, "
    "most of them Iraqi citizens. Latvia and Poland also reported arrivals. "
    "Border guards detained 50 people on Sunday."  # which state's? two are named before it
)


def test_paste_claims_accept_figure_on_the_picture(
    logged_in_page: Callable[[User], Any], live_server: Any, make_user: Callable[..., User]
) -> None:
    ensure_reference_data()
    page = logged_in_page(make_user(Role.NATIONAL_COORDINATOR, "LT"))
    base = live_server.url
    page.click("nav >> text=Press reports")
    page.wait_for_selector("#queue")
    assert_accessible(page)
    page.click("text=Paste an article")
    page.fill("textarea[name=text]", TEXT)
    page.fill("input[name=title]", "Migrants detained at the Belarus border")
    page.fill("input[name=source]", "The Associated Press")
    page.fill("input[name=published_on]", "2021-07-29")
    page.fill("input[name=published_time]", "10:15")
    page.fill("input[name=time_zone]", "Europe/Vilnius")
    assert_accessible(page)
    page.click("#ingest")
    page.wait_for_selector("#article-text")
    marks = page.locator("#article-text mark.claim")
    expect(marks.first).to_have_text("171 people")
    assert "No member state in the text." in page.inner_text("#claims")
    assert "on Tuesday night" in page.inner_text("#claims")
    assert_accessible(page)

    lt = NewsClaim.objects.get(kind="detained", state="LT")
    unplaced = NewsClaim.objects.get(kind="detained", state="")
    page.click("p.moves >> text=Claims to review")
    page.wait_for_selector(f"#claim-{lt.pk}")
    assert_accessible(page)
    page.click(f"#accept-{unplaced.pk}")  # no member state: refused, and the page says why
    expect(page.locator("#decision-errors")).to_contain_text("member state")
    assert_accessible(page)
    page.goto(f"{base}/news/")
    page.click(f"#accept-{lt.pk}")
    page.wait_for_selector(".event-link")
    expect(page.locator(".press-figure")).to_have_text("171")
    expect(page.locator(".official-figure")).to_have_text("0")
    expect(page.locator(".disagree")).to_be_visible()
    assert_accessible(page)
    page.click(".event-link")
    page.wait_for_url(f"{base}/border/events/*/")
    assert_accessible(page)

    page.goto(f"{base}/?country=LT&start=2021-07-20&end=2021-07-31")
    row = page.locator('tr[data-country="LT"][data-day="2021-07-27"]')
    row.wait_for()
    expect(row.locator("td.persons")).to_have_text("171")
    assert_accessible(page)
