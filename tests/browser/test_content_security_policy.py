"""No page breaks the Content-Security-Policy: no inline script or handler, no inline style, no
eval (htmx included), nothing from another origin.

Every page of the accessibility sweep is loaded signed in; the browser reports each refusal as a
`securitypolicyviolation` event (listened for before any script of the page runs) and as a
console error. Both must stay empty, and the policy must really be on the page (else the test
would pass vacuously).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.models import Event
from borderwatch.core.roles import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_accessibility_sweep import _pages, sweep_users
from tests.conftest import PASSWORD
from tests.intelligence.pages import intelligence_pages
from tests.picture.data import lithuania_july_2021, make_border
from tests.test_personal_data_matrix import build_world

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}` +
                    ` at ${e.sourceFile}:${e.lineNumber} ${e.sample || ""}`);
});
"""

# pages outside the sweep that a user opens too
EXTRA = ["/api/docs", "/bulletin/?day=2021-07-20", "/reception/chart/"]


def _refusals(page: Any, console: list[str]) -> list[str]:
    page.wait_for_load_state("networkidle")
    return list(page.evaluate("window.__csp || []")) + console


def test_no_page_violates_the_policy(
    browser: Any, live_server: Any, transactional_db: None, make_user: Callable[..., User]
) -> None:
    lithuania_july_2021(make_border())
    world = build_world(make_user)
    event_id = Event.objects.filter(country_id="LT").values_list("pk", flat=True).first()
    assert event_id is not None
    users = sweep_users(make_user)
    pages = _pages(world, event_id)
    pages[Role.NATIONAL_COORDINATOR] += EXTRA
    pages[Role.NATIONAL_COORDINATOR] += intelligence_pages(users[Role.NATIONAL_COORDINATOR])
    problems: list[str] = []
    for role, paths in pages.items():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.set_default_timeout(45_000)  # the hit page compares two sets: slow on a busy CI
        console: list[str] = []
        page.on(
            "console",
            lambda m, c=console: (
                c.append(m.text)
                if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
                else None
            ),
        )
        response = page.goto(f"{live_server.url}/accounts/login/")
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe" not in policy, policy
        assert _refusals(page, console) == [], "the sign-in page"
        page.fill("input[name=username]", users[role].username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for path in ["/", *paths]:
            console.clear()
            page.goto(f"{live_server.url}{path}")
            if found := _refusals(page, console):
                problems.append(f"{path} ({role}): " + "; ".join(found))
        context.close()
    assert not problems, "\n".join(problems)


def test_htmx_still_swaps_under_the_policy(
    logged_in_page: Callable[[User], Any], live_server: Any, make_user: Callable[..., User]
) -> None:
    """The picture's filters update the figures through htmx (no eval, no inline style)."""
    lithuania_july_2021(make_border())
    page = logged_in_page(make_user(Role.NATIONAL_COORDINATOR, "LT"))
    page.context.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as swap:
        page.click("form.filters button[type=submit]")
    assert swap.value.status == 200
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []


def test_the_lockout_page_is_accessible_and_within_the_policy(
    page: Any, live_server: Any, transactional_db: None, make_user: Callable[..., User], settings
) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    user = make_user(Role.BORDER_GUARD, "LT")
    page.context.add_init_script(LISTEN)
    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Sign-in locked"
    assert_accessible(page)
    assert page.evaluate("window.__csp") == []
