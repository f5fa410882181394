"""API lists are cut in the database: the queries of a page do not grow with the rows, and a
walk by cursor (or by offset) sees every row once, in a stable order, even with ties in time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.border.sections import SectionFinder
from borderwatch.border.validation import validate_event
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")
API = "/api/border"
SAME_TIME = dt.datetime(2021, 8, 1, 12, 0, tzinfo=dt.UTC)


def _events(
    n: int,
    state: str = "LT",
    section: str = "LT-BY-16",
    prefix: str = "P",
    base: dt.datetime = SAME_TIME,
) -> None:
    """n events; every third one at the same instant (ties the order must break by id)."""
    tz, finder = services.country_tz(state), SectionFinder(state)
    valid = []
    for i in range(n):
        when = base if i % 3 == 0 else base - dt.timedelta(hours=i)
        nats = {"IQ": 2, "SY": 1} if i % 2 else {"AF": 3}
        item = event_input(
            section, ref=f"{prefix}{i}", occurred_at=when, persons=3, nationalities=nats
        )
        event, problems = validate_event(item, tz=tz, finder=finder)
        assert event is not None, problems
        valid.append(event)
    services.create_events(None, state, valid)


def _walk(client: Client, url: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        query = {"limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        page = client.get(url, query)
        assert page.status_code == 200, page.content
        body = page.json()
        rows += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows
    raise AssertionError("the cursor never ended")


def test_queries_do_not_grow_with_the_rows(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    client = client_for(guard_lt)
    _events(60)
    with django_assert_max_num_queries(8) as few:
        client.get(f"{API}/events", {"limit": 50})
    _events(300, prefix="Q")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/events", {"limit": 50}).json()
    assert len(body["items"]) == 50 and body["count"] == 360
    with django_assert_max_num_queries(len(few.captured_queries)):
        after = client.get(f"{API}/events", {"limit": 50, "cursor": body["next_cursor"]}).json()
    assert len(after["items"]) == 50 and after["count"] is None
    assert after["items"][0]["nationalities"]  # the related rows came with the page


def test_a_cursor_walk_joins_up_without_gaps_or_repeats(
    client_for: Callable[[User], Client], guard_lt: User, guard_pl: User
) -> None:
    _events(47)
    _events(5, "PL", "PL-BY-03", prefix="PL")
    client = client_for(guard_lt)
    whole = client.get(f"{API}/events", {"limit": 1000}).json()["items"]
    assert len(whole) == 47  # the other state's events are not in scope
    walked = _walk(client, f"{API}/events", 10)
    assert [e["id"] for e in walked] == [e["id"] for e in whole]
    keys = [(e["occurred_at"], e["id"]) for e in walked]
    assert keys == sorted(keys, reverse=True)  # newest first, ties broken by id
    by_offset = []
    for offset in range(0, 47, 10):
        by_offset += client.get(f"{API}/events", {"limit": 10, "offset": offset}).json()["items"]
    assert [e["id"] for e in by_offset] == [e["id"] for e in whole]


def test_rows_added_during_a_walk_do_not_shift_it(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    _events(20)
    client = client_for(guard_lt)
    first = client.get(f"{API}/events", {"limit": 7}).json()
    _events(6, prefix="NEW", base=SAME_TIME + dt.timedelta(days=1))  # newer: ahead of the walk
    rest = _walk(client, f"{API}/events", 7, cursor=first["next_cursor"])
    ids = [e["id"] for e in first["items"]] + [e["id"] for e in rest]
    old = [e.pk for e in selectors.events(guard_lt).filter(ref__startswith="P")]
    assert ids == old


def test_filters_apply_to_the_page(client_for: Callable[[User], Client], guard_lt: User) -> None:
    _events(12)
    body = client_for(guard_lt).get(f"{API}/events", {"end": "2021-07-31", "limit": 3}).json()
    assert body["count"] == sum(
        1 for e in selectors.events(guard_lt) if e.local_date <= dt.date(2021, 7, 31)
    )
    assert all(e["local_date"] <= "2021-07-31" for e in body["items"])


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "", "eyJsIjoiYm9yZGVyLmV2ZW50cyJ9:1abc:xyz"],
)
def test_a_bad_cursor_is_a_400_naming_the_parameter(
    client_for: Callable[[User], Client], guard_lt: User, cursor: str
) -> None:
    _events(3)
    response = client_for(guard_lt).get(f"{API}/events", {"cursor": cursor} if cursor else {})
    if not cursor:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_a_cursor_of_another_list_or_with_offset_is_refused(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    from borderwatch.core.pagination import encode_cursor

    _events(3)
    client = client_for(guard_lt)
    other = encode_cursor("registration.persons", ["2021-08-01T12:00:00+00:00", 1])
    assert client.get(f"{API}/events", {"cursor": other}).status_code == 400
    wrong_type = encode_cursor("border.events", ["not a time", 1])
    assert "cursor" in client.get(f"{API}/events", {"cursor": wrong_type}).json()["detail"]
    good = client.get(f"{API}/events", {"limit": 1}).json()["next_cursor"]
    both = client.get(f"{API}/events", {"cursor": good, "offset": 2})
    assert both.status_code == 400 and "offset" in both.json()["detail"]
    assert client.get(f"{API}/events", {"limit": 0}).status_code == 422
    assert client.get(f"{API}/events", {"limit": 1001}).status_code == 422


def test_assessments_are_paged(
    client_for: Callable[[User], Client],
    coordinator_lt: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    _events(30)
    for day in range(1, 7):
        services.propose_impact_levels(coordinator_lt, "LT", dt.date(2021, 8, day))
    client = client_for(coordinator_lt)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/impact-assessments", {"limit": 2}).json()
    assert len(body["items"]) == 2 and body["count"] == 6
    walked = []
    for offset in range(0, body["count"], 2):
        page = client.get(f"{API}/impact-assessments", {"limit": 2, "offset": offset}).json()
        walked += [a["id"] for a in page["items"]]
    assert len(walked) == len(set(walked)) == body["count"]
