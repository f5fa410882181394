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
from borderwatch.news import services as news_services
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
            "/procedures/backlog/", "/procedures/returns/policies/",
            "/support/", "/support/funding/", "/support/overview/?day=2021-08-10",
            "/linkage/", f"/linkage/pairs/{world.lt_pair}/",
        ],
        Role.CASE_OFFICER: [
            f"/procedures/?day={DAY}", "/procedures/new/", f"/procedures/{world.application}/",
            f"/procedures/{world.application}/step/registered/",
            f"/procedures/{world.application}/extend/", "/procedures/deadlines/",
            "/procedures/backlog/",
            f"/procedures/returns/?day={DAY}", "/procedures/returns/new/",
            f"/procedures/returns/{world.return_case}/",
            f"/procedures/returns/{world.return_case}/step/absconded/",
            f"/procedures/returns/{world.return_case}/detention-start/",
            f"/procedures/returns/readmission/{world.readmission}/step/identity_confirmed/",
            "/procedures/returns/flights/", f"/procedures/returns/flights/{world.flight}/",
            "/procedures/returns/policies/",
        ],
        Role.FINGERPRINT_EXPERT: [
            "/registration/hits/review/", f"/registration/hits/{world.hit}/",
            f"/registration/identifications/{world.pl_request}/",
            "/linkage/", f"/linkage/pairs/{world.pl_pair}/",
        ],
        Role.REGISTRATION_OFFICER: [f"/registration/persons/{world.lt_person}/erase/"],
        Role.FRONTEX_ANALYST: ["/audit/", "/support/", "/support/funding/"],
        Role.COMMISSION_VIEWER: ["/support/funding/"],  # with the Commission's funding forms
    }  # fmt: skip


# the state of each role's sweep user (the world's records are Lithuanian, its searches Polish)
SWEEP_STATES = {Role.FINGERPRINT_EXPERT: "PL", Role.FRONTEX_ANALYST: "", Role.COMMISSION_VIEWER: ""}


def sweep_users(make_user: Callable[..., User]) -> dict[Role, User]:
    """One user of every role the sweep visits pages as."""
    return {role: make_user(role, SWEEP_STATES.get(role, "LT")) for role in Role}


def _news_pages(frontex: User) -> list[str]:
    """An article with claims (one accepted: its event and the official figure shown), the
    queue, a pending claim, the article list, paste and upload."""
    text = (
        "Lithuania's border guard service said it detained 171 people on Tuesday night. "
        "Latvia and Poland also reported arrivals. "
        "Border guards detained 50 people on Sunday."  # two states named before: unplaced
    )
    article, _created = news_services.ingest_article(
        None,
        news_services.ArticleInput(
            text=text, source="Wire", published="2021-07-29", time_zone="Europe/Vilnius"
        ),
    )
    lt = article.claims.get(state="LT", kind="detained")
    if lt.status == "pending":
        news_services.review_claim(frontex, lt.pk, "accept")
    other = article.claims.get(state="", kind="detained")
    return [
        "/news/", "/news/articles/", "/news/articles/new/", "/news/articles/upload/",
        f"/news/articles/{article.pk}/", f"/news/claims/{lt.pk}/", f"/news/claims/{other.pk}/",
    ]  # fmt: skip


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
    users = sweep_users(make_user)
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
    pages[Role.NATIONAL_COORDINATOR] += _news_pages(users[Role.FRONTEX_ANALYST])
    pages[Role.FRONTEX_ANALYST] += _news_pages(users[Role.FRONTEX_ANALYST])
    pages[Role.NATIONAL_COORDINATOR] += intelligence_pages(users[Role.NATIONAL_COORDINATOR])
    for role, paths in pages.items():
        context = browser.new_context(locale=language, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(45_000)  # a loaded machine: the first hit page loads the matcher
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
