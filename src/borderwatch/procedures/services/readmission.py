"""Readmission requests to the country of return: send one, move it along its table, remind the
country when it has not answered within READMISSION_REMINDER_DAYS (a setting).

A step on a day when the state's returns to the country are suspended is refused naming the
policy; the 'returned' step carries out the return case in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check, visible_states
from borderwatch.core.roles import Capability
from borderwatch.procedures.models import ReadmissionRequest, ReadmissionStatus, ReturnStatus
from borderwatch.procedures.return_workflow import READMISSION, READMISSION_DAY_FIELD
from borderwatch.procedures.services.policies import check_not_suspended
from borderwatch.procedures.services.returns import (
    check_day,
    locked_case,
    open_request,
    record_return,
)

A = ReadmissionStatus


def reminder_days() -> int:
    return int(getattr(settings, "READMISSION_REMINDER_DAYS", 30))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def last_day(request: ReadmissionRequest) -> dt.date:
    days = [getattr(request, f) for f in set(READMISSION_DAY_FIELD.values())]
    return max([request.sent_on, *[d for d in days if d is not None]])


@transaction.atomic
def send_readmission(
    actor: User | None, case_id: int, *, on: dt.date, today: dt.date | None = None
) -> ReadmissionRequest:
    """Ask the country of return to readmit the person of an open return case."""
    case = locked_case(actor, case_id)
    if case.status != ReturnStatus.DECIDED:
        raise ValidationError(_("Only an open return case can have a readmission request."))
    check_day(case, on, _today(today))
    current = open_request(case)
    if current is not None:
        raise ValidationError(
            _("%(ref)s is still open (%(status)s).")
            % {"ref": current.reference, "status": current.get_status_display()}
        )
    check_not_suspended(case.member_state, case.country, on)
    request = ReadmissionRequest.objects.create(
        return_case=case, member_state=case.member_state, country=case.country, sent_on=on,
        reminder_due=on + dt.timedelta(days=reminder_days()),
    )  # fmt: skip
    audit.record(
        actor, Action.READMISSION_SEND, request, member_state=case.member_state,
        new={"return_case": case.pk, "country": case.country, "sent_on": on},
    )  # fmt: skip
    return request


def _locked_request(actor: User | None, request_id: int) -> ReadmissionRequest:
    if actor is not None:
        check(actor, Capability.RUN_PROCEDURES)
    request = ReadmissionRequest.objects.select_for_update().filter(pk=request_id).first()
    states = visible_states(actor) if actor is not None else None
    if request is None or (states is not None and request.member_state not in states):
        raise ValidationError(_("Readmission request #%(id)s does not exist.") % {"id": request_id})
    return request


@transaction.atomic
def advance_readmission(
    actor: User | None,
    request_id: int,
    target: str,
    *,
    on: dt.date,
    reason: str = "",
    today: dt.date | None = None,
) -> ReadmissionRequest:
    """One step of the request on day `on`; 'returned' carries out the return case too."""
    request = _locked_request(actor, request_id)
    case = locked_case(actor, request.return_case_id)
    transition = READMISSION.find(request.status, str(target))
    check_day(case, on, _today(today))
    last = last_day(request)
    if on < last:
        raise ValidationError(
            {"on": _("%(day)s is before the last step of this request (%(last)s).")
             % {"day": on.isoformat(), "last": last.isoformat()}}
        )  # fmt: skip
    if transition.target == A.RETURNED:
        record_return(actor, case, on, reason, today=_today(today))
        request.refresh_from_db()
        return request
    if transition.target not in (A.REFUSED, A.UNANSWERED):
        # A step towards the return is a return step: a suspension stops it.
        check_not_suspended(case.member_state, case.country, on)
    if case.status != ReturnStatus.DECIDED and transition.target != A.REFUSED:
        raise ValidationError(
            _("%(ref)s is “%(status)s”; its readmission request cannot move on.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )
    also: dict[str, object] = {}
    cancelling = transition.source == A.DEPARTURE_BOOKED
    if not cancelling:
        also[READMISSION_DAY_FIELD[A(transition.target)]] = on
    else:
        also["departure_booked_on"] = None
    if transition.source in (A.SENT, A.UNANSWERED):
        also["reminder_due"] = None  # answered (or given up): no more reminders
    READMISSION.apply(
        actor, request, transition.target, member_state=request.member_state, reason=reason,
        also=also,
    )  # fmt: skip
    if cancelling and case.flight_id is not None:
        case.flight = None
        case.save(update_fields=["flight"])
    return request


@transaction.atomic
def remind_readmission(
    actor: User | None, request_id: int, *, on: dt.date, today: dt.date | None = None
) -> ReadmissionRequest:
    """A reminder to a country that has not answered; the next falls due N days later."""
    request = _locked_request(actor, request_id)
    if actor is not None:
        check(actor, Capability.RUN_PROCEDURES, request.member_state)
    if request.status != A.SENT or request.reminder_due is None:
        raise ValidationError(_("Only a request still awaiting an answer gets a reminder."))
    if on > _today(today):
        raise ValidationError({"on": _("%(day)s is in the future.") % {"day": on.isoformat()}})
    if on < request.reminder_due:
        raise ValidationError(
            {
                "on": _("No reminder is due before %(day)s.")
                % {"day": request.reminder_due.isoformat()}
            }
        )
    request.reminders += 1
    request.last_reminder_on = on
    request.reminder_due = on + dt.timedelta(days=reminder_days())
    request.save(update_fields=["reminders", "last_reminder_on", "reminder_due"])
    audit.record(
        actor, Action.READMISSION_REMIND, request, member_state=request.member_state,
        new={"reminders": request.reminders, "on": on, "next": request.reminder_due},
    )  # fmt: skip
    return request
