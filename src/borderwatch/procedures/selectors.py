"""Reads of the procedures app, scoped by the user's role and member state.

A case file (the application with its person) is personal data: only case officers
(RUN_PROCEDURES) see them, and only their own state's, so no read here returns another state's
case; `application` still passes every read through `audit.record_read`, which files one under
the owner should a rule ever let another state read it. Figures (backlog, outcomes) are
aggregates for coordinators, Frontex and the Commission: counts, never a case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Model, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import TransitionRecord
from borderwatch.core.permissions import can, in_scope, visible_states
from borderwatch.core.roles import Capability
from borderwatch.procedures import deadlines
from borderwatch.procedures.models import (
    FIRST_INSTANCE,
    PENDING,
    POSITIVE,
    AsylumApplication,
    CaseCount,
    MassInfluxPeriod,
    Measure,
    ProcedureRule,
    ReturnCase,
    Status,
)
from borderwatch.procedures.workflow import DAY_FIELD

M = TypeVar("M", bound=Model)

# ---- national data: rules and mass-influx periods (public, unscoped) ---------------------------


def influx_in_force(member_state: str, day: dt.date) -> MassInfluxPeriod | None:
    """The mass-influx period declared for the state that covers `day`, if any."""
    return (
        MassInfluxPeriod.objects.filter(member_state=member_state, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .first()
    )


def rule_in_force(
    member_state: str, kind: str, day: dt.date, influx: MassInfluxPeriod | None
) -> ProcedureRule | None:
    """The state's rule of this kind in force on `day` (the latest to take effect); a rule
    that applies only during a mass influx counts only when `influx` is given."""
    rules = ProcedureRule.objects.filter(member_state=member_state, kind=kind, valid_from__lte=day)
    rules = rules.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if influx is None:
        rules = rules.filter(influx_only=False)
    return rules.order_by("-valid_from", "-id").first()


def national_rules(user: User) -> list[ProcedureRule]:
    return list(in_scope(ProcedureRule.objects.all(), user))


def influx_periods(user: User) -> list[MassInfluxPeriod]:
    return list(in_scope(MassInfluxPeriod.objects.all(), user))


# ---- case files (case officers of the owning state) --------------------------------------------

STAGES = {
    "pending": list(PENDING),
    "decided": list(FIRST_INSTANCE),
    "appeal": [Status.APPEALED],
    "final": [Status.FINAL_PROTECTION, Status.FINAL_REJECTED],
}


def case_files(user: User, qs: QuerySet[M]) -> QuerySet[M]:
    """Case files (applications, return cases) are read by case officers of their own states
    only; anyone else sees none."""
    if not can(user, Capability.RUN_PROCEDURES):
        return qs.none()
    return in_scope(qs, user)


def refuse_unless_case_officer(user: User) -> None:
    """One case file is refused outright to a role that reads none (a list is only empty)."""
    if not can(user, Capability.RUN_PROCEDURES):
        raise PermissionDenied(_("Your role may not run asylum procedures."))


def _cases(user: User) -> QuerySet[AsylumApplication]:
    return case_files(user, AsylumApplication.objects.all())


def soon_until(
    member_state: str, day: dt.date, working_days: int = deadlines.DUE_SOON_WORKING_DAYS
) -> dt.date:
    """The last day that counts as due soon on `day` (a few working days ahead)."""
    holidays = deadlines.holidays_around(member_state, day)
    return deadlines.add_working_days(day, working_days, holidays)


def by_due(qs: QuerySet[M], due: str, day: dt.date, until: Callable[[], dt.date]) -> QuerySet[M]:
    """The filter of the case lists: "overdue" (due before `day`) or "soon" (due from `day` to
    `until()`), earliest due first; any other `due` keeps every case."""
    if due == "overdue":
        return qs.filter(due_on__lt=day).order_by("due_on", "id")
    if due == "soon":
        return qs.filter(due_on__gte=day, due_on__lte=until()).order_by("due_on", "id")
    return qs


def applications(
    user: User,
    *,
    day: dt.date,
    status: str = "",
    stage: str = "",
    nationality: str = "",
    due: str = "",
    officer_id: int | None = None,
) -> QuerySet[AsylumApplication]:
    """The cases the user works on, filtered; deadlines are judged on `day`."""
    qs = _cases(user).select_related("officer")
    if status:
        qs = qs.filter(status=status)
    if stage in STAGES:
        qs = qs.filter(status__in=STAGES[stage])
    if nationality:
        qs = qs.filter(nationality=nationality.upper())
    if officer_id is not None:
        qs = qs.filter(officer_id=officer_id)
    return by_due(qs, due, day, lambda: soon_until(user.member_state or "LT", day))


def application(user: User, application_id: int) -> AsylumApplication:
    """One case file, or DoesNotExist (another state's answers exactly like a missing one)."""
    refuse_unless_case_officer(user)
    case = _cases(user).select_related("officer", "national_rule").get(pk=application_id)
    audit.record_read(user, Action.APPLICATION_VIEW, [(case, case.member_state, None)])
    return case


@dataclass(frozen=True)
class TimelineRow:
    day: dt.date | None
    source: str
    target: str
    actor: str
    reason: str
    recorded_at: dt.datetime | None


def timeline(user: User, case: AsylumApplication) -> list[TimelineRow]:
    """The case's steps, oldest first: the day each took effect, who recorded it and why
    (`case` comes from `application`, which checked the user may see it)."""
    rows = [TimelineRow(case.made_on, "", Status.MADE, made_by(case), "", case.created_at)]
    records = TransitionRecord.objects.filter(
        object_type=case._meta.label, object_id=str(case.pk)
    ).order_by("at", "id")
    for r in records:
        field_name = DAY_FIELD.get(Status(r.target)) if r.target in Status.values else None
        day = getattr(case, field_name) if field_name else None
        rows.append(TimelineRow(day, r.source, r.target, r.actor_username, r.reason, r.at))
    return rows


def made_by(case: AsylumApplication | ReturnCase) -> str:
    """Who opened a case file, for its timeline's first row ("system": the scenario, tasks)."""
    return case.created_by.get_username() if case.created_by is not None else "system"


def standing(
    case: AsylumApplication | ReturnCase,
    day: dt.date,
    soon: int = deadlines.DUE_SOON_WORKING_DAYS,
) -> deadlines.Standing | None:
    """Where the case's pending step stands on `day` (None: nothing is due); due soon within
    `soon` working days."""
    if case.due_on is None:
        return None
    holidays = deadlines.holidays_around(case.member_state, min(day, case.due_on))
    return deadlines.standing(case.due_on, day, holidays, soon)


@dataclass
class DeadlineCounts:
    key: str
    overdue: int = 0
    soon: int = 0


def deadline_counts(user: User, day: dt.date) -> tuple[list[DeadlineCounts], list[DeadlineCounts]]:
    """Overdue and due-soon cases per officer and per state (the user's own cases only)."""
    qs = _cases(user).filter(due_on__isnull=False)
    until = soon_until(user.member_state or "LT", day)
    overdue = Count("id", filter=Q(due_on__lt=day))
    soon = Count("id", filter=Q(due_on__gte=day, due_on__lte=until))
    per_officer = [
        DeadlineCounts(name or "—", late, near)
        for name, late, near in qs.values("officer__username")
        .annotate(overdue=overdue, soon=soon)
        .order_by("officer__username")
        .values_list("officer__username", "overdue", "soon")
    ]
    per_state = [
        DeadlineCounts(state, late, near)
        for state, late, near in qs.values("member_state")
        .annotate(overdue=overdue, soon=soon)
        .order_by("member_state")
        .values_list("member_state", "overdue", "soon")
    ]
    return per_officer, per_state


def latest_day(user: User) -> dt.date | None:
    """The latest day a step was taken in the cases the user sees (the demo's 'today')."""
    found = _cases(user).aggregate(
        a=Max("made_on"), b=Max("decided_on"), c=Max("final_on"), d=Max("appealed_on")
    )
    days = [d for d in found.values() if d is not None]
    return max(days) if days else None


# ---- figures: backlog and outcomes (aggregates) ------------------------------------------------

AGE_BUCKETS = ((0, 30), (31, 90), (91, 180), (181, 365), (366, None))


def figure_states(user: User, member_state: str = "") -> list[str] | None:
    """The states whose figures the user asks for and may see (None: every state)."""
    if not can(user, Capability.VIEW_PROCEDURE_FIGURES):
        raise PermissionDenied(_("Your role may not view procedure figures."))
    states = visible_states(user)
    if member_state:
        if states is not None and member_state not in states:
            return []
        return [member_state]
    return states


@dataclass
class OutcomeRow:
    nationality: str
    decisions: int = 0
    refugee: int = 0
    subsidiary: int = 0
    rejected: int = 0
    inadmissible: int = 0
    withdrawn: int = 0
    appeals: int = 0

    @property
    def recognition_rate(self) -> float | None:
        """Positive first-instance decisions per decision (Eurostat's rate), in percent."""
        return (
            round(100 * (self.refugee + self.subsidiary) / self.decisions, 1)
            if self.decisions
            else None
        )


@dataclass
class Backlog:
    day: dt.date
    states: list[str] | None
    stages: list[str]
    buckets: list[str]
    pending: dict[str, list[int]] = field(default_factory=dict)  # stage -> count per bucket
    pending_total: int = 0
    appeals_pending: int = 0
    overdue: int = 0
    outcomes: list[OutcomeRow] = field(default_factory=list)


def _bucket_label(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


def backlog(user: User, day: dt.date, member_state: str = "") -> Backlog:
    """Pending cases by stage and age (days since made, on `day`), decisions and recognition
    rates by nationality, for one state or all the user may see. Counts only, read from the
    case counts (models.figures) that the services keep with every change of a case."""
    states = figure_states(user, member_state)
    counts = CaseCount.objects.all()
    if states is not None:
        counts = counts.filter(member_state__in=states)
    result = Backlog(
        day=day,
        states=states,
        stages=[str(s) for s in PENDING],
        buckets=[_bucket_label(lo, hi) for lo, hi in AGE_BUCKETS],
    )
    age_sums = {}
    for i, (low, high) in enumerate(AGE_BUCKETS):
        window = Q(day__lte=day - dt.timedelta(days=low))
        if high is not None:
            window &= Q(day__gte=day - dt.timedelta(days=high))
        age_sums[f"b{i}"] = Sum("n", filter=window)
    made = counts.filter(measure=Measure.MADE, day__lte=day)
    rows = made.filter(status__in=PENDING).values("status").annotate(**age_sums).order_by()
    for stage in result.stages:
        result.pending[stage] = [0] * len(AGE_BUCKETS)
    for row in rows:
        values: dict[str, Any] = dict(row)
        result.pending[str(values["status"])] = [
            int(values[f"b{i}"] or 0) for i in range(len(AGE_BUCKETS))
        ]
    result.pending_total = sum(sum(v) for v in result.pending.values())
    result.appeals_pending = _sum(made.filter(status=Status.APPEALED))
    # A deadline falls on or after the day the case was made, so every case due before `day`
    # was made by then.
    result.overdue = _sum(counts.filter(measure=Measure.DUE, day__lt=day))
    outcomes: dict[str, OutcomeRow] = {}
    decided = (
        counts.filter(_so_far(Measure.DECIDED_MONTH, Measure.DECIDED, day))
        .values("nationality", "decision")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for decision_row in decided:
        found = outcomes.setdefault(
            decision_row["nationality"], OutcomeRow(decision_row["nationality"])
        )
        n = int(decision_row["total"] or 0)
        found.decisions += n
        field_name = OUTCOME_FIELD.get(decision_row["decision"])
        if field_name:
            setattr(found, field_name, getattr(found, field_name) + n)
    # An appeal follows its decision, so every case appealed by `day` was decided by then.
    appealed = (
        counts.filter(_so_far(Measure.APPEALED_MONTH, Measure.APPEALED, day))
        .values("nationality")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for appeal_row in appealed:
        found = outcomes.setdefault(
            appeal_row["nationality"], OutcomeRow(appeal_row["nationality"])
        )
        found.appeals += int(appeal_row["total"] or 0)
    result.outcomes = sorted(
        (r for r in outcomes.values() if r.decisions),
        key=lambda r: (-r.decisions, r.nationality),
    )
    return result


OUTCOME_FIELD = {
    Status.REFUGEE_STATUS.value: "refugee",
    Status.SUBSIDIARY_PROTECTION.value: "subsidiary",
    Status.REJECTED_UNFOUNDED.value: "rejected",
    Status.REJECTED_MANIFESTLY_UNFOUNDED.value: "rejected",
    Status.INADMISSIBLE.value: "inadmissible",
    Status.IMPLICITLY_WITHDRAWN.value: "withdrawn",
}


def _so_far(monthly: Measure, daily: Measure, day: dt.date) -> Q:
    """Counts up to `day`: whole months before its month, then its month's days."""
    month = day.replace(day=1)
    return Q(measure=monthly, day__lt=month) | Q(measure=daily, day__gte=month, day__lte=day)


def _sum(counts: QuerySet[CaseCount]) -> int:
    return int(counts.aggregate(total=Sum("n"))["total"] or 0)


def first_made_day(user: User) -> dt.date | None:
    return _cases(user).aggregate(d=Min("made_on"))["d"]


POSITIVE_STATUSES = [str(s) for s in POSITIVE]


def latest_figure_day(user: User, member_state: str = "") -> dt.date | None:
    """The latest step day among the cases whose figures the user sees (the demo's 2021)."""
    states = figure_states(user, member_state)
    counts = CaseCount.objects.filter(n__gt=0)
    if states is not None:
        counts = counts.filter(member_state__in=states)
    days = [  # one index scan per measure, from the latest day back
        counts.filter(measure=m).order_by("-day").values_list("day", flat=True).first()
        for m in (Measure.MADE, Measure.DECIDED, Measure.FINAL)
    ]
    found = [d for d in days if d is not None]
    return max(found) if found else None
