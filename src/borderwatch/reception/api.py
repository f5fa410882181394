"""Reception API: facilities with derived occupancy, the day's proposal, placements.

Thin: parse, call a selector or service, serialise. Scope and rules live below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.reception import selectors, services
from borderwatch.reception.models import Facility, Placement
from borderwatch.reception.proposal import propose_for_day

router = Router(tags=["reception"])


class CategoryOut(Schema):
    category: str
    capacity: int
    occupied: int
    alert: str


class FacilityOut(Schema):
    id: int
    code: str
    member_state: str
    name: str
    kind: str
    latitude: float
    longitude: float
    medical: bool
    interpreters: bool
    capacity_is_estimate: bool
    source_note: str
    capacity: int
    occupied: int
    percent: float
    alert: str
    categories: list[CategoryOut]


class PlacementIn(Schema):
    person_id: int
    facility_id: int
    start_date: dt.date
    reason: str = ""
    category: str | None = None


class BatchIn(Schema):
    placements: list[PlacementIn]


class TransferIn(Schema):
    to_facility_id: int
    on_date: dt.date
    reason: str


class ReleaseIn(Schema):
    on_date: dt.date
    reason: str


class PlacementOut(Schema):
    id: int
    person_id: int
    facility_id: int
    category: str
    start_date: dt.date
    end_date: dt.date | None
    reason: str
    end_reason: str


class ProposalRowOut(Schema):
    key: str
    person_ids: list[int]
    category: str | None
    needs: list[str]
    facility_id: int | None
    rule: str
    reason: str


class ProposalOut(Schema):
    day: dt.date
    member_state: str
    persons: int
    placed: int
    status: str
    objective: float
    rows: list[ProposalRowOut]


def _facility_out(o: selectors.FacilityOccupancy) -> FacilityOut:
    f: Facility = o.facility
    return FacilityOut(
        id=f.pk,
        code=f.code,
        member_state=f.member_state,
        name=f.name,
        kind=f.kind,
        latitude=f.latitude,
        longitude=f.longitude,
        medical=f.medical,
        interpreters=f.interpreters,
        capacity_is_estimate=f.capacity_is_estimate,
        source_note=f.source_note,
        capacity=o.capacity,
        occupied=o.occupied,
        percent=o.percent,
        alert=o.alert,
        categories=[
            CategoryOut(
                category=c.category, capacity=c.capacity, occupied=c.occupied, alert=c.alert
            )
            for c in o.categories
        ],
    )


def _placement_out(p: Placement) -> PlacementOut:
    return PlacementOut(
        id=p.pk,
        person_id=p.person_id,
        facility_id=p.facility_id,
        category=p.category,
        start_date=p.start_date,
        end_date=p.end_date,
        reason=p.reason,
        end_reason=p.end_reason,
    )


def _today(day: dt.date | None) -> dt.date:
    return day or dt.date.today()


@router.get("/facilities", response=list[FacilityOut])
def list_facilities(
    request: HttpRequest, day: dt.date | None = None, member_state: str | None = None
) -> list[FacilityOut]:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    return [_facility_out(o) for o in selectors.occupancy(user, _today(day), member_state)]


@router.get("/facilities/{facility_id}", response=FacilityOut)
def get_facility(request: HttpRequest, facility_id: int, day: dt.date | None = None) -> FacilityOut:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    try:
        return _facility_out(selectors.facility_occupancy(user, facility_id, _today(day)))
    except Facility.DoesNotExist:
        raise Http404("No such facility.") from None


@router.get("/occupancy.geojson")
def occupancy_geojson(request: HttpRequest, day: dt.date | None = None) -> dict[str, Any]:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    return selectors.occupancy_geojson(user, _today(day))


@router.get("/occupancy/series")
def occupancy_series(
    request: HttpRequest, start: dt.date, end: dt.date, member_state: str | None = None
) -> dict[str, Any]:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    if end < start or (end - start).days > 3660:
        raise ValidationError({"end": "Give an end after the start, at most ten years."})
    return selectors.occupancy_series(user, start, end, member_state)


@router.get("/proposal", response=ProposalOut)
def proposal(request: HttpRequest, day: dt.date | None = None) -> ProposalOut:
    """The optimiser's proposal for everyone in the user's state awaiting placement."""
    user = current_user(request)
    check(user, Capability.MANAGE_RECEPTION)
    if not user.member_state:
        raise PermissionDenied("Proposals are made for one member state.")
    result = propose_for_day(user, _today(day), user.member_state)
    return ProposalOut(
        day=result.day,
        member_state=result.member_state,
        persons=result.persons,
        placed=result.placed,
        status=result.status,
        objective=result.objective,
        rows=[
            ProposalRowOut(
                key=g.key,
                person_ids=[int(p.pk) for p in g.persons],
                category=g.category,
                needs=g.needs,
                facility_id=g.facility_id,
                rule=g.rule,
                reason=g.reason,
            )
            for g in result.groups
        ],
    )


@router.post("/placements", response={201: PlacementOut})
def create_placement(request: HttpRequest, data: PlacementIn) -> tuple[int, PlacementOut]:
    user = current_user(request)
    placement = services.place(user, **data.dict())
    return 201, _placement_out(placement)


@router.post("/placements/batch", response={201: list[PlacementOut]})
def create_placements(request: HttpRequest, data: BatchIn) -> tuple[int, list[PlacementOut]]:
    """Accept a proposal (as edited): all placements or none."""
    user = current_user(request)
    requests = [services.PlacementRequest(**p.dict()) for p in data.placements]
    return 201, [_placement_out(p) for p in services.place_many(user, requests)]


@router.post("/placements/{placement_id}/transfer", response={201: list[PlacementOut]})
def transfer_placement(
    request: HttpRequest, placement_id: int, data: TransferIn
) -> tuple[int, list[PlacementOut]]:
    user = current_user(request)
    moved = services.transfer(user, placement_id=placement_id, **data.dict())
    return 201, [_placement_out(p) for p in moved]


@router.post("/placements/{placement_id}/release", response=PlacementOut)
def release_placement(request: HttpRequest, placement_id: int, data: ReleaseIn) -> PlacementOut:
    user = current_user(request)
    return _placement_out(services.release(user, placement_id=placement_id, **data.dict()))
