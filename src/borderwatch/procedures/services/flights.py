"""Return flights: plan one (charter or scheduled), put persons on board, record the departure
(which carries out every return on board) or cancel it.

Boarding checks the seats (locked, so two officers cannot both take the last one) and that the
case may depart on the flight's day (services.returns.departure_problem: open case, policy not
suspended, for a forced return the departure period over and a travel document issued).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.codes import nationality_codes
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.procedures.models import (
    FlightKind,
    FlightStatus,
    ReadmissionStatus,
    ReturnCase,
    ReturnFlight,
)
from borderwatch.procedures.return_workflow import READMISSION
from borderwatch.procedures.services.access import in_reach
from borderwatch.procedures.services.policies import check_not_suspended
from borderwatch.procedures.services.returns import departure_problem, locked_case, record_return

MAX_SEATS = 1000


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


@transaction.atomic
def plan_flight(
    actor: User | None,
    *,
    member_state: str,
    kind: str,
    departs_on: dt.date,
    route: str,
    country: str,
    seats: int,
    escorts: int = 0,
    note: str = "",
    synthetic: bool = False,
) -> ReturnFlight:
    member_state, country = member_state.upper(), country.strip().upper()
    if actor is not None:
        check(actor, Capability.RUN_PROCEDURES, member_state)
    if kind not in FlightKind.values:
        raise ValidationError({"kind": _("Unknown kind of flight %(kind)r.") % {"kind": kind}})
    if country not in nationality_codes() or country == member_state:
        raise ValidationError(
            {"country": _("%(code)s is not a country of return.") % {"code": country}}
        )
    if not 1 <= seats <= MAX_SEATS:
        raise ValidationError({"seats": _("1 to %(max)d seats.") % {"max": MAX_SEATS}})
    if not 0 <= escorts <= MAX_SEATS:
        raise ValidationError({"escorts": _("0 to %(max)d escorts.") % {"max": MAX_SEATS}})
    if not route.strip():
        raise ValidationError({"route": _("Give the route (airports).")})
    check_not_suspended(member_state, country, departs_on, "departs_on")
    flight = ReturnFlight.objects.create(
        member_state=member_state, kind=kind, departs_on=departs_on, route=route.strip()[:120],
        country=country, seats=seats, escorts=escorts, note=note.strip(), synthetic=synthetic,
        created_by=actor if actor is not None and actor.pk else None,
    )  # fmt: skip
    audit.record(
        actor, Action.FLIGHT_CREATE, flight, member_state=member_state,
        new=audit.snapshot(flight, ["kind", "departs_on", "route", "country", "seats", "escorts"]),
    )  # fmt: skip
    return flight


def _locked_flight(actor: User | None, flight_id: int) -> ReturnFlight:
    return in_reach(
        actor,
        ReturnFlight.objects.select_for_update().filter(pk=flight_id).first,
        lambda flight: flight.member_state,
        lambda: ValidationError(_("Flight #%(id)s does not exist.") % {"id": flight_id}),
    )


@transaction.atomic
def board(
    actor: User | None, flight_id: int, case_id: int, *, today: dt.date | None = None
) -> ReturnCase:
    """Put the person of a return case on the flight: a free seat, the same country of return,
    and a case that may depart that day; their readmission request becomes 'departure booked'."""
    flight = _locked_flight(actor, flight_id)
    case = locked_case(actor, case_id)
    if flight.status != FlightStatus.PLANNED:
        raise ValidationError(
            _("%(ref)s is %(status)s; only a planned flight takes persons on board.")
            % {"ref": flight.reference, "status": flight.get_status_display()}
        )
    if case.member_state != flight.member_state or case.country != flight.country:
        raise ValidationError(
            {"case_id": _("%(ref)s returns to %(country)s; the flight goes to %(flight)s.")
             % {"ref": case.reference, "country": case.country, "flight": flight.country}}
        )  # fmt: skip
    if case.flight_id == flight.pk:
        raise ValidationError(
            {"case_id": _("%(ref)s is on board already.") % {"ref": case.reference}}
        )
    on_board = flight.on_board.count()
    if on_board >= flight.seats:
        raise ValidationError(
            {"case_id": _("%(ref)s is full: %(n)d of %(seats)d seats taken.")
             % {"ref": flight.reference, "n": on_board, "seats": flight.seats}}
        )  # fmt: skip
    if problem := departure_problem(case, flight.departs_on, booking=True):
        raise ValidationError({"case_id": problem})
    request = (
        case.readmission_requests.select_for_update()
        .filter(status=ReadmissionStatus.TRAVEL_DOCUMENT_ISSUED)
        .first()
    )
    if request is not None:
        READMISSION.apply(
            actor, request, ReadmissionStatus.DEPARTURE_BOOKED, member_state=request.member_state,
            also={"departure_booked_on": min(_today(today), flight.departs_on)},
        )  # fmt: skip
    old = case.flight_id
    case.flight = flight
    case.save(update_fields=["flight"])
    audit.record(
        actor, Action.FLIGHT_BOARD, case, member_state=case.member_state,
        old={"flight": old}, new={"flight": flight.pk, "departs_on": flight.departs_on},
    )  # fmt: skip
    return case


@transaction.atomic
def depart(actor: User | None, flight_id: int, *, today: dt.date | None = None) -> ReturnFlight:
    """The flight left: every person on board is returned on its day, or nothing changes
    (a case that may no longer depart is named)."""
    flight = _locked_flight(actor, flight_id)
    if flight.status != FlightStatus.PLANNED:
        raise ValidationError(
            _("%(ref)s is %(status)s.")
            % {"ref": flight.reference, "status": flight.get_status_display()}
        )
    if flight.departs_on > _today(today):
        raise ValidationError(
            _("%(ref)s departs on %(day)s, in the future.")
            % {"ref": flight.reference, "day": flight.departs_on.isoformat()}
        )
    check_not_suspended(flight.member_state, flight.country, flight.departs_on)
    for case_id in flight.on_board.order_by("id").values_list("id", flat=True):
        case = locked_case(actor, case_id)
        record_return(actor, case, flight.departs_on, today=_today(today))
    flight.status = FlightStatus.DEPARTED
    flight.save(update_fields=["status"])
    audit.record(
        actor, Action.FLIGHT_DEPART, flight, member_state=flight.member_state,
        new={"status": flight.status, "on_board": flight.on_board.count()},
    )  # fmt: skip
    return flight


@transaction.atomic
def cancel_flight(actor: User | None, flight_id: int, *, reason: str) -> ReturnFlight:
    """A planned flight is cancelled: everyone comes off it (their bookings cancelled too)."""
    flight = _locked_flight(actor, flight_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for this change.")})
    if flight.status != FlightStatus.PLANNED:
        raise ValidationError(
            _("%(ref)s is %(status)s.")
            % {"ref": flight.reference, "status": flight.get_status_display()}
        )
    for case in flight.on_board.select_for_update():
        for request in case.readmission_requests.filter(status=ReadmissionStatus.DEPARTURE_BOOKED):
            READMISSION.apply(
                actor, request, ReadmissionStatus.TRAVEL_DOCUMENT_ISSUED,
                member_state=request.member_state, reason=reason,
                also={"departure_booked_on": None},
            )  # fmt: skip
    count = flight.on_board.update(flight=None)
    flight.status = FlightStatus.CANCELLED
    flight.save(update_fields=["status"])
    audit.record(
        actor, Action.FLIGHT_CANCEL, flight, member_state=flight.member_state,
        new={"status": flight.status, "taken_off": count}, reason=reason.strip(),
    )  # fmt: skip
    return flight
