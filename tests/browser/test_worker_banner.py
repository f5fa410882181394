"""With tasks waiting for a worker and none alive, the picture and a waiting capture say so;
the capture's polled panel drops the banner once a worker beats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.registration.models import CaptureJob
from tests.browser.axe import assert_accessible
from tests.core.task_rows import heartbeat
from tests.registration.conftest import new_person

pytestmark = pytest.mark.browser

BANNER = "No task worker is running: searches and captures wait."


def test_the_pages_say_when_no_worker_is_running(
    logged_in_page: Callable[[User], Any],
    make_user: Callable[..., User],
    live_server: Any,
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    page = logged_in_page(officer)
    expect(page.locator("#no-worker")).to_have_text(BANNER)
    assert_accessible(page)

    job = CaptureJob.objects.create(
        person=new_person(officer, "LT"), member_state="LT", created_by=officer,
        status="queued", stage="Waiting for a worker",
    )  # fmt: skip
    page.goto(f"{live_server.url}/registration/captures/{job.pk}/")
    expect(page.locator("#capture-progress #no-worker")).to_have_text(BANNER)
    assert_accessible(page)
    heartbeat("started-meanwhile")
    expect(page.locator("#no-worker")).to_have_count(0)  # the next poll finds it alive
    expect(page.locator("#capture-progress")).to_contain_text("Waiting for a worker")
