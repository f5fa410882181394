from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.services import report_event
from borderwatch.core.roles import Role
from borderwatch.registration import services
from borderwatch.registration.models import CaptureJob, FingerprintSet, Person
from tests.border.conftest import event_input
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db
API = "/api/registration"


def test_requires_authentication() -> None:
    assert Client().get(f"{API}/persons").status_code == 401


def test_person_and_documents_are_scoped_by_state(
    officer_lt: User, officer_pl: User, client_for: Callable[[User], Client]
) -> None:
    lt = client_for(officer_lt)
    body = {"name_transliterated": "Ali", "nationality": "iq", "sex": "M"}
    created = lt.post(f"{API}/persons", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["member_state"] == "LT" and created.json()["reference"].startswith("LT")
    doc = {"doc_type": "passport", "number": "A1", "issuing_country": "IQ"}
    assert (
        lt.post(f"{API}/persons/{pid}/documents", doc, content_type="application/json").status_code
        == 201
    )
    assert lt.get(f"{API}/persons/{pid}/documents").json()[0]["number"] == "A1"
    pl = client_for(officer_pl)
    assert pl.get(f"{API}/persons/{pid}").status_code == 404
    assert pl.get(f"{API}/persons/{pid}/documents").status_code == 404
    assert pl.get(f"{API}/persons").json()["count"] == 0
    bad = lt.post(f"{API}/persons", {**body, "nationality": "QQ"}, content_type="application/json")
    assert bad.status_code == 422 and "nationality" in bad.json()["detail"]


@pytest.mark.usefixtures("border_data")
def test_group_registration_from_one_event(
    guard_lt: User, client_for: Callable[[User], Client]
) -> None:
    event = report_event(guard_lt, event_input(persons=3, nationalities={"IQ": 3}))
    rows = [{"name_transliterated": f"P{i}", "nationality": "IQ"} for i in range(3)]
    client = client_for(guard_lt)
    response = client.post(
        f"{API}/events/{event.pk}/persons", {"persons": rows}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert {p["eurodac_category"] for p in response.json()} == {2}
    listed = client.get(f"{API}/persons", {"event": event.pk}).json()
    assert [p["name_transliterated"] for p in listed["items"]] == ["P0", "P1", "P2"]
    bad = client.post(
        f"{API}/events/{event.pk}/persons",
        {"persons": [*rows, {"name_transliterated": "X", "nationality": "ZZ"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "Row 4" in str(bad.json()["detail"])
    assert Person.objects.count() == 3


def test_capture_by_multipart_is_queued_then_polled_and_bad_upload_keeps_nothing(
    officer_lt: User,
    officer_pl: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    missing = {f"missing_{p}": "amputated" for p in range(3, 11)}
    bad = client.post(
        f"{API}/persons/{person.pk}/fingerprints",
        {"finger_1": io.BytesIO(b"text"), **missing},
    )
    assert bad.status_code == 422 and "finger_1" in bad.json()["detail"]
    assert not FingerprintSet.objects.exists() and not CaptureJob.objects.exists()
    one, two = io.BytesIO(ridge_png(1)), io.BytesIO(ridge_png(2))
    one.name, two.name = "1.png", "2.png"
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            f"{API}/persons/{person.pk}/fingerprints",
            {"finger_1": one, "finger_2": two, **missing},
        )
        # the request answers before extraction (here the task runs once the request commits)
        assert queued.status_code == 202, queued.content
        assert queued.json()["status"] == "queued" and not FingerprintSet.objects.exists()
    capture_url = f"{API}/captures/{queued.json()['id']}"
    done = client.get(capture_url).json()
    assert done["status"] == "done" and done["progress"] == 100, done
    assert client_for(officer_pl).get(capture_url).status_code == 404
    fingers = client.get(f"{API}/fingerprint-sets/{done['fingerprint_set_id']}").json()["fingers"]
    assert [f["missing_reason"] for f in fingers[2:]] == ["amputated"] * 8
    image = client.get(fingers[0]["image_url"])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client_for(officer_pl).get(fingers[0]["image_url"]).status_code == 404


def test_identification_hits_and_decisions(
    officer_lt: User,
    officer_pl: User,
    expert_pl: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    synthetic_set(new_person(officer_lt, "LT"), subject=3, impression=0)
    services.rebuild_gallery()
    fs = synthetic_set(new_person(officer_pl, "PL", name_transliterated="Omar"), 3, 1)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        queued = client_for(officer_pl).post(f"{API}/fingerprint-sets/{fs.pk}/identify")
    assert queued.status_code == 202, queued.content
    status = client_for(officer_pl).get(f"{API}/identifications/{queued.json()['id']}").json()
    assert status["status"] == "done" and status["progress"] == 100 and status["hits"] == 1
    expert = client_for(expert_pl)
    (hit,) = expert.get(f"{API}/hits", {"status": "pending"}).json()["items"]
    assert hit["other"]["member_state"] == "LT"
    comparison = expert.get(f"{API}/hits/{hit['id']}/comparison").json()
    assert comparison[0]["pairs"] and comparison[0]["candidate_image_url"] is None
    url = f"{API}/hits/{hit['id']}/decision"
    no_reason = expert.post(url, {"confirm": False}, content_type="application/json")
    assert no_reason.status_code == 422
    officer = client_for(officer_pl).post(url, {"confirm": True}, content_type="application/json")
    assert officer.status_code == 403
    done = expert.post(url, {"confirm": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    lt_view = client_for(make_user(Role.CASE_OFFICER, "LT")).get(f"{API}/hits").json()
    (told,) = lt_view["items"]
    assert told["other"]["member_state"] == "PL" and "Omar" not in str(told)


def test_csv_export_of_a_day(
    officer_lt: User, officer_pl: User, frontex: User, client_for: Callable[[User], Client]
) -> None:
    new_person(officer_lt, "LT", name_transliterated="Lina")
    new_person(officer_lt, "LT", name_transliterated="=HYPERLINK(1)")
    new_person(officer_pl, "PL", name_transliterated="Piotr")
    today = timezone.localdate().isoformat()
    response = client_for(officer_lt).get(f"{API}/export.csv", {"day": today})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["name_transliterated"] for r in rows] == ["Lina", "'=HYPERLINK(1)"]
    assert rows[0]["fingerprint_sets"] == "0"
    other_day = client_for(officer_lt).get(f"{API}/export.csv", {"day": "2021-07-06"})
    assert len(other_day.content.decode().splitlines()) == 1
    assert client_for(frontex).get(f"{API}/export.csv", {"day": today}).status_code == 403


def test_photo_upload_is_seen_by_own_state_only(
    officer_lt: User,
    officer_pl: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
) -> None:
    person = new_person(officer_lt, "LT")
    upload = io.BytesIO(ridge_png(4))
    upload.name = "face.png"
    response = client_for(officer_lt).post(f"{API}/persons/{person.pk}/photo", {"photo": upload})
    assert response.status_code == 200, response.content
    assert response.json()["has_photo"] is True
    photo = client_for(officer_lt).get(f"{API}/persons/{person.pk}/photo")
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG")
    assert client_for(officer_pl).get(f"{API}/persons/{person.pk}/photo").status_code == 404


def test_capture_form_is_described_in_the_openapi_schema(
    officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    assert Client().get("/api/openapi.json").status_code == 302  # sign in first
    schema = client_for(officer_lt).get("/api/openapi.json").json()
    body = schema["paths"]["/api/registration/persons/{person_id}/fingerprints"]["post"]
    form = body["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert {f"finger_{p}" for p in range(1, 11)} | {"nist"} <= set(form)
    assert form["finger_1"]["format"] == "binary"
    assert set(form["missing_10"]["enum"]) == {"amputated", "bandaged", "unable"}
