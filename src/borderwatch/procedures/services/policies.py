"""Country policies and reintegration offers: national data with effective dates.

A member state's coordinator (DECLARE_MEASURES) sets them. `suspension_problem` is the one check
every return step makes: a step on a day when the state's returns to the country are suspended
is refused, naming the policy. The demo's policies (the six states' August 2021 letter on
Afghanistan) and Lithuania's EUR 1,000 reintegration offer are seeded by `seed_return_policies`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.codes import MEMBER_STATES, nationality_codes
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.procedures.models import CountryPolicy, PolicyKind, ReintegrationOffer

RETURN_KINDS = (PolicyKind.RETURNS_SUSPENDED, PolicyKind.RETURNS_CONTINUED)
MAX_AMOUNT = Decimal("100000")


def _covering(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def returns_policy(member_state: str, country: str, day: dt.date) -> CountryPolicy | None:
    """The state's policy on returns to `country` in force on `day`: the latest to take effect
    of 'suspended' and 'continue' (None: no policy, returns go ahead)."""
    return (
        CountryPolicy.objects.filter(
            _covering(day), member_state=member_state, country=country, kind__in=RETURN_KINDS
        )
        .order_by("-valid_from", "-id")
        .first()
    )


def is_safe_country(member_state: str, country: str, day: dt.date) -> CountryPolicy | None:
    return (
        CountryPolicy.objects.filter(
            _covering(day), member_state=member_state, country=country,
            kind=PolicyKind.SAFE_COUNTRY,
        )
        .order_by("-valid_from", "-id")
        .first()
    )  # fmt: skip


def suspension_problem(member_state: str, country: str, day: dt.date) -> str:
    """The refusal of a return step on `day` when returns are suspended, else ""."""
    policy = returns_policy(member_state, country, day)
    if policy is None or policy.kind != PolicyKind.RETURNS_SUSPENDED:
        return ""
    return _(
        "Returns from %(state)s to %(country)s are suspended on %(day)s by the policy "
        "“%(policy)s” (in force from %(from)s)."
    ) % {
        "state": member_state,
        "country": country,
        "day": day.isoformat(),
        "policy": policy.title,
        "from": policy.valid_from.isoformat(),
    }


def check_not_suspended(member_state: str, country: str, day: dt.date, field: str = "on") -> None:
    if problem := suspension_problem(member_state, country, day):
        raise ValidationError({field: problem})


def offer_in_force(member_state: str, day: dt.date) -> ReintegrationOffer | None:
    """The reintegration amount the state offers a voluntary returnee decided on `day`."""
    return (
        ReintegrationOffer.objects.filter(_covering(day), member_state=member_state)
        .order_by("-valid_from", "-id")
        .first()
    )


def _check_common(
    member_state: str, valid_from: dt.date, valid_to: dt.date | None, title: str
) -> None:
    if member_state not in MEMBER_STATES:
        raise ValidationError(
            {"member_state": _("%(code)s is not a member state.") % {"code": member_state}}
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The last day is before the first.")})
    if not title.strip():
        raise ValidationError({"title": _("Cite the law or decision.")})


@transaction.atomic
def set_country_policy(
    actor: User | None,
    *,
    member_state: str,
    country: str,
    kind: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    title: str,
    note: str = "",
    synthetic: bool = False,
) -> CountryPolicy:
    """A policy from a day; earlier policies stay for earlier days (the latest one wins)."""
    member_state, country = member_state.upper(), country.upper()
    if actor is not None:
        check(actor, Capability.DECLARE_MEASURES, member_state)
    if kind not in PolicyKind.values:
        raise ValidationError({"kind": _("Unknown policy kind %(kind)r.") % {"kind": kind}})
    if country not in nationality_codes() or country == member_state:
        raise ValidationError(
            {"country": _("%(code)s is not a country of return.") % {"code": country}}
        )
    _check_common(member_state, valid_from, valid_to, title)
    policy = CountryPolicy.objects.create(
        member_state=member_state, country=country, kind=kind, valid_from=valid_from,
        valid_to=valid_to, title=title.strip()[:200], note=note.strip(), synthetic=synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.COUNTRY_POLICY_SET, policy, member_state=member_state,
        new=audit.snapshot(policy, ["country", "kind", "valid_from", "valid_to", "title"]),
    )  # fmt: skip
    return policy


def parse_amount(value: object) -> Decimal:
    """A EUR amount as Decimal with cents, or a ValidationError."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Not an amount in EUR.")}) from None
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(
            {"amount": _("An amount from 0 to %(max)s EUR.") % {"max": MAX_AMOUNT}}
        )
    return amount


@transaction.atomic
def set_reintegration_offer(
    actor: User | None,
    *,
    member_state: str,
    amount: Decimal | str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    title: str,
    synthetic: bool = False,
) -> ReintegrationOffer:
    member_state = member_state.upper()
    if actor is not None:
        check(actor, Capability.DECLARE_MEASURES, member_state)
    value = parse_amount(amount)
    _check_common(member_state, valid_from, valid_to, title)
    offer = ReintegrationOffer.objects.create(
        member_state=member_state, amount=value, valid_from=valid_from, valid_to=valid_to,
        title=title.strip()[:200], synthetic=synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.REINTEGRATION_OFFER_SET, offer, member_state=member_state,
        new=audit.snapshot(offer, ["amount", "valid_from", "valid_to", "title"]),
    )  # fmt: skip
    return offer


SIX_STATES = ("DK", "DE", "AT", "BE", "NL", "GR")
SIX_STATE_LETTER = (
    "Letter of six member states to the Commission asking that returns of rejected Afghan "
    "applicants continue (August 2021)"
)
LT_REINTEGRATION = "Lithuania: EUR 1,000 for each voluntary returnee (2021)"


def seed_return_policies() -> int:
    """The demo's return data, once: the six states' letter (returns to Afghanistan continue,
    from the letter's day; the day is the scenario's, marked synthetic) and Lithuania's EUR 1,000
    reintegration offer (the amount is the fact; the first day is the scenario's)."""
    if CountryPolicy.objects.filter(title=SIX_STATE_LETTER).exists():
        return 0
    for state in SIX_STATES:
        set_country_policy(
            None, member_state=state, country="AF", kind=PolicyKind.RETURNS_CONTINUED,
            valid_from=dt.date(2021, 8, 5), title=SIX_STATE_LETTER, synthetic=True,
            note="The six states' letter is a fact; the day here is the scenario's.",
        )  # fmt: skip
    set_reintegration_offer(
        None, member_state="LT", amount=Decimal("1000.00"), valid_from=dt.date(2021, 8, 1),
        title=LT_REINTEGRATION, synthetic=True,
    )  # fmt: skip
    return len(SIX_STATES) + 1
