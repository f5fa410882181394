"""The event list walks by keyset both ways (50 a page) and reads its total from the rollups:
every event is shown exactly once going older, the same pages come back going newer, and the
total and the API's count equal the rows in scope."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape

import pytest
from django.db import transaction
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.border.sections import SectionFinder
from borderwatch.border.validation import validate_event
from borderwatch.core.roles import Role
from tests.border.conftest import event_input

pytestmark = pytest.mark.django_db
REF = re.compile(r'<tr data-event="([^"]+)"')
LINK = re.compile(r'<a href="\?([^"]*)" rel="(prev|next)"')


def _load(state: str, n: int, *, same_time: int = 0) -> None:
    """n events of `state`; the first `same_time` share one timestamp (ties broken by id)."""
    finder, tz = SectionFinder(state), services.country_tz(state)
    code = {"LT": "LT-BY-16", "PL": "PL-BY-03"}[state]
    valid = []
    for i in range(n):
        at = dt.datetime(2021, 8, 1, tzinfo=dt.UTC) + dt.timedelta(hours=0 if i < same_time else i)
        event, problems = validate_event(
            event_input(code, ref=f"{state}-{i:03d}", occurred_at=at), tz=tz, finder=finder
        )
        assert event is not None, problems
        valid.append(event)
    with transaction.atomic():
        services.insert_events(None, state, valid)


def _walk(client: Client, query: str, direction: str) -> tuple[list[list[str]], str]:
    pages, html = [], client.get(f"/border/events/?{query}").content.decode()
    while True:
        pages.append(REF.findall(html))
        links = {rel: unescape(href) for href, rel in LINK.findall(html)}
        if direction not in links:
            return pages, html
        html = client.get(f"/border/events/?{links[direction]}").content.decode()


def test_pages_cover_every_event_once_both_ways(
    border_data: None, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    _load("LT", 123, same_time=60)  # a page boundary falls among equal times
    _load("PL", 7)
    guard = make_user(Role.BORDER_GUARD, "LT")
    client = client_for(guard)
    older, last_html = _walk(client, "type=apprehension", "next")
    assert [len(p) for p in older] == [50, 50, 23]
    shown = [ref for page in older for ref in page]
    expected = list(
        selectors.events(guard, event_type="apprehension").values_list("ref", flat=True)
    )
    assert shown == expected and len(set(shown)) == 123  # newest first, no PL rows
    assert "123 events" in last_html
    # back from the last page: the same pages, newest last
    link = dict((rel, unescape(href)) for href, rel in LINK.findall(last_html))["prev"]
    newer, first_html = _walk(client, link, "prev")
    assert newer == older[-2::-1]
    assert 'rel="prev"' not in first_html


def test_a_tampered_cursor_starts_again_from_the_newest(
    border_data: None, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    _load("LT", 3)
    response = client_for(make_user(Role.BORDER_GUARD, "LT")).get(
        "/border/events/?type=apprehension&after=forged"
    )
    assert response.status_code == 302
    assert response["Location"] == "/border/events/?type=apprehension"


def test_the_total_comes_from_the_rollups_and_equals_the_rows(
    border_data: None, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    _load("LT", 30)
    _load("PL", 12)
    guard, analyst = make_user(Role.BORDER_GUARD, "LT"), make_user(Role.FRONTEX_ANALYST)
    victim = selectors.events(guard).first()
    assert victim is not None
    services.delete_event(guard, victim.pk, "entered twice")
    for user, filters in (
        (guard, {}),
        (analyst, {}),
        (analyst, {"country": "PL"}),
        (analyst, {"section": "LT-BY-16", "start": dt.date(2021, 8, 2)}),
        (guard, {"country": "PL"}),  # out of scope: nothing
    ):
        assert selectors.count_events(user, **filters) == selectors.events(user, **filters).count()
    body = client_for(analyst).get("/api/border/events?limit=5&offset=5").json()
    assert body["count"] == 41 and len(body["items"]) == 5
