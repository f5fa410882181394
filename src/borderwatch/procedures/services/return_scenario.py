"""The demo scenario's returns (shared/SCENARIO.md). Facts: Lithuania offered EUR 1,000 to each
voluntary returnee; Lithuania's first return charter to Iraq left on 2 January 2022 with 98 people
on board; six states (DK, DE, AT, BE, NL, GR) asked in August 2021 that returns to Afghanistan
continue. Everything else (who, which days, which kind of return, the Afghan cases in Germany,
Austria and the Netherlands) is generated from the seed and marked synthetic.

Each case is built step by step through the same tables and limits as an officer's, then
written in a few bulk statements (cases, readmission requests, timeline rows, audit entries) so
the load stays quick.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import TransitionRecord
from borderwatch.procedures import return_limits
from borderwatch.procedures.models import (
    AsylumApplication,
    FlightKind,
    FlightStatus,
    ReadmissionRequest,
    ReadmissionStatus,
    ReturnCase,
    ReturnDueKind,
    ReturnFlight,
    ReturnKind,
    ReturnStatus,
    Status,
)
from borderwatch.procedures.return_workflow import READMISSION, RETURN_CASE
from borderwatch.procedures.services.policies import offer_in_force, seed_return_policies
from borderwatch.registration import services as registration_services

CHARTER_DAY = dt.date(2022, 1, 2)
CHARTER_ON_BOARD = 98
FOLLOWED_UNTIL = CHARTER_DAY
VOLUNTARY_SHARE = 0.6
AFGHAN_CASES = {"DE": 4, "AT": 3, "NL": 3}
BATCH_SIZE = 500
A = ReadmissionStatus


@dataclass
class _Plan:
    case: ReturnCase
    case_steps: list[tuple[str, dt.date, str]] = field(default_factory=list)
    request: ReadmissionRequest | None = None
    request_steps: list[tuple[str, dt.date, str]] = field(default_factory=list)


def _check(workflow_steps: Sequence[tuple[str, dt.date, str]], start: str, table: object) -> str:
    source = start
    for target, _day, _reason in workflow_steps:
        table.find(source, target)  # type: ignore[attr-defined]
        source = target
    return source


def _request(case: ReturnCase, sent: dt.date) -> ReadmissionRequest:
    return ReadmissionRequest(
        member_state=case.member_state, country=case.country, sent_on=sent, synthetic=True,
        reminder_due=sent + dt.timedelta(days=30),
    )  # fmt: skip


def _lithuanian_plans(rng: random.Random) -> list[_Plan]:
    """Finally rejected Iraqi applicants in Lithuania: return decisions, then voluntary returns
    with the reintegration amount, or forced returns (the charter of 2 January 2022)."""
    rejected = list(
        AsylumApplication.objects.filter(
            member_state="LT", nationality="IQ", status=Status.FINAL_REJECTED,
            final_on__lte=FOLLOWED_UNTIL - dt.timedelta(days=40), synthetic=True,
        ).order_by("final_on", "id")
    )  # fmt: skip
    plans: list[_Plan] = []
    charter = 0
    for application in rejected:
        final_on = application.final_on
        assert final_on is not None  # filtered: final_on__lte
        decided: dt.date = final_on + dt.timedelta(days=rng.randint(2, 10))
        voluntary = rng.random() < VOLUNTARY_SHARE
        kind = ReturnKind.VOLUNTARY if voluntary else ReturnKind.FORCED
        risk = not voluntary and rng.random() < 0.5
        days = None if risk else rng.choice([7, 14, 30])
        case = ReturnCase(
            person_id=application.person_id, member_state="LT", nationality="IQ", country="IQ",
            application=application, kind=kind, decided_on=decided, synthetic=True,
            decision_text="Return decision after the final rejection (generated).",
            entry_ban_years=None if voluntary else rng.choice([1, 2, 3]),
            risk_of_absconding=risk, departure_days=days,
        )  # fmt: skip
        if days is not None:
            case.departure_due = return_limits.departure_due(decided, days)
        plan = _Plan(case)
        if voluntary:
            offer = offer_in_force("LT", decided)
            case.reintegration_offer = offer
            case.assistance_amount = offer.amount if offer is not None else None
            back = decided + dt.timedelta(days=rng.randint(5, max(6, days or 7)))
            if back <= FOLLOWED_UNTIL:
                plan.case_steps.append(
                    (ReturnStatus.RETURNED, back, "Voluntary return (generated).")
                )
        else:
            case.detained_on = decided
            case.detention_months = return_limits.DETENTION_MONTHS
            case.detention_until = return_limits.detention_until(decided, case.detention_months)
            sent = decided + dt.timedelta(days=rng.randint(1, 5))
            plan.request = _request(case, sent)
            confirmed = sent + dt.timedelta(days=rng.randint(7, 20))
            document = confirmed + dt.timedelta(days=rng.randint(3, 10))
            open_period_over = case.departure_due is None or case.departure_due < CHARTER_DAY
            if charter < CHARTER_ON_BOARD and document < CHARTER_DAY and open_period_over:
                charter += 1
                booked = min(document + dt.timedelta(days=1), CHARTER_DAY)
                plan.request_steps = [
                    (A.IDENTITY_CONFIRMED, confirmed, ""),
                    (A.TRAVEL_DOCUMENT_ISSUED, document, ""),
                    (A.DEPARTURE_BOOKED, booked, ""),
                    (A.RETURNED, CHARTER_DAY, ""),
                ]
                plan.case_steps.append(
                    (ReturnStatus.RETURNED, CHARTER_DAY, "Return charter to Iraq.")
                )
            elif rng.random() < 0.1:
                plan.case_steps.append(
                    (ReturnStatus.ABSCONDED, decided + dt.timedelta(days=rng.randint(2, 20)),
                     "Left the centre (generated).")
                )  # fmt: skip
                plan.request_steps = []
            elif confirmed <= FOLLOWED_UNTIL:
                plan.request_steps = [(A.IDENTITY_CONFIRMED, confirmed, "")]
        plans.append(plan)
    return plans


def _afghan_plans(rng: random.Random) -> list[_Plan]:
    """A few rejected Afghan applicants in three of the six states (generated persons): return
    decisions under the 'returns continue' policy; the requests wait for an answer, reminded."""
    rows = []
    for state, n in AFGHAN_CASES.items():
        for i in range(n):
            rows.append({
                "member_state": state, "nationality": "AF", "eurodac_category": 1,
                "name_as_written": f"Afghan applicant {state}-{i + 1} (generated)",
                "name_transliterated": f"Afghan applicant {state}-{i + 1}",
                "sex": "M", "date_of_birth": dt.date(1990 + rng.randint(0, 10), 1, 1),
                "dob_is_estimated": True, "synthetic": True,
            })  # fmt: skip
    persons = registration_services.bulk_create_persons(None, rows)
    plans = []
    for person in persons:
        decided = dt.date(2021, 8, 6) + dt.timedelta(days=rng.randint(0, 40))
        case = ReturnCase(
            person_id=person.pk, member_state=person.member_state, nationality="AF",
            country="AF", kind=ReturnKind.FORCED, decided_on=decided, synthetic=True,
            decision_text="Return decision after the final rejection (generated).",
            risk_of_absconding=True, detained_on=decided,
            detention_months=return_limits.DETENTION_MONTHS,
            detention_until=return_limits.detention_until(decided, 6),
        )  # fmt: skip
        plan = _Plan(case, request=_request(case, decided + dt.timedelta(days=3)))
        plans.append(plan)
    return plans


def _due(case: ReturnCase) -> None:
    if case.status == ReturnStatus.DECIDED:
        if case.detained_on is not None and case.detention_ended_on is None:
            case.due_on, case.due_kind = case.detention_until, ReturnDueKind.DETENTION
        elif case.departure_due is not None:
            case.due_on, case.due_kind = case.departure_due, ReturnDueKind.DEPARTURE


@transaction.atomic
def open_scenario_returns(seed: int, officer_id: int | None = None) -> dict[str, int]:
    """The scenario's return cases, readmission requests and Lithuania's charter."""
    seed_return_policies()
    rng = random.Random(seed + 13)
    plans = _lithuanian_plans(rng) + _afghan_plans(rng)
    charter_plans = [p for p in plans if p.request_steps and p.request_steps[-1][0] == A.RETURNED]
    flight = ReturnFlight.objects.create(
        member_state="LT", kind=FlightKind.CHARTER, departs_on=CHARTER_DAY, route="VNO-EBL",
        country="IQ", seats=max(CHARTER_ON_BOARD, len(charter_plans)), escorts=60,
        status=FlightStatus.DEPARTED if charter_plans else FlightStatus.PLANNED, synthetic=True,
        note="Lithuania's first return charter to Iraq, 2 January 2022, 98 people on board "
        "(fact); the route and the escorts are generated.",
    )  # fmt: skip
    for plan in plans:
        case = plan.case
        case.officer_id = officer_id if case.member_state == "LT" else None
        case.status = _check(plan.case_steps, ReturnStatus.DECIDED, RETURN_CASE)
        for target, day, _reason in plan.case_steps:
            if target == ReturnStatus.RETURNED:
                case.returned_on = day
                if case.detained_on is not None:
                    case.detention_ended_on = day
            if target == ReturnStatus.ABSCONDED and case.detained_on is not None:
                case.detention_ended_on = day
        if plan in charter_plans:
            case.flight = flight
        _due(case)
    cases = ReturnCase.objects.bulk_create([p.case for p in plans], batch_size=BATCH_SIZE)
    requests = []
    for plan, case in zip(plans, cases, strict=True):
        if plan.request is None:
            continue
        request = plan.request
        request.return_case = case
        request.status = _check(plan.request_steps, A.SENT, READMISSION)
        for target, day, _reason in plan.request_steps:
            name: str = {
                A.IDENTITY_CONFIRMED: "identity_confirmed_on", A.TRAVEL_DOCUMENT_ISSUED:
                "travel_document_on", A.DEPARTURE_BOOKED: "departure_booked_on",
                A.RETURNED: "returned_on",
            }[A(target)]  # fmt: skip
            setattr(request, name, day)
        if request.status != A.SENT:
            request.reminder_due = None
        else:  # unanswered so far: the reminders an officer would have sent
            while request.reminder_due is not None and request.reminder_due <= FOLLOWED_UNTIL:
                request.reminders += 1
                request.last_reminder_on = request.reminder_due
                request.reminder_due = request.reminder_due + dt.timedelta(days=30)
        requests.append(request)
    ReadmissionRequest.objects.bulk_create(requests, batch_size=BATCH_SIZE)
    records = []
    for plan, case in zip(plans, cases, strict=True):
        source = str(ReturnStatus.DECIDED)
        for target, _day, reason in plan.case_steps:
            records.append(_record(RETURN_CASE.name, case, source, target, reason))
            source = target
        if plan.request is not None:
            source = str(A.SENT)
            for target, _day, reason in plan.request_steps:
                records.append(_record(READMISSION.name, plan.request, source, target, reason))
                source = target
    TransitionRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
    audit.record_many(
        None,
        Action.RETURNS_SCENARIO,
        (
            audit.Entry(c, member_state=c.member_state, new={"status": c.status, "synthetic": True})
            for c in cases
        ),
    )
    counts = {
        "return_cases": len(cases),
        "returned": sum(1 for c in cases if c.status == ReturnStatus.RETURNED),
        "voluntary_returned": sum(
            1 for c in cases if c.status == ReturnStatus.RETURNED and c.kind == ReturnKind.VOLUNTARY
        ),
        "charter_on_board": len(charter_plans),
        "readmission_requests": len(requests),
    }
    return counts


def _record(workflow: str, obj: ReturnCase | ReadmissionRequest, source: str, target: str,
            reason: str) -> TransitionRecord:  # fmt: skip
    return TransitionRecord(
        workflow=workflow, object_type=obj._meta.label, object_id=str(obj.pk),
        member_state=obj.member_state, source=source, target=target, actor=None,
        actor_username="system", reason=reason,
    )  # fmt: skip


@transaction.atomic
def remove_synthetic_returns() -> int:
    """Delete the scenario's return cases, requests and flights (the loader's --replace) before
    its persons go; an officer's own work stays."""
    doomed = ReturnCase.objects.filter(synthetic=True)
    count = doomed.count()
    ReadmissionRequest.objects.filter(return_case__synthetic=True).delete()
    doomed.delete()
    ReturnFlight.objects.filter(synthetic=True, on_board__isnull=True).delete()
    audit.record(
        None, Action.RETURNS_REMOVE_SYNTHETIC, object_type=ReturnCase._meta.label,
        old={"synthetic_return_cases": count},
    )  # fmt: skip
    return count
