"""Return cases, readmission, flights and country policies through their services: the main
path, the Return Directive's limits, the policy that blocks a step, scope, audit, erasure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.procedures import services
from borderwatch.procedures.models import (
    PolicyKind,
    ReadmissionRequest,
    ReturnCase,
    ReturnFlight,
    ReturnKind,
    Status,
)
from borderwatch.procedures.services.erasure import erase_person_data
from borderwatch.registration.models import Person
from tests.procedures.conftest import MADE, TODAY, walk
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2021, 9, 1)


def _decide(officer: User, person: Person, **kw: object) -> ReturnCase:
    values: dict[str, object] = {
        "person_id": person.pk, "decided_on": DECIDED, "country": "IQ",
        "kind": ReturnKind.FORCED, "decision_text": "Return decision.", "today": TODAY,
        "risk_of_absconding": True,
    }  # fmt: skip
    values.update(kw)
    return services.decide_return(officer, **values)  # type: ignore[arg-type]


def _ready(officer: User, case: ReturnCase) -> ReadmissionRequest:
    request = services.send_readmission(officer, case.pk, on=dt.date(2021, 9, 2), today=TODAY)
    for target, day in (("identity_confirmed", dt.date(2021, 9, 10)),
                        ("travel_document", dt.date(2021, 9, 15))):  # fmt: skip
        request = services.advance_readmission(officer, request.pk, target, on=day, today=TODAY)
    return request


def _unchanged(obj: ReturnCase | ReadmissionRequest | ReturnFlight) -> None:
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    obj.refresh_from_db()
    after = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    assert before == after


def test_main_path_decision_readmission_flight_returned(
    officer_lt: User, person_lt: Person
) -> None:
    case = _decide(officer_lt, person_lt, entry_ban_years=2)
    assert case.status == "decided" and case.due_on is None
    case = services.start_detention(officer_lt, case.pk, on=DECIDED, reason="Risk.", today=TODAY)
    assert case.detention_until == dt.date(2022, 3, 1) and case.due_kind == "detention"
    request = _ready(officer_lt, case)
    flight = services.plan_flight(
        officer_lt, member_state="LT", kind="charter", departs_on=dt.date(2021, 10, 1),
        route="VNO-EBL", country="IQ", seats=2, escorts=3,
    )  # fmt: skip
    services.board(officer_lt, flight.pk, case.pk, today=dt.date(2021, 9, 20))
    request.refresh_from_db()
    assert request.status == "departure_booked"
    services.depart(officer_lt, flight.pk, today=TODAY)
    case.refresh_from_db()
    request.refresh_from_db()
    flight.refresh_from_db()
    assert (case.status, case.returned_on, case.detention_ended_on, case.due_on) == (
        "returned",
        dt.date(2021, 10, 1),
        dt.date(2021, 10, 1),
        None,
    )
    assert request.status == "returned" and flight.status == "departed"
    targets = list(
        TransitionRecord.objects.filter(object_id__in=[str(case.pk), str(request.pk)])
        .order_by("id")
        .values_list("target", flat=True)
    )
    assert targets == [
        "identity_confirmed", "travel_document", "departure_booked", "returned", "returned",
    ]  # fmt: skip
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    for action in ("procedures.return.decide", "procedures.flight.board",
                   "procedures.flight.depart", "procedures.return.carried_out",
                   "procedures.readmission.send", "procedures.return.detention_start"):  # fmt: skip
        assert action in actions


def test_return_follows_a_final_negative_decision_only(officer_lt: User, person_lt: Person) -> None:
    application = services.make_application(
        officer_lt, person_id=person_lt.pk, made_on=MADE, today=TODAY
    )
    with pytest.raises(ValidationError, match="no final negative decision"):
        _decide(officer_lt, person_lt, application_id=application.pk)
    S = Status
    walk(
        officer_lt, application, (S.REGISTERED, MADE), (S.LODGED, MADE), (S.ADMISSIBLE, MADE),
        (S.INTERVIEWED, MADE), (S.REJECTED_UNFOUNDED, dt.date(2021, 7, 9)),
        (S.FINAL_REJECTED, dt.date(2021, 7, 30)),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="before the final asylum decision"):
        _decide(
            officer_lt, person_lt, application_id=application.pk, decided_on=dt.date(2021, 7, 20)
        )
    case = _decide(officer_lt, person_lt, application_id=application.pk)
    assert case.application_id == application.pk
    assert ReturnCase.objects.count() == 1


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"departure_days": 6, "risk_of_absconding": False}, "7 to 30 days, not 6"),
        ({"departure_days": 31, "risk_of_absconding": False}, "7 to 30 days, not 31"),
        ({"departure_days": 14, "risk_of_absconding": True}, "risk of absconding"),
        ({"entry_ban_years": 6}, "1 to 5 years"),
        ({"country": "LT"}, "not a country of return"),
        ({"decided_on": dt.date(2022, 2, 1)}, "in the future"),
        ({"decision_text": "  "}, "reasoned return decision"),
    ],
)
def test_bad_decision_refused(
    officer_lt: User, person_lt: Person, kw: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _decide(officer_lt, person_lt, **kw)
    assert (
        not ReturnCase.objects.exists()
        and not AuditEntry.objects.filter(action="procedures.return.decide").exists()
    )


def test_voluntary_departure_and_reintegration_amount(officer_lt: User, person_lt: Person) -> None:
    services.seed_return_policies()
    case = _decide(
        officer_lt, person_lt, kind=ReturnKind.VOLUNTARY, risk_of_absconding=False,
        departure_days=30,
    )  # fmt: skip
    assert case.assistance_amount == Decimal("1000.00") and case.reintegration_offer is not None
    assert case.departure_due == dt.date(2021, 10, 1) and case.due_kind == "departure"
    case = services.extend_departure(officer_lt, case.pk, days=10, reason="Children at school.")
    assert case.departure_due == dt.date(2021, 10, 11) == case.due_on
    with pytest.raises(ValidationError, match="1 to 30 days"):
        services.extend_departure(officer_lt, case.pk, days=31, reason="x")
    _unchanged(case)


def test_detention_limits_6_plus_12(officer_lt: User, person_lt: Person) -> None:
    case = _decide(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="at most 6 months at first"):
        services.start_detention(officer_lt, case.pk, on=DECIDED, months=7, reason="r", today=TODAY)
    with pytest.raises(ValidationError, match="before the return decision"):
        services.start_detention(
            officer_lt, case.pk, on=dt.date(2021, 8, 1), reason="r", today=TODAY
        )
    _unchanged(case)
    case = services.start_detention(officer_lt, case.pk, on=DECIDED, reason="r", today=TODAY)
    case = services.extend_detention(officer_lt, case.pk, months=10, reason="No documents yet.")
    assert case.detention_months == 16 and case.detention_until == dt.date(2023, 1, 1)
    with pytest.raises(ValidationError, match="may not pass 18 months in all; at most 2 more"):
        services.extend_detention(officer_lt, case.pk, months=3, reason="r")
    _unchanged(case)
    case = services.extend_detention(officer_lt, case.pk, months=2, reason="r")
    assert case.detention_until == dt.date(2023, 3, 1)


def test_suspended_policy_blocks_return_steps_naming_it(
    officer_lt: User, person_lt: Person, coordinator_lt: User
) -> None:
    case = _decide(officer_lt, person_lt)
    request = services.send_readmission(officer_lt, case.pk, on=dt.date(2021, 9, 2), today=TODAY)
    services.set_country_policy(
        coordinator_lt, member_state="LT", country="IQ", kind=PolicyKind.RETURNS_SUSPENDED,
        valid_from=dt.date(2021, 9, 5), title="Suspension order 7/2021",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="suspended on 2021-09-10 by the policy “Suspension"):
        services.advance_readmission(
            officer_lt, request.pk, "identity_confirmed", on=dt.date(2021, 9, 10), today=TODAY
        )
    _unchanged(request)
    with pytest.raises(ValidationError, match="Suspension order 7/2021"):
        services.plan_flight(
            officer_lt, member_state="LT", kind="scheduled", departs_on=dt.date(2021, 10, 1),
            route="VNO-IST-EBL", country="IQ", seats=5,
        )  # fmt: skip
    assert not ReturnFlight.objects.exists()
    # A later 'returns continue' policy lifts it.
    services.set_country_policy(
        coordinator_lt, member_state="LT", country="IQ", kind=PolicyKind.RETURNS_CONTINUED,
        valid_from=dt.date(2021, 9, 20), title="Resumed",
    )  # fmt: skip
    services.advance_readmission(
        officer_lt, request.pk, "identity_confirmed", on=dt.date(2021, 9, 21), today=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.set_country_policy(
            officer_lt, member_state="LT", country="IQ", kind=PolicyKind.RETURNS_CONTINUED,
            valid_from=dt.date(2021, 9, 20), title="x",
        )  # fmt: skip


def test_impossible_transition_and_days(officer_lt: User, person_lt: Person) -> None:
    case = _decide(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="Cannot go from decided to decided"):
        services.advance_return(officer_lt, case.pk, "decided", on=DECIDED, today=TODAY)
    with pytest.raises(ValidationError, match="travel document"):
        services.advance_return(officer_lt, case.pk, "returned", on=DECIDED, today=TODAY)
    request = services.send_readmission(officer_lt, case.pk, on=dt.date(2021, 9, 2), today=TODAY)
    with pytest.raises(ValidationError, match="Cannot go from sent to returned"):
        services.advance_readmission(officer_lt, request.pk, "returned", on=DECIDED, today=TODAY)
    with pytest.raises(ValidationError, match="before the last step"):
        services.advance_readmission(
            officer_lt, request.pk, "identity_confirmed", on=DECIDED, today=TODAY
        )
    with pytest.raises(ValidationError, match="still open"):
        services.send_readmission(officer_lt, case.pk, on=dt.date(2021, 9, 3), today=TODAY)
    _unchanged(case)
    _unchanged(request)
    services.advance_return(
        officer_lt, case.pk, "absconded", on=DECIDED, reason="Gone.", today=TODAY
    )
    case.refresh_from_db()
    assert case.status == "absconded"


def test_flight_seats_and_departure_period(officer_lt: User, person_lt: Person) -> None:
    flight = services.plan_flight(
        officer_lt, member_state="LT", kind="charter", departs_on=dt.date(2021, 10, 1),
        route="VNO-EBL", country="IQ", seats=1,
    )  # fmt: skip
    first = _decide(officer_lt, person_lt)
    _ready(officer_lt, first)
    services.board(officer_lt, flight.pk, first.pk, today=TODAY)
    other = new_person(None, "LT")
    second = _decide(
        officer_lt, other, risk_of_absconding=False, departure_days=30, decided_on=DECIDED
    )
    _ready(officer_lt, second)
    with pytest.raises(ValidationError, match="full: 1 of 1 seats taken"):
        services.board(officer_lt, flight.pk, second.pk, today=TODAY)
    bigger = services.plan_flight(
        officer_lt, member_state="LT", kind="charter", departs_on=dt.date(2021, 9, 25),
        route="VNO-EBL", country="IQ", seats=10,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="voluntary departure period runs until 2021-10-01"):
        services.board(officer_lt, bigger.pk, second.pk, today=TODAY)
    second.refresh_from_db()
    assert second.flight_id is None


def test_readmission_reminders(officer_lt: User, person_lt: Person, settings: object) -> None:
    settings.READMISSION_REMINDER_DAYS = 20  # type: ignore[attr-defined]
    case = _decide(officer_lt, person_lt)
    request = services.send_readmission(officer_lt, case.pk, on=dt.date(2021, 9, 2), today=TODAY)
    assert request.reminder_due == dt.date(2021, 9, 22)
    with pytest.raises(ValidationError, match="No reminder is due before 2021-09-22"):
        services.remind_readmission(officer_lt, request.pk, on=dt.date(2021, 9, 21), today=TODAY)
    request = services.remind_readmission(
        officer_lt, request.pk, on=dt.date(2021, 9, 22), today=TODAY
    )
    assert (request.reminders, request.reminder_due) == (1, dt.date(2021, 10, 12))
    request = services.advance_readmission(
        officer_lt, request.pk, "unanswered", on=dt.date(2021, 12, 1), reason="No answer.",
        today=TODAY,
    )  # fmt: skip
    assert request.reminder_due is None


def test_other_state_cannot_touch_the_case(
    officer_lt: User, officer_pl: User, person_lt: Person
) -> None:
    case = _decide(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="does not exist"):
        services.advance_return(officer_pl, case.pk, "absconded", on=DECIDED, reason="x")
    with pytest.raises(ValidationError, match="does not exist"):
        _decide(officer_pl, person_lt)


def test_erasure_takes_return_cases_requests_and_seats(officer_lt: User, person_lt: Person) -> None:
    case = _decide(officer_lt, person_lt)
    _ready(officer_lt, case)
    flight = services.plan_flight(
        officer_lt, member_state="LT", kind="charter", departs_on=dt.date(2021, 10, 1),
        route="VNO-EBL", country="IQ", seats=5,
    )  # fmt: skip
    services.board(officer_lt, flight.pk, case.pk, today=TODAY)
    counts = erase_person_data(person_lt.pk)
    assert counts["return_cases"] == 1 and counts["readmission_requests"] == 1
    assert counts["flight_seats"] == 1 and counts["timeline_rows"] >= 3
    assert not ReturnCase.objects.exists() and not ReadmissionRequest.objects.exists()
    assert not TransitionRecord.objects.filter(object_type__contains="Readmission").exists()
    assert ReturnFlight.objects.get().on_board.count() == 0
