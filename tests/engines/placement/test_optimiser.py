"""Hand-checked cases for the placement optimiser and its explanations."""

from __future__ import annotations

import pytest

from borderwatch.engines.placement import (
    Arrival,
    Category,
    Facility,
    Need,
    Rule,
    Weights,
    evaluate,
    propose,
    propose_greedy,
    violations,
)
from borderwatch.engines.placement.cost import crowding_cost

MEN = Category.SINGLE_MEN
WOMEN = Category.SINGLE_WOMEN
FAMILIES = Category.FAMILIES
UAM = Category.UNACCOMPANIED_MINORS
# On the equator one degree of longitude is ~111.2 km, which keeps hand sums easy.
NO_CROWDING = Weights(busy_cost=0.0, full_cost=0.0)


def facility(
    fid: str,
    lon: float,
    *,
    free: dict[Category, int] | None = None,
    capacity: int = 100,
    occupied: int = 0,
    services: frozenset[Need] = frozenset(),
) -> Facility:
    return Facility(fid, 0.0, lon, capacity, occupied, free or {MEN: 10}, services, name=fid)


def person(pid: str, lon: float = 0.0, category: Category = MEN, **kw: object) -> Arrival:
    return Arrival(pid, 1, category, 0.0, lon, **kw)  # type: ignore[arg-type]


def test_a_single_arrival_goes_to_the_nearest_facility() -> None:
    facilities = [facility("far", 2.0), facility("near", 0.5)]
    proposal = propose([person("a")], facilities, NO_CROWDING)
    assert proposal.assignment == {"a": "near"}
    assert proposal.unplaced == []
    assert proposal.objective == pytest.approx(55.6, abs=0.1)


def test_capacity_overflows_to_the_next_facility() -> None:
    facilities = [facility("near", 0.1, free={MEN: 2}), facility("far", 1.0, free={MEN: 5})]
    arrivals = [person(f"m{i}") for i in range(3)]
    proposal = propose(arrivals, facilities, NO_CROWDING)
    placed = sorted(proposal.assignment.values())
    assert placed == ["far", "near", "near"]


def test_medical_need_goes_where_there_is_medical_care() -> None:
    facilities = [
        facility("near", 0.1, free={WOMEN: 5}),
        facility("clinic", 1.5, free={WOMEN: 5}, services=frozenset({Need.MEDICAL})),
    ]
    pregnant = person("p", category=WOMEN, needs=frozenset({Need.MEDICAL}))
    proposal = propose([pregnant, person("w", category=WOMEN)], facilities, NO_CROWDING)
    assert proposal.assignment == {"p": "clinic", "w": "near"}


def test_a_household_is_never_split_and_goes_where_it_fits_whole() -> None:
    facilities = [
        facility("near", 0.1, free={FAMILIES: 3}),
        facility("far", 1.0, free={FAMILIES: 4}),
    ]
    family = Arrival("fam", 4, FAMILIES, 0.0, 0.0)
    proposal = propose([family], facilities, NO_CROWDING)
    assert proposal.assignment == {"fam": "far"}


def test_crowding_sends_people_to_the_emptier_of_two_equidistant_facilities() -> None:
    crowded = facility("crowded", 1.0, capacity=100, occupied=95, free={MEN: 5})
    calm = facility("calm", -1.0, capacity=100, occupied=50, free={MEN: 50})
    proposal = propose([person("a")], [crowded, calm], Weights())
    assert proposal.assignment == {"a": "calm"}


def test_crowding_is_traded_against_distance_by_the_weights() -> None:
    # 'busy' is 1 degree (~111 km) nearer than 'calm' but already above 90 %: a newcomer costs
    # 100 km-equivalents there, less than the extra trip, so busy still wins...
    busy = facility("busy", 1.0, capacity=100, occupied=95, free={MEN: 5})
    calm = facility("calm", 2.0, capacity=100, occupied=10, free={MEN: 50})
    assert propose([person("a")], [busy, calm], Weights()).assignment == {"a": "busy"}
    # ...until crowding is priced above the extra kilometres.
    dear = Weights(full_cost=200.0)
    assert propose([person("a")], [busy, calm], dear).assignment == {"a": "calm"}


def test_crowding_cost_is_piecewise_linear() -> None:
    f = facility("f", 0.0, capacity=100, occupied=60)
    w = Weights(calm_share=0.7, full_share=0.9, busy_cost=25.0, full_cost=100.0)
    # 10 calm places free (0), then 20 busy places (25 each), then 100 each.
    assert crowding_cost(f, 10, w) == 0.0
    assert crowding_cost(f, 20, w) == pytest.approx(250.0)
    assert crowding_cost(f, 35, w) == pytest.approx(20 * 25.0 + 5 * 100.0)


def test_a_family_member_joins_the_family_where_it_lives() -> None:
    facilities = [
        facility("near", 0.1, free={FAMILIES: 5}),
        facility("home", 2.0, free={FAMILIES: 5}),
    ]
    child = Arrival("c", 1, FAMILIES, 0.0, 0.0, required_facility="home")
    assert propose([child], facilities, NO_CROWDING).assignment == {"c": "home"}


def test_optimiser_beats_greedy_when_the_nearest_place_is_contested() -> None:
    # One place at 'shared'. Arrival a has an alternative nearby, arrival b does not.
    shared = facility("shared", 0.0, free={MEN: 1})
    beside_a = facility("beside_a", -1.1, free={MEN: 1})
    far_for_b = facility("far_for_b", 5.0, free={MEN: 1})
    a = person("a", lon=-1.0)  # shared ~111 km, beside_a ~11 km
    b = person("b", lon=0.1)  # shared ~11 km, beside_a ~133 km, far_for_b ~545 km
    facilities = [shared, beside_a, far_for_b]
    a_first = [person("a", lon=-0.4), b]  # greedy puts a (0.4 from shared) into shared
    greedy = propose_greedy(a_first, facilities, NO_CROWDING)
    best = propose(a_first, facilities, NO_CROWDING)
    assert greedy.assignment["a"] == "shared"
    assert best.assignment == {"a": "beside_a", "b": "shared"}
    assert best.objective < greedy.objective
    assert violations(a_first, facilities, best.assignment) == []
    assert a.id == "a"


def test_status_and_bound_are_reported() -> None:
    proposal = propose([person("a")], [facility("f", 1.0)], NO_CROWDING)
    assert proposal.status == "optimal"
    assert proposal.bound is not None
    assert proposal.gap == pytest.approx(0.0, abs=1e-6)
    assert proposal.method == "HiGHS MIP"


# --- infeasibility explanations -----------------------------------------------------------


def test_no_place_of_the_category_names_the_category() -> None:
    proposal = propose([person("u", category=UAM)], [facility("f", 0.1)], NO_CROWDING)
    assert proposal.assignment == {}
    [why] = proposal.unplaced
    assert (why.arrival_id, why.rule) == ("u", Rule.CATEGORY)
    assert "unaccompanied minors'" in why.reason


def test_missing_service_names_the_need() -> None:
    needy = person("d", needs=frozenset({Need.MEDICAL}))
    proposal = propose([needy, person("ok")], [facility("f", 0.1)], NO_CROWDING)
    assert proposal.assignment == {"ok": "f"}
    [why] = proposal.unplaced
    assert why.rule == Rule.NEEDS
    assert "medical" in why.reason


def test_a_household_larger_than_any_free_block_is_explained() -> None:
    facilities = [facility("a", 0.1, free={FAMILIES: 5}), facility("b", 0.2, free={FAMILIES: 4})]
    proposal = propose([Arrival("big", 7, FAMILIES, 0.0, 0.0)], facilities, NO_CROWDING)
    [why] = proposal.unplaced
    assert why.rule == Rule.FAMILY_TOGETHER
    assert "household of 7" in why.reason
    assert "5 free family places" in why.reason


def test_competition_for_too_few_places_names_the_numbers() -> None:
    arrivals = [person(f"m{i}") for i in range(4)]
    proposal = propose(arrivals, [facility("f", 0.1, free={MEN: 3})], NO_CROWDING)
    assert len(proposal.assignment) == 3
    [why] = proposal.unplaced
    assert why.rule == Rule.CAPACITY
    assert "4 people in this batch need one, 3 are free" in why.reason


def test_families_competing_for_one_block_are_explained_as_family_rule() -> None:
    # 8 family places for 8 people, but in blocks of 4: households of 3, 3 and 2 cannot all fit.
    facilities = [facility("a", 0.1, free={FAMILIES: 4}), facility("b", 0.2, free={FAMILIES: 4})]
    arrivals = [Arrival(f"h{i}", 3, FAMILIES, 0.0, 0.0) for i in range(2)]
    arrivals.append(Arrival("pair", 2, FAMILIES, 0.0, 0.0))
    proposal = propose(arrivals, facilities, NO_CROWDING)
    assert len(proposal.assignment) == 2
    [why] = proposal.unplaced
    assert why.arrival_id == "pair"  # leaving out the smallest household leaves fewest out
    assert why.rule == Rule.FAMILY_TOGETHER


def test_a_pinned_family_member_whose_facility_is_full_is_explained() -> None:
    child = Arrival("c", 1, FAMILIES, 0.0, 0.0, required_facility="home")
    facilities = [
        facility("home", 1.0, free={FAMILIES: 0}),
        facility("other", 0.1, free={FAMILIES: 9}),
    ]
    proposal = propose([child], facilities, NO_CROWDING)
    assert proposal.assignment == {}
    assert proposal.unplaced[0].rule == Rule.FAMILY_TOGETHER
    assert "join the family" in proposal.unplaced[0].reason


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        propose([person("a"), person("a")], [facility("f", 0.0)])
    with pytest.raises(ValueError, match="family places"):
        Arrival("x", 2, MEN, 0.0, 0.0)
    with pytest.raises(ValueError, match="at least 1"):
        Arrival("x", 0, FAMILIES, 0.0, 0.0)


def test_violations_catches_broken_rules() -> None:
    f = facility("f", 0.0, free={MEN: 1})
    arrivals = [person("a"), person("b"), person("d", needs=frozenset({Need.MEDICAL}))]
    problems = violations(arrivals, [f], {"a": "f", "b": "f", "d": "f", "zz": "f"})
    text = " ".join(problems)
    assert "lacks medical" in text
    assert "3 placed in single_men, 1 free" in text
    assert "zz: not an arrival" in text


def test_evaluate_counts_unplaced_people_at_the_penalty() -> None:
    w = Weights(unplaced_cost=1000.0, busy_cost=0.0, full_cost=0.0)
    family = Arrival("fam", 3, FAMILIES, 0.0, 0.0)
    assert evaluate([family], [facility("f", 0.0)], {}, w) == pytest.approx(3000.0)
