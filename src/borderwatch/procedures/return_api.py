"""Return API: return cases, readmission requests, flights, country policies and the return
figures. Lists page in the database (limit/offset); thin: parse, call, serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.procedures import return_selectors as selectors
from borderwatch.procedures import services
from borderwatch.procedures.models import ReadmissionRequest, ReturnCase, ReturnFlight

router = Router(tags=["returns"])
MAX_LIMIT = 500


class ReadmissionOut(Schema):
    id: int
    reference: str
    country: str
    status: str
    sent_on: dt.date
    identity_confirmed_on: dt.date | None
    travel_document_on: dt.date | None
    departure_booked_on: dt.date | None
    returned_on: dt.date | None
    closed_on: dt.date | None
    reminders: int
    reminder_due: dt.date | None


class ReturnOut(Schema):
    id: int
    reference: str
    person_id: int
    member_state: str
    nationality: str
    country: str
    application_id: int | None
    status: str
    kind: str
    decided_on: dt.date
    entry_ban_years: int | None
    risk_of_absconding: bool
    departure_days: int | None
    departure_extended_days: int
    departure_due: dt.date | None
    detained_on: dt.date | None
    detention_months: int
    detention_until: dt.date | None
    detention_ended_on: dt.date | None
    assistance_amount: Decimal | None
    flight_id: int | None
    returned_on: dt.date | None
    due_on: dt.date | None
    due_kind: str
    synthetic: bool


class ReturnCaseOut(ReturnOut):
    decision_text: str
    readmission_requests: list[ReadmissionOut]


class ReturnPageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[ReturnOut]


class ReturnQuery(Schema):
    day: dt.date | None = None
    status: str = ""
    kind: str = ""
    nationality: str = ""
    due: str = ""
    reminder: bool = False
    limit: int = 100
    offset: int = 0


class ReturnIn(Schema):
    person_id: int
    decided_on: dt.date
    country: str
    kind: str
    decision_text: str
    entry_ban_years: int | None = None
    risk_of_absconding: bool = False
    departure_days: int | None = None
    application_id: int | None = None


class StepIn(Schema):
    target: str
    on: dt.date
    reason: str = ""


class DayIn(Schema):
    on: dt.date


class DepartureIn(Schema):
    days: int
    reason: str


class DetentionIn(Schema):
    action: str  # start, extend, end
    on: dt.date | None = None
    months: int = 6
    reason: str


class TimelineOut(Schema):
    what: str
    day: dt.date | None
    source: str
    target: str
    actor: str
    reason: str


class FlightOut(Schema):
    id: int
    reference: str
    member_state: str
    kind: str
    departs_on: dt.date
    route: str
    country: str
    seats: int
    escorts: int
    on_board: int
    status: str
    synthetic: bool


class FlightPageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[FlightOut]


class FlightIn(Schema):
    kind: str
    departs_on: dt.date
    route: str
    country: str
    seats: int
    escorts: int = 0


class BoardIn(Schema):
    case_id: int


class PolicyOut(Schema):
    id: int
    member_state: str
    country: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    title: str
    synthetic: bool


class PolicyPageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[PolicyOut]


class PolicyIn(Schema):
    country: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    title: str


class FigureOut(Schema):
    member_state: str
    nationality: str
    decisions: int
    returned: int
    voluntary: int
    forced: int
    effective_rate: float | None


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_LIMIT)), max(0, offset)


def _out(case: ReturnCase) -> dict[str, object]:
    return {f: getattr(case, f) for f in ReturnOut.model_fields}


def _request_out(r: ReadmissionRequest) -> dict[str, object]:
    return {f: getattr(r, f) for f in ReadmissionOut.model_fields}


def _case(case: ReturnCase) -> dict[str, object]:
    return {
        **_out(case),
        "decision_text": case.decision_text,
        "readmission_requests": [_request_out(r) for r in selectors.readmission_requests(case)],
    }


def _flight(flight: ReturnFlight) -> dict[str, object]:
    data = {f: getattr(flight, f) for f in FlightOut.model_fields if f != "on_board"}
    data["on_board"] = getattr(flight, "on_board_count", None) or flight.on_board.count()
    return data


@router.get("/returns", response=ReturnPageOut)
def list_returns(request: HttpRequest, q: Query[ReturnQuery]) -> dict[str, object]:
    """The caller's state's return cases, newest first."""
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    limit, offset = _page(q.limit, q.offset)
    qs = selectors.return_cases(
        user, day=q.day or timezone.localdate(), status=q.status, kind=q.kind,
        nationality=q.nationality, due=q.due, reminder=q.reminder,
    )  # fmt: skip
    return {
        "count": qs.count(), "limit": limit, "offset": offset,
        "results": [_out(c) for c in qs[offset : offset + limit]],
    }  # fmt: skip


@router.post("/returns", response={201: ReturnCaseOut})
def decide_return(request: HttpRequest, body: ReturnIn) -> Status:
    case = services.decide_return(current_user(request), **body.dict())
    return Status(201, _case(case))


@router.get("/returns/figures", response=list[FigureOut])
def figures(
    request: HttpRequest, day: dt.date | None = None, member_state: str = ""
) -> list[dict[str, object]]:
    """Return decisions against returns carried out, per state and nationality; counts only."""
    rows = selectors.return_figures(
        current_user(request), day or timezone.localdate(), member_state.upper()
    )
    return [{**r.__dict__, "effective_rate": r.effective_rate} for r in rows]


@router.get("/returns/{case_id}", response=ReturnCaseOut)
def return_case(request: HttpRequest, case_id: int) -> dict[str, object]:
    return _case(selectors.return_case(current_user(request), case_id))


@router.get("/returns/{case_id}/timeline", response=list[TimelineOut])
def return_timeline(request: HttpRequest, case_id: int) -> list[selectors.ReturnTimelineRow]:
    return selectors.return_timeline(selectors.return_case(current_user(request), case_id))


@router.post("/returns/{case_id}/steps", response=ReturnCaseOut)
def return_step(request: HttpRequest, case_id: int, body: StepIn) -> dict[str, object]:
    """Move the case (returned, absconded, found again, closed): the table names the others."""
    user = current_user(request)
    case = services.advance_return(user, case_id, body.target, on=body.on, reason=body.reason)
    return _case(case)


@router.post("/returns/{case_id}/departure-extensions", response=ReturnCaseOut)
def extend_departure(request: HttpRequest, case_id: int, body: DepartureIn) -> dict[str, object]:
    user = current_user(request)
    return _case(services.extend_departure(user, case_id, days=body.days, reason=body.reason))


@router.post("/returns/{case_id}/detention", response=ReturnCaseOut)
def detention(request: HttpRequest, case_id: int, body: DetentionIn) -> dict[str, object]:
    """Order (`start`, with `on` and `months`), `extend` (`months`) or `end` (`on`) detention."""
    from django.core.exceptions import ValidationError

    user = current_user(request)
    on = body.on or timezone.localdate()
    if body.action == "start":
        case = services.start_detention(
            user, case_id, on=on, months=body.months, reason=body.reason
        )
    elif body.action == "extend":
        case = services.extend_detention(user, case_id, months=body.months, reason=body.reason)
    elif body.action == "end":
        case = services.end_detention(user, case_id, on=on, reason=body.reason)
    else:
        raise ValidationError({"action": "start, extend or end"})
    return _case(case)


@router.post("/returns/{case_id}/readmission", response={201: ReadmissionOut})
def send_readmission(request: HttpRequest, case_id: int, body: DayIn) -> Status:
    made = services.send_readmission(current_user(request), case_id, on=body.on)
    return Status(201, _request_out(made))


@router.post("/readmission/{request_id}/steps", response=ReadmissionOut)
def readmission_step(request: HttpRequest, request_id: int, body: StepIn) -> dict[str, object]:
    user = current_user(request)
    made = services.advance_readmission(
        user, request_id, body.target, on=body.on, reason=body.reason
    )
    return _request_out(made)


@router.post("/readmission/{request_id}/reminders", response=ReadmissionOut)
def readmission_reminder(request: HttpRequest, request_id: int, body: DayIn) -> dict[str, object]:
    return _request_out(services.remind_readmission(current_user(request), request_id, on=body.on))


@router.get("/return-flights", response=FlightPageOut)
def list_flights(request: HttpRequest, limit: int = 100, offset: int = 0) -> dict[str, object]:
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    limit, offset = _page(limit, offset)
    qs = selectors.flights(user)
    return {
        "count": qs.count(), "limit": limit, "offset": offset,
        "results": [_flight(fl) for fl in qs[offset : offset + limit]],
    }  # fmt: skip


@router.post("/return-flights", response={201: FlightOut})
def plan_flight(request: HttpRequest, body: FlightIn) -> Status:
    user = current_user(request)
    flight = services.plan_flight(user, member_state=user.member_state or "", **body.dict())
    return Status(201, _flight(flight))


@router.get("/return-flights/{flight_id}", response=FlightOut)
def flight(request: HttpRequest, flight_id: int) -> dict[str, object]:
    return _flight(selectors.flight(current_user(request), flight_id))


@router.post("/return-flights/{flight_id}/passengers", response=ReturnCaseOut)
def board(request: HttpRequest, flight_id: int, body: BoardIn) -> dict[str, object]:
    """Put a return case's person on board (seats and the case's readiness checked)."""
    return _case(services.board(current_user(request), flight_id, body.case_id))


@router.post("/return-flights/{flight_id}/departure", response=FlightOut)
def depart(request: HttpRequest, flight_id: int) -> dict[str, object]:
    """The flight left: everyone on board is returned."""
    return _flight(services.depart(current_user(request), flight_id))


@router.get("/country-policies", response=PolicyPageOut)
def list_policies(
    request: HttpRequest, member_state: str = "", country: str = "", limit: int = 100,
    offset: int = 0,
) -> dict[str, object]:  # fmt: skip
    """Country policies of every state (public national data, any signed-in user)."""
    current_user(request)
    limit, offset = _page(limit, offset)
    qs = selectors.country_policies(member_state=member_state, country=country)
    return {
        "count": qs.count(), "limit": limit, "offset": offset,
        "results": list(qs[offset : offset + limit]),
    }  # fmt: skip


@router.post("/country-policies", response={201: PolicyOut})
def set_policy(request: HttpRequest, body: PolicyIn) -> Status:
    user = current_user(request)
    check(user, Capability.DECLARE_MEASURES, user.member_state or "")
    policy = services.set_country_policy(user, member_state=user.member_state or "", **body.dict())
    return Status(201, policy)
