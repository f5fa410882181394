"""Implausible event values are refused by the one rule in border.validation, with the same
named message through the API, the report form and the CSV import; huge integers, ids and deeply
nested JSON answer 4xx, never 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import services
from borderwatch.border.imports import ImportRejected, import_events
from borderwatch.border.models import Event
from tests.border.conftest import event_input, point_on

pytestmark = pytest.mark.usefixtures("border_data")

HUGE = 2**63
# (field, value given, nationalities given, words the message contains)
CASES = [
    ("persons", 2**31, {"IQ": 2**31}, "Number of persons: must be at most 10,000"),
    ("persons", HUGE, {"IQ": HUGE}, "Number of persons: must be at most 10,000"),
    ("persons", 10_001, {"IQ": 10_001}, "Number of persons: must be at most 10,000"),
    ("nationalities", 5, {"IQ": HUGE}, "Nationalities: the count for IQ must be at most"),
    ("occurred_at", "1850-07-27T22:40", {"IQ": 5}, "Time of the event: 1850-07-27T22:40 is before"),
    ("occurred_at", "0001-01-01T00:00", {"IQ": 5}, "Time of the event: 0001-01-01T00:00 is before"),
    ("reporting_unit", "U" * 500, {"IQ": 5}, "Reporting unit: 500 characters, longer than 100"),
    ("ref", "R" * 65, {"IQ": 5}, "Reference: 65 characters, longer than 64"),
    ("ref", "R\x00-1", {"IQ": 5}, "Reference: contains control or text-direction characters (U+0000)"),
    ("ref", "R\u202e1-T", {"IQ": 5}, "Reference: contains control or text-direction characters (U+202E)"),
    ("reporting_unit", "Unit\u2066x", {"IQ": 5}, "Reporting unit: contains control or text-direction characters (U+2066)"),
]  # fmt: skip
IDS = [f"{field}={str(value)[:12]!r}" for field, value, _n, _m in CASES]


def _values(field: str, value: object, nationalities: dict[str, int]) -> dict[str, object]:
    lat, lon = point_on("LT-BY-16")
    values: dict[str, object] = {
        "ref": "V-1", "occurred_at": "2021-07-27T22:40", "type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 5, "nationalities": nationalities,
        "source": "patrol", "reporting_unit": "Druskininkai",
    }  # fmt: skip
    if field != "nationalities":
        values[field] = value
    return values


@pytest.mark.parametrize(("field", "value", "nationalities", "message"), CASES, ids=IDS)
def test_api_refuses(
    client_for: Callable[[User], Client],
    guard_lt: User,
    field: str,
    value: object,
    nationalities: dict[str, int],
    message: str,
) -> None:
    body = _values(field, value, nationalities)
    response = client_for(guard_lt).post(
        "/api/border/events", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert message in str(response.json()["detail"]), response.json()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("field", "value", "nationalities", "message"), CASES, ids=IDS)
def test_form_refuses(
    client_for: Callable[[User], Client],
    guard_lt: User,
    field: str,
    value: object,
    nationalities: dict[str, int],
    message: str,
) -> None:
    values = _values(field, value, nationalities)
    form = {k: v for k, v in values.items() if k not in ("type", "nationalities")}
    form["event_type"] = values["type"]
    form["nationalities"] = ";".join(f"{c}:{n}" for c, n in nationalities.items())
    response = client_for(guard_lt).post("/border/events/new/", form)
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(("field", "value", "nationalities", "message"), CASES, ids=IDS)
def test_csv_import_refuses(
    guard_lt: User, field: str, value: object, nationalities: dict[str, int], message: str
) -> None:
    values = _values(field, value, nationalities)
    values["nationalities"] = ";".join(f"{c}:{n}" for c, n in nationalities.items())
    columns = list(values)
    content = ",".join(columns) + "\n" + ",".join(str(values[c]) for c in columns) + "\n"
    with pytest.raises(ImportRejected) as caught:
        import_events(guard_lt, "LT", content.encode(), file_name="v.csv", fmt="csv")
    errors = caught.value.result.errors
    assert any(e.startswith(f"line 2: {message}") for e in errors), errors
    assert not Event.objects.exists()


def test_a_nationality_count_above_the_events_persons(guard_lt: User) -> None:
    with pytest.raises(Exception) as caught:
        services.report_event(guard_lt, event_input(persons=3, nationalities={"IQ": 4}))
    assert "Nationalities:" in str(caught.value)


def test_plausible_bounds_are_accepted(guard_lt: User) -> None:
    event = services.report_event(
        guard_lt,
        event_input(
            persons=10_000, nationalities={"IQ": 10_000}, occurred_at="2000-01-01T00:00",
            reporting_unit="U" * 100, ref="R" * 64,
        ),
    )  # fmt: skip
    assert event.persons == 10_000 and event.local_date.isoformat() == "2000-01-01"


def test_huge_event_id_is_not_a_500(client_for: Callable[[User], Client], guard_lt: User) -> None:
    client = client_for(guard_lt)
    assert client.get(f"/api/border/events/{HUGE}").status_code in (404, 422)
    body = _values("", None, {"IQ": 5}) | {"reason": "typo"}
    put = client.put(f"/api/border/events/{HUGE}", body, content_type="application/json")
    assert put.status_code in (404, 422)
    gone = client.delete(f"/api/border/events/{HUGE}", {"reason": "x"}, "application/json")
    assert gone.status_code in (404, 422)


@pytest.mark.parametrize("depth", [500, 5000])
def test_deeply_nested_json_is_refused(
    client_for: Callable[[User], Client], guard_lt: User, depth: int
) -> None:
    body = '{"nationalities": {"IQ": ' + "[" * depth + "]" * depth + "}}"
    response = client_for(guard_lt).post(
        "/api/border/events", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_deeply_nested_json_import_is_refused(guard_lt: User) -> None:
    content = ("[" * 100_000 + "]" * 100_000).encode()
    with pytest.raises(Exception) as caught:
        import_events(guard_lt, "LT", content, file_name="deep.json", fmt="json")
    assert "nested" in str(caught.value)
