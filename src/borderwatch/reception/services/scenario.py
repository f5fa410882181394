"""What the demo scenario loader calls after seeding the facilities: place the arrivals.

Placing ~5,000 persons day by day must take seconds, so the simulation runs in memory (one
optimiser run per member state and day, with yesterday's unplaced waiting for today) and
writes everything once through place_many, which checks every rule on the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.engines import placement as engine
from borderwatch.reception.models import Facility, Placement
from borderwatch.reception.proposal import PersonLike, apply, build_arrivals, engine_facility
from borderwatch.reception.services.checks import PlacementRequest
from borderwatch.reception.services.placements import place_many
from borderwatch.registration.selectors import apprehension_points, household_sizes

# Keep a few places free for the night's emergencies: "near capacity", as reported.
SCENARIO_CEILING = 0.97


@dataclass
class PlacementSummary:
    placed: int = 0
    waiting: int = 0
    placed_by_state: dict[str, int] = field(default_factory=dict)
    waiting_by_rule: dict[str, int] = field(default_factory=dict)


def _arrival_day(person: PersonLike, points: dict[int, tuple[float, float, dt.date]]) -> dt.date:
    if person.pk in points:
        return points[int(person.pk)][2]
    created = getattr(person, "created_at", None)
    return created.date() if created else timezone.localdate()


def place_arrivals(
    actor: User | None, persons: Iterable[PersonLike], ceiling: float = SCENARIO_CEILING
) -> PlacementSummary:
    """Place persons day by day from their apprehension date; who does not fit waits.

    Each day the optimiser places that day's arrivals and everyone still waiting into the
    facilities open that day, up to `ceiling` of each category's places.
    """
    people = [p for p in persons if p.pk is not None]
    points = apprehension_points(p.pk for p in people if p.pk is not None)
    summary = PlacementSummary()
    requests: list[PlacementRequest] = []
    by_state: dict[str, list[PersonLike]] = defaultdict(list)
    for person in people:
        by_state[person.member_state].append(person)
    for state, members in sorted(by_state.items()):
        placed = _simulate_state(state, members, points, ceiling, requests, summary)
        summary.placed_by_state[state] = placed
    place_many(actor, requests)
    summary.placed = len(requests)
    return summary


def _simulate_state(
    state: str,
    members: list[PersonLike],
    points: dict[int, tuple[float, float, dt.date]],
    ceiling: float,
    requests: list[PlacementRequest],
    summary: PlacementSummary,
) -> int:
    facilities = list(Facility.objects.filter(member_state=state))
    if not facilities:
        summary.waiting += len(members)
        return 0
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for facility_id, category in Placement.objects.filter(
        facility__member_state=state, end_date__isnull=True
    ).values_list("facility_id", "category"):
        counts[facility_id][category] += 1
    sizes = household_sizes(state, (m.household for m in members))
    by_day: dict[dt.date, list[PersonLike]] = defaultdict(list)
    for person in members:
        by_day[_arrival_day(person, points)].append(person)
    centre = (
        sum(f.latitude for f in facilities) / len(facilities),
        sum(f.longitude for f in facilities) / len(facilities),
    )
    xy = {pk: (lat, lon) for pk, (lat, lon, _) in points.items()}
    waiting: list[PersonLike] = []
    homes: dict[str, int] = {}
    placed = 0
    last_reasons: dict[str, str] = {}
    for day in sorted(by_day):
        waiting += by_day[day]
        open_now = [f for f in facilities if f.is_open_on(day)]
        model = [engine_facility(f, counts[f.pk], ceiling) for f in open_now]
        arrivals, groups = build_arrivals(waiting, xy, sizes, homes, centre)
        result = engine.propose(arrivals, model)
        apply(groups, result)
        still: list[PersonLike] = []
        for group in groups:
            if group.facility_id is None or group.category is None:
                still += group.persons
                for person in group.persons:
                    last_reasons[str(person.pk)] = group.rule or "category"
                continue
            for person in group.persons:
                requests.append(
                    PlacementRequest(
                        int(person.pk or 0),
                        group.facility_id,
                        day,
                        "Demo scenario: placed as proposed by the optimiser.",
                        group.category,
                    )
                )
                counts[group.facility_id][group.category] += 1
                if person.household and group.category == engine.Category.FAMILIES:
                    homes[person.household] = group.facility_id
                placed += 1
        waiting = still
    summary.waiting += len(waiting)
    for person in waiting:
        rule = last_reasons.get(str(person.pk), "capacity")
        summary.waiting_by_rule[rule] = summary.waiting_by_rule.get(rule, 0) + 1
    return placed
