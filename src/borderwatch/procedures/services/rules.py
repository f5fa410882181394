"""National data the deadlines depend on: mass-influx periods and procedure rules with
effective dates. A state's coordinator declares them (DECLARE_MEASURES); the reference rules of
the demo (Lithuania's law of 13 July 2021) are seeded by `seed_national_rules`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.procedures.models import MassInfluxPeriod, ProcedureRule, RuleKind


def _check_dates(start: dt.date, end: dt.date | None, end_field: str) -> None:
    if end is not None and end < start:
        raise ValidationError({end_field: _("The last day is before the first.")})


@transaction.atomic
def declare_mass_influx(
    actor: User | None,
    *,
    member_state: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
    synthetic: bool = False,
) -> MassInfluxPeriod:
    if actor is not None:
        check(actor, Capability.DECLARE_MEASURES, member_state)
    _check_dates(starts_on, ends_on, "ends_on")
    period = MassInfluxPeriod.objects.create(
        member_state=member_state, starts_on=starts_on, ends_on=ends_on, note=note.strip(),
        synthetic=synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.MASS_INFLUX_DECLARE, period, member_state=member_state,
        new=audit.snapshot(period),
    )  # fmt: skip
    return period


@transaction.atomic
def set_rule(
    actor: User | None,
    *,
    member_state: str,
    kind: str,
    value: int,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    influx_only: bool = False,
    title: str,
    synthetic: bool = False,
) -> ProcedureRule:
    """A national rule from a date; an earlier rule of the same kind stays for earlier days."""
    if actor is not None:
        check(actor, Capability.DECLARE_MEASURES, member_state)
    if kind not in RuleKind.values:
        raise ValidationError({"kind": _("Unknown rule kind %(kind)r.") % {"kind": kind}})
    if kind == RuleKind.DECISION_DAYS and value < 1:
        raise ValidationError({"value": _("A decision period is at least one day.")})
    if not title.strip():
        raise ValidationError({"title": _("Cite the law or decision.")})
    _check_dates(valid_from, valid_to, "valid_to")
    rule = ProcedureRule.objects.create(
        member_state=member_state, kind=kind, value=value, valid_from=valid_from,
        valid_to=valid_to, influx_only=influx_only, title=title.strip(), synthetic=synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.PROCEDURE_RULE_SET, rule, member_state=member_state,
        new=audit.snapshot(rule),
    )  # fmt: skip
    return rule


LT_LAW_2021 = "Law of 13 July 2021 amending the Law on the Legal Status of Aliens (Lithuania)"


def seed_national_rules() -> int:
    """The demo's national data, once: Lithuania's mass influx from 2 July 2021 (its
    state-level emergency; the day is the scenario's, marked synthetic), Latvia's emergency
    from 11 August to 10 November 2021, and Lithuania's July 2021 law: decisions within 10
    days during the influx, and from 10 August applications only at border crossing points."""
    if ProcedureRule.objects.filter(member_state="LT", title=LT_LAW_2021).exists():
        return 0
    declare_mass_influx(
        None, member_state="LT", starts_on=dt.date(2021, 7, 2), synthetic=True,
        note="Scenario: Lithuania's state-level emergency over the influx from Belarus.",
    )  # fmt: skip
    declare_mass_influx(
        None, member_state="LV", starts_on=dt.date(2021, 8, 11), ends_on=dt.date(2021, 11, 10),
        synthetic=True, note="Scenario: Latvia's state of emergency on the border with Belarus.",
    )  # fmt: skip
    set_rule(
        None, member_state="LT", kind=RuleKind.DECISION_DAYS, value=10,
        valid_from=dt.date(2021, 7, 13), influx_only=True, title=LT_LAW_2021, synthetic=True,
    )  # fmt: skip
    set_rule(
        None, member_state="LT", kind=RuleKind.BORDER_CROSSING_POINTS_ONLY, value=1,
        valid_from=dt.date(2021, 8, 10), influx_only=True, title=LT_LAW_2021, synthetic=True,
    )  # fmt: skip
    return 4
