"""The cost both the optimiser and the baseline are judged by: distance plus crowding."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from borderwatch.engines.placement.geo import distance_matrix_km
from borderwatch.engines.placement.model import Arrival, Facility, Weights


def crowding_segments(facility: Facility, weights: Weights) -> list[tuple[float, float]]:
    """(places, cost per person) for newcomers, cheapest first; the last segment is unbounded.

    Occupancy already in the facility uses up the cheap segments first, so a crowded facility
    is expensive from its first newcomer on.
    """
    cap = float(facility.capacity)
    edges = [
        (weights.calm_share * cap, 0.0),
        (weights.full_share * cap, weights.busy_cost),
    ]
    segments: list[tuple[float, float]] = []
    low = 0.0
    for high, price in edges:
        room = max(0.0, high - max(low, float(facility.occupied)))
        segments.append((room, price))
        low = high
    segments.append((float("inf"), weights.full_cost))
    return segments


def crowding_cost(facility: Facility, newcomers: float, weights: Weights) -> float:
    """Cost of adding `newcomers` people to the facility (convex piecewise linear)."""
    total = 0.0
    left = newcomers
    for room, price in crowding_segments(facility, weights):
        take = min(left, room)
        total += take * price
        left -= take
        if left <= 0:
            break
    return total


def evaluate(
    arrivals: Sequence[Arrival],
    facilities: Sequence[Facility],
    assignment: Mapping[str, str],
    weights: Weights,
) -> float:
    """Total cost of an assignment: kilometres travelled, crowding, and everyone left unplaced."""
    index = {f.id: i for i, f in enumerate(facilities)}
    if not arrivals:
        return 0.0
    dist = distance_matrix_km(
        [a.lat for a in arrivals],
        [a.lon for a in arrivals],
        [f.lat for f in facilities],
        [f.lon for f in facilities],
    )
    newcomers: dict[str, int] = defaultdict(int)
    total = 0.0
    for row, arrival in enumerate(arrivals):
        facility_id = assignment.get(arrival.id)
        if facility_id is None:
            total += weights.unplaced_cost * arrival.size
            continue
        total += float(dist[row, index[facility_id]]) * arrival.size
        newcomers[facility_id] += arrival.size
    for facility in facilities:
        total += crowding_cost(facility, newcomers.get(facility.id, 0), weights)
    return total
