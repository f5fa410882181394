"""Pages and API of the procedures app: the main path, bad input, scope, figures and CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.procedures import services
from borderwatch.procedures.models import AsylumApplication, Status
from borderwatch.registration.models import Person
from tests.procedures.conftest import MADE, TODAY, walk

pytestmark = pytest.mark.django_db
S = Status


def _case(officer: User, person: Person) -> AsylumApplication:
    return services.make_application(officer, person_id=person.pk, made_on=MADE, today=TODAY)


def test_page_main_path(
    officer_lt: User, person_lt: Person, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    response = client.post("/procedures/new/", {"person_id": person_lt.pk, "made_on": "2021-07-02"})
    assert response.status_code == 302
    case = AsylumApplication.objects.get()
    assert response["Location"] == f"/procedures/{case.pk}/"
    page = client.get(f"/procedures/{case.pk}/").content.decode()
    assert case.reference in page and f"/procedures/{case.pk}/step/registered/" in page
    assert client.get(f"/procedures/{case.pk}/step/registered/").status_code == 200
    response = client.post(f"/procedures/{case.pk}/step/registered/", {"on": "2021-07-05"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.REGISTERED
    listing = client.get("/procedures/?day=2021-07-05").content.decode()
    assert case.reference in listing


def test_page_bad_input_changes_nothing(
    officer_lt: User, person_lt: Person, client_for: Callable[[User], Client]
) -> None:
    case = _case(officer_lt, person_lt)
    client = client_for(officer_lt)
    response = client.post(f"/procedures/{case.pk}/step/registered/", {"on": "2021-06-30"})
    assert response.status_code == 422
    assert "before the application was made" in response.content.decode()
    assert client.get(f"/procedures/{case.pk}/step/final_rejected/").status_code == 404
    case.refresh_from_db()
    assert case.status == S.MADE


def test_other_state_and_other_roles_see_no_case(
    officer_lt: User,
    officer_pl: User,
    person_lt: Person,
    coordinator_lt: User,
    client_for: Callable[[User], Client],
) -> None:
    case = _case(officer_lt, person_lt)
    assert client_for(officer_pl).get(f"/procedures/{case.pk}/").status_code == 404
    assert client_for(coordinator_lt).get(f"/procedures/{case.pk}/").status_code == 403
    assert client_for(coordinator_lt).get("/procedures/backlog/").status_code == 200
    response = client_for(officer_pl).post(
        f"/procedures/{case.pk}/step/registered/", {"on": "2021-07-05"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == S.MADE


def test_api_paths_and_errors(
    officer_lt: User, person_lt: Person, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    made = client.post(
        "/api/procedures/applications",
        {"person_id": person_lt.pk, "made_on": "2021-07-02"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    case_id = made.json()["id"]
    url = f"/api/procedures/applications/{case_id}/steps"
    bad = client.post(
        url, {"target": "appealed", "on": "2021-07-05"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "Cannot go from made to appealed" in bad.content.decode()
    ok = client.post(
        url, {"target": "registered", "on": "2021-07-05"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "registered"
    listing = client.get("/api/procedures/applications?limit=1&offset=0").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == case_id
    timeline = client.get(f"/api/procedures/applications/{case_id}/timeline").json()
    assert [row["target"] for row in timeline] == ["made", "registered"]
    schema = client.get("/api/openapi.json").json()
    assert "/api/procedures/applications/{application_id}/steps" in schema["paths"]


def test_backlog_figures_and_csv_for_eu_roles_are_counts(
    officer_lt: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    from tests.registration.conftest import new_person

    for nationality, outcome in (("IQ", S.REJECTED_MANIFESTLY_UNFOUNDED), ("IQ", S.REFUGEE_STATUS),
                                 ("SY", S.SUBSIDIARY_PROTECTION)):  # fmt: skip
        person = new_person(None, "LT", nationality=nationality)
        case = _case(officer_lt, person)
        walk(
            officer_lt, case, (S.REGISTERED, MADE), (S.LODGED, MADE), (S.ADMISSIBLE, MADE),
            (S.INTERVIEWED, MADE), (outcome, dt.date(2021, 7, 9)),
        )  # fmt: skip
    _case(officer_lt, new_person(None, "LT"))  # pending
    commission = client_for(make_user(Role.COMMISSION_VIEWER))
    data = commission.get("/api/procedures/backlog?day=2021-08-01").json()
    assert data["member_states"] is None and data["pending_total"] == 1
    iq = next(r for r in data["outcomes"] if r["nationality"] == "IQ")
    assert (iq["decisions"], iq["recognition_rate"]) == (2, 50.0)
    csv = commission.get("/procedures/backlog.csv?day=2021-08-01&member_state=LT")
    body = b"".join(csv).decode()
    assert "IQ,2,1,0,1,0,0,0,50.0" in body and "Ali" not in body
    assert commission.get("/api/procedures/applications").status_code == 403
    pl = client_for(make_user(Role.NATIONAL_COORDINATOR, "PL")).get(
        "/api/procedures/backlog?day=2021-08-01&member_state=LT"
    )
    assert pl.json()["pending_total"] == 0 and pl.json()["outcomes"] == []
