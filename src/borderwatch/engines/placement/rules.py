"""The hard rules, in one place: the optimiser, the greedy baseline, the reception services and
the tests all ask here, so a proposal and the check made when it is accepted never disagree.

Two halves: what a person needs and may take (category, services), and whether a facility can
take them (services, free places, family together, capacity on every day of the stay).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from borderwatch.engines.placement.model import Arrival, Category, Facility, Need, Rule

CATEGORY_LABELS: dict[Category, str] = {
    Category.SINGLE_MEN: "single men's",
    Category.SINGLE_WOMEN: "single women's",
    Category.FAMILIES: "family",
    Category.UNACCOMPANIED_MINORS: "unaccompanied minors'",
}

# Vulnerability flag -> what the facility must offer.
NEEDS_BY_FLAG: dict[str, Need] = {
    "pregnancy": Need.MEDICAL,
    "disability": Need.MEDICAL,
    "elderly": Need.MEDICAL,
    "trafficking_victim": Need.OPEN_REGIME,
    "unaccompanied_minor": Need.OPEN_REGIME,
}


class PersonTraits(Protocol):
    """What the rules read of a person (registration's Person has these fields)."""

    sex: str
    household: str
    minor: bool
    unaccompanied_minor: bool
    pregnancy: bool
    disability: bool
    elderly: bool
    trafficking_victim: bool


def needs_of(person: PersonTraits) -> frozenset[Need]:
    return frozenset(need for flag, need in NEEDS_BY_FLAG.items() if getattr(person, flag))


def services_offered(*, detention: bool, medical: bool, interpreters: bool) -> frozenset[Need]:
    """What a facility offers: a detention centre is never an open regime."""
    offered = set()
    if medical:
        offered.add(Need.MEDICAL)
    if interpreters:
        offered.add(Need.INTERPRETERS)
    if not detention:
        offered.add(Need.OPEN_REGIME)
    return frozenset(offered)


def category_of(person: PersonTraits, household_size: int) -> Category | None:
    """The kind of place the person needs; None when the record does not say (sex unknown).

    A minor with no registered household is placed as an unaccompanied minor: the protective
    reading of an incomplete record.
    """
    if person.unaccompanied_minor:
        return Category.UNACCOMPANIED_MINORS
    if person.household and household_size > 1:
        return Category.FAMILIES
    if person.minor:
        return Category.UNACCOMPANIED_MINORS
    if person.sex == "M":
        return Category.SINGLE_MEN
    if person.sex == "F":
        return Category.SINGLE_WOMEN
    return None


def allowed_categories(person: PersonTraits, household_size: int) -> frozenset[Category]:
    """Categories an officer may choose for the person (the derived one, or both singles' when
    the sex is not recorded)."""
    derived = category_of(person, household_size)
    if derived is not None:
        return frozenset({derived})
    return frozenset({Category.SINGLE_MEN, Category.SINGLE_WOMEN})


def missing_needs(needs: frozenset[Need], services: frozenset[Need]) -> frozenset[Need]:
    return needs - services


def offers(facility: Facility, arrival: Arrival) -> bool:
    """Whether the facility offers every service the arrival needs."""
    return not missing_needs(arrival.needs, facility.services)


@dataclass(frozen=True)
class Refusal:
    """One hard rule a single placement breaks, with what the sentence for the officer needs."""

    rule: Rule
    category: Category | None = None
    allowed: frozenset[Category] = frozenset()
    missing: frozenset[Need] = frozenset()


def refusals(
    person: PersonTraits,
    household_size: int,
    chosen: str | None,
    places: Mapping[Category, int],
    services: frozenset[Need],
) -> tuple[Category | None, list[Refusal]]:
    """The category the person takes in a facility and every rule that placement breaks on its
    own (the category, a facility without places of it, a service the person needs).

    `chosen` is the officer's category, or None to derive it; `places` the facility's places per
    category (not the free ones: capacity over time is `first_overflow`).
    """
    allowed = allowed_categories(person, household_size)
    if chosen is None:
        if len(allowed) != 1:
            return None, [Refusal(Rule.CATEGORY, allowed=allowed)]
        [category] = allowed
    else:
        category = Category(chosen)
        if category not in allowed:
            return None, [Refusal(Rule.CATEGORY, category=category, allowed=allowed)]
    found: list[Refusal] = []
    if places.get(category, 0) <= 0:
        found.append(Refusal(Rule.CAPACITY, category=category))
    missing = missing_needs(needs_of(person), services)
    if missing:
        found.append(Refusal(Rule.NEEDS, category=category, missing=missing))
    return category, found


def splits_household(facility_ids: Collection[object], already: Collection[object] = ()) -> bool:
    """A household lives in one facility: those proposed for it and those it already lives in."""
    return len(set(facility_ids) | set(already)) > 1


def first_overflow(
    stays: Iterable[tuple[dt.date, dt.date | None]],
    newcomers: Iterable[dt.date],
    places: int,
) -> tuple[dt.date, int] | None:
    """The first day a newcomer is in and more people than `places` are, with their number.

    `stays` are the existing (start, end) intervals, end exclusive (None: still there), so people
    leaving on a day free their place for arrivals that day; `newcomers` the new start dates.
    """
    changes: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])  # total, newcomers
    for start, end in stays:
        if end is not None and end <= start:
            continue
        changes[start][0] += 1
        if end is not None:
            changes[end][0] -= 1
    for start in newcomers:
        changes[start][0] += 1
        changes[start][1] += 1
    total = fresh = 0
    for day in sorted(changes):
        total += changes[day][0]
        fresh += changes[day][1]
        if fresh and total > places:
            return day, total
    return None


def may_take(facility: Facility, arrival: Arrival, free: int | None = None) -> bool:
    """Every hard rule for one arrival in one facility, given `free` places left in its category."""
    if arrival.required_facility is not None and facility.id != arrival.required_facility:
        return False
    if not offers(facility, arrival):
        return False
    room = facility.free_in(arrival.category) if free is None else free
    return room >= arrival.size


def violations(
    arrivals: Iterable[Arrival],
    facilities: Iterable[Facility],
    assignment: Mapping[str, str],
) -> list[str]:
    """Every hard rule the assignment breaks, as sentences; empty when it keeps them all."""
    by_id = {f.id: f for f in facilities}
    used: dict[tuple[str, Category], int] = defaultdict(int)
    problems: list[str] = []
    known: set[str] = set()
    for arrival in arrivals:
        known.add(arrival.id)
        facility_id = assignment.get(arrival.id)
        if facility_id is None:
            continue
        facility = by_id.get(facility_id)
        if facility is None:
            problems.append(f"{arrival.id}: unknown facility {facility_id}")
            continue
        if arrival.required_facility is not None and facility_id != arrival.required_facility:
            problems.append(f"{arrival.id}: family lives in {arrival.required_facility}")
        if not offers(facility, arrival):
            missing = ", ".join(sorted(missing_needs(arrival.needs, facility.services)))
            problems.append(f"{arrival.id}: {facility_id} lacks {missing}")
        used[facility_id, arrival.category] += arrival.size
    for (facility_id, category), count in used.items():
        free = by_id[facility_id].free_in(category)
        if count > free:
            problems.append(f"{facility_id}: {count} placed in {category}, {free} free")
    problems.extend(f"{extra}: not an arrival" for extra in set(assignment) - known)
    return problems
