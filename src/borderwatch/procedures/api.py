"""Procedures API: case files for case officers of the owning state (paginated in the
database), one endpoint per write (make, step, extend), and the backlog figures.

Thin: parse, call a selector or service, serialise. Scope and rules live below.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from borderwatch.core.pagination import MAX_OFFSET
from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.procedures import selectors, services
from borderwatch.procedures.models import AsylumApplication
from borderwatch.procedures.return_api import router as return_router

router = Router(tags=["procedures"])
router.add_router("", return_router)  # return cases, readmission, flights, policies
MAX_LIMIT = 500


class ApplicationOut(Schema):
    id: int
    reference: str
    person_id: int
    member_state: str
    nationality: str
    status: str
    made_on: dt.date
    made_at_border_crossing_point: bool
    during_influx: bool
    registered_on: dt.date | None
    lodged_on: dt.date | None
    admissible_on: dt.date | None
    interviewed_on: dt.date | None
    decided_on: dt.date | None
    decision: str
    appealed_on: dt.date | None
    final_on: dt.date | None
    registration_due: dt.date
    decision_due: dt.date | None
    due_on: dt.date | None
    due_kind: str
    extensions: list[int]
    officer: str | None
    synthetic: bool


class CaseOut(ApplicationOut):
    interview_record: str
    decision_text: str
    appeal_grounds: str
    final_text: str
    national_rule: str | None


class PageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[ApplicationOut]


class ListQuery(Schema):
    day: dt.date | None = None
    status: str = ""
    stage: str = ""
    nationality: str = ""
    due: str = ""
    mine: bool = False
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ApplicationIn(Schema):
    person_id: int
    made_on: dt.date
    at_border_crossing_point: bool = False


class StepIn(Schema):
    target: str
    on: dt.date
    reason: str = ""
    interview_record: str = ""


class ExtensionIn(Schema):
    months: int
    reason: str


class TimelineOut(Schema):
    day: dt.date | None
    source: str
    target: str
    actor: str
    reason: str


class PendingOut(Schema):
    stage: str
    counts: list[int]


class OutcomeOut(Schema):
    nationality: str
    decisions: int
    refugee: int
    subsidiary: int
    rejected: int
    inadmissible: int
    withdrawn: int
    appeals: int
    recognition_rate: float | None


class BacklogOut(Schema):
    day: dt.date
    member_states: list[str] | None
    buckets: list[str]
    pending: list[PendingOut]
    pending_total: int
    appeals_pending: int
    overdue: int
    outcomes: list[OutcomeOut]


def _out(case: AsylumApplication) -> dict[str, object]:
    data = {f: getattr(case, f) for f in ApplicationOut.model_fields if hasattr(case, f)}
    data["officer"] = case.officer.get_username() if case.officer is not None else None
    return data


def _case(case: AsylumApplication) -> dict[str, object]:
    rule = case.national_rule
    return {
        **_out(case),
        "interview_record": case.interview_record,
        "decision_text": case.decision_text,
        "appeal_grounds": case.appeal_grounds,
        "final_text": case.final_text,
        "national_rule": f"{rule.title} ({rule.kind}={rule.value})" if rule else None,
    }


@router.get("/applications", response=PageOut)
def list_applications(request: HttpRequest, q: Query[ListQuery]) -> dict[str, object]:
    """The caller's state's cases, newest first; `limit`/`offset` page in the database."""
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    limit = max(1, min(q.limit, MAX_LIMIT))
    offset = max(0, q.offset)
    qs = selectors.applications(
        user, day=q.day or timezone.localdate(), status=q.status, stage=q.stage,
        nationality=q.nationality, due=q.due, officer_id=user.pk if q.mine else None,
    )  # fmt: skip
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "results": [_out(c) for c in qs[offset : offset + limit]],
    }


@router.post("/applications", response={201: CaseOut})
def make_application(request: HttpRequest, body: ApplicationIn) -> Status:
    user = current_user(request)
    case = services.make_application(user, **body.dict())
    return Status(201, _case(case))


@router.get("/applications/{application_id}", response=CaseOut)
def application(request: HttpRequest, application_id: int) -> dict[str, object]:
    return _case(selectors.application(current_user(request), application_id))


@router.get("/applications/{application_id}/timeline", response=list[TimelineOut])
def timeline(request: HttpRequest, application_id: int) -> list[selectors.TimelineRow]:
    user = current_user(request)
    return selectors.timeline(user, selectors.application(user, application_id))


@router.post("/applications/{application_id}/steps", response=CaseOut)
def step(request: HttpRequest, application_id: int, body: StepIn) -> dict[str, object]:
    """Take one step of the workflow (the table names the possible ones on refusal)."""
    user = current_user(request)
    case = services.advance(
        user, application_id, body.target, on=body.on, reason=body.reason,
        interview_record=body.interview_record,
    )  # fmt: skip
    return _case(case)


@router.post("/applications/{application_id}/extensions", response=CaseOut)
def extend(request: HttpRequest, application_id: int, body: ExtensionIn) -> dict[str, object]:
    user = current_user(request)
    case = services.extend_decision_period(
        user, application_id, months=body.months, reason=body.reason
    )
    return _case(case)


@router.get("/backlog", response=BacklogOut)
def backlog(
    request: HttpRequest, day: dt.date | None = None, member_state: str = ""
) -> dict[str, object]:
    """Counts for one state or, for Frontex and the Commission, all states; never a case."""
    user = current_user(request)
    b = selectors.backlog(user, day or timezone.localdate(), member_state.upper())
    return {
        "day": b.day,
        "member_states": b.states,
        "buckets": b.buckets,
        "pending": [{"stage": s, "counts": b.pending[s]} for s in b.stages],
        "pending_total": b.pending_total,
        "appeals_pending": b.appeals_pending,
        "overdue": b.overdue,
        "outcomes": [{**r.__dict__, "recognition_rate": r.recognition_rate} for r in b.outcomes],
    }
