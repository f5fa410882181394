"""Reception API and pages: authentication, member-state scope, proposal accepted via the API."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.reception.models import Facility, Placement
from borderwatch.registration.models import Person
from tests.reception.conftest import JULY

pytestmark = pytest.mark.django_db
MakeFacility = Callable[..., Facility]
MakePerson = Callable[..., Person]


def _post(client: Client, url: str, data: object) -> object:
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_api_needs_authentication() -> None:
    assert Client().get("/api/reception/facilities").status_code == 401


def test_lt_user_never_sees_or_fills_pl_facilities(
    manager_lt: User,
    manager_pl: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    lt, pl = make_facility("LT"), make_facility("PL")
    pl_person = make_person("PL")
    client = client_for(manager_lt)
    listed = client.get(f"/api/reception/facilities?day={JULY}").json()
    assert [f["id"] for f in listed] == [lt.pk]
    assert client.get(f"/api/reception/facilities/{pl.pk}").status_code == 404
    geo = client.get(f"/api/reception/occupancy.geojson?day={JULY}").json()
    assert {f["properties"]["member_state"] for f in geo["features"]} == {"LT"}
    # cannot place into a PL facility, nor place a PL person anywhere
    lt_person = make_person("LT")
    denied = _post(
        client,
        "/api/reception/placements",
        {"person_id": lt_person.pk, "facility_id": pl.pk, "start_date": JULY},
    )
    assert denied.status_code == 422  # type: ignore[attr-defined]  # as if missing
    assert "does not exist" in str(denied.json())  # type: ignore[attr-defined]
    assert "Poland" not in str(denied.json())  # type: ignore[attr-defined]
    hidden = _post(
        client,
        "/api/reception/placements",
        {"person_id": pl_person.pk, "facility_id": lt.pk, "start_date": JULY},
    )
    assert hidden.status_code == 422  # type: ignore[attr-defined]
    assert "does not exist" in str(hidden.json())  # type: ignore[attr-defined]
    assert not Placement.objects.exists()
    # and the PL manager's own view shows only PL
    pl_listed = client_for(manager_pl).get(f"/api/reception/facilities?day={JULY}").json()
    assert [f["id"] for f in pl_listed] == [pl.pk]


def test_eu_analyst_sees_all_facilities_but_no_persons_and_cannot_place(
    frontex: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    lt, pl = make_facility("LT"), make_facility("PL")
    client = client_for(frontex)
    ids = {f["id"] for f in client.get(f"/api/reception/facilities?day={JULY}").json()}
    assert ids == {lt.pk, pl.pk}
    proposal = _post(client, "/api/reception/proposals", {"day": JULY})
    assert proposal.status_code == 403  # type: ignore[attr-defined]
    person = make_person()
    response = _post(
        client,
        "/api/reception/placements",
        {"person_id": person.pk, "facility_id": lt.pk, "start_date": JULY},
    )
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_bad_input_is_a_clear_422_and_changes_nothing(
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    f = make_facility(capacity_single_men=1)
    a, b = make_person(), make_person()
    response = _post(
        client_for(manager_lt),
        "/api/reception/placements/batch",
        {
            "placements": [
                {"person_id": a.pk, "facility_id": f.pk, "start_date": JULY},
                {"person_id": b.pk, "facility_id": f.pk, "start_date": JULY},
            ]
        },
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "would hold 2 people" in str(response.json())  # type: ignore[attr-defined]
    assert not Placement.objects.exists()
    wrong_date = _post(
        client_for(manager_lt),
        "/api/reception/placements",
        {"person_id": a.pk, "facility_id": f.pk, "start_date": "July"},
    )
    assert wrong_date.status_code == 422  # type: ignore[attr-defined]


def test_place_transfer_release_through_the_api(
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    f, g = make_facility(), make_facility()
    p = make_person()
    client = client_for(manager_lt)
    created = _post(
        client,
        "/api/reception/placements",
        {"person_id": p.pk, "facility_id": f.pk, "start_date": JULY, "reason": "nearest"},
    )
    assert created.status_code == 201  # type: ignore[attr-defined]
    pid = created.json()["id"]  # type: ignore[attr-defined]
    later = JULY + dt.timedelta(days=2)
    moved = _post(
        client,
        f"/api/reception/placements/{pid}/transfer",
        {"to_facility_id": g.pk, "on_date": later, "reason": "medical care"},
    )
    assert moved.status_code == 201  # type: ignore[attr-defined]
    new_id = moved.json()[0]["id"]  # type: ignore[attr-defined]
    released = _post(
        client,
        f"/api/reception/placements/{new_id}/release",
        {"on_date": later + dt.timedelta(days=1), "reason": "asylum granted"},
    )
    assert released.json()["end_reason"] == "release"  # type: ignore[attr-defined]
    series = client.get(
        f"/api/reception/occupancy/series?start={JULY}&end={later + dt.timedelta(days=1)}"
    ).json()
    assert series["total"]["occupied"] == [1, 1, 1, 0]


def test_proposal_is_created_polled_and_accepted_by_id_through_the_api(
    manager_lt: User,
    manager_pl: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    f = make_facility()
    man, woman = make_person(sex="M"), make_person(sex="F")
    client = client_for(manager_lt)
    with django_capture_on_commit_callbacks(execute=True):
        created = _post(client, "/api/reception/proposals", {"day": timezone.localdate()})
    assert created.status_code == 202  # type: ignore[attr-defined]
    body = created.json()  # type: ignore[attr-defined]
    assert body["status"] == "queued" and body["rows"] == []
    got = client.get(f"/api/reception/proposals/{body['id']}").json()
    assert (got["status"], got["progress"], got["persons"], got["placed"]) == ("done", 100, 2, 2)
    assert got["rows_total"] == 2 and got["page"] == 1
    assert {r["facility_id"] for r in got["rows"]} == {f.pk}
    assert sorted(i for r in got["rows"] for i in r["person_ids"]) == sorted([man.pk, woman.pk])
    assert client.get(f"/api/reception/proposals/{body['id']}?page=2").json()["rows"] == []
    other = client_for(manager_pl)
    assert other.get(f"/api/reception/proposals/{body['id']}").status_code == 404
    assert other.post(f"/api/reception/proposals/{body['id']}/accept").status_code == 404
    accepted = client.post(f"/api/reception/proposals/{body['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["placed"] == 2 and Placement.objects.count() == 2
    again = client.post(f"/api/reception/proposals/{body['id']}/accept")
    assert again.status_code == 422 and "already accepted" in str(again.json())
    assert client.get(f"/api/reception/proposals/{body['id']}").json()["accepted_by"] == (
        manager_lt.username
    )


def test_pages_render_for_viewers_and_managers(
    manager_lt: User,
    frontex: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
) -> None:
    f = make_facility()
    for user in (manager_lt, frontex):
        client = client_for(user)
        assert client.get(f"/reception/?day={JULY}").status_code == 200
        assert client.get(f"/reception/facilities/{f.pk}/?day={JULY}").status_code == 200
        assert client.get(f"/reception/chart/?day={JULY}").status_code == 200
    assert client_for(frontex).get("/reception/arrivals/").status_code == 403
    assert client_for(manager_lt).get(f"/reception/arrivals/?day={JULY}").status_code == 200
    assert Client().get("/reception/").status_code == 302


def test_the_facility_page_releases_no_one_unless_an_action_is_chosen(
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    f, g = make_facility(), make_facility()
    p = make_person()
    client = client_for(manager_lt)
    placement = _post(
        client,
        "/api/reception/placements",
        {"person_id": p.pk, "facility_id": f.pk, "start_date": JULY},
    ).json()  # type: ignore[attr-defined]
    page = client.get(f"/reception/facilities/{f.pk}/?day={JULY}").text
    select = re.search(r'<select name="to_facility"[^>]*>\s*<option([^>]*)>([^<]*)<', page)
    assert select is not None and 'value=""' in select.group(1) and "choose" in select.group(2)
    url = f"/reception/placements/{placement['id']}/end/"
    careless = client.post(url, {"day": JULY, "to_facility": "", "reason": "oops"}, follow=True)
    assert "nothing done" in careless.text
    assert Placement.objects.get(pk=placement["id"]).end_date is None
    client.post(url, {"day": JULY, "to_facility": "release", "reason": "asylum granted"})
    assert Placement.objects.get(pk=placement["id"]).status == "released"
    assert g.pk  # the other facility is offered as a transfer target
    assert f"transfer to {g.name}" in page


def test_other_states_placements_answer_like_missing_ones(
    manager_lt: User,
    manager_pl: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    """Releasing or transferring a PL placement (ended or not) reads exactly like a missing id,
    through the API and the page: no state named, no end date."""
    pl_facility, lt_facility = make_facility("PL"), make_facility("LT")
    pl_client = client_for(manager_pl)
    open_ = _post(
        pl_client,
        "/api/reception/placements",
        {"person_id": make_person("PL").pk, "facility_id": pl_facility.pk, "start_date": JULY},
    ).json()["id"]  # type: ignore[attr-defined]
    ended = _post(
        pl_client,
        "/api/reception/placements",
        {"person_id": make_person("PL").pk, "facility_id": pl_facility.pk, "start_date": JULY},
    ).json()["id"]  # type: ignore[attr-defined]
    later = JULY + dt.timedelta(days=3)
    _post(
        pl_client,
        f"/api/reception/placements/{ended}/release",
        {"on_date": later, "reason": "left"},
    )
    missing = max(open_, ended) + 100
    client = client_for(manager_lt)

    def answers(pid: int) -> list[tuple[int, str]]:
        out = []
        for action, body in (
            ("release", {"on_date": later, "reason": "x"}),
            ("transfer", {"to_facility_id": lt_facility.pk, "on_date": later, "reason": "x"}),
        ):
            r = _post(client, f"/api/reception/placements/{pid}/{action}", body)
            detail = r.json()["detail"]  # type: ignore[attr-defined] # (not the request id)
            text = json.dumps(detail).replace(str(pid), "#")
            out.append((r.status_code, text))  # type: ignore[attr-defined]
        for choice in ("release", str(lt_facility.pk)):
            page = client.post(
                f"/reception/placements/{pid}/end/",
                {"day": JULY, "to_facility": choice, "reason": "x"},
                follow=True,
            )
            texts = [str(m) for m in page.context["messages"]]
            out.append((page.status_code, " ".join(texts).replace(str(pid), "#")))
        return out

    expected = answers(missing)
    assert expected[0][0] == 422 and "does not exist" in expected[0][1]
    assert answers(open_) == expected
    assert answers(ended) == expected
    assert Placement.objects.filter(end_date__isnull=True).count() == 1
