"""The optimiser's vocabulary: arrivals, facilities, weights and the proposal it returns.

Plain frozen dataclasses so that the engine stays framework-free and easy to test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    """A facility's places are counted per category; a person takes a place in exactly one."""

    SINGLE_MEN = "single_men"
    SINGLE_WOMEN = "single_women"
    FAMILIES = "families"
    UNACCOMPANIED_MINORS = "unaccompanied_minors"


class Need(StrEnum):
    """Something a facility must offer before it may take the person (a hard rule)."""

    MEDICAL = "medical"  # pregnancy, disability, old age
    OPEN_REGIME = "open_regime"  # trafficking victims and unaccompanied minors: never detention
    INTERPRETERS = "interpreters"


class Rule(StrEnum):
    """The hard rule an unplaced arrival ran into, named in explanations."""

    CAPACITY = "capacity"
    NEEDS = "needs"
    FAMILY_TOGETHER = "family_together"
    CATEGORY = "category"


@dataclass(frozen=True)
class Arrival:
    """One person, or one household that must stay together (size > 1).

    `required_facility` pins a household member to the facility where the rest of the family
    already lives.
    """

    id: str
    size: int
    category: Category
    lat: float
    lon: float
    needs: frozenset[Need] = frozenset()
    required_facility: str | None = None

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError(f"Arrival {self.id}: size must be at least 1, not {self.size}.")
        if self.size > 1 and self.category != Category.FAMILIES:
            raise ValueError(f"Arrival {self.id}: a household of {self.size} needs family places.")


@dataclass(frozen=True)
class Facility:
    """A facility as the optimiser sees it: where it is, what it offers, what is free."""

    id: str
    lat: float
    lon: float
    capacity: int
    occupied: int
    free: dict[Category, int]
    services: frozenset[Need] = frozenset()
    name: str = ""

    def free_in(self, category: Category) -> int:
        return max(0, self.free.get(category, 0))


@dataclass(frozen=True)
class Weights:
    """Cost per person, in kilometre-equivalents, so distance and crowding add up.

    Crowding is a convex piecewise-linear cost of the facility's occupancy after placement:
    nothing below `calm_share`, `busy_cost` per person up to `full_share`, `full_cost` above.
    Leaving someone unplaced costs `unplaced_cost`, far above any trip, so placing as many
    people as the rules allow always comes first.
    """

    calm_share: float = 0.7
    full_share: float = 0.9
    busy_cost: float = 25.0
    full_cost: float = 100.0
    unplaced_cost: float = 100_000.0


@dataclass(frozen=True)
class Unplaced:
    """An arrival the rules do not let us place, with the rule and a sentence for the officer."""

    arrival_id: str
    rule: Rule
    reason: str


@dataclass
class Proposal:
    """The assignment proposed for one batch of arrivals."""

    assignment: dict[str, str]
    unplaced: list[Unplaced]
    objective: float
    bound: float | None
    status: str
    seconds: float
    method: str
    notes: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """Relative gap between the cost found and the best proven lower bound, if any."""
        if self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))
