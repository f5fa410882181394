"""Headless Chromium (Debian's, never a downloaded one) driven by Playwright's sync API.

Skips when Chromium is absent, except on CI (CI=true) where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from borderwatch.accounts.models import User
from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that it is safe (it is: the loop is Playwright's).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _serve_one_request_at_a_time() -> None:
    """On SQLite the test database lives in memory and the live server's request threads all
    share the test's one connection: two requests at once (a page and an htmx poll) can leave a
    query waiting forever. Serve one request at a time there (Django then closes each HTTP
    connection, as persistent connections need a threaded server); PostgreSQL keeps a
    connection per thread and the threaded server."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        # requests run in the server's own thread, which already holds the shared connection
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        LiveServerThread.server_class = OneRequestAtATime  # type: ignore[assignment]


_serve_one_request_at_a_time()

CHROMIUM = Path(os.environ.get("BORDERWATCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _chromium_or_skip() -> str:
    found = CHROMIUM if CHROMIUM.is_file() else shutil.which("chromium")
    if found:
        return str(found)
    message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    new_page = context.new_page()
    new_page.set_default_timeout(30_000)  # generous: CI machines are shared and slow at times
    yield new_page
    context.close()


@pytest.fixture
def logged_in_page(page: Any, live_server: Any, transactional_db: None) -> Callable[[User], Any]:
    """Sign `user` in through the real login form; returns the page on the picture."""

    def sign_in(user: User) -> Any:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in
