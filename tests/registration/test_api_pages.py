"""The persons list is cut in the database (queries do not grow with the rows) and a cursor
walk joins up without gaps or repeats, also among persons registered in the same instant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.registration.models import Person
from tests.registration.conftest import new_person

API = "/api/registration"


def _persons(officer: User, n: int) -> None:
    for _ in range(n):
        new_person(officer, officer.member_state)
    # half of them in one instant: the order must break ties by id
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))[: n // 2]
    Person.objects.filter(pk__in=ids).update(created_at=timezone.now())


def test_persons_page_costs_the_same_whatever_the_rows(
    client_for: Callable[[User], Client],
    officer_lt: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    client = client_for(officer_lt)
    _persons(officer_lt, 12)
    with django_assert_max_num_queries(10) as few:
        client.get(f"{API}/persons", {"limit": 10})
    _persons(officer_lt, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/persons", {"limit": 10}).json()
    assert len(body["items"]) == 10 and body["count"] == 52
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{API}/persons", {"limit": 10, "cursor": body["next_cursor"]})


def test_persons_cursor_walk_has_no_gaps_or_repeats(
    client_for: Callable[[User], Client], officer_lt: User, officer_pl: User
) -> None:
    _persons(officer_lt, 23)
    new_person(officer_pl, "PL")
    client = client_for(officer_lt)
    walked: list[int] = []
    cursor = None
    while True:
        body = client.get(
            f"{API}/persons", {"limit": 5, **({"cursor": cursor} if cursor else {})}
        ).json()
        walked += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = list(
        Person.objects.filter(member_state="LT")
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
    assert walked == expected and len(set(walked)) == 23
    bad = client.get(f"{API}/persons", {"cursor": "x" + (cursor or "abc")})
    assert bad.status_code == 400 and "cursor" in bad.json()["detail"]
