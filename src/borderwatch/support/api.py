"""Support API: assistance requests (paginated in the database), their workflow steps,
resources, deployments with rotations, fill rates, coverage, and EU funding and aid in kind.

Thin: parse, call a selector or service, serialise. Scope and rules live below. Amounts travel
as decimal strings in EUR (never floats).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from borderwatch.accounts.models import User
from borderwatch.core.api import PageIn
from borderwatch.core.pagination import paginate
from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.support import selectors, services
from borderwatch.support.models import AssistanceRequest, Deployment, Resource

router = Router(tags=["support"])


class ItemOut(Schema):
    resource_type: str
    number: int


class RequestOut(Schema):
    id: int
    reference: str
    host_state: str
    title: str
    status: str
    submitted_on: dt.date
    period_from: dt.date
    period_to: dt.date
    plan_reference: str
    plan_from: dt.date | None
    plan_to: dt.date | None
    decline_reason: str
    synthetic: bool


class RequestDetailOut(RequestOut):
    items: list[ItemOut]
    sections: list[str]
    facilities: list[int]


class RequestPageOut(Schema):
    count: int | None
    results: list[RequestOut]


class RequestListIn(PageIn):
    status: str = ""


class RequestIn(Schema):
    host_state: str
    title: str
    submitted_on: dt.date
    period_from: dt.date
    period_to: dt.date
    items: dict[str, int] = Field(description="resource type -> number asked")
    sections: list[str] = []
    facilities: list[int] = []


class StepIn(Schema):
    target: str
    reason: str = ""
    plan_reference: str = ""
    plan_from: dt.date | None = None
    plan_to: dt.date | None = None


class ResourceIn(Schema):
    contributing_state: str
    resource_type: str
    number: int
    available_from: dt.date
    available_to: dt.date


class ResourceOut(Schema):
    id: int
    tag: str
    contributing_state: str
    kind: str
    resource_type: str
    available_from: dt.date
    available_to: dt.date


class ResourcePageOut(Schema):
    count: int | None
    results: list[ResourceOut]


class ResourceListIn(PageIn):
    resource_type: str = ""


class DeploymentIn(Schema):
    resource_id: int
    starts_on: dt.date
    ends_on: dt.date
    section: str | None = None
    facility_id: int | None = None


class RotationIn(Schema):
    resource_id: int
    on: dt.date


class DeploymentOut(Schema):
    id: int
    request_id: int
    resource_id: int
    resource_tag: str
    resource_type: str
    host_state: str
    section: str | None
    facility_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    rotation_of_id: int | None


class FillOut(Schema):
    resource_type: str
    asked: int
    deployed: int
    rate: float


class FillRateOut(Schema):
    day: dt.date
    rows: list[FillOut]


class CoverageOut(Schema):
    country: str
    section: str
    name: str
    length_km: float
    officers: int
    equipment: int
    officers_per_100_km: float
    pressure: int
    pressure_before: int
    pressure_per_km: float
    level: str
    rising: bool
    thin: bool
    flagged: bool


class MoneyIn(Schema):
    amount: Decimal = Field(description="EUR, at most two decimal places; never negative")
    currency: str = "EUR"


class FundingIn(MoneyIn):
    beneficiary_state: str
    instrument: str
    title: str
    offered_on: dt.date
    source: str = ""


class AwardIn(MoneyIn):
    awarded_on: dt.date


class AllocationIn(MoneyIn):
    measure: str
    on: dt.date


class PaymentIn(AllocationIn):
    note: str = ""


class StatementOut(Schema):
    id: int
    beneficiary_state: str
    instrument: str
    title: str
    currency: str
    offered: Decimal
    offered_on: dt.date
    awarded: Decimal | None
    awarded_on: dt.date | None
    allocated: dict[str, Decimal]
    spent: dict[str, Decimal]
    allocated_total: Decimal
    spent_total: Decimal
    unallocated: Decimal
    balance: Decimal


class AidIn(Schema):
    beneficiary_state: str
    contributing_state: str
    item: str
    quantity: int
    offered_on: dt.date


class DeliveryIn(Schema):
    quantity: int
    on: dt.date


class AidOut(Schema):
    id: int
    beneficiary_state: str
    contributing_state: str
    item: str
    quantity_offered: int
    quantity_delivered: int
    offered_on: dt.date
    delivered_on: dt.date | None


def _request(r: AssistanceRequest) -> dict[str, object]:
    return {f: getattr(r, f) for f in RequestOut.model_fields}


def _detail(r: AssistanceRequest) -> dict[str, object]:
    return {
        **_request(r),
        "items": [{"resource_type": i.resource_type, "number": i.number} for i in r.items.all()],
        "sections": [s.code for s in r.sections.all()],
        "facilities": [f.pk for f in r.facilities.all()],
    }


def _deployment(d: Deployment) -> dict[str, object]:
    return {
        "id": d.pk, "request_id": d.request_id, "resource_id": d.resource_id,
        "resource_tag": d.resource.tag, "resource_type": d.resource_type,
        "host_state": d.host_state, "section": d.section.code if d.section else None,
        "facility_id": d.facility_id, "starts_on": d.starts_on, "ends_on": d.ends_on,
        "rotation_of_id": d.rotation_of_id,
    }  # fmt: skip


def _resource(r: Resource) -> dict[str, object]:
    return {f: getattr(r, f) for f in ResourceOut.model_fields}


def _view(request: HttpRequest) -> User:
    user = current_user(request)
    check(user, Capability.VIEW_SUPPORT)
    return user


@router.get("/requests", response=RequestPageOut)
def list_requests(request: HttpRequest, q: Query[RequestListIn]) -> dict[str, object]:
    """Requests the caller may see, newest first; paged in the database."""
    user = _view(request)
    page = paginate(selectors.requests_qs(user, q.status), name="support.requests",
                    order=("-submitted_on", "-id"), limit=q.limit, offset=q.offset)  # fmt: skip
    selectors.record_requests_read(user, page.items)
    return {"count": page.count, "results": [_request(r) for r in page.items]}


@router.post("/requests", response={201: RequestDetailOut})
def submit_request(request: HttpRequest, body: RequestIn) -> Status:
    r = services.submit_request(current_user(request), **body.dict())
    return Status(201, _detail(r))


@router.get("/requests/{request_id}", response=RequestDetailOut)
def get_request(request: HttpRequest, request_id: int) -> dict[str, object]:
    return _detail(selectors.request(_view(request), request_id))


@router.post("/requests/{request_id}/steps", response=RequestDetailOut)
def step(request: HttpRequest, request_id: int, body: StepIn) -> dict[str, object]:
    """One step of the workflow (a refusal names the possible ones)."""
    user = current_user(request)
    services.advance_request(user, request_id, **body.dict())
    return _detail(selectors.request(user, request_id))


@router.get("/requests/{request_id}/fill-rate", response=FillRateOut)
def fill_rate(
    request: HttpRequest, request_id: int, day: dt.date | None = None
) -> dict[str, object]:
    r = selectors.request(_view(request), request_id)
    on = day or selectors.fill_day(r, timezone.localdate())
    rows = [{**row.__dict__, "rate": row.rate} for row in selectors.fill_rate(r, on)]
    return {"day": on, "rows": rows}


@router.get("/requests/{request_id}/deployments", response=list[DeploymentOut])
def deployments(request: HttpRequest, request_id: int) -> list[dict[str, object]]:
    r = selectors.request(_view(request), request_id)
    return [_deployment(d) for d in selectors.deployments(r)]


@router.post("/requests/{request_id}/deployments", response={201: DeploymentOut})
def deploy(request: HttpRequest, request_id: int, body: DeploymentIn) -> Status:
    d = services.deploy(current_user(request), request_id, **body.dict())
    return Status(201, _deployment(d))


@router.post("/deployments/{deployment_id}/rotations", response={201: DeploymentOut})
def rotate(request: HttpRequest, deployment_id: int, body: RotationIn) -> Status:
    d = services.rotate(current_user(request), deployment_id, **body.dict())
    return Status(201, _deployment(d))


@router.get("/resources", response=ResourcePageOut)
def list_resources(request: HttpRequest, q: Query[ResourceListIn]) -> dict[str, object]:
    user = _view(request)
    page = paginate(selectors.resources(user, q.resource_type), name="support.resources",
                    order=("id",), limit=q.limit, offset=q.offset)  # fmt: skip
    return {"count": page.count, "results": [_resource(r) for r in page.items]}


@router.post("/resources", response={201: list[ResourceOut]})
def offer_resources(request: HttpRequest, body: ResourceIn) -> Status:
    rows = services.offer_resources(current_user(request), **body.dict())
    return Status(201, [_resource(r) for r in rows])


@router.get("/coverage", response=list[CoverageOut])
def coverage(request: HttpRequest, day: dt.date) -> list[dict[str, object]]:
    """Deployed officers per section against the section's pressure; flagged where pressure
    rises and coverage is thin."""
    return [
        {"country": c.country, "section": c.code, "name": c.name, "length_km": c.length_km,
         "officers": c.officers, "equipment": c.equipment,
         "officers_per_100_km": c.officers_per_100_km,
         "pressure": c.pressure, "pressure_before": c.previous,
         "pressure_per_km": c.pressure_per_km, "level": c.level, "rising": c.rising,
         "thin": c.thin, "flagged": c.flagged}
        for c in selectors.coverage(_view(request), day)
    ]  # fmt: skip


def _statement(row: selectors.StatementRow) -> dict[str, object]:
    d = row.decision
    return {
        **{f: getattr(d, f) for f in ("id", "beneficiary_state", "instrument", "title",
                                      "currency", "offered", "offered_on", "awarded",
                                      "awarded_on")},
        "allocated": row.allocated, "spent": row.spent, "allocated_total": row.allocated_total,
        "spent_total": row.spent_total, "unallocated": row.unallocated, "balance": row.balance,
    }  # fmt: skip


@router.get("/funding", response=list[StatementOut])
def funding(request: HttpRequest, member_state: str = "") -> list[dict[str, object]]:
    """The funding statement: offered, awarded, allocated and spent per measure, balance."""
    return [_statement(r) for r in selectors.funding_statement(_view(request), member_state)]


def _one(request: HttpRequest, funding_id: int) -> dict[str, object]:
    rows = selectors.funding_statement(current_user(request))
    return next(_statement(r) for r in rows if r.decision.pk == funding_id)


@router.post("/funding", response={201: StatementOut})
def offer_funding(request: HttpRequest, body: FundingIn) -> Status:
    d = services.offer_funding(current_user(request), **body.dict())
    return Status(201, _one(request, d.pk))


@router.post("/funding/{funding_id}/award", response=StatementOut)
def award(request: HttpRequest, funding_id: int, body: AwardIn) -> dict[str, object]:
    services.award_funding(current_user(request), funding_id, **body.dict())
    return _one(request, funding_id)


@router.post("/funding/{funding_id}/allocations", response={201: StatementOut})
def allocate(request: HttpRequest, funding_id: int, body: AllocationIn) -> Status:
    services.allocate(current_user(request), funding_id, **body.dict())
    return Status(201, _one(request, funding_id))


@router.post("/funding/{funding_id}/payments", response={201: StatementOut})
def pay(request: HttpRequest, funding_id: int, body: PaymentIn) -> Status:
    services.pay(current_user(request), funding_id, **body.dict())
    return Status(201, _one(request, funding_id))


@router.get("/aid", response=list[AidOut])
def aid(request: HttpRequest, member_state: str = "") -> list[object]:
    return list(selectors.aid(_view(request), member_state))


@router.post("/aid", response={201: AidOut})
def offer_aid(request: HttpRequest, body: AidIn) -> Status:
    return Status(201, services.offer_aid(current_user(request), **body.dict()))


@router.post("/aid/{aid_id}/deliveries", response=AidOut)
def deliver(request: HttpRequest, aid_id: int, body: DeliveryIn) -> object:
    return services.deliver_aid(current_user(request), aid_id, **body.dict())
