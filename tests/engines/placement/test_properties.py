"""Property tests: on any instance, no rule broken, nobody lost, and optimal for the cost."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.engines.placement import (
    Arrival,
    Category,
    Facility,
    Need,
    Weights,
    evaluate,
    may_take,
    propose,
    propose_greedy,
    violations,
)

needs_st = st.frozensets(st.sampled_from(list(Need)), max_size=2)


@st.composite
def facilities_st(draw: st.DrawFn, max_count: int = 4) -> list[Facility]:
    count = draw(st.integers(1, max_count))
    result = []
    for i in range(count):
        free = {c: draw(st.integers(0, 6)) for c in Category}
        occupied = draw(st.integers(0, 40))
        result.append(
            Facility(
                id=f"F{i}",
                lat=draw(st.floats(53.0, 56.0)),
                lon=draw(st.floats(21.0, 27.0)),
                capacity=occupied + sum(free.values()),
                occupied=occupied,
                free=free,
                services=draw(needs_st),
            )
        )
    return result


@st.composite
def arrivals_st(draw: st.DrawFn, facility_ids: list[str], max_count: int = 8) -> list[Arrival]:
    count = draw(st.integers(0, max_count))
    result = []
    for i in range(count):
        category = draw(st.sampled_from(list(Category)))
        size = draw(st.integers(1, 5)) if category == Category.FAMILIES else 1
        pinned = draw(st.none() | st.sampled_from(facility_ids)) if draw(st.booleans()) else None
        result.append(
            Arrival(
                id=f"A{i}",
                size=size,
                category=category,
                lat=draw(st.floats(53.0, 56.0)),
                lon=draw(st.floats(23.0, 27.0)),
                needs=draw(needs_st),
                required_facility=pinned,
            )
        )
    return result


@st.composite
def instances(draw: st.DrawFn, max_arrivals: int = 8) -> tuple[list[Arrival], list[Facility]]:
    facilities = draw(facilities_st())
    arrivals = draw(arrivals_st([f.id for f in facilities], max_arrivals))
    return arrivals, facilities


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances())
def test_every_proposal_keeps_every_hard_rule(
    instance: tuple[list[Arrival], list[Facility]],
) -> None:
    arrivals, facilities = instance
    for proposal in (propose(arrivals, facilities), propose_greedy(arrivals, facilities)):
        assert violations(arrivals, facilities, proposal.assignment) == []


@SETTINGS
@given(instances())
def test_everyone_is_placed_or_explained_exactly_once(
    instance: tuple[list[Arrival], list[Facility]],
) -> None:
    arrivals, facilities = instance
    proposal = propose(arrivals, facilities)
    explained = [u.arrival_id for u in proposal.unplaced]
    assert len(explained) == len(set(explained))
    assert set(explained).isdisjoint(proposal.assignment)
    assert set(explained) | set(proposal.assignment) == {a.id for a in arrivals}
    assert all(u.reason for u in proposal.unplaced)


@SETTINGS
@given(instances())
def test_nobody_is_left_out_who_fits_alone_in_an_unused_place(
    instance: tuple[list[Arrival], list[Facility]],
) -> None:
    """If a left-out arrival would fit in the places still free, leaving it out was not optimal."""
    arrivals, facilities = instance
    proposal = propose(arrivals, facilities)
    used: dict[tuple[str, Category], int] = {}
    for a in arrivals:
        if a.id in proposal.assignment:
            key = (proposal.assignment[a.id], a.category)
            used[key] = used.get(key, 0) + a.size
    by_id = {a.id: a for a in arrivals}
    for u in proposal.unplaced:
        arrival = by_id[u.arrival_id]
        for f in facilities:
            left = f.free_in(arrival.category) - used.get((f.id, arrival.category), 0)
            assert not may_take(f, arrival, left), (u, f.id)


@SETTINGS
@given(instances(max_arrivals=8))
def test_optimiser_is_never_worse_than_greedy(
    instance: tuple[list[Arrival], list[Facility]],
) -> None:
    arrivals, facilities = instance
    best = propose(arrivals, facilities)
    greedy = propose_greedy(arrivals, facilities)
    assert best.objective <= greedy.objective * (1 + 1e-4) + 1e-6
    assert best.bound is not None and best.bound <= best.objective + 1e-6


@settings(max_examples=40, deadline=None)
@given(instances(max_arrivals=4))
def test_optimiser_matches_brute_force_on_small_instances(
    instance: tuple[list[Arrival], list[Facility]],
) -> None:
    arrivals, facilities = instance
    weights = Weights()
    choices: list[str | None] = [None, *(f.id for f in facilities)]
    best_cost = float("inf")
    for combo in itertools.product(choices, repeat=len(arrivals)):
        assignment = {a.id: fid for a, fid in zip(arrivals, combo, strict=True) if fid}
        if violations(arrivals, facilities, assignment):
            continue
        best_cost = min(best_cost, evaluate(arrivals, facilities, assignment, weights))
    proposal = propose(arrivals, facilities, weights)
    assert proposal.objective == pytest.approx(best_cost, rel=1e-4, abs=1e-6)
