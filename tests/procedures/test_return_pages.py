"""Return pages and API: the main path, bad input, scope, figures and CSV, policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.procedures import services
from borderwatch.procedures.models import CountryPolicy, ReturnCase, ReturnFlight
from borderwatch.registration.models import Person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2021, 12, 31)


def _post(client: Client, url: str, data: dict[str, object]) -> object:
    return client.post(url, data, content_type="application/json")


def test_pages_main_path(
    officer_lt: User, person_lt: Person, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    assert client.get("/procedures/returns/new/").status_code == 200
    response = client.post(
        "/procedures/returns/new/",
        {"person_id": person_lt.pk, "decided_on": "2021-09-01", "country": "iq",
         "kind": "forced", "risk_of_absconding": "on", "decision_text": "Decision."},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    case = ReturnCase.objects.get()
    page = client.get(f"/procedures/returns/{case.pk}/").content.decode()
    assert case.reference in page and "send-readmission" in page
    url = f"/procedures/returns/{case.pk}/readmission/"
    assert client.post(url, {"on": "2021-08-01"}).status_code == 422  # before the decision
    assert client.post(url, {"on": "2021-09-02"}).status_code == 302
    request = case.readmission_requests.get()
    for target, day in (("identity_confirmed", "2021-09-10"), ("travel_document", "2021-09-12")):
        step = f"/procedures/returns/readmission/{request.pk}/step/{target}/"
        assert client.get(step).status_code == 200
        assert client.post(step, {"on": day}).status_code == 302
    response = client.post(
        "/procedures/returns/flights/",
        {"kind": "charter", "departs_on": "2021-10-01", "route": "VNO-EBL", "country": "IQ",
         "seats": "1", "escorts": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    flight = ReturnFlight.objects.get()
    assert (
        client.post(f"/procedures/returns/flights/{flight.pk}/", {"case_id": case.pk}).status_code
        == 302
    )
    full = client.post(f"/procedures/returns/flights/{flight.pk}/", {"case_id": case.pk})
    assert full.status_code == 422 and "on board already" in full.content.decode()
    assert client.get(f"/procedures/returns/flights/{flight.pk}/").status_code == 200
    assert client.post(f"/procedures/returns/flights/{flight.pk}/depart/").status_code == 302
    case.refresh_from_db()
    assert case.status == "returned"
    listing = client.get("/procedures/returns/?day=2021-10-01").content.decode()
    assert case.reference in listing
    assert (
        "Return carried out" not in client.get(f"/procedures/returns/{case.pk}/").content.decode()
    )


def test_bad_input_on_pages_changes_nothing(
    officer_lt: User, person_lt: Person, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    response = client.post(
        "/procedures/returns/new/",
        {"person_id": person_lt.pk, "decided_on": "2021-09-01", "country": "IQ",
         "kind": "voluntary", "departure_days": "45", "decision_text": "Decision."},
    )  # fmt: skip
    assert response.status_code == 422 and "7 to 30 days, not 45" in response.content.decode()
    assert not ReturnCase.objects.exists()
    case = services.decide_return(
        officer_lt, person_id=person_lt.pk, decided_on=dt.date(2021, 9, 1), country="IQ",
        kind="forced", decision_text="D.", risk_of_absconding=True,
    )  # fmt: skip
    assert client.get(f"/procedures/returns/{case.pk}/step/decided/").status_code == 404
    services.start_detention(officer_lt, case.pk, on=dt.date(2021, 9, 1), reason="r")
    response = client.post(
        f"/procedures/returns/{case.pk}/detention-extend/", {"months": "13", "reason": "r"}
    )
    assert response.status_code == 422 and "18 months" in response.content.decode()
    case.refresh_from_db()
    assert case.detention_months == 6


def test_scope_other_state_and_roles(
    officer_lt: User,
    officer_pl: User,
    person_lt: Person,
    coordinator_lt: User,
    client_for: Callable[[User], Client],
) -> None:
    case = services.decide_return(
        officer_lt, person_id=person_lt.pk, decided_on=dt.date(2021, 9, 1), country="IQ",
        kind="forced", decision_text="D.", risk_of_absconding=True,
    )  # fmt: skip
    assert client_for(officer_pl).get(f"/procedures/returns/{case.pk}/").status_code == 404
    assert client_for(officer_pl).get(f"/api/procedures/returns/{case.pk}").status_code == 404
    assert client_for(coordinator_lt).get(f"/procedures/returns/{case.pk}/").status_code == 403
    response = client_for(officer_pl).post(
        f"/procedures/returns/{case.pk}/step/absconded/", {"on": "2021-09-05", "reason": "x"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "decided"


def test_api_and_figures(
    officer_lt: User,
    person_lt: Person,
    coordinator_lt: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(officer_lt)
    made = _post(client, "/api/procedures/returns", {
        "person_id": person_lt.pk, "decided_on": "2021-09-01", "country": "IQ",
        "kind": "voluntary", "departure_days": 14, "decision_text": "D.",
    })  # fmt: skip
    assert made.status_code == 201, made.content  # type: ignore[attr-defined]
    case_id = made.json()["id"]  # type: ignore[attr-defined]
    bad = _post(
        client,
        f"/api/procedures/returns/{case_id}/steps",
        {"target": "decided", "on": "2021-09-05"},
    )
    assert bad.status_code == 422 and "Cannot go from decided" in bad.content.decode()  # type: ignore[attr-defined]
    ok = _post(
        client,
        f"/api/procedures/returns/{case_id}/steps",
        {"target": "returned", "on": "2021-09-10"},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "returned"  # type: ignore[attr-defined]
    listing = client.get("/api/procedures/returns?limit=1").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == case_id
    timeline = client.get(f"/api/procedures/returns/{case_id}/timeline").json()
    assert [r["target"] for r in timeline] == ["decided", "returned"]
    schema = client.get("/api/openapi.json").json()
    assert "/api/procedures/return-flights/{flight_id}/passengers" in schema["paths"]
    commission = client_for(make_user(Role.COMMISSION_VIEWER))
    rows = commission.get("/api/procedures/returns/figures?day=2021-12-31").json()
    assert rows == [{"member_state": "LT", "nationality": person_lt.nationality, "decisions": 1,
                     "returned": 1, "voluntary": 1, "forced": 0, "effective_rate": 100.0}]  # fmt: skip
    assert commission.get("/api/procedures/returns").status_code == 403
    csv = b"".join(commission.get("/procedures/backlog.csv?day=2021-12-31")).decode()
    assert f"LT,{person_lt.nationality},1,1,1,0,100.0" in csv
    page = commission.get("/procedures/backlog/?day=2021-12-31").content.decode()
    assert "return-figures" in page
    # a coordinator sets a policy; an officer may not
    policy = _post(client_for(coordinator_lt), "/api/procedures/country-policies", {
        "country": "AF", "kind": "returns_suspended", "valid_from": "2021-08-16", "title": "Order",
    })  # fmt: skip
    assert policy.status_code == 201  # type: ignore[attr-defined]
    refused = _post(client, "/api/procedures/country-policies", {
        "country": "AF", "kind": "returns_suspended", "valid_from": "2021-08-16", "title": "x",
    })  # fmt: skip
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert CountryPolicy.objects.count() == 1
    assert client.get("/api/procedures/country-policies").json()["count"] == 1
    assert client_for(coordinator_lt).get("/procedures/returns/policies/").status_code == 200
