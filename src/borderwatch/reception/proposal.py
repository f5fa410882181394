"""Between reception's records and the placement engine: persons and facilities in, rows out.

No writes here: services/proposals.py runs `compute` in a background task and saves its rows;
accepting them goes through services.place_many, which checks every rule again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from borderwatch.engines import placement as engine
from borderwatch.reception.models import Facility, FacilityKind, PlaceCategory, Placement
from borderwatch.reception.selectors import facilities_open_on, occupancy_counts
from borderwatch.registration.selectors import (
    apprehension_points,
    arrived_by,
    household_member_ids,
    household_sizes,
)

Progress = Callable[[int, str], None]


class PersonLike(engine.PersonTraits, Protocol):
    """The fields of registration's Person that reception reads (apps meet through selectors)."""

    pk: Any
    member_state: str


def services_of(facility: Facility) -> frozenset[engine.Need]:
    return engine.services_offered(
        detention=facility.kind == FacilityKind.DETENTION_CENTRE,
        medical=facility.medical,
        interpreters=facility.interpreters,
    )


def places_of(facility: Facility) -> dict[engine.Category, int]:
    return {engine.Category(c.value): facility.capacity_for(c) for c in PlaceCategory}


@dataclass
class ProposedGroup:
    """One person, or one household placed together, with the proposed facility or the reason."""

    key: str
    persons: list[PersonLike]
    category: str | None
    needs: list[str]
    facility_id: int | None = None
    rule: str = ""
    reason: str = ""


@dataclass
class DayProposal:
    day: dt.date
    member_state: str
    groups: list[ProposedGroup]
    facilities: list[Facility]
    objective: float = 0.0
    status: str = ""
    seconds: float = 0.0
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def persons(self) -> int:
        return sum(len(g.persons) for g in self.groups)

    @property
    def placed(self) -> int:
        return sum(len(g.persons) for g in self.groups if g.facility_id is not None)


def engine_facility(
    f: Facility, counts: Mapping[str, int], ceiling: float = 1.0
) -> engine.Facility:
    """A facility as the engine sees it; `ceiling` < 1 keeps a share of places in reserve."""
    free = {
        engine.Category(c.value): max(
            0, math.floor(f.capacity_for(c) * ceiling) - counts.get(c.value, 0)
        )
        for c in PlaceCategory
    }
    return engine.Facility(
        id=str(f.pk),
        lat=f.latitude,
        lon=f.longitude,
        capacity=f.capacity,
        occupied=sum(counts.values()),
        free=free,
        services=services_of(f),
        name=f.name,
    )


def build_arrivals(
    people: Sequence[PersonLike],
    points: Mapping[int, tuple[float, float]],
    sizes: Mapping[str, int],
    homes: Mapping[str, int],
    fallback: tuple[float, float],
) -> tuple[list[engine.Arrival], list[ProposedGroup]]:
    """Engine arrivals (households merged) and the matching proposal rows, in the same order.

    `points` gives each person's apprehension point, `sizes` each household's registered size,
    `homes` the facility where a household already lives. A person whose category the record
    does not fix becomes a row without an arrival, explained.
    """
    arrivals: list[engine.Arrival] = []
    groups: list[ProposedGroup] = []
    households: dict[str, list[PersonLike]] = defaultdict(list)
    for person in people:
        category = engine.category_of(person, sizes.get(person.household, 1))
        if category == engine.Category.FAMILIES:
            households[person.household].append(person)
            continue
        key = f"p{person.pk}"
        needs = engine.needs_of(person)
        group = ProposedGroup(key, [person], category, sorted(needs))
        groups.append(group)
        if category is None:
            group.rule = engine.Rule.CATEGORY
            group.reason = "Sex not recorded: choose single men's or women's places."
            continue
        lat, lon = points.get(int(person.pk or 0), fallback)
        arrivals.append(engine.Arrival(key, 1, category, lat, lon, needs))
    for household, members in households.items():
        key = f"h{household}"
        needs = frozenset().union(*(engine.needs_of(m) for m in members))
        groups.append(ProposedGroup(key, members, engine.Category.FAMILIES, sorted(needs)))
        lat, lon = points.get(int(members[0].pk or 0), fallback)
        home = homes.get(household)
        arrivals.append(
            engine.Arrival(
                key,
                len(members),
                engine.Category.FAMILIES,
                lat,
                lon,
                needs,
                required_facility=str(home) if home is not None else None,
            )
        )
    return arrivals, groups


def apply(groups: Iterable[ProposedGroup], result: engine.Proposal) -> None:
    """Write the engine's answer onto the proposal rows."""
    reasons = {u.arrival_id: u for u in result.unplaced}
    for group in groups:
        if group.key in result.assignment:
            group.facility_id = int(result.assignment[group.key])
        elif group.key in reasons:
            group.rule = reasons[group.key].rule
            group.reason = reasons[group.key].reason


def households_at_home(member_state: str, households: Iterable[str]) -> dict[str, int]:
    """Facility where each household already has an open placement."""
    members = household_member_ids(member_state, households)
    household_of = {pk: h for h, ids in members.items() for pk in ids}
    rows = Placement.objects.filter(
        end_date__isnull=True, person_id__in=list(household_of)
    ).values_list("person_id", "facility_id")
    return {household_of[person_id]: facility_id for person_id, facility_id in rows}


def awaiting(member_state: str, day: dt.date) -> list[PersonLike]:
    """Persons of the state arrived by the day and never placed (unscoped: for the task)."""
    never_placed = Placement.objects.values_list("person_id", flat=True)
    return list(arrived_by(member_state, day, excluding=never_placed))


def _quiet(percent: int, stage: str) -> None:
    """No progress to report."""


def compute(
    member_state: str,
    day: dt.date,
    weights: engine.Weights | None = None,
    progress: Progress = _quiet,
) -> DayProposal:
    """The optimiser's proposal for everyone of the state awaiting placement on the day."""
    people = awaiting(member_state, day)
    found = list(facilities_open_on(member_state, day))
    counts = occupancy_counts([f.pk for f in found], day)
    facilities = [engine_facility(f, counts.get(f.pk, {})) for f in found]
    points = {
        pk: (lat, lon) for pk, (lat, lon, _) in apprehension_points(p.pk for p in people).items()
    }
    fallback = (
        (sum(f.latitude for f in found) / len(found), sum(f.longitude for f in found) / len(found))
        if found
        else (0.0, 0.0)
    )
    households = [p.household for p in people if p.household]
    sizes = household_sizes(member_state, households)
    homes = households_at_home(member_state, households)
    arrivals, groups = build_arrivals(people, points, sizes, homes, fallback)
    progress(30, f"Solving for {len(people)} persons in {len(found)} facilities (HiGHS)")
    result = engine.propose(arrivals, facilities, weights)
    apply(groups, result)
    free = {c.value: sum(f.free_in(c) for f in facilities) for c in engine.Category}
    return DayProposal(
        day=day,
        member_state=member_state,
        groups=groups,
        facilities=found,
        objective=result.objective,
        status=result.status,
        seconds=result.seconds,
        inputs={
            "persons": len(people),
            "households": sum(1 for g in groups if len(g.persons) > 1),
            "facilities": len(found),
            "free_places": free,
            "method": result.method,
        },
    )
