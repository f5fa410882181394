from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.accounts.services import issue_token
from borderwatch.border import services
from borderwatch.border.models import Event
from tests.border.conftest import event_input, point_on

pytestmark = pytest.mark.usefixtures("border_data")


def _payload(ref: str = "API-1", section: str = "LT-BY-16") -> dict[str, object]:
    lat, lon = point_on(section)
    return {
        "ref": ref, "occurred_at": "2021-07-27T22:40:00+03:00", "type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 4, "nationalities": {"IQ": 4},
        "source": "patrol", "reporting_unit": "Druskininkai",
    }  # fmt: skip


def test_api_requires_authentication() -> None:
    response = Client().get("/api/border/events")
    assert response.status_code == 401


def test_report_with_bearer_token(guard_lt: User) -> None:
    token = issue_token(guard_lt, "station laptop")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    response = client.post("/api/border/events", _payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["section"] == "LT-BY-16" and body["local_date"] == "2021-07-27"
    assert Event.objects.get().created_by == guard_lt


def test_bad_input_gives_422_and_writes_nothing(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    payload = _payload() | {"nationalities": {"ZZ": 4}}
    response = client_for(guard_lt).post(
        "/api/border/events", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert "ZZ" in str(response.json()["detail"])
    assert not Event.objects.exists()


def test_member_state_scope(
    client_for: Callable[[User], Client], guard_lt: User, guard_pl: User, frontex: User
) -> None:
    lt_event = services.report_event(guard_lt, event_input())
    services.report_event(guard_pl, event_input("PL-BY-03", ref="P-9"))
    polish = client_for(guard_pl)
    assert polish.get(f"/api/border/events/{lt_event.pk}").status_code == 404
    listed = polish.get("/api/border/events").json()
    assert [e["country"] for e in listed["items"]] == ["PL"]
    assert (
        polish.delete(
            f"/api/border/events/{lt_event.pk}", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Event.objects.filter(deleted_at__isnull=True).count() == 2
    assert {s["country"] for s in polish.get("/api/border/sections").json()} == {"PL"}
    everyone = client_for(frontex).get("/api/border/events").json()
    assert sorted(e["country"] for e in everyone["items"]) == ["LT", "PL"]
    assert (
        client_for(frontex)
        .post("/api/border/events", _payload("F1"), content_type="application/json")
        .status_code
        == 403
    )


def test_correct_and_delete_through_api(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    client = client_for(guard_lt)
    created = client.post("/api/border/events", _payload(), content_type="application/json").json()
    payload = _payload() | {"persons": 5, "nationalities": {"IQ": 5}, "reason": "recount"}
    corrected = client.put(
        f"/api/border/events/{created['id']}", payload, content_type="application/json"
    )
    assert corrected.status_code == 200 and corrected.json()["persons"] == 5
    assert (
        client.delete(
            f"/api/border/events/{created['id']}",
            {"reason": "duplicate"},
            content_type="application/json",
        ).status_code
        == 204
    )
    assert client.get(f"/api/border/events/{created['id']}").json()["deleted"] is True


def test_import_through_api(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    lat, lon = point_on("LT-BY-09")
    good = (
        "ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\n"
        f"U1,2021-07-27T21:00:00+03:00,apprehension,{lat},{lon},3,IQ:3,patrol,Šalčininkai\n"
    )
    client = client_for(guard_lt)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            "/api/border/events/import", {"file": SimpleUploadedFile("n.csv", good.encode())}
        )
    assert queued.status_code == 202
    ok = client.get(queued.json()["url"])
    assert ok.json()["status"] == "done" and ok.json()["created"] == 1
    bad = good.replace("U1", "U2").replace(",3,IQ:3", ",3,IQ:2")
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            "/api/border/events/import", {"file": SimpleUploadedFile("n.csv", bad.encode())}
        )
    rejected = client.get(queued.json()["url"]).json()
    assert rejected["status"] == "failed"
    assert rejected["errors"][0].startswith("line 2:")
    assert Event.objects.count() == 1


def test_propose_and_confirm_through_api(
    client_for: Callable[[User], Client], guard_lt: User, coordinator_lt: User
) -> None:
    when = dt.datetime(2021, 7, 26, 22, tzinfo=dt.UTC)
    services.report_event(
        guard_lt, event_input("LT-BY-09", persons=900, nationalities={"IQ": 900}, occurred_at=when)
    )
    client = client_for(coordinator_lt)
    proposed = client.post(
        "/api/border/impact-assessments/propose",
        {"country": "LT", "as_of": "2021-07-27"},
        content_type="application/json",
    )
    assert proposed.status_code == 200
    (proposal,) = proposed.json()
    confirmed = client.post(
        f"/api/border/impact-assessments/{proposal['id']}/confirm",
        {},
        content_type="application/json",
    )
    assert confirmed.json()["level"] == proposal["proposed_level"]
    sections = {s["code"]: s for s in client.get("/api/border/sections?country=LT").json()}
    assert sections["LT-BY-09"]["impact_level"] == proposal["proposed_level"]
    guard = client_for(guard_lt)
    assert (
        guard.post(
            "/api/border/impact-assessments/propose",
            {"country": "LT", "as_of": "2021-07-27"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_reject_a_proposal_through_the_api(
    client_for: Callable[[User], Client], guard_lt: User, coordinator_lt: User, guard_pl: User
) -> None:
    services.report_event(guard_lt, event_input("LT-BY-09", persons=900, nationalities={"IQ": 900}))
    (proposal,) = services.propose_impact_levels(None, "LT", dt.date(2021, 7, 28))
    url = f"/api/border/impact-assessments/{proposal.pk}/reject"
    polish = client_for(guard_pl).post(url, {"reason": "x"}, content_type="application/json")
    assert polish.status_code == 404
    client = client_for(coordinator_lt)
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    response = client.post(url, {"reason": "double count"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("rejected", "double count")
    listed = client.get("/api/border/impact-assessments").json()
    assert [a["status"] for a in listed["items"]] == ["rejected"]
