"""Reads of the return side of the procedures app, scoped by role and member state.

Return cases, readmission requests and flight passenger lists are personal data: case officers
(RUN_PROCEDURES) of the owning state only; `return_case` still passes every read through
`audit.record_read`. Country policies and reintegration offers are public national data. The
figures (return decisions against returns carried out) are counts for coordinators, Frontex and
the Commission, never a case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import TransitionRecord
from borderwatch.core.permissions import can, in_scope
from borderwatch.core.roles import Capability
from borderwatch.procedures import deadlines, return_limits
from borderwatch.procedures.models import (
    CountryPolicy,
    ReadmissionRequest,
    ReadmissionStatus,
    ReintegrationOffer,
    ReturnCase,
    ReturnDueKind,
    ReturnFlight,
    ReturnKind,
    ReturnStatus,
)
from borderwatch.procedures.return_workflow import CASE_DAY_FIELD, READMISSION_DAY_FIELD
from borderwatch.procedures.selectors import (
    by_due,
    case_files,
    figure_states,
    made_by,
    refuse_unless_case_officer,
    soon_until,
    standing,
)


def _returns(user: User) -> QuerySet[ReturnCase]:
    return case_files(user, ReturnCase.objects.all())


def return_soon_until(member_state: str, day: dt.date) -> dt.date:
    return soon_until(member_state, day, return_limits.DETENTION_SOON_WORKING_DAYS)


def return_cases(
    user: User,
    *,
    day: dt.date,
    status: str = "",
    kind: str = "",
    nationality: str = "",
    due: str = "",
    reminder: bool = False,
) -> QuerySet[ReturnCase]:
    """The return cases the user works on, filtered; limits are judged on `day`."""
    qs = _returns(user).select_related("officer", "flight")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if nationality:
        qs = qs.filter(nationality=nationality.upper())
    qs = by_due(qs, due, day, lambda: return_soon_until(user.member_state or "LT", day))
    if reminder:
        qs = qs.filter(
            readmission_requests__status=ReadmissionStatus.SENT,
            readmission_requests__reminder_due__lte=day,
        )
    return qs


def return_case(user: User, case_id: int) -> ReturnCase:
    """One return case, or DoesNotExist (another state's answers like a missing one)."""
    refuse_unless_case_officer(user)
    case = _returns(user).select_related("officer", "flight", "reintegration_offer").get(pk=case_id)
    audit.record_read(user, Action.RETURN_VIEW, [(case, case.member_state, None)])
    return case


def readmission_requests(case: ReturnCase) -> list[ReadmissionRequest]:
    """The case's requests, newest first (`case` comes from `return_case`)."""
    return list(case.readmission_requests.order_by("-sent_on", "-id"))


def readmission_request(user: User, request_id: int) -> ReadmissionRequest:
    refuse_unless_case_officer(user)
    request = in_scope(ReadmissionRequest.objects.select_related("return_case"), user).get(
        pk=request_id
    )
    audit.record_read(user, Action.RETURN_VIEW, [(request.return_case, request.member_state, None)])
    return request


@dataclass(frozen=True)
class ReturnTimelineRow:
    what: str  # "case" or "readmission"
    day: dt.date | None
    source: str
    target: str
    actor: str
    reason: str
    recorded_at: dt.datetime | None


def return_timeline(case: ReturnCase) -> list[ReturnTimelineRow]:
    """The case's and its readmission requests' steps in the order they were recorded
    (`case` comes from `return_case`)."""
    requests = {str(r.pk): r for r in case.readmission_requests.all()}
    records = TransitionRecord.objects.filter(
        Q(object_type=ReturnCase._meta.label, object_id=str(case.pk))
        | Q(object_type=ReadmissionRequest._meta.label, object_id__in=list(requests))
    ).order_by("at", "id")
    first = ReturnTimelineRow(
        "case", case.decided_on, "", ReturnStatus.DECIDED, made_by(case), "", case.created_at
    )
    rows = [first]
    for r in records:
        obj: ReturnCase | ReadmissionRequest = case
        if r.object_type == ReturnCase._meta.label:
            what, field = "case", CASE_DAY_FIELD.get(ReturnStatus(r.target), "")
        else:
            what, obj = "readmission", requests[r.object_id]
            field = READMISSION_DAY_FIELD.get(ReadmissionStatus(r.target), "")
        day = getattr(obj, field) if field else None
        rows.append(
            ReturnTimelineRow(what, day, r.source, r.target, r.actor_username, r.reason, r.at)
        )
    return rows


def return_standing(case: ReturnCase, day: dt.date) -> deadlines.Standing | None:
    """Where the case's next limit stands on `day`: detention limits are flagged earlier."""
    if case.due_kind == ReturnDueKind.DETENTION:
        return standing(case, day, return_limits.DETENTION_SOON_WORKING_DAYS)
    return standing(case, day)


def reminders_due(user: User, day: dt.date) -> QuerySet[ReadmissionRequest]:
    """Requests without an answer whose reminder is due on `day`."""
    if not can(user, Capability.RUN_PROCEDURES):
        return ReadmissionRequest.objects.none()
    return in_scope(ReadmissionRequest.objects.select_related("return_case"), user).filter(
        status=ReadmissionStatus.SENT, reminder_due__lte=day
    )


def return_deadline_counts(user: User, day: dt.date) -> dict[str, int]:
    qs = _returns(user).filter(due_on__isnull=False)
    until = return_soon_until(user.member_state or "LT", day)
    found = qs.aggregate(
        overdue=Count("id", filter=Q(due_on__lt=day)),
        soon=Count("id", filter=Q(due_on__gte=day, due_on__lte=until)),
    )
    return {**found, "reminders": reminders_due(user, day).count()}


def latest_return_day(user: User) -> dt.date | None:
    """The latest step day in the user's return cases (the demo's 'today')."""
    found = _returns(user).aggregate(a=Max("decided_on"), b=Max("returned_on"))
    days = [d for d in found.values() if d is not None]
    return max(days) if days else None


# ---- flights ----------------------------------------------------------------------------------


def flights(user: User) -> QuerySet[ReturnFlight]:
    if not can(user, Capability.RUN_PROCEDURES):
        return ReturnFlight.objects.none()
    return (
        in_scope(ReturnFlight.objects.all(), user)
        .annotate(on_board_count=Count("on_board"))
        .order_by("-departs_on", "-id")
    )


def flight(user: User, flight_id: int) -> ReturnFlight:
    refuse_unless_case_officer(user)
    return flights(user).get(pk=flight_id)


def on_board(flight: ReturnFlight) -> QuerySet[ReturnCase]:
    """The flight's passengers (`flight` comes from `flight`, which checked the viewer)."""
    return flight.on_board.order_by("id")


def boardable(flight: ReturnFlight) -> QuerySet[ReturnCase]:
    """Open cases of the flight's state and country not yet on it (the boarding form's list)."""
    return (
        ReturnCase.objects.filter(
            member_state=flight.member_state, country=flight.country, status=ReturnStatus.DECIDED
        )
        .exclude(flight=flight)
        .order_by("decided_on", "id")
    )


# ---- national data (public) -------------------------------------------------------------------


def country_policies(*, member_state: str = "", country: str = "") -> QuerySet[CountryPolicy]:
    qs = CountryPolicy.objects.all()
    if member_state:
        qs = qs.filter(member_state=member_state.upper())
    if country:
        qs = qs.filter(country=country.upper())
    return qs


def reintegration_offers() -> QuerySet[ReintegrationOffer]:
    return ReintegrationOffer.objects.all()


# ---- figures: return decisions vs returns carried out (aggregates) ------------------------------


@dataclass
class ReturnFigureRow:
    member_state: str
    nationality: str
    decisions: int = 0
    returned: int = 0
    voluntary: int = 0
    forced: int = 0

    @property
    def effective_rate(self) -> float | None:
        """Returns carried out per return decision, in percent (Eurostat's 'effective' rate)."""
        return round(100 * self.returned / self.decisions, 1) if self.decisions else None


def return_figures(user: User, day: dt.date, member_state: str = "") -> list[ReturnFigureRow]:
    """Return decisions up to `day` against returns carried out by then, per state and
    nationality, for one state or all the user may see. Counts only."""
    states = figure_states(user, member_state)
    qs = ReturnCase.objects.filter(decided_on__lte=day)
    if states is not None:
        qs = qs.filter(member_state__in=states)
    done = Q(returned_on__isnull=False, returned_on__lte=day)
    rows = (
        qs.values("member_state", "nationality")
        .annotate(
            decisions=Count("id"),
            returned=Count("id", filter=done),
            voluntary=Count("id", filter=done & Q(kind=ReturnKind.VOLUNTARY)),
            forced=Count("id", filter=done & Q(kind=ReturnKind.FORCED)),
        )
        .order_by("member_state", "-decisions", "nationality")
    )
    return [ReturnFigureRow(**row) for row in rows]
