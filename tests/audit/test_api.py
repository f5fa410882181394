"""The audit API: /api/audit/entries (filters as query parameters, keyset pages, 422 naming a
bad filter) and /api/audit/persons/{id}/record, in the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from tests.test_personal_data_matrix import World

pytestmark = pytest.mark.django_db

URL = "/api/audit/entries"


def test_entries_filtered_and_paged(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    body = client.get(URL, {"user": "w.officer.lt", "limit": 2}).json()
    assert len(body["items"]) == 2 and body["newer"] is None and body["older"]
    assert {i["user"] for i in body["items"]} == {"w.officer.lt"}
    assert set(body["items"][0]) == {
        "id", "at", "user", "user_state", "action", "kind", "object_type", "object_id",
        "member_state",
    }  # fmt: skip
    rest = client.get(URL, {"user": "w.officer.lt", "before": body["older"]}).json()
    ids = [i["id"] for i in body["items"] + rest["items"]]
    expected = AuditEntry.objects.filter(actor_username="w.officer.lt", member_state="LT")
    assert ids == sorted(expected.values_list("pk", flat=True), reverse=True)
    assert rest["older"] is None
    again = client.get(URL, {"user": "w.officer.lt", "after": rest["items"][0]["id"]}).json()
    assert [i["id"] for i in again["items"]] == ids[:2] and again["older"] == ids[1]
    person = client.get(
        URL, {"object_type": "registration.Person", "object_id": world.lt_person}
    ).json()
    assert {(i["object_type"], i["object_id"]) for i in person["items"]} == {
        ("registration.Person", str(world.lt_person))
    }


def test_bad_filters_answer_422_naming_the_field(
    coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    bad = client.get(URL, {"start": "27.07.2021"})
    assert bad.status_code == 422
    assert bad.json()["detail"] == {"start": ["From: enter a date as YYYY-MM-DD."]}
    backwards = client.get(URL, {"start": "2021-08-02", "end": "2021-08-01"})
    assert backwards.status_code == 422 and list(backwards.json()["detail"]) == ["end"]
    assert client.get(URL, {"action": "nothing"}).json()["detail"].keys() == {"action"}
    assert client.get(URL, {"object_type": "x.Y"}).status_code == 422
    both = client.get(URL, {"before": 5, "after": 3})
    assert both.status_code == 422 and "after" in both.json()["detail"]
    assert client.get(URL, {"limit": 0}).status_code == 422
    assert client.get(URL, {"limit": 10_000}).status_code == 422
    assert client.get(URL, {"before": 2**63}).status_code == 422


def test_an_analysts_read_through_the_api_is_recorded(
    world: World, frontex: User, client_for: Callable[[User], Client]
) -> None:
    audit.record(None, Action.GALLERY_COMPACT)  # an entry of no state: nobody's to be told
    body = client_for(frontex).get(URL, {"state": "PL"}).json()
    assert body["items"] and {i["member_state"] for i in body["items"]} == {"PL"}
    (noted,) = AuditEntry.objects.filter(action=Action.AUDIT_VIEW)
    assert noted.member_state == "PL" and noted.actor == frontex
    assert noted.new_values == {"entries": [i["id"] for i in body["items"]]}


def test_the_subject_access_document(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator_lt).get(f"/api/audit/persons/{world.lt_person}/record")
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["reference"] == world.lt_reference
    assert body["placements"][0]["facility"] == "Matrix centre"
    (entry,) = AuditEntry.objects.filter(action=Action.AUDIT_SUBJECT_ACCESS)
    assert entry.new_values == {"format": "api"}


def test_the_schema_documents_both_operations(
    coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    schema = client_for(coordinator_lt).get("/api/openapi.json").json()
    entries = schema["paths"]["/api/audit/entries"]["get"]
    names = {p["name"] for p in entries["parameters"]}
    assert {"user", "action", "object_type", "object_id", "start", "end", "before", "limit"} <= (
        names
    )
    assert "/api/audit/persons/{person_id}/record" in schema["paths"]
