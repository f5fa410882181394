"""The day's arrivals and the optimiser's proposal for them (read side: nothing is saved).

Turns persons and facilities into the engine's types, runs the optimiser, and turns its
answer back into rows an officer can accept or edit. Accepting goes through services.place_many,
which checks every rule again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from borderwatch.accounts.models import User
from borderwatch.engines import placement as engine
from borderwatch.reception.models import Facility, PlaceCategory, Placement
from borderwatch.reception.rules import PersonLike, category_of, needs_of, services_of
from borderwatch.reception.selectors import occupancy_counts, open_facilities
from borderwatch.registration.selectors import household_sizes, persons


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

    @property
    def category_label(self) -> str:
        return str(PlaceCategory(self.category).label) if self.category else "to be chosen"


@dataclass
class DayProposal:
    day: dt.date
    member_state: str
    groups: list[ProposedGroup]
    facilities: list[Facility]
    objective: float = 0.0
    status: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def persons(self) -> int:
        return sum(len(g.persons) for g in self.groups)

    @property
    def placed(self) -> int:
        return sum(len(g.persons) for g in self.groups if g.facility_id is not None)


def awaiting_placement(user: User, day: dt.date, member_state: str) -> QuerySet[Any]:
    """Persons apprehended (or registered) by the day who have never been placed."""
    return (
        persons(user, member_state)
        .filter(
            Q(apprehension_event__local_date__lte=day)
            | Q(apprehension_event__isnull=True, created_at__date__lte=day)
        )
        .filter(placements__isnull=True)
        .select_related("apprehension_event")
        .order_by("apprehension_event__occurred_at", "pk")
    )


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
        category = category_of(person, sizes.get(person.household, 1))
        if category == engine.Category.FAMILIES:
            households[person.household].append(person)
            continue
        key = f"p{person.pk}"
        needs = needs_of(person)
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
        needs = frozenset().union(*(needs_of(m) for m in members))
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
    wanted = [h for h in set(households) if h]
    rows = Placement.objects.filter(
        end_date__isnull=True, person__member_state=member_state, person__household__in=wanted
    ).values_list("person__household", "facility_id")
    return dict(rows)


def propose_for_day(
    user: User, day: dt.date, member_state: str, weights: engine.Weights | None = None
) -> DayProposal:
    """The optimiser's proposal for everyone awaiting placement on the day."""
    people = list(awaiting_placement(user, day, member_state))
    found = list(open_facilities(user, day, member_state))
    counts = occupancy_counts([f.pk for f in found], day)
    facilities = [engine_facility(f, counts.get(f.pk, {})) for f in found]
    points = {
        int(p.pk): (p.apprehension_event.latitude, p.apprehension_event.longitude)
        for p in people
        if p.apprehension_event is not None
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
    result = engine.propose(arrivals, facilities, weights)
    apply(groups, result)
    return DayProposal(
        day=day,
        member_state=member_state,
        groups=groups,
        facilities=found,
        objective=result.objective,
        status=result.status,
        seconds=result.seconds,
    )
