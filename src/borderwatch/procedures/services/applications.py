"""Asylum applications: make one, move it along its workflow, extend the decision period.

Every move goes through workflow.APPLICATION (timeline row and audit entry) inside one
transaction with the row locked; a refused move (impossible, a day before the application or
before the last step, a national rule against it) raises ValidationError and changes nothing.
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
from borderwatch.procedures import deadlines
from borderwatch.procedures.models import (
    FIRST_INSTANCE,
    PENDING,
    POSITIVE,
    AsylumApplication,
    DueKind,
    RuleKind,
    Status,
)
from borderwatch.procedures.selectors import influx_in_force, rule_in_force
from borderwatch.procedures.services import figures
from borderwatch.procedures.services.access import in_reach, person_in_reach
from borderwatch.procedures.workflow import APPLICATION, DAY_FIELD
from borderwatch.registration import services as registration_services

MAX_TEXT = 20_000


def _day(value: dt.date) -> str:
    return value.isoformat()


def deadline_message(error: deadlines.DeadlineError) -> str:
    """A deadline rule's refusal in the user's language."""
    messages = {
        "extended_twice": _(
            "The decision period has been extended twice already (Directive 2013/32 art 31(3))."
        ),
        "at_least_one_month": _("An extension is at least one month."),
        "first_extension": _(
            "The first extension is at most %(limit)d months (Directive 2013/32 art 31(3))."
        ),
        "second_extension": _(
            "The second extension is at most %(limit)d months (Directive 2013/32 art 31(3))."
        ),
        "negative_days": _("A number of working days cannot be negative."),
    }
    return messages.get(error.code, error.code) % error.params


def _not_found(application_id: int) -> ValidationError:
    return ValidationError(_("Application #%(id)s does not exist.") % {"id": application_id})


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


@transaction.atomic
def make_application(
    actor: User | None,
    *,
    person_id: int,
    made_on: dt.date,
    at_border_crossing_point: bool = False,
    officer: User | None = None,
    today: dt.date | None = None,
) -> AsylumApplication:
    """A registered person applies for international protection in their member state."""
    person = person_in_reach(actor, person_id)
    state = person.member_state
    if made_on > _today(today):
        raise ValidationError({"made_on": _("%(day)s is in the future.") % {"day": _day(made_on)}})
    open_ = AsylumApplication.objects.filter(
        person_id=person_id, status__in=[*PENDING, Status.APPEALED]
    ).first()
    if open_ is not None:
        raise ValidationError(
            {"person_id": _("This person already has an open application, %(ref)s.")
             % {"ref": open_.reference}}
        )  # fmt: skip
    influx = influx_in_force(state, made_on)
    only_bcp = rule_in_force(state, RuleKind.BORDER_CROSSING_POINTS_ONLY, made_on, influx)
    if only_bcp is not None and not at_border_crossing_point:
        raise ValidationError(
            {
                "made_at_border_crossing_point": _(
                    "On %(day)s applications are accepted only at border crossing points "
                    "(%(rule)s, in force from %(from)s)."
                )
                % {"day": _day(made_on), "rule": only_bcp.title, "from": _day(only_bcp.valid_from)}
            }
        )
    holidays = deadlines.holidays_around(state, made_on)
    due = deadlines.registration_due(made_on, holidays, influx=influx is not None)
    application = AsylumApplication.objects.create(
        person_id=person_id,
        member_state=state,
        nationality=person.nationality,
        made_on=made_on,
        made_at_border_crossing_point=at_border_crossing_point,
        during_influx=influx is not None,
        registration_due=due,
        due_on=due,
        due_kind=DueKind.REGISTRATION,
        officer=officer or (actor if actor is not None and actor.pk else None),
        created_by=actor if actor is not None and actor.pk else None,
    )
    figures.recount([], figures.keys_of(application))
    audit.record(
        actor,
        Action.APPLICATION_MAKE,
        application,
        member_state=state,
        new=audit.snapshot(
            application, ["person_id", "made_on", "made_at_border_crossing_point", "status"]
        ),
    )
    return application


def _locked(actor: User | None, application_id: int) -> AsylumApplication:
    """The application, locked, if the actor may work on it; another state's answers exactly
    like a missing one."""
    return in_reach(
        actor,
        AsylumApplication.objects.select_for_update().filter(pk=application_id).first,
        lambda application: application.member_state,
        lambda: _not_found(application_id),
    )


def last_step_day(application: AsylumApplication) -> dt.date:
    """The day of the latest step taken (the application's own day at first)."""
    days = [getattr(application, f) for f in set(DAY_FIELD.values())]
    return max([application.made_on, *[d for d in days if d is not None]])


def _check_day(application: AsylumApplication, on: dt.date, today: dt.date) -> None:
    if on > today:
        raise ValidationError({"on": _("%(day)s is in the future.") % {"day": _day(on)}})
    if on < application.made_on:
        raise ValidationError(
            {"on": _("%(day)s is before the application was made (%(made)s).")
             % {"day": _day(on), "made": _day(application.made_on)}}
        )  # fmt: skip
    last = last_step_day(application)
    if on < last:
        raise ValidationError(
            {"on": _("%(day)s is before the last step of this case (%(last)s).")
             % {"day": _day(on), "last": _day(last)}}
        )  # fmt: skip


def _decision_due(application: AsylumApplication, lodged_on: dt.date) -> dict[str, object]:
    """The decision period from lodging: a national rule in force that day (by date, influx
    aware), else the Directive's 6 months."""
    influx = influx_in_force(application.member_state, lodged_on)
    rule = rule_in_force(application.member_state, RuleKind.DECISION_DAYS, lodged_on, influx)
    due = deadlines.decision_due(lodged_on, [], rule.value if rule is not None else None)
    return {"decision_due": due, "national_rule": rule, "due_on": due, "due_kind": DueKind.DECISION}


@transaction.atomic
def advance(
    actor: User | None,
    application_id: int,
    target: str,
    *,
    on: dt.date,
    reason: str = "",
    interview_record: str = "",
    today: dt.date | None = None,
) -> AsylumApplication:
    """Take one step of the workflow on day `on`. `reason` is the reasoned decision (or the
    appeal's grounds) where the step needs one; `interview_record` for the interview."""
    application = _locked(actor, application_id)
    counted = figures.keys_of(application)
    transition = APPLICATION.find(application.status, str(target))  # impossible: named, first
    _check_day(application, on, _today(today))
    if len(reason) > MAX_TEXT or len(interview_record) > MAX_TEXT:
        raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
    target = transition.target
    also: dict[str, object] = {DAY_FIELD[Status(target)]: on}
    if target == Status.INTERVIEWED:
        application.interview_record = interview_record.strip()
        also["interview_record"] = application.interview_record
    if target == Status.LODGED:
        also.update(_decision_due(application, on))
    elif target in FIRST_INSTANCE:
        also.update(decision=target, decision_text=reason.strip(), due_on=None, due_kind="")
    elif target == Status.APPEALED:
        also["appeal_grounds"] = reason.strip()
    elif target in (Status.FINAL_PROTECTION, Status.FINAL_REJECTED):
        also["final_text"] = reason.strip()
    elif target == Status.REGISTERED:
        also.update(due_on=None, due_kind="")
    # The move itself: table check, role check, reason and guard, save, timeline, audit.
    APPLICATION.apply(
        actor, application, target, member_state=application.member_state,
        reason=reason, also=also,
    )  # fmt: skip
    figures.recount(counted, figures.keys_of(application))
    if target == Status.LODGED:
        registration_services.record_applicant(actor, application.person_id, on)
    if target in (*POSITIVE, Status.FINAL_PROTECTION):
        registration_services.mark_protection(actor, application.person_id, on)
    return application


@transaction.atomic
def extend_decision_period(
    actor: User | None, application_id: int, *, months: int, reason: str
) -> AsylumApplication:
    """Extend the first-instance decision period (art 31(3)): at most 9 months, then at most 3,
    never past 21 months after lodging."""
    application = _locked(actor, application_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for this change.")})
    if application.status not in PENDING or application.lodged_on is None:
        raise ValidationError(
            _("Only a lodged application awaiting its first-instance decision can be extended.")
        )
    try:
        deadlines.check_extension(application.extensions, months)
    except deadlines.DeadlineError as error:
        raise ValidationError({"months": deadline_message(error)}) from None
    rule = application.national_rule
    extensions = [*application.extensions, months]
    due = deadlines.decision_due(
        application.lodged_on, extensions, rule.value if rule is not None else None
    )
    old = application.decision_due
    if old is not None and due <= old:
        raise ValidationError(
            {"months": _("The decision is already due on %(day)s, the latest day the Directive "
                         "allows (21 months after lodging).") % {"day": _day(old)}}
        )  # fmt: skip
    counted = figures.keys_of(application)
    application.extensions = extensions
    application.decision_due = application.due_on = due
    application.save(update_fields=["extensions", "decision_due", "due_on"])
    figures.recount(counted, figures.keys_of(application))
    audit.record(
        actor,
        Action.APPLICATION_EXTEND,
        application,
        member_state=application.member_state,
        old={"decision_due": old},
        new={"decision_due": due, "months": months},
        reason=reason,
    )
    return application
