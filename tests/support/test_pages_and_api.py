"""Support pages and API: every role x member state on every read route (a coordinator sees
their own state, Frontex and the Commission all, other roles nothing; another state's data
answers like missing data; an EU-level read is audited), the writes' errors, the CSV."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.support import services
from borderwatch.support.models import AssistanceRequest, FundingDecision
from tests.support.conftest import PLAN, lt_section

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/support"


@pytest.fixture
def world(
    planned: AssistanceRequest, frontex: User, make_user: Callable[..., User]
) -> dict[str, int]:
    [rid] = [r.pk for r in services.offer_resources(
        frontex, contributing_state="DE", resource_type="border_surveillance", number=1,
        available_from=D(2021, 7, 1), available_to=D(2021, 12, 31))]  # fmt: skip
    services.deploy(frontex, planned.pk, resource_id=rid, starts_on=PLAN[0], ends_on=PLAN[1],
                    section=lt_section())  # fmt: skip
    commission = make_user(Role.COMMISSION_VIEWER)
    fund = services.offer_funding(commission, beneficiary_state="LT", instrument="amif_ea",
                                  title="Urgent needs", amount="12000000.00",
                                  offered_on=D(2021, 7, 28))  # fmt: skip
    return {"request": planned.pk, "funding": fund.pk}


def _routes(w: dict[str, int]) -> list[tuple[str, str, str]]:
    """(name, path, marker that shows Lithuania's data)."""
    r = w["request"]
    return [
        ("requests page", "/support/", "AR-LT-"),
        ("request page", f"/support/{r}/", "AR-LT-"),
        ("funding page", "/support/funding/", "Urgent needs"),
        ("funding csv", "/support/funding.csv", "Urgent needs"),
        ("overview", "/support/overview/?day=2021-08-10", "Border surveillance officer"),
        ("api requests", f"{API}/requests", "AR-LT-"),
        ("api request", f"{API}/requests/{r}", "AR-LT-"),
        ("api fill", f"{API}/requests/{r}/fill-rate?day=2021-08-10", "border_surveillance"),
        ("api deployments", f"{API}/requests/{r}/deployments", "DE-BORD-0001"),
        ("api funding", f"{API}/funding", "Urgent needs"),
        ("api coverage", f"{API}/coverage?day=2021-08-10", '"officers": 1'),
    ]


MATRIX = [
    (Role.NATIONAL_COORDINATOR, "LT", True),
    (Role.NATIONAL_COORDINATOR, "LV", False),
    (Role.FRONTEX_ANALYST, "", True),
    (Role.COMMISSION_VIEWER, "", True),
    (Role.BORDER_GUARD, "LT", False),
    (Role.CASE_OFFICER, "LT", False),
]


@pytest.mark.parametrize(("role", "state", "sees"), MATRIX)
def test_role_and_member_state_matrix(
    world: dict[str, int], make_user: Callable[..., User], client_for: Callable[[User], Client],
    role: Role, state: str, sees: bool,
) -> None:  # fmt: skip
    user = make_user(role, state)
    client = client_for(user)
    for name, path, marker in _routes(world):
        response = client.get(path)
        body = response.content.decode()
        if sees:
            assert response.status_code == 200, (name, response.status_code)
            assert marker in body, name
        else:
            assert response.status_code in (200, 403, 404), (name, response.status_code)
            assert marker not in body, name
    reads = AuditEntry.objects.filter(action="support.view", actor_id=user.pk, member_state="LT")
    assert reads.exists() == (sees and not state)  # EU-level reads of LT's data are audited


def test_api_writes_refuse_bad_input_and_change_nothing(
    world: dict[str, int], make_user: Callable[..., User], client_for: Callable[[User], Client],
    frontex: User,
) -> None:  # fmt: skip
    commission = client_for(make_user(Role.COMMISSION_VIEWER))
    f = world["funding"]
    post = lambda c, path, body: c.post(path, json.dumps(body), content_type="application/json")  # noqa: E731
    for body, problem in (
        ({"amount": "-1", "awarded_on": "2021-08-11"}, "negative"),
        ({"amount": "1", "currency": "USD", "awarded_on": "2021-08-11"}, "EUR only"),
    ):
        response = post(commission, f"{API}/funding/{f}/award", body)
        assert response.status_code == 422 and problem in response.content.decode()
    assert FundingDecision.objects.get(pk=f).awarded is None
    ok = post(
        commission,
        f"{API}/funding/{f}/award",
        {"amount": "36700000.00", "awarded_on": "2021-08-11"},
    )
    assert ok.status_code == 200 and ok.json()["awarded"] == "36700000.00"
    past = post(commission, f"{API}/funding/{f}/allocations",
                {"amount": "36700000.01", "measure": "reception", "on": "2021-08-12"})  # fmt: skip
    assert past.status_code == 422 and "past what was awarded" in past.content.decode()
    fx = client_for(frontex)
    r = world["request"]
    outside = post(fx, f"{API}/requests/{r}/deployments",
                   {"resource_id": 1, "starts_on": "2021-07-01", "ends_on": "2021-07-02"})  # fmt: skip
    assert outside.status_code == 422
    [dep] = fx.get(f"{API}/requests/{r}/deployments").json()
    double = post(fx, f"{API}/requests/{r}/deployments",
                  {"resource_id": dep["resource_id"], "starts_on": "2021-08-01", "ends_on": "2021-08-02"})  # fmt: skip
    assert double.status_code == 422 and "Double booking" in double.content.decode()
    assert len(fx.get(f"{API}/requests/{r}/deployments").json()) == 1
    coordinator = client_for(make_user(Role.NATIONAL_COORDINATOR, "LV"))
    assert post(coordinator, f"{API}/requests/{r}/steps", {"target": "deployed"}).status_code == 404


def test_main_path_through_the_pages(
    sections: None, coordinator_lt: User, frontex: User, client_for: Callable[[User], Client]
) -> None:
    services.offer_resources(frontex, contributing_state="DE", resource_type="patrol_car",
                             number=5, available_from=D(2021, 7, 1), available_to=D(2021, 12, 31))  # fmt: skip
    lt = client_for(coordinator_lt)
    response = lt.post("/support/", {
        "title": "Patrol cars", "submitted_on": "2021-07-20", "period_from": "2021-07-30",
        "period_to": "2021-11-30", "resource_type": "patrol_car", "number": "4",
        "sections": [lt_section()],
    })  # fmt: skip
    req = AssistanceRequest.objects.get()
    assert response.status_code == 302
    fx = client_for(frontex)
    assert fx.post(f"/support/{req.pk}/step/assessed/").status_code == 302
    refused = fx.post(f"/support/{req.pk}/step/plan_agreed/", {"plan_reference": "P",
                      "plan_from": "2021-07-30", "plan_to": "2021-07-01"})  # fmt: skip
    assert refused.status_code == 400 and "before it starts" in refused.content.decode()
    fx.post(f"/support/{req.pk}/step/plan_agreed/", {"plan_reference": "RBI",
            "plan_from": "2021-07-30", "plan_to": "2021-11-30"})  # fmt: skip
    too_many = fx.post(f"/support/{req.pk}/deploy/", {"resource_type": "patrol_car", "number": "6",
                       "starts_on": "2021-07-30", "ends_on": "2021-11-30", "section": ""})  # fmt: skip
    assert too_many.status_code == 400 and "Only 5" in too_many.content.decode()
    fx.post(f"/support/{req.pk}/deploy/", {"resource_type": "patrol_car", "number": "3",
            "starts_on": "2021-07-30", "ends_on": "2021-11-30", "section": lt_section()})  # fmt: skip
    page = fx.get(f"/support/{req.pk}/?day=2021-08-10").content.decode()
    assert "75.0 %" in page
    csv = fx.get("/support/funding.csv")
    assert csv["Content-Type"].startswith("text/csv")
