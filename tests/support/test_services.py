"""The support app's rules: the request workflow, deployments (plan period, double booking,
rotations, fill rate), funding in exact EUR with the award as ceiling, aid in kind, and scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.support import selectors, services
from borderwatch.support.models import (
    Allocation,
    AssistanceRequest,
    Deployment,
    FundingDecision,
    Payment,
    RequestStatus,
)
from tests.support.conftest import PLAN, lt_section

pytestmark = pytest.mark.django_db
D = dt.date


def _officers(actor: User | None, n: int = 3, state: str = "DE") -> list[int]:
    rows = services.offer_resources(
        actor, contributing_state=state, resource_type="border_surveillance", number=n,
        available_from=D(2021, 7, 1), available_to=D(2021, 12, 31),
    )  # fmt: skip
    return [r.pk for r in rows]


def test_workflow_runs_to_the_end_with_a_timeline(
    planned: AssistanceRequest, frontex: User
) -> None:
    [rid] = _officers(frontex, 1)
    with pytest.raises(ValidationError, match="Deploy at least one"):
        services.advance_request(frontex, planned.pk, RequestStatus.DEPLOYED)
    services.deploy(frontex, planned.pk, resource_id=rid, starts_on=PLAN[0], ends_on=PLAN[1],
                    section=lt_section())  # fmt: skip
    services.advance_request(frontex, planned.pk, RequestStatus.DEPLOYED)
    req = services.advance_request(frontex, planned.pk, RequestStatus.ENDED)
    assert req.status == RequestStatus.ENDED
    steps = TransitionRecord.objects.filter(workflow="support.request", object_id=str(req.pk))
    assert [s.target for s in steps] == ["assessed", "plan_agreed", "deployed", "ended"]
    assert AuditEntry.objects.filter(action="support.deployment.create").count() == 1


def test_decline_needs_a_reason_and_ends_the_request(
    sections: None, coordinator_lt: User, frontex: User
) -> None:
    req = services.submit_request(
        coordinator_lt, host_state="LT", title="Dogs", submitted_on=D(2021, 7, 1),
        period_from=D(2021, 7, 5), period_to=D(2021, 8, 5), items={"dog_handler": 2},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="reason"):
        services.advance_request(frontex, req.pk, RequestStatus.DECLINED)
    req = services.advance_request(frontex, req.pk, RequestStatus.DECLINED, reason="No handlers")
    assert (req.status, req.decline_reason) == ("declined", "No handlers")
    with pytest.raises(ValidationError, match="Cannot go"):
        services.advance_request(frontex, req.pk, RequestStatus.ASSESSED)


def test_only_frontex_assesses_and_a_coordinator_asks_for_their_own_state(
    sections: None, coordinator_lt: User, coordinator_lv: User, frontex: User
) -> None:
    kwargs = dict(title="x", submitted_on=D(2021, 7, 1), period_from=D(2021, 7, 5),
                  period_to=D(2021, 8, 5), items={"dog_handler": 2})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.submit_request(coordinator_lv, host_state="LT", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.submit_request(frontex, host_state="LT", **kwargs)  # type: ignore[arg-type]
    req = services.submit_request(coordinator_lt, host_state="LT", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied, match="Only Frontex"):
        services.advance_request(coordinator_lt, req.pk, RequestStatus.ASSESSED)
    with pytest.raises(ObjectDoesNotExist):  # another state's request answers like a missing one
        services.advance_request(coordinator_lv, req.pk, RequestStatus.ASSESSED)
    assert AssistanceRequest.objects.get(pk=req.pk).status == "submitted"


def test_bad_requests_are_refused(sections: None, coordinator_lt: User) -> None:
    base = dict(host_state="LT", title="x", submitted_on=D(2021, 7, 1), period_from=D(2021, 7, 5),
                period_to=D(2021, 8, 5), items={"dog_handler": 2})  # fmt: skip
    for change, message in (
        ({"period_to": D(2021, 7, 1)}, "ends"),
        ({"items": {"dog_handler": 0}}, "between 1"),
        ({"items": {"tank": 1}}, "not an officer profile"),
        ({"items": {}}, "at least one"),
        ({"sections": ["PL-BY-01"]}, "not a section of Lithuania"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.submit_request(coordinator_lt, **{**base, **change})  # type: ignore[arg-type]
    assert not AssistanceRequest.objects.exists()


def test_deployment_outside_the_plan_or_double_booked_is_refused(
    planned: AssistanceRequest, frontex: User
) -> None:
    a, b = _officers(frontex, 2)
    with pytest.raises(ValidationError, match="outside the operational plan"):
        services.deploy(frontex, planned.pk, resource_id=a, starts_on=D(2021, 7, 29),
                        ends_on=D(2021, 8, 10))  # fmt: skip
    services.deploy(frontex, planned.pk, resource_id=a, starts_on=D(2021, 8, 1),
                    ends_on=D(2021, 8, 31), section=lt_section())  # fmt: skip
    with pytest.raises(ValidationError, match="Double booking"):
        services.deploy(frontex, planned.pk, resource_id=a, starts_on=D(2021, 8, 31),
                        ends_on=D(2021, 9, 30))  # fmt: skip
    services.deploy(frontex, planned.pk, resource_id=a, starts_on=D(2021, 9, 1),
                    ends_on=D(2021, 9, 30))  # the day after: fine  # fmt: skip
    with pytest.raises(ValidationError, match="not ask for"):
        [car] = [r.pk for r in services.offer_resources(
            frontex, contributing_state="DE", resource_type="helicopter", number=1,
            available_from=D(2021, 7, 1), available_to=D(2021, 12, 31))]  # fmt: skip
        services.deploy(frontex, planned.pk, resource_id=car, starts_on=D(2021, 8, 1),
                        ends_on=D(2021, 8, 2))  # fmt: skip
    assert Deployment.objects.count() == 2
    assert b  # the other officer is still free
    free = selectors.free_resources(frontex, "border_surveillance", D(2021, 8, 5), D(2021, 8, 6))
    assert list(free.values_list("pk", flat=True)) == [b]


def test_deployment_before_the_plan_is_agreed_is_refused(
    sections: None, coordinator_lt: User, frontex: User
) -> None:
    req = services.submit_request(
        coordinator_lt, host_state="LT", title="x", submitted_on=D(2021, 7, 1),
        period_from=D(2021, 7, 5), period_to=D(2021, 8, 5), items={"border_surveillance": 1},
    )  # fmt: skip
    [a] = _officers(frontex, 1)
    with pytest.raises(ValidationError, match="once the operational plan is agreed"):
        services.deploy(frontex, req.pk, resource_id=a, starts_on=D(2021, 7, 6),
                        ends_on=D(2021, 7, 7))  # fmt: skip


def test_rotation_and_fill_rate(planned: AssistanceRequest, frontex: User) -> None:
    a, b, c = _officers(frontex, 3)
    cars = [r.pk for r in services.offer_resources(
        frontex, contributing_state="PL", resource_type="patrol_car", number=1,
        available_from=D(2021, 7, 1), available_to=D(2021, 12, 31))]  # fmt: skip
    first = services.deploy(frontex, planned.pk, resource_id=a, starts_on=PLAN[0],
                            ends_on=PLAN[1], section=lt_section())  # fmt: skip
    services.deploy(frontex, planned.pk, resource_id=b, starts_on=PLAN[0], ends_on=PLAN[1])
    services.deploy(frontex, planned.pk, resource_id=cars[0], starts_on=PLAN[0], ends_on=PLAN[1])
    new = services.rotate(frontex, first.pk, resource_id=c, on=D(2021, 9, 1))
    first.refresh_from_db()
    assert first.ends_on == D(2021, 8, 31) and new.starts_on == D(2021, 9, 1)
    assert new.ends_on == PLAN[1] and new.section_id == first.section_id
    with pytest.raises(ValidationError, match="Double booking"):
        services.rotate(frontex, new.pk, resource_id=b, on=D(2021, 10, 1))
    rows = {r.resource_type: r for r in selectors.fill_rate(planned, D(2021, 9, 15))}
    assert (rows["border_surveillance"].asked, rows["border_surveillance"].deployed) == (10, 2)
    assert rows["border_surveillance"].rate == 20.0
    assert rows["patrol_car"].rate == 50.0


def test_money_is_exact_eur_and_never_past_the_award(sections: None, commission: User) -> None:
    for amount, currency, message in (
        ("-5", "EUR", "negative"),
        ("12.345", "EUR", "two decimal places"),
        ("12", "USD", "EUR only"),
        ("abc", "EUR", "not an amount"),
        (12.5, "EUR", "decimal number"),
        ("0", "EUR", "more than zero"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.offer_funding(commission, beneficiary_state="LT", instrument="amif_ea",
                                   title="x", amount=amount, offered_on=D(2021, 7, 28),
                                   currency=currency)  # fmt: skip
    assert not FundingDecision.objects.exists()
    d = services.offer_funding(commission, beneficiary_state="LT", instrument="amif_ea",
                               title="Urgent needs", amount="12000000",
                               offered_on=D(2021, 7, 28))  # fmt: skip
    with pytest.raises(ValidationError, match="Nothing is awarded"):
        services.allocate(commission, d.pk, measure="reception", amount="1", on=D(2021, 8, 1))
    services.award_funding(commission, d.pk, amount="36700000.00", awarded_on=D(2021, 8, 11))
    services.allocate(commission, d.pk, measure="reception", amount="30000000.10",
                      on=D(2021, 8, 12))  # fmt: skip
    with pytest.raises(ValidationError, match="past what was awarded"):
        services.allocate(commission, d.pk, measure="asylum", amount="6699999.91",
                          on=D(2021, 8, 12))  # fmt: skip
    services.allocate(commission, d.pk, measure="asylum", amount="6699999.90", on=D(2021, 8, 12))
    services.pay(commission, d.pk, measure="asylum", amount="0.90", on=D(2021, 9, 1))
    with pytest.raises(ValidationError, match="past what was awarded for Asylum"):
        services.pay(commission, d.pk, measure="asylum", amount="6699999.01", on=D(2021, 9, 1))
    with pytest.raises(ValidationError, match="cannot be less"):
        services.award_funding(commission, d.pk, amount="100", awarded_on=D(2021, 8, 11))
    assert Allocation.objects.count() == 2 and Payment.objects.count() == 1
    [row] = selectors.funding_statement(commission)
    assert row.allocated_total == Decimal("36700000.00")
    assert row.spent_total == Decimal("0.90")
    assert row.balance == Decimal("36699999.10")
    assert row.unallocated == Decimal("0.00")


def test_funding_is_the_commissions_and_scoped_for_coordinators(
    sections: None, commission: User, coordinator_lt: User, coordinator_lv: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.offer_funding(coordinator_lt, beneficiary_state="LT", instrument="amif_ea",
                               title="x", amount="1", offered_on=D(2021, 7, 28))  # fmt: skip
    services.offer_funding(commission, beneficiary_state="LT", instrument="bmvi_ea",
                           title="x", amount="1", offered_on=D(2021, 7, 28))  # fmt: skip
    assert len(selectors.funding_statement(coordinator_lt)) == 1
    assert selectors.funding_statement(coordinator_lv) == []
    before = AuditEntry.objects.filter(action="support.view").count()
    selectors.funding_statement(commission)  # an EU-level read of Lithuania's funding
    assert AuditEntry.objects.filter(action="support.view", member_state="LT").count() == before + 1
    selectors.funding_statement(coordinator_lt)  # their own: not recorded
    assert AuditEntry.objects.filter(action="support.view").count() == before + 1


def test_aid_in_kind_delivered_within_the_offer(sections: None, commission: User) -> None:
    aid = services.offer_aid(commission, beneficiary_state="LT", contributing_state="EE",
                             item="tents", quantity=20, offered_on=D(2021, 7, 15))  # fmt: skip
    services.deliver_aid(commission, aid.pk, quantity=15, on=D(2021, 7, 20))
    with pytest.raises(ValidationError, match="Only 5 of 20"):
        services.deliver_aid(commission, aid.pk, quantity=6, on=D(2021, 7, 21))
    aid.refresh_from_db()
    assert aid.quantity_delivered == 15
    with pytest.raises(ValidationError, match="in kind"):
        services.offer_funding(commission, beneficiary_state="LT", instrument="ucpm",
                               title="x", amount="1", offered_on=D(2021, 7, 28))  # fmt: skip


def test_coverage_counts_officers_per_section(planned: AssistanceRequest, frontex: User) -> None:
    a, b = _officers(frontex, 2)
    for rid in (a, b):
        services.deploy(frontex, planned.pk, resource_id=rid, starts_on=PLAN[0], ends_on=PLAN[1],
                        section=lt_section())  # fmt: skip
    rows = {c.code: c for c in selectors.coverage(frontex, D(2021, 8, 10), ["LT"])}
    assert rows[lt_section()].officers == 2
    assert all(c.officers == 0 for code, c in rows.items() if code != lt_section())
