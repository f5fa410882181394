"""The rules the services share with the optimiser: category, refusals, capacity over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from borderwatch.engines.placement import (
    Category,
    Need,
    Rule,
    allowed_categories,
    category_of,
    first_overflow,
    refusals,
    services_offered,
    splits_household,
)

D = dt.date(2021, 8, 1)


@dataclass
class P:
    sex: str = "M"
    household: str = ""
    minor: bool = False
    unaccompanied_minor: bool = False
    pregnancy: bool = False
    disability: bool = False
    elderly: bool = False
    trafficking_victim: bool = False


ALL_PLACES = dict.fromkeys(Category, 5)


def test_category_follows_the_record() -> None:
    assert category_of(P(), 1) == Category.SINGLE_MEN
    assert category_of(P(sex="F", household="H"), 1) == Category.SINGLE_WOMEN  # alone
    assert category_of(P(sex="F", household="H"), 2) == Category.FAMILIES
    assert category_of(P(minor=True), 1) == Category.UNACCOMPANIED_MINORS
    assert category_of(P(sex="X"), 1) is None
    assert allowed_categories(P(sex="X"), 1) == {Category.SINGLE_MEN, Category.SINGLE_WOMEN}


def test_refusals_name_each_broken_rule() -> None:
    detention = services_offered(detention=True, medical=False, interpreters=True)
    assert Need.OPEN_REGIME not in detention
    category, found = refusals(P(pregnancy=True, trafficking_victim=True), 1, None, {}, detention)
    assert category == Category.SINGLE_MEN
    assert [r.rule for r in found] == [Rule.CAPACITY, Rule.NEEDS]
    assert found[1].missing == {Need.MEDICAL, Need.OPEN_REGIME}
    assert refusals(P(sex="X"), 1, None, ALL_PLACES, detention)[1][0].rule == Rule.CATEGORY
    chosen = refusals(P(), 1, "families", ALL_PLACES, detention)[1]
    assert chosen[0].category == Category.FAMILIES
    assert chosen[0].allowed == {Category.SINGLE_MEN}
    assert refusals(P(sex="X"), 1, "single_women", ALL_PLACES, detention) == (
        Category.SINGLE_WOMEN,
        [],
    )


def test_capacity_holds_on_every_day_and_a_leaver_frees_the_place_that_day() -> None:
    later = D + dt.timedelta(days=3)
    assert first_overflow([(D, later)], [later], 1) is None
    assert first_overflow([(D, later)], [D + dt.timedelta(days=2)], 1) == (
        D + dt.timedelta(days=2),
        2,
    )
    # a backdated newcomer overfills the day a later stay starts
    assert first_overflow([(D, None)], [D - dt.timedelta(days=9)], 1) == (D, 2)
    assert first_overflow([], [D, D], 2) is None


def test_a_household_lives_in_one_facility() -> None:
    assert not splits_household({1}, {1})
    assert splits_household({1}, {2})
    assert splits_household({1, 2})
