"""The baseline: each arrival in turn to the nearest facility that may take it and has room.

What a duty officer does by hand; the benchmark measures the optimiser against it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from borderwatch.engines.placement.cost import evaluate
from borderwatch.engines.placement.explain import competition_reasons, static_reason
from borderwatch.engines.placement.geo import distance_matrix_km
from borderwatch.engines.placement.model import Arrival, Category, Facility, Proposal, Weights
from borderwatch.engines.placement.rules import may_take


def propose_greedy(
    arrivals: Sequence[Arrival], facilities: Sequence[Facility], weights: Weights | None = None
) -> Proposal:
    """Nearest suitable facility first, in arrival order; keeps every hard rule."""
    weights = weights or Weights()
    started = time.perf_counter()
    free: dict[tuple[str, Category], int] = {
        (f.id, c): f.free_in(c) for f in facilities for c in Category
    }
    assignment: dict[str, str] = {}
    unplaced = []
    left_out = []
    if arrivals and facilities:
        dist = distance_matrix_km(
            [a.lat for a in arrivals],
            [a.lon for a in arrivals],
            [f.lat for f in facilities],
            [f.lon for f in facilities],
        )
        order = np.argsort(dist, axis=1)
    for row, arrival in enumerate(arrivals):
        reason = static_reason(arrival, facilities)
        if reason is not None:
            unplaced.append(reason)
            continue
        for fi in order[row]:
            facility = facilities[int(fi)]
            if may_take(facility, arrival, free[facility.id, arrival.category]):
                assignment[arrival.id] = facility.id
                free[facility.id, arrival.category] -= arrival.size
                break
        else:
            left_out.append(arrival)
    placeable = [a for a in arrivals if static_reason(a, facilities) is None]
    unplaced.extend(competition_reasons(left_out, placeable, facilities))
    return Proposal(
        assignment=assignment,
        unplaced=unplaced,
        objective=evaluate(arrivals, facilities, assignment, weights),
        bound=None,
        status="heuristic",
        seconds=time.perf_counter() - started,
        method="greedy nearest facility",
    )
