"""The demo scenario's asylum cases (shared/SCENARIO.md): Lithuania's July 2021 arrivals apply
for asylum; under the law of 13 July 2021 their cases are decided within 10 days, mostly
negatively for Iraqi applicants, with appeals. Every case is marked synthetic; the days and
outcomes are generated from the seed (only the law and its dates are facts).

Written in a few bulk statements so the load stays quick: the cases with their final state,
a timeline row per step and one audit entry per case.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import TransitionRecord
from borderwatch.procedures import deadlines
from borderwatch.procedures.models import (
    NEGATIVE,
    POSITIVE,
    AsylumApplication,
    DueKind,
    MassInfluxPeriod,
    ProcedureRule,
    RuleKind,
    Status,
)
from borderwatch.procedures.selectors import influx_in_force, rule_in_force
from borderwatch.procedures.services import figures
from borderwatch.procedures.services.rules import seed_national_rules
from borderwatch.procedures.workflow import APPLICATION, DAY_FIELD
from borderwatch.registration import services as registration_services

# The scenario's cases are followed until this day; later steps have not happened yet.
FOLLOWED_UNTIL = dt.date(2021, 12, 31)
# Share of positive first-instance decisions by nationality (generated; Iraq mostly negative).
POSITIVE_SHARE = {"IQ": 0.06, "SY": 0.8, "AF": 0.6, "ER": 0.7}
OTHER_POSITIVE_SHARE = 0.25
APPEAL_SHARE = 0.65
WITHDRAWN_SHARE = 0.05
UPHELD_SHARE = 0.08
BATCH_SIZE = 500


@dataclass(frozen=True)
class Applicant:
    person_id: int
    member_state: str
    nationality: str
    day: dt.date


@dataclass(frozen=True)
class Step:
    target: str
    day: dt.date
    reason: str = ""


@dataclass
class _Lookups:
    """The national data by (state, day), read once per day rather than once per case."""

    influx: dict[tuple[str, dt.date], MassInfluxPeriod | None]
    rules: dict[tuple[str, dt.date], ProcedureRule | None]

    def influx_on(self, state: str, day: dt.date) -> MassInfluxPeriod | None:
        if (state, day) not in self.influx:
            self.influx[(state, day)] = influx_in_force(state, day)
        return self.influx[(state, day)]

    def decision_rule(self, state: str, day: dt.date) -> ProcedureRule | None:
        if (state, day) not in self.rules:
            influx = self.influx_on(state, day)
            self.rules[(state, day)] = rule_in_force(state, RuleKind.DECISION_DAYS, day, influx)
        return self.rules[(state, day)]


def _steps(
    a: Applicant, rng: random.Random, look: _Lookups
) -> tuple[list[Step], dict[str, object]]:
    """The case's steps up to FOLLOWED_UNTIL and the columns they fill."""
    hol = deadlines.holidays_around(a.member_state, a.day)
    influx = look.influx_on(a.member_state, a.day)
    cols: dict[str, object] = {
        "during_influx": influx is not None,
        "registration_due": deadlines.registration_due(a.day, hol, influx is not None),
    }
    registered = deadlines.add_working_days(a.day, rng.randint(1, 3), hol)
    lodged = registered + dt.timedelta(days=rng.randint(0, 1))
    rule = look.decision_rule(a.member_state, lodged)
    days = rule.value if rule is not None else None
    due = deadlines.decision_due(lodged, [], days)
    cols |= {
        "registered_on": registered, "lodged_on": lodged, "national_rule": rule,
        "decision_due": due,
    }  # fmt: skip
    steps = [Step(Status.REGISTERED, registered), Step(Status.LODGED, lodged)]
    # Within 10 days under the July law; within the Directive's 6 months before it.
    span = max((due - lodged).days, 3) if days else rng.randint(30, 150)
    if rng.random() < WITHDRAWN_SHARE:
        gone = lodged + dt.timedelta(days=rng.randint(2, span))
        steps.append(Step(Status.IMPLICITLY_WITHDRAWN, gone, "Left the reception centre; "
                          "did not attend the interview (generated)."))  # fmt: skip
        return steps, cols | {"decision": Status.IMPLICITLY_WITHDRAWN}
    admissible = lodged + dt.timedelta(days=1)
    interviewed = admissible + dt.timedelta(days=rng.randint(1, max(1, span // 2 - 1)))
    decided = interviewed + dt.timedelta(
        days=rng.randint(1, max(1, span - (interviewed - lodged).days))
    )
    share = POSITIVE_SHARE.get(a.nationality, OTHER_POSITIVE_SHARE)
    if rng.random() < share:
        outcome = rng.choice(POSITIVE)
    else:
        outcome = rng.choice(
            [Status.REJECTED_MANIFESTLY_UNFOUNDED] * 3 + [Status.REJECTED_UNFOUNDED]
        )
    text = f"{Status(outcome).label} (generated reasoned decision)."
    steps += [
        Step(Status.ADMISSIBLE, admissible),
        Step(Status.INTERVIEWED, interviewed),
        Step(outcome, decided, str(text)),
    ]
    cols |= {
        "admissible_on": admissible, "interviewed_on": interviewed,
        "interview_record": "Personal interview with an interpreter (generated record).",
        "decision": outcome, "decision_text": str(text),
    }  # fmt: skip
    if outcome in NEGATIVE:
        if rng.random() < APPEAL_SHARE:
            appealed = decided + dt.timedelta(days=rng.randint(2, 14))
            steps.append(Step(Status.APPEALED, appealed, "Appeal to the court (generated)."))
            cols["appeal_grounds"] = "Appeal to the court (generated)."
            final = appealed + dt.timedelta(days=rng.randint(45, 200))
            if final <= FOLLOWED_UNTIL:
                upheld = rng.random() < UPHELD_SHARE
                target = Status.FINAL_PROTECTION if upheld else Status.FINAL_REJECTED
                text = "Appeal upheld" if upheld else "Appeal dismissed"
                steps.append(Step(target, final, f"{text} (generated)."))
        else:
            final = decided + dt.timedelta(days=15)
            steps.append(
                Step(Status.FINAL_REJECTED, final, "No appeal within 14 days (generated).")
            )
    return steps, cols


def _day_field(target: str) -> str:
    return DAY_FIELD[Status(target)]


@transaction.atomic
def open_scenario_applications(
    applicants: Sequence[Applicant], seed: int, officer_id: int | None = None
) -> dict[str, int]:
    """The scenario's cases, each checked step by step against the workflow's table."""
    seed_national_rules()
    rng = random.Random(seed)
    cases: list[AsylumApplication] = []
    all_steps: list[list[Step]] = []
    look = _Lookups({}, {})
    for a in applicants:
        steps, cols = _steps(a, rng, look)
        steps = [s for s in steps if s.day <= FOLLOWED_UNTIL]
        source: str = Status.MADE
        for s in steps:  # the table must allow every generated move
            APPLICATION.find(source, s.target)
            source = s.target
        case = AsylumApplication(
            person_id=a.person_id, member_state=a.member_state, nationality=a.nationality,
            made_on=a.day, status=source, officer_id=officer_id, synthetic=True,
            made_at_border_crossing_point=False,
        )  # fmt: skip
        for name, value in cols.items():
            setattr(case, name, value)
        for s in steps:
            setattr(case, _day_field(s.target), s.day)
            if s.target == Status.APPEALED:
                case.appeal_grounds = s.reason
            if s.target in (Status.FINAL_PROTECTION, Status.FINAL_REJECTED):
                case.final_text = s.reason
        if source in (Status.MADE,):
            case.due_on, case.due_kind = case.registration_due, DueKind.REGISTRATION
        elif source in (Status.LODGED, Status.ADMISSIBLE, Status.INTERVIEWED):
            case.due_on, case.due_kind = case.decision_due, DueKind.DECISION
        if case.decided_on is None:
            case.decision = ""
        cases.append(case)
        all_steps.append(steps)
    created = AsylumApplication.objects.bulk_create(cases, batch_size=BATCH_SIZE)
    figures.count_created(created)
    label = AsylumApplication._meta.label
    records = []
    for case, steps in zip(created, all_steps, strict=True):
        source = str(Status.MADE)
        for s in steps:
            records.append(
                TransitionRecord(
                    workflow=APPLICATION.name, object_type=label, object_id=str(case.pk),
                    member_state=case.member_state, source=source, target=s.target,
                    actor=None, actor_username="system", reason=s.reason,
                )
            )  # fmt: skip
            source = s.target
    TransitionRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
    audit.record_many(
        None,
        Action.APPLICATIONS_SCENARIO,
        (
            audit.Entry(c, member_state=c.member_state, new={"status": c.status, "synthetic": True})
            for c in created
        ),
    )
    protected: dict[int, dt.date] = {}
    for c in created:
        day = c.final_on if c.status == Status.FINAL_PROTECTION else c.decided_on
        if c.status in (*POSITIVE, Status.FINAL_PROTECTION) and day is not None:
            protected[c.person_id] = day
    registration_services.record_scenario_applicants(
        {c.person_id: c.lodged_on for c in created if c.lodged_on}, protected
    )
    counts: dict[str, int] = {"applications": len(created)}
    for c in created:
        counts[str(c.status)] = counts.get(str(c.status), 0) + 1
    return counts


@transaction.atomic
def remove_synthetic_applications() -> int:
    """Delete the scenario's cases (the loader's --replace), never an officer's."""
    doomed = AsylumApplication.objects.filter(synthetic=True)
    count = doomed.count()
    figures.uncount(doomed)
    doomed.delete()
    audit.record(
        None, Action.APPLICATIONS_REMOVE_SYNTHETIC, object_type=AsylumApplication._meta.label,
        old={"synthetic_applications": count},
    )  # fmt: skip
    return count
