"""The hard rules, in one place: the optimiser, the greedy baseline and the tests all ask here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from borderwatch.engines.placement.model import Arrival, Category, Facility

CATEGORY_LABELS: dict[Category, str] = {
    Category.SINGLE_MEN: "single men's",
    Category.SINGLE_WOMEN: "single women's",
    Category.FAMILIES: "family",
    Category.UNACCOMPANIED_MINORS: "unaccompanied minors'",
}


def offers(facility: Facility, arrival: Arrival) -> bool:
    """Whether the facility offers every service the arrival needs."""
    return arrival.needs <= facility.services


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
            missing = ", ".join(sorted(arrival.needs - facility.services))
            problems.append(f"{arrival.id}: {facility_id} lacks {missing}")
        used[facility_id, arrival.category] += arrival.size
    for (facility_id, category), count in used.items():
        free = by_id[facility_id].free_in(category)
        if count > free:
            problems.append(f"{facility_id}: {count} placed in {category}, {free} free")
    problems.extend(f"{extra}: not an arrival" for extra in set(assignment) - known)
    return problems
