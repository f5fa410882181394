"""Placement optimiser: assign the day's arrivals to facilities, keeping every hard rule.

Framework-free (no Django); the reception app turns persons and facilities into the types
below and the proposal back into placements an officer accepts or edits.
"""

from borderwatch.engines.placement.cost import crowding_cost, evaluate
from borderwatch.engines.placement.greedy import propose_greedy
from borderwatch.engines.placement.model import (
    Arrival,
    Category,
    Facility,
    Need,
    Proposal,
    Rule,
    Unplaced,
    Weights,
)
from borderwatch.engines.placement.optimiser import propose
from borderwatch.engines.placement.rules import (
    PersonTraits,
    Refusal,
    allowed_categories,
    category_of,
    first_overflow,
    may_take,
    missing_needs,
    needs_of,
    refusals,
    services_offered,
    splits_household,
    violations,
)

__all__ = [
    "Arrival",
    "Category",
    "Facility",
    "Need",
    "PersonTraits",
    "Proposal",
    "Refusal",
    "Rule",
    "Unplaced",
    "Weights",
    "allowed_categories",
    "category_of",
    "crowding_cost",
    "evaluate",
    "first_overflow",
    "may_take",
    "missing_needs",
    "needs_of",
    "propose",
    "propose_greedy",
    "refusals",
    "services_offered",
    "splits_household",
    "violations",
]
