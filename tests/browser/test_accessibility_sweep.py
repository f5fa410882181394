"""Every page a user works in passes axe-core's WCAG 2 A/AA rules, in English and Lithuanian.

The page tests of each app check their own pages in depth; this sweep makes sure no page is
forgotten (the sign-in and error pages included) and that a translated page keeps its names and
labels (a translation that drops an aria-label fails here).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.models import Event, ImportJob
from borderwatch.core.roles import Role
from tests.browser.axe import describe, violations
from tests.conftest import PASSWORD
from tests.intelligence.pages import intelligence_pages
from tests.picture.data import lithuania_july_2021, make_border
from tests.test_personal_data_matrix import DAY, World, build_world

pytestmark = pytest.mark.browser


def _pages(world: World, event_id: int) -> dict[Role, list[str]]:
    """The pages each role works in, with the records of the world."""
    return {
        Role.NATIONAL_COORDINATOR: [
            "/", "/bulletin/", "/border/events/", f"/border/events/{event_id}/",
            "/border/events/new/", "/border/events/import/", "/border/sections/",
            "/reception/", "/reception/arrivals/", f"/reception/facilities/{world.facility}/",
            f"/reception/proposals/{world.proposal}/", "/registration/",
            f"/registration/persons/{world.lt_person}/", f"/registration/sets/{world.lt_set}/",
            "/registration/hits/shared/", "/search/?q=LT", "/no/such/page/", "/accounts/tokens/",
            "/registration/hits/review/",  # refused: the 403 page
            "/audit/", "/audit/?start=2021-13-01", f"/audit/persons/{world.lt_person}/",
            f"/audit/persons/{world.lt_person}/record/",
            "/procedures/backlog/",
        ],
        Role.CASE_OFFICER: [
            f"/procedures/?day={DAY}", "/procedures/new/", f"/procedures/{world.application}/",
            f"/procedures/{world.application}/step/registered/",
            f"/procedures/{world.application}/extend/", "/procedures/deadlines/",
            "/procedures/backlog/",
        ],
        Role.FINGERPRINT_EXPERT: [
            "/registration/hits/review/", f"/registration/hits/{world.hit}/",
            f"/registration/identifications/{world.pl_request}/",
        ],
        Role.REGISTRATION_OFFICER: [f"/registration/persons/{world.lt_person}/erase/"],
        Role.FRONTEX_ANALYST: ["/audit/"],
    }  # fmt: skip


@pytest.mark.parametrize("language", ["en-GB", "lt"])
def test_every_page_passes_axe(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    make_user: Callable[..., User],
    language: str,
) -> None:
    lithuania_july_2021(make_border())
    world = build_world(make_user)
    event_id = Event.objects.filter(country_id="LT").values_list("pk", flat=True).first()
    assert event_id is not None
    users = {
        Role.NATIONAL_COORDINATOR: make_user(Role.NATIONAL_COORDINATOR, "LT"),
        Role.FINGERPRINT_EXPERT: make_user(Role.FINGERPRINT_EXPERT, "PL"),
        Role.REGISTRATION_OFFICER: make_user(Role.REGISTRATION_OFFICER, "LT"),
        Role.FRONTEX_ANALYST: make_user(Role.FRONTEX_ANALYST),
        Role.CASE_OFFICER: make_user(Role.CASE_OFFICER, "LT"),
    }
    problems: list[str] = []
    anonymous = browser.new_context(locale=language)
    page = anonymous.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    if found := violations(page):
        problems.append(f"/accounts/login/:\n{describe(found)}")
    anonymous.close()
    refused = ImportJob.objects.create(
        country_id="LT", file_name="x.csv", format="csv", sha256="0" * 64, status="failed",
        errors=["line 2: Number of persons: 'many' is not a whole number"],
    )  # fmt: skip
    done = ImportJob.objects.create(
        country_id="LT", file_name="y.csv", format="csv", sha256="1" * 64, status="done",
        progress=100, rows=3, created=2, unchanged=1, local_times=1, time_zone="Europe/Vilnius",
    )  # fmt: skip
    imports = [f"/border/imports/{refused.pk}/", f"/border/imports/{done.pk}/"]
    pages = _pages(world, event_id)
    pages[Role.NATIONAL_COORDINATOR] += imports
    pages[Role.NATIONAL_COORDINATOR] += intelligence_pages(users[Role.NATIONAL_COORDINATOR])
    for role, paths in pages.items():
        context = browser.new_context(locale=language, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", users[role].username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            if found := violations(page):
                problems.append(f"{path} ({role}):\n{describe(found)}")
        context.close()
    assert not problems, "\n".join(problems)
