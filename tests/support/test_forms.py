"""The page forms of the support app: a rotation of a deployment, the funding steps (offer,
award, allocation to a measure, spending) and aid in kind (offer, delivery).

For each: the service takes good input, refuses bad input naming the problem and changing
nothing, refuses a role that may not and another state's user; the page does the same through
its form (POST only, CSRF-checked), shows the service's words on the form (400) and redirects
after success.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.support import services
from borderwatch.support.models import (
    Allocation,
    AssistanceRequest,
    Deployment,
    FundingDecision,
    InKindAid,
    Payment,
)
from tests.support.conftest import PLAN, lt_section

pytestmark = pytest.mark.django_db
D = dt.date


def _state_of_things() -> tuple[Any, ...]:
    """Everything the forms could change, to compare before and after a refused write."""
    return (
        list(Deployment.objects.order_by("id").values_list("id", "resource_id", "starts_on",
                                                           "ends_on")),
        list(FundingDecision.objects.order_by("id").values_list("id", "awarded", "awarded_on")),
        Allocation.objects.count(), Payment.objects.count(),
        list(InKindAid.objects.order_by("id").values_list("id", "quantity_offered",
                                                          "quantity_delivered")),
        AuditEntry.objects.filter(action__startswith="support.").exclude(action="support.view")
        .count(),
    )  # fmt: skip


# ---- rotations -----------------------------------------------------------------------------


@pytest.fixture
def deployed(planned: AssistanceRequest, frontex: User) -> dict[str, int]:
    """One officer deployed for the whole plan; two more of the profile free, one car."""
    a, b, c = (r.pk for r in services.offer_resources(
        frontex, contributing_state="DE", resource_type="border_surveillance", number=3,
        available_from=D(2021, 7, 1), available_to=D(2021, 12, 31)))  # fmt: skip
    [car] = (r.pk for r in services.offer_resources(
        frontex, contributing_state="PL", resource_type="patrol_car", number=1,
        available_from=D(2021, 7, 1), available_to=D(2021, 12, 31)))  # fmt: skip
    first = services.deploy(frontex, planned.pk, resource_id=a, starts_on=PLAN[0],
                            ends_on=PLAN[1], section=lt_section())  # fmt: skip
    return {"deployment": first.pk, "request": planned.pk, "in": b, "spare": c, "car": car}


def test_rotation_service_rules(
    deployed: dict[str, int], frontex: User, coordinator_lt: User, coordinator_lv: User,
    make_user: Callable[..., User],
) -> None:  # fmt: skip
    d = deployed["deployment"]
    before = _state_of_things()
    for kwargs, message in (
        ({"resource_id": deployed["in"], "on": PLAN[0]}, "after the deployment starts"),
        ({"resource_id": deployed["in"], "on": D(2021, 12, 1)}, "by its end"),
        ({"resource_id": deployed["car"], "on": D(2021, 9, 1)}, "like with like"),
        ({"resource_id": 999_999, "on": D(2021, 9, 1)}, "another officer or item"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.rotate(frontex, d, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="Only Frontex"):
        services.rotate(coordinator_lt, d, resource_id=deployed["in"], on=D(2021, 9, 1))
    with pytest.raises(PermissionDenied):  # the Commission sees deployments, manages money
        services.rotate(make_user(Role.COMMISSION_VIEWER), d, resource_id=deployed["in"],
                        on=D(2021, 9, 1))  # fmt: skip
    with pytest.raises(ObjectDoesNotExist):  # a border guard sees no support data at all
        services.rotate(make_user(Role.BORDER_GUARD, "LT"), d, resource_id=deployed["in"],
                        on=D(2021, 9, 1))  # fmt: skip
    with pytest.raises(ObjectDoesNotExist):  # another state's deployment answers like none
        services.rotate(coordinator_lv, d, resource_id=deployed["in"], on=D(2021, 9, 1))
    assert _state_of_things() == before
    new = services.rotate(frontex, d, resource_id=deployed["in"], on=D(2021, 9, 1))
    assert (new.starts_on, new.ends_on, new.rotation_of_id) == (D(2021, 9, 1), PLAN[1], d)


def test_rotation_page(
    deployed: dict[str, int], frontex: User, coordinator_lt: User, coordinator_lv: User,
    make_user: Callable[..., User], client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    d = deployed["deployment"]
    fx = client_for(frontex)
    request_page = fx.get(f"/support/{deployed['request']}/").content.decode()
    assert f'href="/support/deployments/{d}/#rotate"' in request_page  # linked where one looks
    page = fx.get(f"/support/deployments/{d}/").content.decode()
    assert 'id="rotate"' in page and "DE-BORD-0002" in page  # a free officer is offered
    assert "PL-PATR-0001" not in page  # the car is not like for like
    assert fx.get(f"/support/deployments/{d}/rotate/").status_code == 405  # POST only
    before = _state_of_things()
    refused = fx.post(f"/support/deployments/{d}/rotate/",
                      {"resource": deployed["in"], "on": "2021-12-01"})  # fmt: skip
    assert refused.status_code == 400
    assert "A rotation falls after the deployment starts" in refused.content.decode()
    assert _state_of_things() == before
    # the coordinator sees the deployment but no form, and may not rotate; Latvia's sees nothing
    lt = client_for(coordinator_lt)
    assert 'id="rotate"' not in lt.get(f"/support/deployments/{d}/").content.decode()
    assert lt.post(f"/support/deployments/{d}/rotate/",
                   {"resource": deployed["in"], "on": "2021-09-01"}).status_code == 403  # fmt: skip
    lv = client_for(coordinator_lv)
    assert lv.get(f"/support/deployments/{d}/").status_code == 404
    assert lv.post(f"/support/deployments/{d}/rotate/",
                   {"resource": deployed["in"], "on": "2021-09-01"}).status_code == 404  # fmt: skip
    guard = client_for(make_user(Role.BORDER_GUARD, "LT"))
    assert guard.post(f"/support/deployments/{d}/rotate/",
                      {"resource": deployed["in"], "on": "2021-09-01"}).status_code == 403  # fmt: skip
    assert _state_of_things() == before
    done = fx.post(f"/support/deployments/{d}/rotate/",
                   {"resource": deployed["in"], "on": "2021-09-01"})  # fmt: skip
    assert done.status_code == 302 and done["Location"] == f"/support/{deployed['request']}/"
    new = Deployment.objects.get(rotation_of_id=d)
    assert (new.resource_id, new.starts_on) == (deployed["in"], D(2021, 9, 1))
    page = fx.get(f"/support/deployments/{d}/").content.decode()
    assert f'href="/support/deployments/{new.pk}/"' in page  # replaced by, linked


def test_forms_need_the_csrf_token(deployed: dict[str, int], frontex: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(frontex)
    response = client.post(f"/support/deployments/{deployed['deployment']}/rotate/",
                           {"resource": deployed["in"], "on": "2021-09-01"})  # fmt: skip
    assert response.status_code == 403
    assert not Deployment.objects.filter(rotation_of__isnull=False).exists()


# ---- funding steps -------------------------------------------------------------------------


@pytest.fixture
def offered(sections: None, commission: User) -> int:
    return services.offer_funding(
        commission, beneficiary_state="LT", instrument="amif_ea", title="Urgent needs",
        amount="12000000.00", offered_on=D(2021, 7, 28),
    ).pk  # fmt: skip


def test_funding_step_services_refuse_other_roles_and_states(
    offered: int, frontex: User, coordinator_lt: User, coordinator_lv: User
) -> None:
    before = _state_of_things()
    for user in (frontex, coordinator_lt, coordinator_lv):
        with pytest.raises(PermissionDenied):
            services.award_funding(user, offered, amount="1", awarded_on=D(2021, 8, 11))
        with pytest.raises(PermissionDenied):
            services.allocate(user, offered, measure="reception", amount="1", on=D(2021, 8, 12))
        with pytest.raises(PermissionDenied):
            services.pay(user, offered, measure="reception", amount="1", on=D(2021, 8, 12))
    assert _state_of_things() == before


def test_funding_steps_through_the_pages(
    offered: int, commission: User, coordinator_lt: User, coordinator_lv: User, frontex: User,
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    ec = client_for(commission)
    url = f"/support/funding/{offered}/"
    statement = ec.get("/support/funding/").content.decode()
    assert f'href="{url}"' in statement  # the decision is linked from the statement
    page = ec.get(url).content.decode()
    assert all(f'id="{f}"' in page for f in ("award", "allocate", "pay"))
    assert ec.get(f"{url}award/").status_code == 405
    before = _state_of_things()
    for step, data, problem in (
        ("award", {"amount": "-1", "currency": "EUR", "awarded_on": "2021-08-11"},
         "An amount cannot be negative."),
        ("award", {"amount": "1", "currency": "USD", "awarded_on": "2021-08-11"},
         "Amounts are in EUR only"),
        ("award", {"amount": "36700000", "currency": "EUR", "awarded_on": "2021-07-01"},
         "The award cannot come before the offer (2021-07-28)."),
        ("allocate", {"measure": "reception", "amount": "1", "currency": "EUR",
                      "on": "2021-08-12"}, "Nothing is awarded yet"),
        ("pay", {"measure": "reception", "amount": "1.001", "currency": "EUR",
                 "on": "2021-08-12"}, "at most two decimal places"),
    ):  # fmt: skip
        response = ec.post(f"{url}{step}/", {f"{step}-{k}": v for k, v in data.items()})
        assert response.status_code == 400, step
        body = response.content.decode()
        assert problem in body, (step, problem)
        assert 'class="errorlist' in body
    assert _state_of_things() == before
    for user, status in ((coordinator_lt, 403), (coordinator_lv, 403), (frontex, 403)):
        client = client_for(user)
        response = client.post(f"{url}award/", {"award-amount": "1", "award-currency": "EUR",
                                                "award-awarded_on": "2021-08-11"})  # fmt: skip
        assert response.status_code == status
        assert 'id="award"' not in client.get(url).content.decode()
    assert client_for(coordinator_lv).get(url).status_code == 404  # Latvia's sees no LT money
    good = {"award-amount": "1", "award-currency": "EUR", "award-awarded_on": "2021-08-11"}
    assert ec.post("/support/funding/999999/award/", good).status_code == 404
    assert ec.post(f"{url}refund/", good).status_code == 404
    assert _state_of_things() == before
    ok = ec.post(f"{url}award/", {"award-amount": "36700000.00", "award-currency": "EUR",
                                  "award-awarded_on": "2021-08-11"})  # fmt: skip
    assert ok.status_code == 302 and ok["Location"] == url
    ok = ec.post(f"{url}allocate/", {"allocate-measure": "reception",
                                     "allocate-amount": "20000000.00",
                                     "allocate-currency": "EUR", "allocate-on": "2021-08-12"})  # fmt: skip
    assert ok.status_code == 302
    past = ec.post(f"{url}pay/", {"pay-measure": "reception", "pay-amount": "20000000.01",
                                  "pay-currency": "EUR", "pay-on": "2021-09-01"})  # fmt: skip
    assert past.status_code == 400 and "past what was awarded for Reception" in (
        past.content.decode()
    )
    ok = ec.post(f"{url}pay/", {"pay-measure": "reception", "pay-amount": "1500000.50",
                                "pay-currency": "EUR", "pay-on": "2021-09-01",
                                "pay-note": "tents"})  # fmt: skip
    assert ok.status_code == 302
    page = ec.get(url).content.decode()
    assert "36700000.00" in page and "35199999.50" in page  # awarded, balance
    assert Payment.objects.get().note == "tents"


def test_funding_offer_through_the_page(
    sections: None, commission: User, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    ec = client_for(commission)
    data = {"offer-beneficiary_state": "LT", "offer-instrument": "amif_ea",
            "offer-title": "Urgent reception", "offer-amount": "12000000.00",
            "offer-currency": "EUR", "offer-offered_on": "2021-07-28", "offer-source": ""}  # fmt: skip
    refused = ec.post("/support/funding/offer/", {**data, "offer-amount": "12,000,000"})
    assert refused.status_code == 400 and "is not an amount" in refused.content.decode()
    assert client_for(coordinator_lt).post("/support/funding/offer/", data).status_code == 403
    assert not FundingDecision.objects.exists()
    done = ec.post("/support/funding/offer/", data)
    decision = FundingDecision.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/support/funding/{decision.pk}/"


# ---- aid in kind ---------------------------------------------------------------------------


def test_aid_services_refuse_bad_input_other_roles_and_states(
    sections: None, commission: User, frontex: User, coordinator_lt: User, coordinator_lv: User
) -> None:
    base = dict(beneficiary_state="LT", contributing_state="EE", item="tents", quantity=20,
                offered_on=D(2021, 7, 15))  # fmt: skip
    for change, message in (
        ({"quantity": 0}, "between 1"),
        ({"item": "blankets"}, "tents, beds, generators or heaters"),
        ({"contributing_state": "BY"}, "not a member state"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.offer_aid(commission, **{**base, **change})  # type: ignore[arg-type]
    for user in (frontex, coordinator_lt, coordinator_lv):
        with pytest.raises(PermissionDenied):
            services.offer_aid(user, **base)  # type: ignore[arg-type]
    assert not InKindAid.objects.exists()
    aid = services.offer_aid(commission, **base)  # type: ignore[arg-type]
    for user in (frontex, coordinator_lt, coordinator_lv):
        with pytest.raises(PermissionDenied):
            services.deliver_aid(user, aid.pk, quantity=1, on=D(2021, 7, 20))
    with pytest.raises(ValidationError, match="before the offer"):
        services.deliver_aid(commission, aid.pk, quantity=1, on=D(2021, 7, 1))
    assert InKindAid.objects.get().quantity_delivered == 0


def test_aid_through_the_funding_page(
    sections: None, commission: User, coordinator_lt: User, coordinator_lv: User,
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    ec = client_for(commission)
    page = ec.get("/support/funding/").content.decode()
    assert 'id="aid-offer"' in page and 'id="offer"' in page
    assert "Every offer of aid in kind is delivered in full." in page  # nothing to deliver yet
    data = {"aid-beneficiary_state": "LT", "aid-contributing_state": "EE", "aid-item": "tents",
            "aid-quantity": "20", "aid-offered_on": "2021-07-15"}  # fmt: skip
    refused = ec.post("/support/aid/", {**data, "aid-quantity": "-3"})
    assert refused.status_code == 400 and "Offer between 1 and 1000000." in refused.content.decode()
    for user in (coordinator_lt, coordinator_lv):
        client = client_for(user)
        assert client.post("/support/aid/", data).status_code == 403
        assert 'id="aid-offer"' not in client.get("/support/funding/").content.decode()
    assert ec.get("/support/aid/").status_code == 405
    assert not InKindAid.objects.exists()
    done = ec.post("/support/aid/", data)
    assert done.status_code == 302 and done["Location"].startswith("/support/funding/")
    aid = InKindAid.objects.get()
    page = ec.get("/support/funding/").content.decode()
    assert 'id="delivery"' in page and "20 of 20 left" in page
    before = _state_of_things()
    for quantity, day, problem in (
        ("21", "2021-07-20", "Only 20 of 20 offered are left to deliver."),
        ("5", "2021-07-01", "A delivery cannot come before the offer (2021-07-15)."),
    ):
        response = ec.post("/support/aid/deliveries/", {
            "delivery-aid": aid.pk, "delivery-quantity": quantity, "delivery-on": day})  # fmt: skip
        assert response.status_code == 400 and problem in response.content.decode()
    assert client_for(coordinator_lt).post("/support/aid/deliveries/", {
        "delivery-aid": aid.pk, "delivery-quantity": "5", "delivery-on": "2021-07-20",
    }).status_code == 403  # fmt: skip
    assert _state_of_things() == before
    done = ec.post("/support/aid/deliveries/", {
        "delivery-aid": aid.pk, "delivery-quantity": "15", "delivery-on": "2021-07-20"})  # fmt: skip
    assert done.status_code == 302
    aid.refresh_from_db()
    assert (aid.quantity_delivered, aid.delivered_on) == (15, D(2021, 7, 20))
    assert AuditEntry.objects.filter(action="support.aid.deliver").count() == 1
