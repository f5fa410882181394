"""What a person needs and what a facility offers, in the placement engine's terms.

One mapping shared by the services (which enforce the rules) and the proposal (which plans
with them), so the two can never disagree.
"""

from __future__ import annotations

from typing import Any, Protocol

from borderwatch.engines.placement import Category, Need
from borderwatch.reception.models import Facility, FacilityKind


class PersonLike(Protocol):
    """The fields of registration's Person that reception reads (apps meet through selectors)."""

    pk: Any
    member_state: str
    sex: str
    household: str
    minor: bool
    unaccompanied_minor: bool
    pregnancy: bool
    disability: bool
    elderly: bool
    trafficking_victim: bool


# Vulnerability flag -> what the facility must offer.
NEEDS_BY_FLAG: dict[str, Need] = {
    "pregnancy": Need.MEDICAL,
    "disability": Need.MEDICAL,
    "elderly": Need.MEDICAL,
    "trafficking_victim": Need.OPEN_REGIME,
    "unaccompanied_minor": Need.OPEN_REGIME,
}


def needs_of(person: PersonLike) -> frozenset[Need]:
    return frozenset(need for flag, need in NEEDS_BY_FLAG.items() if getattr(person, flag))


def services_of(facility: Facility) -> frozenset[Need]:
    offered = set()
    if facility.medical:
        offered.add(Need.MEDICAL)
    if facility.interpreters:
        offered.add(Need.INTERPRETERS)
    if facility.kind != FacilityKind.DETENTION_CENTRE:
        offered.add(Need.OPEN_REGIME)
    return frozenset(offered)


def category_of(person: PersonLike, household_size: int) -> Category | None:
    """The kind of place the person needs; None when the record does not say (sex unknown).

    A minor with no registered household is placed as an unaccompanied minor: the protective
    reading of an incomplete record.
    """
    if person.unaccompanied_minor:
        return Category.UNACCOMPANIED_MINORS
    if person.household and household_size > 1:
        return Category.FAMILIES
    if person.minor:
        return Category.UNACCOMPANIED_MINORS
    if person.sex == "M":
        return Category.SINGLE_MEN
    if person.sex == "F":
        return Category.SINGLE_WOMEN
    return None


def allowed_categories(person: PersonLike, household_size: int) -> frozenset[Category]:
    """Categories an officer may choose for the person (the derived one, or both singles' when
    the sex is not recorded)."""
    derived = category_of(person, household_size)
    if derived is not None:
        return frozenset({derived})
    return frozenset({Category.SINGLE_MEN, Category.SINGLE_WOMEN})
