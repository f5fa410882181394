"""/api/docs draws the Swagger UI with the browser cut off from every other host (issue 11:
the page was blank offline, its scripts came from a CDN)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role

pytestmark = pytest.mark.browser


def test_api_docs_draw_the_operations_offline(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    page = logged_in_page(make_user(Role.NATIONAL_COORDINATOR, "LT"))
    own = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def offline(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert "/api/border/events" in page.locator(".swagger-ui").inner_text()
    assert elsewhere == []
