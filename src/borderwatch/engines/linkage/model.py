"""The linkage model as declarative configuration: blocking rules, comparisons, training plan.

Everything here is data handed to Splink; nothing runs. Splink turns the creators into SQL for
the backend it is given, so the same definition runs on DuckDB (here, tested) and on Spark
(national scale: `SparkAPI`, see docs/linkage.md). Only portable SQL and Splink's own level
creators are used: no DuckDB-only function is written by hand.

Comparisons (each reads the columns of `records.COLUMNS`, levels from most to least alike):

- given name (the first given part) and family name (the last family part): exact Latin form,
  same consonant skeleton (spelling variants, Arabic script without vowels), Jaro-Winkler >= 0.9,
  the part met in the other field (swapped order), Jaro-Winkler >= 0.75, anything else. The
  exact and skeleton levels are adjusted by how often the value occurs (term frequencies), so a
  shared "Mohammed" counts less than a shared "Zubair";
- date of birth: exact, day and month swapped, one digit apart (a typing error), same year where
  one side is only a year (an estimated age), same year with two different full dates, within
  two years, other;
- sex, nationality (frequency-adjusted), document number (exact, one character apart);
- apprehension: same place within two days, within thirty days anywhere, other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

__all__ = [
    "BLOCKING_RULES",
    "COMPARISONS",
    "MODEL_VERSION",
    "TRAINING",
    "TrainingPlan",
    "settings",
]

MODEL_VERSION = 1  # bump when a comparison, a level or a blocking rule changes

# Pairs are scored only if at least one rule holds. Each is an equality (a hash join in DuckDB
# and Spark), chosen so that no common value makes a block quadratic at a million records.
BLOCKING_RULES: list[BlockingRuleCreator] = [
    block_on("given_skel", "family_skel"),
    CustomRule("l.given_skel = r.family_skel AND l.family_skel = r.given_skel"),  # swapped
    block_on("family_skel", "dob_year", "sex"),
    block_on("given_skel", "dob"),
    block_on("document"),
    block_on("dob", "nationality", "sex"),
]


def _name(col: str, skel: str, other_skel: str, output: str) -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name=output,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col, term_frequency_adjustments=True),
            cll.ExactMatchLevel(skel).configure(
                tf_adjustment_column=skel, label_for_charts="same skeleton"
            ),
            cll.JaroWinklerLevel(col, 0.9),
            cll.CustomLevel(f"{skel}_l = {other_skel}_r", label_for_charts="other field"),
            cll.JaroWinklerLevel(col, 0.75),
            cll.ElseLevel(),
        ],
    )


COMPARISONS: list[ComparisonCreator] = [
    _name("given_first", "given_skel", "family_skel", "given_name"),
    _name("family", "family_skel", "given_skel", "family_name"),
    cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("dob_year"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel("dob_l = dob_swapped_r", label_for_charts="day and month swapped"),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="one digit apart"),
            cll.CustomLevel(
                "dob_year_l = dob_year_r AND (dob_l IS NULL OR dob_r IS NULL)",
                label_for_charts="same year, one side only a year",
            ),
            cll.ExactMatchLevel("dob_year").configure(label_for_charts="same year, dates differ"),
            cll.CustomLevel(
                "abs(dob_year_l - dob_year_r) <= 2", label_for_charts="within two years"
            ),
            cll.ElseLevel(),
        ],
    ),
    cl.ExactMatch("sex"),
    cl.ExactMatch("nationality").configure(term_frequency_adjustments=True),
    cl.CustomComparison(
        output_column_name="document",
        comparison_levels=[
            cll.NullLevel("document"),
            cll.ExactMatchLevel("document"),
            cll.LevenshteinLevel("document", 1),
            cll.ElseLevel(),
        ],
    ),
    cl.CustomComparison(
        output_column_name="apprehension",
        comparison_levels=[
            cll.NullLevel("apprehended"),
            cll.And(
                cll.ExactMatchLevel("place"),
                cll.AbsoluteDateDifferenceLevel(
                    "apprehended", input_is_string=True, threshold=2, metric="day"
                ),
            ).configure(label_for_charts="same place within two days"),
            cll.AbsoluteDateDifferenceLevel(
                "apprehended", input_is_string=True, threshold=30, metric="day"
            ),
            cll.ElseLevel(),
        ],
    ),
]


@dataclass(frozen=True)
class TrainingPlan:
    """How the model is trained on unlabelled records (no clerical labels needed).

    1. the prior (probability that two random records match) from deterministic rules and an
       assumed recall of those rules;
    2. u-probabilities (how often levels occur among non-matches) from random pairs;
    3. m-probabilities (how often among matches) by expectation maximisation, once per blocking
       rule below; a comparison in the rule's own columns is not estimated in that session, so
       the sessions are chosen to cover every comparison between them.
    """

    deterministic_rules: tuple[str, ...] = (
        "l.document = r.document",
        "l.given_skel = r.given_skel AND l.family_skel = r.family_skel AND l.dob = r.dob",
    )
    deterministic_recall: float = 0.7
    u_max_pairs: int = 2_000_000
    em_rules: tuple[tuple[str, ...], ...] = (
        ("document",),
        ("given_skel", "family_skel", "dob_year"),
    )
    em_max_pairs: float | None = 1_000_000
    extra: dict[str, Any] = field(default_factory=dict)


TRAINING = TrainingPlan()


def settings() -> SettingsCreator:
    """The Splink settings for deduplicating (and linking across states) one table of records."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=list(COMPARISONS),
        blocking_rules_to_generate_predictions=list[BlockingRuleCreator | dict[str, Any]](
            BLOCKING_RULES
        ),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,
        additional_columns_to_retain=["state"],
        max_iterations=20,
    )
