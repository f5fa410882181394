"""Reception API: facilities with derived occupancy, the optimiser's proposals, placements.

Thin: parse, call a selector or service, serialise. Scope and rules live below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import found
from borderwatch.reception import selectors, services
from borderwatch.reception.models import Facility, Placement, PlacementProposal, ProposalStatus

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


class ProposalIn(Schema):
    day: dt.date


class ProposalRowOut(Schema):
    key: str
    person_ids: list[int]
    category: str | None
    needs: list[str]
    facility_id: int | None
    rule: str
    reason: str


class ProposalOut(Schema):
    id: int
    day: dt.date
    member_state: str
    status: str
    progress: int
    stage: str
    error: str
    solver_status: str
    objective: float | None
    persons: int
    placed: int
    inputs: dict[str, Any]
    accepted_by: str | None
    accepted_at: dt.datetime | None
    rows_total: int
    page: int
    rows: list[ProposalRowOut]


class AcceptedOut(Schema):
    proposal_id: int
    placed: int
    placements: list[int]


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
    return day or timezone.localdate()


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


ROWS_PER_PAGE = 500


def _proposal_out(p: PlacementProposal, page: int) -> ProposalOut:
    rows = selectors.proposal_rows(p) if p.status == ProposalStatus.DONE else None
    chunk = rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE] if rows is not None else []
    return ProposalOut(
        id=p.pk,
        day=p.day,
        member_state=p.member_state,
        status=p.status,
        progress=p.progress,
        stage=p.stage,
        error=p.error,
        solver_status=p.solver_status,
        objective=p.objective,
        persons=p.persons,
        placed=p.placed,
        inputs=p.inputs,
        accepted_by=p.accepted_by.get_username() if p.accepted_by else None,
        accepted_at=p.accepted_at,
        rows_total=rows.count() if rows is not None else 0,
        page=page,
        rows=[
            ProposalRowOut(
                key=r.key,
                person_ids=r.person_ids,
                category=r.category or None,
                needs=r.needs,
                facility_id=r.facility_id,
                rule=r.rule,
                reason=r.reason,
            )
            for r in chunk
        ],
    )


@router.post("/proposals", response={202: ProposalOut})
def create_proposal(request: HttpRequest, data: ProposalIn) -> tuple[int, ProposalOut]:
    """Queue the optimiser for everyone in the user's state awaiting placement on the day;
    poll GET /proposals/{id} until its status is done or failed."""
    proposal = services.request_proposal(current_user(request), data.day)
    return 202, _proposal_out(proposal, 1)


@router.get("/proposals/{proposal_id}", response=ProposalOut)
def get_proposal(request: HttpRequest, proposal_id: int, page: int = 1) -> ProposalOut:
    """A proposal's status and progress; when done, its rows, ROWS_PER_PAGE a page."""
    user = current_user(request)
    check(user, Capability.MANAGE_RECEPTION)
    if page < 1:
        raise ValidationError({"page": "Pages start at 1."})
    return _proposal_out(found(selectors.proposal, user, proposal_id), page)


@router.post("/proposals/{proposal_id}/accept", response=AcceptedOut)
def accept_proposal(request: HttpRequest, proposal_id: int) -> AcceptedOut:
    """Place the saved proposal as it is: all of its placed rows or none."""
    created = services.accept_proposal(current_user(request), proposal_id)
    return AcceptedOut(
        proposal_id=proposal_id, placed=len(created), placements=[p.pk for p in created]
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
