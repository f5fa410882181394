"""Placement as a mixed-integer programme solved by HiGHS (docs/decisions/placement.md).

Variables, all per arrival kind and facility where the hard rules allow the pair:
- single persons with the same category, needs, pin and arrival point are interchangeable, so
  they form one class with an integer count per facility (a transportation problem, nearly
  integral, solved fast);
- households get one binary per facility: a household goes whole or not at all;
- every class and household has an "unplaced" slack at a prohibitive cost, so the programme is
  always feasible and anyone left out gets an explanation instead of an error;
- crowding is a convex piecewise-linear cost of each facility's occupancy.
Rows: each class and household is placed or unplaced exactly; places used per facility and
category never exceed the free places; crowding segments add up to the newcomers.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from borderwatch.engines.placement.cost import crowding_segments, evaluate
from borderwatch.engines.placement.explain import competition_reasons, static_reason
from borderwatch.engines.placement.geo import distance_matrix_km
from borderwatch.engines.placement.model import (
    Arrival,
    Category,
    Facility,
    Proposal,
    Unplaced,
    Weights,
)
from borderwatch.engines.placement.rules import may_take

DEFAULT_TIME_LIMIT_S = 30.0


@dataclass
class _Columns:
    """The programme column by column (CSC), with what each column stands for."""

    cost: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    start: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def add(
        self, cost: float, upper: float, integer: bool, entries: list[tuple[int, float]]
    ) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.integer.append(integer)
        for row, coefficient in entries:
            self.index.append(row)
            self.value.append(coefficient)
        self.start.append(len(self.index))
        return len(self.cost) - 1


def _class_key(arrival: Arrival) -> tuple[object, ...]:
    return (arrival.category, arrival.needs, arrival.required_facility, arrival.lat, arrival.lon)


def propose(
    arrivals: Sequence[Arrival],
    facilities: Sequence[Facility],
    weights: Weights | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Proposal:
    """The cheapest assignment that keeps every hard rule; explanations for anyone left out."""
    weights = weights or Weights()
    started = time.perf_counter()
    ids = [a.id for a in arrivals]
    if len(set(ids)) != len(ids):
        raise ValueError("Arrival ids must be unique.")

    unplaced: list[Unplaced] = []
    placeable: list[Arrival] = []
    for arrival in arrivals:
        reason = static_reason(arrival, facilities)
        if reason is None:
            placeable.append(arrival)
        else:
            unplaced.append(reason)

    assignment: dict[str, str] = {}
    bound: float | None = 0.0
    status = "optimal"
    if placeable:
        assignment, bound, status = _solve(placeable, facilities, weights, time_limit_s)
        left_out = [a for a in placeable if a.id not in assignment]
        unplaced.extend(competition_reasons(left_out, placeable, facilities))

    objective = evaluate(arrivals, facilities, assignment, weights)
    if bound is not None:
        # Static exclusions cost the same in every assignment: add them to the proven bound.
        excluded = {u.arrival_id for u in unplaced} - {a.id for a in placeable}
        bound += sum(weights.unplaced_cost * a.size for a in arrivals if a.id in excluded)
        bound = min(bound, objective)
    return Proposal(
        assignment=assignment,
        unplaced=unplaced,
        objective=objective,
        bound=bound,
        status=status,
        seconds=time.perf_counter() - started,
        method="HiGHS MIP",
    )


def _solve(
    arrivals: Sequence[Arrival],
    facilities: Sequence[Facility],
    weights: Weights,
    time_limit_s: float,
) -> tuple[dict[str, str], float | None, str]:
    """Build and solve the programme; return the assignment, the proven bound and the status."""
    classes: dict[tuple[object, ...], list[Arrival]] = defaultdict(list)
    households: list[Arrival] = []
    for arrival in arrivals:
        if arrival.size == 1:
            classes[_class_key(arrival)].append(arrival)
        else:
            households.append(arrival)
    groups: list[list[Arrival]] = [*classes.values(), *([h] for h in households)]

    dist = distance_matrix_km(
        [g[0].lat for g in groups],
        [g[0].lon for g in groups],
        [f.lat for f in facilities],
        [f.lon for f in facilities],
    )
    n_groups = len(groups)
    cap_rows: dict[tuple[int, Category], int] = {}
    for fi in range(len(facilities)):
        for category in Category:
            cap_rows[fi, category] = n_groups + len(cap_rows)
    crowd_row0 = n_groups + len(cap_rows)
    row_lower = [0.0] * (crowd_row0 + len(facilities))
    row_upper = [0.0] * (crowd_row0 + len(facilities))
    for gi, group in enumerate(groups):
        row_lower[gi] = row_upper[gi] = 1.0 if group[0].size > 1 else float(len(group))
    for (fi, category), row in cap_rows.items():
        row_lower[row] = -highspy.kHighsInf
        row_upper[row] = float(facilities[fi].free_in(category))

    cols = _Columns()
    placing: list[tuple[int, int, int]] = []  # (column, group, facility)
    for gi, group in enumerate(groups):
        head = group[0]
        household = head.size > 1
        for fi, facility in enumerate(facilities):
            if not may_take(facility, head):
                continue
            size = float(head.size)
            upper = 1.0 if household else float(min(len(group), facility.free_in(head.category)))
            column = cols.add(
                float(dist[gi, fi]) * size,
                upper,
                True,
                [(gi, 1.0), (cap_rows[fi, head.category], size), (crowd_row0 + fi, size)],
            )
            placing.append((column, gi, fi))
        slack_upper = 1.0 if household else float(len(group))
        cols.add(weights.unplaced_cost * head.size, slack_upper, True, [(gi, 1.0)])
    for fi, facility in enumerate(facilities):
        for room, price in crowding_segments(facility, weights):
            upper = highspy.kHighsInf if room == float("inf") else room
            cols.add(price, upper, False, [(crowd_row0 + fi, -1.0)])

    highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy ships no annotations
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit_s))
    highs.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_ = len(cols.cost)
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = np.array(cols.cost)
    lp.col_lower_ = np.zeros(len(cols.cost))
    lp.col_upper_ = np.array(cols.upper)
    lp.row_lower_ = np.array(row_lower)
    lp.row_upper_ = np.array(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(cols.start, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(cols.index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(cols.value)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
        for i in cols.integer
    ]
    highs.passModel(lp)
    highs.run()
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # 2: feasible solution available
        return {}, None, highs.modelStatusToString(model_status)
    values = np.asarray(highs.getSolution().col_value)

    assignment: dict[str, str] = {}
    taken: dict[int, int] = defaultdict(int)
    for column, gi, fi in placing:
        count = round(values[column])
        if count <= 0:
            continue
        group = groups[gi]
        first = taken[gi]
        for arrival in group[first : first + count]:
            assignment[arrival.id] = facilities[fi].id
        taken[gi] += count
    optimal = model_status == highspy.HighsModelStatus.kOptimal
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return assignment, bound, "optimal" if optimal else highs.modelStatusToString(model_status)
