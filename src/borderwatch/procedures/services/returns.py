"""Return cases (Return Directive 2008/115): the return decision, the voluntary departure period,
detention for return, and the moves of the case (carried out, absconded, found, closed).

Every write is one transaction holding the case's row lock, audited; a refused request (an
impossible move, a day before the decision, a period outside 7-30 days, detention past 18
months, a suspended country policy) raises ValidationError and changes nothing.
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
from borderwatch.procedures import deadlines, return_limits
from borderwatch.procedures.models import (
    FINAL_NEGATIVE,
    AsylumApplication,
    ReadmissionRequest,
    ReadmissionStatus,
    ReturnCase,
    ReturnDueKind,
    ReturnKind,
    ReturnStatus,
)
from borderwatch.procedures.return_workflow import CASE_DAY_FIELD, READMISSION, RETURN_CASE
from borderwatch.procedures.services.access import in_reach, person_in_reach
from borderwatch.procedures.services.policies import offer_in_force

MAX_TEXT = 20_000
MAX_ENTRY_BAN_YEARS = 5  # art 11(2): "shall not in principle exceed five years"


def _iso(day: dt.date) -> str:
    return day.isoformat()


def limit_message(error: deadlines.DeadlineError) -> str:
    """A Return Directive limit's refusal in the user's language."""
    messages = {
        "departure_with_risk": _(
            "No voluntary departure period where there is a risk of absconding "
            "(Directive 2008/115 art 7(4))."
        ),
        "departure_range": _(
            "A voluntary departure period is %(low)d to %(high)d days, not %(days)d "
            "(Directive 2008/115 art 7(1))."
        ),
        "at_least_one_month": _("An extension is at least one month."),
        "detention_first": _(
            "Detention for return is ordered for at most %(limit)d months at first "
            "(Directive 2008/115 art 15(5))."
        ),
        "detention_ceiling": _(
            "Detention for return may not pass %(limit)d months in all; at most %(left)d more "
            "(Directive 2008/115 art 15(6))."
        ),
    }
    return messages.get(error.code, error.code) % error.params


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _check_text(*texts: str) -> None:
    if any(len(t) > MAX_TEXT for t in texts):
        raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_TEXT})


def _given_reason(reason: str) -> str:
    """The reason a step needs, stripped: present and not longer than a text may be."""
    reason = reason.strip()
    _check_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give a reason for this change.")})
    return reason


def check_day(case: ReturnCase, on: dt.date, today: dt.date, field: str = "on") -> None:
    """A step's day: not in the future, not before the decision."""
    if on > today:
        raise ValidationError({field: _("%(day)s is in the future.") % {"day": _iso(on)}})
    if on < case.decided_on:
        raise ValidationError(
            {field: _("%(day)s is before the return decision (%(decided)s).")
             % {"day": _iso(on), "decided": _iso(case.decided_on)}}
        )  # fmt: skip


def refresh_due(case: ReturnCase) -> list[str]:
    """The case's next limit: the detention ordered while detained, else the end of the
    voluntary departure period while the case is open; the fields it changed."""
    due: dt.date | None = None
    kind = ""
    if case.status == ReturnStatus.DECIDED:
        if case.detained:
            due, kind = case.detention_until, ReturnDueKind.DETENTION
        elif case.departure_due is not None:
            due, kind = case.departure_due, ReturnDueKind.DEPARTURE
    case.due_on, case.due_kind = due, kind
    return ["due_on", "due_kind"]


def _not_found(case_id: int) -> ValidationError:
    return ValidationError(_("Return case #%(id)s does not exist.") % {"id": case_id})


def locked_case(actor: User | None, case_id: int) -> ReturnCase:
    """The case, locked, if the actor may work on it; another state's answers like a missing one."""
    return in_reach(
        actor,
        ReturnCase.objects.select_for_update().filter(pk=case_id).first,
        lambda case: case.member_state,
        lambda: _not_found(case_id),
    )


def _application(
    application_id: int | None, person_id: int, decided_on: dt.date
) -> AsylumApplication | None:
    if application_id is None:
        return None
    application = AsylumApplication.objects.filter(pk=application_id, person_id=person_id).first()
    if application is None:
        raise ValidationError(
            {"application_id": _("Application #%(id)s is not this person's.")
             % {"id": application_id}}
        )  # fmt: skip
    if application.status not in FINAL_NEGATIVE or application.final_on is None:
        raise ValidationError(
            {"application_id": _("%(ref)s has no final negative decision; a return decision "
                                 "follows only a final rejection.") % {"ref": application.reference}}
        )  # fmt: skip
    if decided_on < application.final_on:
        raise ValidationError(
            {"decided_on": _("%(day)s is before the final asylum decision (%(final)s).")
             % {"day": _iso(decided_on), "final": _iso(application.final_on)}}
        )  # fmt: skip
    return application


@transaction.atomic
def decide_return(
    actor: User | None,
    *,
    person_id: int,
    decided_on: dt.date,
    country: str,
    kind: str,
    decision_text: str,
    entry_ban_years: int | None = None,
    risk_of_absconding: bool = False,
    departure_days: int | None = None,
    application_id: int | None = None,
    today: dt.date | None = None,
) -> ReturnCase:
    """A return decision for a registered person of the actor's state, with the voluntary
    departure period (7-30 days, none where they may abscond) and an optional entry ban; a
    voluntary return carries the state's reintegration amount in force that day."""
    person = person_in_reach(actor, person_id)
    state = person.member_state
    country = country.strip().upper()
    decision_text = decision_text.strip()
    _check_text(decision_text)
    if decided_on > _today(today):
        raise ValidationError(
            {"decided_on": _("%(day)s is in the future.") % {"day": _iso(decided_on)}}
        )
    if country not in nationality_codes() or country == state:
        raise ValidationError(
            {"country": _("%(code)s is not a country of return.") % {"code": country}}
        )
    if kind not in ReturnKind.values:
        raise ValidationError({"kind": _("Unknown kind of return %(kind)r.") % {"kind": kind}})
    if not decision_text:
        raise ValidationError({"decision_text": _("Give the reasoned return decision.")})
    if entry_ban_years is not None and not 1 <= entry_ban_years <= MAX_ENTRY_BAN_YEARS:
        raise ValidationError(
            {"entry_ban_years": _("An entry ban is 1 to %(max)d years (Directive 2008/115 "
                                  "art 11(2)).") % {"max": MAX_ENTRY_BAN_YEARS}}
        )  # fmt: skip
    try:
        return_limits.check_departure_period(departure_days, risk_of_absconding)
    except deadlines.DeadlineError as error:
        raise ValidationError({"departure_days": limit_message(error)}) from None
    open_ = ReturnCase.objects.filter(
        person_id=person_id, status__in=[ReturnStatus.DECIDED, ReturnStatus.ABSCONDED]
    ).first()
    if open_ is not None:
        raise ValidationError(
            {"person_id": _("This person already has an open return case, %(ref)s.")
             % {"ref": open_.reference}}
        )  # fmt: skip
    application = _application(application_id, person_id, decided_on)
    offer = offer_in_force(state, decided_on) if kind == ReturnKind.VOLUNTARY else None
    case = ReturnCase(
        person_id=person_id, member_state=state, nationality=person.nationality, country=country,
        application=application, kind=kind, decided_on=decided_on, decision_text=decision_text,
        entry_ban_years=entry_ban_years, risk_of_absconding=risk_of_absconding,
        departure_days=departure_days, reintegration_offer=offer,
        assistance_amount=offer.amount if offer is not None else None,
        officer=actor if actor is not None and actor.pk else None,
        created_by=actor if actor is not None and actor.pk else None,
    )  # fmt: skip
    if departure_days is not None:
        case.departure_due = return_limits.departure_due(decided_on, departure_days)
    refresh_due(case)
    case.save()
    audit.record(
        actor, Action.RETURN_DECIDE, case, member_state=state,
        new=audit.snapshot(case, ["person_id", "country", "kind", "decided_on",
                                  "entry_ban_years", "departure_days", "assistance_amount"]),
    )  # fmt: skip
    return case


@transaction.atomic
def extend_departure(actor: User | None, case_id: int, *, days: int, reason: str) -> ReturnCase:
    """Art 7(2): extend the voluntary departure period by `days` (the family, school, length
    of stay: the reason says which)."""
    case = locked_case(actor, case_id)
    reason = _given_reason(reason)
    if case.status != ReturnStatus.DECIDED or case.departure_days is None:
        raise ValidationError(
            _("Only an open case with a voluntary departure period can have it extended.")
        )
    if not 1 <= days <= return_limits.DEPARTURE_MAX_DAYS:
        raise ValidationError(
            {"days": _("An extension is 1 to %(max)d days.")
             % {"max": return_limits.DEPARTURE_MAX_DAYS}}
        )  # fmt: skip
    old = case.departure_due
    case.departure_extended_days += days
    case.departure_due = return_limits.departure_due(
        case.decided_on, case.departure_days, case.departure_extended_days
    )
    fields = ["departure_extended_days", "departure_due", *refresh_due(case)]
    case.save(update_fields=fields)
    audit.record(
        actor, Action.RETURN_DEPARTURE_EXTEND, case, member_state=case.member_state,
        old={"departure_due": old}, new={"departure_due": case.departure_due, "days": days},
        reason=reason,
    )  # fmt: skip
    return case


@transaction.atomic
def start_detention(
    actor: User | None,
    case_id: int,
    *,
    on: dt.date,
    months: int = return_limits.DETENTION_MONTHS,
    reason: str,
    today: dt.date | None = None,
) -> ReturnCase:
    """Art 15(1), 15(5): detention to prepare the return, ordered for at most 6 months."""
    case = locked_case(actor, case_id)
    reason = _given_reason(reason)
    if case.status != ReturnStatus.DECIDED:
        raise ValidationError(_("Only an open return case can have detention ordered."))
    if case.detained_on is not None:
        raise ValidationError(
            _("Detention for this case was ordered on %(day)s; extend it or end it.")
            % {"day": _iso(case.detained_on)}
        )
    check_day(case, on, _today(today))
    try:
        return_limits.check_detention(0, months)
    except deadlines.DeadlineError as error:
        raise ValidationError({"months": limit_message(error)}) from None
    case.detained_on = on
    case.detention_months = months
    case.detention_until = return_limits.detention_until(on, months)
    fields = ["detained_on", "detention_months", "detention_until", *refresh_due(case)]
    case.save(update_fields=fields)
    audit.record(
        actor, Action.RETURN_DETENTION_START, case, member_state=case.member_state,
        new={"detained_on": on, "months": months, "until": case.detention_until}, reason=reason,
    )  # fmt: skip
    return case


@transaction.atomic
def extend_detention(actor: User | None, case_id: int, *, months: int, reason: str) -> ReturnCase:
    """Art 15(6): extend detention (no co-operation, documents delayed), never past 18 months."""
    case = locked_case(actor, case_id)
    reason = _given_reason(reason)
    if not case.detained or case.detained_on is None:
        raise ValidationError(_("The person is not in detention for this case."))
    try:
        return_limits.check_detention(case.detention_months, months)
    except deadlines.DeadlineError as error:
        raise ValidationError({"months": limit_message(error)}) from None
    old = case.detention_until
    case.detention_months += months
    case.detention_until = return_limits.detention_until(case.detained_on, case.detention_months)
    fields = ["detention_months", "detention_until", *refresh_due(case)]
    case.save(update_fields=fields)
    audit.record(
        actor, Action.RETURN_DETENTION_EXTEND, case, member_state=case.member_state,
        old={"detention_until": old},
        new={"detention_until": case.detention_until, "months": case.detention_months},
        reason=reason,
    )  # fmt: skip
    return case


def _end_detention_fields(case: ReturnCase, on: dt.date) -> list[str]:
    if not case.detained:
        return []
    case.detention_ended_on = on
    return ["detention_ended_on"]


@transaction.atomic
def end_detention(
    actor: User | None, case_id: int, *, on: dt.date, reason: str, today: dt.date | None = None
) -> ReturnCase:
    case = locked_case(actor, case_id)
    reason = _given_reason(reason)
    if not case.detained or case.detained_on is None:
        raise ValidationError(_("The person is not in detention for this case."))
    check_day(case, on, _today(today))
    if on < case.detained_on:
        raise ValidationError(
            {"on": _("%(day)s is before the detention began (%(start)s).")
             % {"day": _iso(on), "start": _iso(case.detained_on)}}
        )  # fmt: skip
    fields = [*_end_detention_fields(case, on), *refresh_due(case)]
    case.save(update_fields=fields)
    audit.record(
        actor, Action.RETURN_DETENTION_END, case, member_state=case.member_state,
        new={"detention_ended_on": on}, reason=reason,
    )  # fmt: skip
    return case


def departure_problem(case: ReturnCase, day: dt.date, *, booking: bool = False) -> str:
    """Why the case may not depart on `day` ("" when it may): an open case, on or after the
    decision, returns to the country not suspended, and for a forced return the voluntary
    departure period over and a travel document issued."""
    from borderwatch.procedures.services.policies import suspension_problem

    if case.status != ReturnStatus.DECIDED:
        return _(
            "%(ref)s is “%(status)s”; only a case with an open return decision may depart."
        ) % {
            "ref": case.reference,
            "status": case.get_status_display(),
        }
    if day < case.decided_on:
        return _("%(day)s is before the return decision (%(decided)s).") % {
            "day": _iso(day),
            "decided": _iso(case.decided_on),
        }
    if problem := suspension_problem(case.member_state, case.country, day):
        return problem
    if case.kind == ReturnKind.FORCED:
        if case.departure_due is not None and day <= case.departure_due:
            return _(
                "%(ref)s: the voluntary departure period runs until %(due)s; a forced return "
                "only after it (Directive 2008/115 art 8(1))."
            ) % {"ref": case.reference, "due": _iso(case.departure_due)}
        ready: tuple[str, ...] = (ReadmissionStatus.DEPARTURE_BOOKED,)
        if booking:
            ready = (ReadmissionStatus.TRAVEL_DOCUMENT_ISSUED, ReadmissionStatus.DEPARTURE_BOOKED)
        if not case.readmission_requests.filter(status__in=ready).exists():
            return _(
                "%(ref)s: a forced return needs the country of return's travel document "
                "(the readmission request has not reached that step)."
            ) % {"ref": case.reference}
    return ""


def record_return(
    actor: User | None, case: ReturnCase, on: dt.date, reason: str = "", *, today: dt.date
) -> ReturnCase:
    """The return carried out on `on` (the caller holds the lock): the case, its readmission
    request (booked -> returned) and the detention end together."""
    check_day(case, on, today)
    if problem := departure_problem(case, on):
        raise ValidationError({"on": problem})
    request = (
        case.readmission_requests.select_for_update()
        .filter(status=ReadmissionStatus.DEPARTURE_BOOKED)
        .first()
    )
    also: dict[str, object] = {"returned_on": on, "due_on": None, "due_kind": ""}
    if case.detained:
        also["detention_ended_on"] = on
    RETURN_CASE.apply(
        actor, case, ReturnStatus.RETURNED, member_state=case.member_state, reason=reason,
        also=also,
    )  # fmt: skip
    if request is not None:
        READMISSION.apply(
            actor, request, ReadmissionStatus.RETURNED, member_state=request.member_state,
            also={"returned_on": on},
        )  # fmt: skip
    return case


@transaction.atomic
def advance_return(
    actor: User | None,
    case_id: int,
    target: str,
    *,
    on: dt.date,
    reason: str = "",
    today: dt.date | None = None,
) -> ReturnCase:
    """One move of the return case on day `on` (the table names the possible ones)."""
    case = locked_case(actor, case_id)
    transition = RETURN_CASE.find(case.status, str(target))
    _check_text(reason)
    if transition.target == ReturnStatus.RETURNED:
        return record_return(actor, case, on, reason, today=_today(today))
    check_day(case, on, _today(today))
    also: dict[str, object] = {}
    if field := CASE_DAY_FIELD.get(ReturnStatus(transition.target)):
        also[field] = on
    case.status = transition.target  # for refresh_due; apply sets it again with the checks
    also.update(dict(zip(refresh_due(case), (case.due_on, case.due_kind), strict=True)))
    case.status = transition.source
    if transition.target in (ReturnStatus.CLOSED, ReturnStatus.ABSCONDED) and case.detained:
        also["detention_ended_on"] = on
    if transition.target in (ReturnStatus.CLOSED, ReturnStatus.ABSCONDED):
        also["flight"] = None
    RETURN_CASE.apply(
        actor, case, transition.target, member_state=case.member_state, reason=reason, also=also
    )
    return case


def open_request(case: ReturnCase) -> ReadmissionRequest | None:
    return case.readmission_requests.exclude(
        status__in=[ReadmissionStatus.RETURNED, ReadmissionStatus.REFUSED]
    ).first()
