"""EU funding: offers, awards, allocations to measures and payments (exact EUR), and aid in kind.

Amounts are Decimal euros with at most two decimal places; a negative amount, a float's
inexactness or another currency is refused. The funding decision's row is locked while an
allocation or payment is checked, so two at once cannot together pass what was awarded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.support import selectors
from borderwatch.support.models import (
    ZERO,
    AidItem,
    Allocation,
    FundingDecision,
    InKindAid,
    Instrument,
    Measure,
    Payment,
)
from borderwatch.support.services.requests import _state

CURRENCY = "EUR"
MAX_AMOUNT = Decimal("999999999999.99")
MAX_QUANTITY = 1_000_000
CENT = Decimal("0.01")


def money(value: object, field: str = "amount", currency: str = CURRENCY) -> Decimal:
    """An amount in euros as an exact Decimal, or a ValidationError naming the problem."""
    if (currency or "").strip().upper() != CURRENCY:
        raise ValidationError(
            {"currency": _("Amounts are in EUR only, not “%(c)s”.") % {"c": str(currency)[:8]}}
        )
    if isinstance(value, float | bool):
        raise ValidationError({field: _("Give the amount as a decimal number, e.g. 12000000.00.")})
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("“%(v)s” is not an amount.") % {"v": str(value)[:20]}}
        ) from None
    if not amount.is_finite():
        raise ValidationError({field: _("“%(v)s” is not an amount.") % {"v": str(value)[:20]}})
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("An amount has at most two decimal places (cents).")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(CENT)


def _positive(amount: Decimal, field: str = "amount") -> Decimal:
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return amount


def _measure(code: str) -> str:
    if code not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure: reception, asylum processing, "
                                            "border surveillance or returns.")})  # fmt: skip
    return code


def _eur(amount: Decimal) -> str:
    return f"EUR {amount:,.2f}"


@transaction.atomic
def offer_funding(
    actor: User | None,
    *,
    beneficiary_state: str,
    instrument: str,
    title: str,
    amount: object,
    offered_on: dt.date,
    currency: str = CURRENCY,
    source: str = "",
    synthetic: bool = False,
) -> FundingDecision:
    """The Commission offers money to a member state under an emergency-assistance instrument."""
    if actor is not None:
        check(actor, Capability.MANAGE_FUNDING)
    state = _state(beneficiary_state, "beneficiary_state")
    if instrument == Instrument.CIVIL_PROTECTION:
        raise ValidationError({"instrument": _("The Civil Protection Mechanism gives aid in kind: "
                                               "record it as aid in kind.")})  # fmt: skip
    if instrument not in Instrument.values:
        raise ValidationError({"instrument": _("Choose AMIF or BMVI emergency assistance.")})
    offered = _positive(money(amount, "amount", currency))
    title = (title or "").strip()[:200]
    if not title:
        raise ValidationError({"title": _("Give a title.")})
    decision = FundingDecision.objects.create(
        beneficiary_state=state, instrument=instrument, title=title, offered=offered,
        offered_on=offered_on, source=source.strip()[:300], synthetic=synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.FUNDING_OFFER, decision, member_state=state,
        new={"instrument": instrument, "offered": offered, "offered_on": offered_on},
    )  # fmt: skip
    return decision


@transaction.atomic
def award_funding(
    actor: User | None,
    funding_id: int,
    *,
    amount: object,
    awarded_on: dt.date,
    currency: str = CURRENCY,
) -> FundingDecision:
    """The Commission awards an amount (which may differ from the offer); never below what is
    already allocated."""
    if actor is not None:
        check(actor, Capability.MANAGE_FUNDING)
    decision = selectors.funding_for_update(actor, funding_id)
    awarded = _positive(money(amount, "amount", currency))
    if awarded_on < decision.offered_on:
        raise ValidationError({"awarded_on": _("The award cannot come before the offer (%(d)s).")
                               % {"d": decision.offered_on.isoformat()}})  # fmt: skip
    allocated = _sum(Allocation, decision)
    if awarded < allocated:
        raise ValidationError(
            {"amount": _("%(allocated)s is already allocated; the award cannot be less.")
             % {"allocated": _eur(allocated)}}
        )  # fmt: skip
    old = {"awarded": decision.awarded, "awarded_on": decision.awarded_on}
    decision.awarded, decision.awarded_on = awarded, awarded_on
    decision.save(update_fields=["awarded", "awarded_on"])
    audit.record(
        actor, Action.FUNDING_AWARD, decision, member_state=decision.beneficiary_state, old=old,
        new={"awarded": awarded, "awarded_on": awarded_on},
    )  # fmt: skip
    return decision


def _sum(
    model: type[Allocation] | type[Payment], decision: FundingDecision, **filters: str
) -> Decimal:
    total = model.objects.filter(funding=decision, **filters).aggregate(n=Sum("amount"))["n"]
    return Decimal(total or ZERO)


class _Spending(NamedTuple):
    decision: FundingDecision
    amount: Decimal
    measure: str
    awarded: Decimal
    awarded_on: dt.date


def _spend(
    actor: User | None, funding_id: int, measure: str, amount: object, currency: str
) -> _Spending:
    """What an allocation and a payment both check first: the actor manages funding, the
    decision (locked) is theirs and awarded, the amount is money above zero, the measure known."""
    if actor is not None:
        check(actor, Capability.MANAGE_FUNDING)
    decision = selectors.funding_for_update(actor, funding_id)
    amount_ = _positive(money(amount, "amount", currency))
    measure = _measure(measure)
    if decision.awarded is None or decision.awarded_on is None:
        raise ValidationError({"amount": _("Nothing is awarded yet: record the award first.")})
    return _Spending(decision, amount_, measure, decision.awarded, decision.awarded_on)


@transaction.atomic
def allocate(
    actor: User | None,
    funding_id: int,
    *,
    measure: str,
    amount: object,
    on: dt.date,
    currency: str = CURRENCY,
) -> Allocation:
    """Set part of the award aside for a measure; never past what was awarded."""
    decision, amount_, measure, awarded, awarded_on = _spend(
        actor, funding_id, measure, amount, currency
    )
    if on < awarded_on:
        raise ValidationError({"on": _("An allocation cannot come before the award (%(d)s).")
                               % {"d": awarded_on.isoformat()}})  # fmt: skip
    left = awarded - _sum(Allocation, decision)
    if amount_ > left:
        raise ValidationError(
            {"amount": _("%(amount)s is past what was awarded: %(left)s of %(awarded)s is left "
                         "to allocate.")
             % {"amount": _eur(amount_), "left": _eur(left), "awarded": _eur(awarded)}}
        )  # fmt: skip
    row = Allocation.objects.create(funding=decision, measure=measure, amount=amount_,
                                    allocated_on=on)  # fmt: skip
    audit.record(
        actor, Action.FUNDING_ALLOCATE, row, member_state=decision.beneficiary_state,
        new={"funding": decision.pk, "measure": measure, "amount": amount_, "on": on},
    )  # fmt: skip
    return row


@transaction.atomic
def pay(
    actor: User | None,
    funding_id: int,
    *,
    measure: str,
    amount: object,
    on: dt.date,
    currency: str = CURRENCY,
    note: str = "",
) -> Payment:
    """Record money spent on a measure; never past what was allocated to it (and so awarded)."""
    decision, amount_, measure, _awarded, awarded_on = _spend(
        actor, funding_id, measure, amount, currency
    )
    if on < awarded_on:
        raise ValidationError({"on": _("A payment cannot come before the award (%(d)s).")
                               % {"d": awarded_on.isoformat()}})  # fmt: skip
    allocated = _sum(Allocation, decision, measure=measure)
    left = allocated - _sum(Payment, decision, measure=measure)
    if amount_ > left:
        raise ValidationError(
            {"amount": _("%(amount)s is past what was awarded for %(measure)s: %(left)s of "
                         "%(allocated)s allocated is left to spend.")
             % {"amount": _eur(amount_), "measure": Measure(measure).label, "left": _eur(left),
                "allocated": _eur(allocated)}}
        )  # fmt: skip
    row = Payment.objects.create(funding=decision, measure=measure, amount=amount_, paid_on=on,
                                 note=note.strip()[:200])  # fmt: skip
    audit.record(
        actor, Action.FUNDING_PAY, row, member_state=decision.beneficiary_state,
        new={"funding": decision.pk, "measure": measure, "amount": amount_, "on": on},
    )  # fmt: skip
    return row


@transaction.atomic
def offer_aid(
    actor: User | None,
    *,
    beneficiary_state: str,
    contributing_state: str,
    item: str,
    quantity: int,
    offered_on: dt.date,
    synthetic: bool = False,
) -> InKindAid:
    """A state's offer of aid in kind through the Civil Protection Mechanism."""
    if actor is not None:
        check(actor, Capability.MANAGE_FUNDING)
    beneficiary = _state(beneficiary_state, "beneficiary_state")
    contributor = _state(contributing_state, "contributing_state")
    if item not in AidItem.values:
        raise ValidationError({"item": _("Choose tents, beds, generators or heaters.")})
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": _("Offer between 1 and %(max)d.")
                               % {"max": MAX_QUANTITY}})  # fmt: skip
    aid = InKindAid.objects.create(
        beneficiary_state=beneficiary, contributing_state=contributor, item=item,
        quantity_offered=quantity, offered_on=offered_on, synthetic=synthetic,
    )  # fmt: skip
    audit.record(actor, Action.AID_OFFER, aid, member_state=beneficiary,
                 new=audit.snapshot(aid, ["contributing_state", "item", "quantity_offered"]))  # fmt: skip
    return aid


@transaction.atomic
def deliver_aid(actor: User | None, aid_id: int, *, quantity: int, on: dt.date) -> InKindAid:
    """Record a delivery of aid in kind; never more than was offered."""
    if actor is not None:
        check(actor, Capability.MANAGE_FUNDING)
    aid = selectors.aid_for_update(actor, aid_id)
    if quantity < 1:
        raise ValidationError({"quantity": _("Deliver at least one.")})
    left = aid.quantity_offered - aid.quantity_delivered
    if quantity > left:
        raise ValidationError({"quantity": _("Only %(left)d of %(offered)d offered are left to "
                                             "deliver.") % {"left": left,
                                                            "offered": aid.quantity_offered}})  # fmt: skip
    if on < aid.offered_on:
        raise ValidationError({"on": _("A delivery cannot come before the offer (%(d)s).")
                               % {"d": aid.offered_on.isoformat()}})  # fmt: skip
    old = aid.quantity_delivered
    aid.quantity_delivered += quantity
    aid.delivered_on = on
    aid.save(update_fields=["quantity_delivered", "delivered_on"])
    audit.record(actor, Action.AID_DELIVER, aid, member_state=aid.beneficiary_state,
                 old={"quantity_delivered": old},
                 new={"quantity_delivered": aid.quantity_delivered, "on": on})  # fmt: skip
    return aid
