"""Implausible person values are refused by Person.clean (the one rule) with the same message
through the API and the group form; huge ids answer 4xx, never 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.models import Event
from borderwatch.border.services import report_event
from borderwatch.registration.models import Person
from tests.border.conftest import event_input

pytestmark = pytest.mark.django_db
API = "/api/registration"
NEXT_YEAR = timezone.localdate().year + 1
ADULT_BORN = (timezone.localdate() - dt.timedelta(days=365 * 30)).isoformat()
# (values, field, words of the message)
CASES = [
    ({"date_of_birth": f"{NEXT_YEAR}-01-01"}, "date_of_birth", "is in the future"),
    ({"date_of_birth": "2099-01-01"}, "date_of_birth", "is in the future"),
    ({"date_of_birth": "0001-01-01"}, "date_of_birth", "0001-01-01 is before 1900-01-01"),
    ({"date_of_birth": "1899-12-31"}, "date_of_birth", "is before 1900-01-01"),
    ({"date_of_birth": "1950-03-01", "minor": True}, "minor", "Marked a minor, but born 1950-03-01"),
    ({"date_of_birth": ADULT_BORN, "minor": True}, "minor", "Marked a minor, but born"),
    ({"name_transliterated": "   "}, "name_transliterated", "A name is needed, not only spaces."),
    ({"name_transliterated": "Ali\u202eilA"}, "name_transliterated", "(U+202E)"),
    ({"name_transliterated": "Ali\x00"}, "name_transliterated", "(U+0000)"),
    ({"name_as_written": "علي\u2067"}, "name_as_written", "(U+2067)"),
    ({"household": "H\x001"}, "household", "(U+0000)"),
]  # fmt: skip
IDS = [f"{field}-{i}" for i, (_v, field, _m) in enumerate(CASES)]


@pytest.fixture
def event(border_data: None, guard_lt: User) -> Event:
    return report_event(guard_lt, event_input(persons=3, nationalities={"IQ": 3}))


@pytest.mark.parametrize(("values", "field", "message"), CASES, ids=IDS)
def test_api_refuses(
    officer_lt: User,
    client_for: Callable[[User], Client],
    values: dict[str, object],
    field: str,
    message: str,
) -> None:
    body = {"name_transliterated": "Ali", "nationality": "IQ", **values}
    response = client_for(officer_lt).post(f"{API}/persons", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert message in str(response.json()["detail"][field]), response.json()
    assert not Person.objects.exists()


@pytest.mark.parametrize(("values", "field", "message"), CASES, ids=IDS)
def test_group_form_refuses(
    event: Event,
    officer_lt: User,
    client_for: Callable[[User], Client],
    values: dict[str, object],
    field: str,
    message: str,
) -> None:
    row = {"name_as_written": "", "name_transliterated": "Ali", "date_of_birth": "",
           "sex": "X", "nationality": "IQ", "household": ""}  # fmt: skip
    row.update({k: ("on" if v is True else str(v)) for k, v in values.items()})
    data = {"p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0",
            "p-MAX_NUM_FORMS": "200"} | {f"p-0-{k}": v for k, v in row.items()}  # fmt: skip
    response = client_for(officer_lt).post(f"/registration/events/{event.pk}/persons/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_plausible_values_are_accepted(
    officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    child = (timezone.localdate() - dt.timedelta(days=365 * 10)).isoformat()
    for body in (
        {"name_transliterated": "  Sara ", "date_of_birth": child, "minor": True},
        {"name_transliterated": "Old", "date_of_birth": "1900-01-01"},
        {"name_transliterated": "Ali", "name_as_written": "علي"},
    ):
        response = client_for(officer_lt).post(
            f"{API}/persons", body, content_type="application/json"
        )
        assert response.status_code == 201, response.content
    assert Person.objects.filter(name_transliterated="Sara").exists()


def test_huge_ids_are_not_a_500(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    huge = 2**63
    assert client.get(f"{API}/persons/{huge}").status_code in (404, 422)
    body = {"name_transliterated": "Ali", "apprehension_event_id": huge}
    response = client.post(f"{API}/persons", body, content_type="application/json")
    assert response.status_code in (404, 422), response.content
    group = {"persons": [{"name_transliterated": "Ali"}]}
    response = client.post(f"{API}/events/{huge}/persons", group, content_type="application/json")
    assert response.status_code in (404, 422), response.content
    assert not Person.objects.exists()


def test_minor_is_counted_on_the_apprehension_day(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    # the event is of 27 July 2021: born 2004-01-01, 17 then (an adult today)
    group = {"persons": [{"name_transliterated": "Sara", "date_of_birth": "2004-01-01",
                          "minor": True}]}  # fmt: skip
    response = client_for(officer_lt).post(
        f"{API}/events/{event.pk}/persons", group, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    older = {"persons": [{"name_transliterated": "Omar", "date_of_birth": "2003-01-01",
                          "minor": True}]}  # fmt: skip
    response = client_for(officer_lt).post(
        f"{API}/events/{event.pk}/persons", older, content_type="application/json"
    )
    assert response.status_code == 422
    assert "18 years old at registration" in str(response.json()["detail"])
