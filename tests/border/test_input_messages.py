"""Defects from "What users hit first": messages named internal fields (occurred_at, persons=3),
the import refused local times that the form accepts, and DST gaps and overlaps were not named."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import services
from borderwatch.border.imports import ImportRejected, import_events
from borderwatch.border.models import Event, ImportBatch
from borderwatch.core.models import AuditEntry
from tests.border.conftest import event_input, point_on

pytestmark = pytest.mark.usefixtures("border_data")

HEADER = "ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\n"
INTERNAL = ("occurred_at", "persons=", "event_type", "reporting_unit", "count for")


def _row(ref: str, when: str, persons: str = "3", nationalities: str = "IQ:3") -> str:
    lat, lon = point_on("LT-BY-09")
    return f"{ref},{when},apprehension,{lat},{lon},{persons},{nationalities},patrol,Šalčininkai\n"


def _internal_names(messages: list[str]) -> list[str]:
    return [m for m in messages if any(name in m for name in INTERNAL)]


def test_service_messages_use_the_labels_users_see(guard_lt: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.report_event(
            guard_lt,
            event_input(
                occurred_at="yesterday", persons=3, nationalities={"IQ": 2}, reporting_unit=""
            ),
        )
    messages = caught.value.messages
    assert not _internal_names(messages), messages
    assert any(m.startswith("Time of the event: 'yesterday'") for m in messages), messages
    assert any("Number of persons is 3" in m for m in messages), messages
    assert any(m.startswith("Reporting unit:") for m in messages), messages
    # by field, so the form puts each message beside its field and the API keeps the key
    assert {"occurred_at", "nationalities", "reporting_unit"} <= set(caught.value.message_dict)


def test_import_errors_are_line_numbered_with_labels(guard_lt: User) -> None:
    content = (
        HEADER
        + _row("M1", "yesterday")
        + _row("M2", "2021-07-27T21:00:00+03:00", persons="3", nationalities="IQ:2")
        + _row("M3", "2021-07-27T21:00:00+03:00", persons="x", nationalities="IQ:1")
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        import_events(guard_lt, "LT", content, file_name="m.csv", fmt="csv")
    errors = caught.value.result.errors
    assert not _internal_names(errors), errors
    assert any(e.startswith("line 2: Time of the event: 'yesterday'") for e in errors), errors
    assert any(
        e.startswith("line 3: Nationalities:") and "Number of persons is 3" in e for e in errors
    )
    assert any(e.startswith("line 4: Number of persons: 'x' is not a whole number") for e in errors)
    assert not Event.objects.exists()


def test_import_reads_times_without_offset_in_the_countrys_zone(guard_lt: User) -> None:
    content = (
        HEADER + _row("L1", "2021-08-28T01:05") + _row("L2", "2021-08-27T22:05:00+00:00")
    ).encode()
    result = import_events(guard_lt, "LT", content, file_name="l.csv", fmt="csv")
    assert result.created == 2
    assert (result.local_times, result.time_zone) == (1, "Europe/Vilnius")
    assert "1 row" in result.note and "Europe/Vilnius" in result.note
    local, utc = Event.objects.get(ref="L1"), Event.objects.get(ref="L2")
    assert local.occurred_at == utc.occurred_at == dt.datetime(2021, 8, 27, 22, 5, tzinfo=dt.UTC)
    assert local.local_date == dt.date(2021, 8, 28)
    entry = AuditEntry.objects.get(action="border.event.import")
    assert (
        entry.new_values["local_times"] == 1 and entry.new_values["time_zone"] == "Europe/Vilnius"
    )


def test_json_import_reads_local_times_too(guard_lt: User) -> None:
    lat, lon = point_on("LT-BY-16")
    rows = [
        {"ref": "JL1", "occurred_at": "2021-08-28T01:05", "type": "apprehension", "latitude": lat,
         "longitude": lon, "persons": 2, "nationalities": {"IQ": 2}, "source": "sensor",
         "reporting_unit": "Druskininkai"},
    ]  # fmt: skip
    result = import_events(
        guard_lt, "LT", json.dumps(rows).encode(), file_name="j.json", fmt="json"
    )
    assert result.local_times == 1
    assert Event.objects.get().occurred_at == dt.datetime(2021, 8, 27, 22, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2021-03-28T03:30", "does not exist in Europe/Vilnius"),  # clocks 03:00 -> 04:00
        ("2021-10-31T03:30", "happened twice in Europe/Vilnius"),  # clocks 04:00 -> 03:00
    ],
)
def test_import_refuses_times_lost_or_repeated_at_a_clock_change(
    guard_lt: User, when: str, expected: str
) -> None:
    content = (HEADER + _row("D1", "2021-08-28T01:05") + _row("D2", when)).encode()
    with pytest.raises(ImportRejected) as caught:
        import_events(guard_lt, "LT", content, file_name="d.csv", fmt="csv")
    (error,) = caught.value.result.errors
    assert error.startswith(f"line 3: Time of the event: {when} {expected}"), error
    assert "UTC offset" in error
    assert not Event.objects.exists() and not ImportBatch.objects.exists()


def test_ambiguous_time_with_an_offset_is_accepted(guard_lt: User) -> None:
    content = (HEADER + _row("D3", "2021-10-31T03:30+02:00")).encode()
    assert import_events(guard_lt, "LT", content, file_name="d.csv", fmt="csv").created == 1
    assert Event.objects.get().occurred_at == dt.datetime(2021, 10, 31, 1, 30, tzinfo=dt.UTC)


def test_report_form_refuses_a_time_lost_at_the_clock_change(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    lat, lon = point_on("LT-BY-09")
    form = {
        "ref": "F-D", "occurred_at": "2021-03-28T03:30", "event_type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 3, "nationalities": "IQ:2",
        "source": "patrol", "reporting_unit": "Šalčininkai",
    }  # fmt: skip
    response = client_for(guard_lt).post("/border/events/new/", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not exist in Europe/Vilnius" in page
    assert "Number of persons is 3" in page and "persons=" not in page
    assert "Time of the event" in page  # the label the messages use
    assert not Event.objects.exists()


def _api_payload(**overrides: object) -> dict[str, object]:
    lat, lon = point_on("LT-BY-16")
    payload: dict[str, object] = {
        "ref": "API-L", "occurred_at": "2021-08-28T01:05", "type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 4, "nationalities": {"IQ": 4},
        "source": "patrol", "reporting_unit": "Druskininkai",
    }  # fmt: skip
    return payload | overrides


def test_api_reads_local_time_in_the_countrys_zone(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    response = client_for(guard_lt).post(
        "/api/border/events", _api_payload(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["local_date"] == "2021-08-28"
    assert Event.objects.get().occurred_at == dt.datetime(2021, 8, 27, 22, 5, tzinfo=dt.UTC)


def test_api_422_keeps_the_field_key_with_a_human_message(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    client = client_for(guard_lt)
    response = client.post(
        "/api/border/events",
        _api_payload(occurred_at="2021-10-31T03:30", nationalities={"IQ": 3}, type="riot"),
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["occurred_at"][0].startswith("Time of the event: 2021-10-31T03:30 happened twice")
    assert detail["nationalities"][0].startswith("Nationalities:")
    assert "Number of persons is 4" in detail["nationalities"][0]
    assert detail["type"][0].startswith("Type of event: 'riot'")
    # the schema's own checks (wrong JSON types) speak the same language
    typed = client.post(
        "/api/border/events",
        _api_payload(persons="many", occurred_at="soon"),
        content_type="application/json",
    )
    assert typed.status_code == 422
    errors = {e["loc"][-1]: e["msg"] for e in typed.json()["detail"]}
    assert errors["persons"].startswith("Number of persons:"), errors
    assert errors["occurred_at"].startswith("Time of the event:"), errors
    assert not Event.objects.exists()


def test_api_import_says_how_times_were_read(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (HEADER + _row("AL1", "2021-08-28T01:05")).encode()
    client = client_for(guard_lt)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/border/events/import", {"file": SimpleUploadedFile("a.csv", content)}
        )
    assert response.status_code == 202, response.content
    body = client.get(response.json()["url"]).json()
    assert (body["created"], body["local_times"], body["time_zone"]) == (1, 1, "Europe/Vilnius")
    assert "read as local time in Europe/Vilnius" in body["note"]


def test_import_page_says_how_times_were_read(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (HEADER + _row("PL1", "2021-08-28T01:05")).encode()
    client = client_for(guard_lt)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            "/border/events/import/", {"file": SimpleUploadedFile("p.csv", content)}
        )
    page = client.get(queued["Location"])
    assert "1 row gave the time without a UTC offset" in page.content.decode()


def test_import_page_lists_each_column_with_its_label_and_the_zone(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    page = client_for(guard_lt).get("/border/events/import/").content.decode()
    assert "<td><code>occurred_at</code></td><td>Time of the event</td>" in page
    assert "<td><code>type</code></td><td>Type of event</td>" in page
    assert "local time in <strong>Europe/Vilnius</strong>" in page
