"""Why an arrival cannot be placed: the rule it runs into and the people concerned.

Two kinds of reason. Static ones hold whatever else happens (no facility offers the service,
no family block is large enough). Competition ones appear only because others took the places;
they name the pool of people who need the same kind of place and how many such places are free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from borderwatch.engines.placement.model import Arrival, Category, Facility, Rule, Unplaced
from borderwatch.engines.placement.rules import CATEGORY_LABELS, may_take, offers


def _needs_text(arrival: Arrival) -> str:
    return " and ".join(sorted(n.value.replace("_", " ") for n in arrival.needs))


def _who(arrival: Arrival) -> str:
    return f"The household of {arrival.size}" if arrival.size > 1 else "This person"


def static_reason(arrival: Arrival, facilities: Sequence[Facility]) -> Unplaced | None:
    """The rule that excludes every facility for this arrival on its own, or None."""
    label = CATEGORY_LABELS[arrival.category]
    if arrival.required_facility is not None:
        home = next((f for f in facilities if f.id == arrival.required_facility), None)
        if home is None:
            return Unplaced(
                arrival.id,
                Rule.FAMILY_TOGETHER,
                f"{_who(arrival)} must join the family in {arrival.required_facility}, "
                "which is not among the facilities that may be used.",
            )
        if not may_take(home, arrival):
            return Unplaced(
                arrival.id,
                Rule.FAMILY_TOGETHER,
                f"{_who(arrival)} must join the family in {home.name or home.id}, which has "
                f"{home.free_in(arrival.category)} free {label} places or lacks a needed service.",
            )
        return None
    with_category = [f for f in facilities if f.free_in(arrival.category) > 0]
    if not with_category:
        return Unplaced(
            arrival.id,
            Rule.CATEGORY if arrival.category != Category.FAMILIES else Rule.CAPACITY,
            f"No facility has a free {label} place.",
        )
    serving = [f for f in with_category if offers(f, arrival)]
    if not serving:
        return Unplaced(
            arrival.id,
            Rule.NEEDS,
            f"{_who(arrival)} needs {_needs_text(arrival)}; no facility offering it "
            f"has a free {label} place.",
        )
    if not any(f.free_in(arrival.category) >= arrival.size for f in serving):
        largest = max(f.free_in(arrival.category) for f in serving)
        return Unplaced(
            arrival.id,
            Rule.FAMILY_TOGETHER,
            f"{_who(arrival)} must stay together, but no suitable facility has more than "
            f"{largest} free {label} places.",
        )
    return None


def competition_reasons(
    left_out: Sequence[Arrival], batch: Sequence[Arrival], facilities: Sequence[Facility]
) -> list[Unplaced]:
    """Reasons for arrivals that could each be placed alone but not all together."""
    demand: dict[tuple[Category, frozenset[object]], int] = defaultdict(int)
    for arrival in batch:
        demand[arrival.category, frozenset(arrival.needs)] += arrival.size
    reasons = []
    for arrival in left_out:
        label = CATEGORY_LABELS[arrival.category]
        supply = sum(f.free_in(arrival.category) for f in facilities if offers(f, arrival))
        need = demand[arrival.category, frozenset(arrival.needs)]
        extra = f" offering {_needs_text(arrival)}" if arrival.needs else ""
        if need > supply:
            reasons.append(
                Unplaced(
                    arrival.id,
                    Rule.CAPACITY,
                    f"Not enough free {label} places{extra}: {need} people in this batch "
                    f"need one, {supply} are free.",
                )
            )
        else:
            reasons.append(
                Unplaced(
                    arrival.id,
                    Rule.FAMILY_TOGETHER,
                    f"{_who(arrival)} must stay together; once the others are placed, no "
                    f"facility{extra} has {arrival.size} free {label} places left in one block.",
                )
            )
    return reasons
