"""The linkage model as declarative configuration: blocking rules, comparisons, training plan.

Everything here is data handed to Splink; nothing runs. Splink turns the creators into SQL for
the backend it is given, so the same definition runs on DuckDB (here, tested) and on Spark
(national scale: `SparkAPI`, see docs/linkage.md). Only portable SQL and Splink's own level
creators are used: no DuckDB-only function is written by hand.

Comparisons (each reads the columns of `records.COLUMNS`, levels from most to least alike):

- name (given and family together, one comparison: the two lists depend on the nationality, so
  agreeing on both is weaker evidence than two independent agreements would be): same Latin
  form of both, same consonant skeletons of both (spelling variants, Arabic script without
  vowels), the same skeletons in another order (every part, so a swapped two-part family name
  is met too), given and family swapped, one skeleton the same and the other part Jaro-Winkler
  >= 0.88 (a typing error), same family skeleton with a given name missing, only the family or
  only the given skeleton the same, one part met in the other field, anything else. The "same"
  levels are adjusted by how often the name occurs (term frequencies: the whole name, the
  sorted parts, or the one part that agrees), so a shared "Mohammed Hassan" counts less than a
  shared "Zubair Popal", and a shared "Mohammed" alone less than a shared "Zryan";
- date of birth: exact, day and month swapped, one digit apart (a typing error), same year where
  one side is only a year (an estimated age), same year with two different full dates, years
  one apart where one side is only a year (an age estimated a year out), within two years,
  other;
- sex, nationality (frequency-adjusted), document number (exact, one character apart);
- apprehension: same place within two days, within 30, 120 and 365 days anywhere, other (a
  person moving on is apprehended again within months; a namesake at any time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

from borderwatch.engines.linkage.blocking import BlockingRule, key_column

__all__ = [
    "BLOCKING_RULES",
    "COMPARISONS",
    "MODEL_VERSION",
    "RULES",
    "TRAINING",
    "TrainingPlan",
    "settings",
]

MODEL_VERSION = 4  # bump when a comparison, a level or a blocking rule changes

# Pairs are scored only if at least one rule holds. Each is an equality on a few columns (a
# hash join in DuckDB and Spark); a block over `blocking.BLOCK_CAP` records is split by the
# further columns, one at a time, and dropped (counted) if still too large, so no common value
# makes a block quadratic at a million records (`blocking`). Splink joins on the resulting
# block numbers (`block_<rule>`), computed before the data are handed to it.
RULES: list[BlockingRule] = [
    # given and family skeletons, in either order (a swapped name too)
    BlockingRule("names", ("name_pair",), ("dob_year", "nationality")),
    BlockingRule(
        "family_year_sex", ("family_skel", "dob_year", "sex"), ("nationality", "given_initial")
    ),
    BlockingRule("given_dob", ("given_skel", "dob")),
    BlockingRule("document", ("document",)),
    BlockingRule("dob_nationality_sex", ("dob", "nationality", "sex")),
    # family name with a typo, year only
    BlockingRule(
        "given_year_nationality",
        ("given_skel", "dob_year", "nationality"),
        ("sex", "family_initial"),
    ),
    BlockingRule(
        "place_day", ("place", "apprehended"), ("nationality",)
    ),  # registered twice at once
    # the same parts in any order (a two-part name swapped)
    BlockingRule("parts", ("skel_sorted",), ("dob_year", "nationality")),
    BlockingRule(
        "family_dob", ("family_skel", "dob")
    ),  # a typo in the given name, sex not recorded
]
BLOCKING_RULES: list[BlockingRuleCreator] = [block_on(key_column(r)) for r in RULES]


_NAME = cl.CustomComparison(
    output_column_name="name",
    comparison_levels=[
        cll.NullLevel("family_skel"),
        cll.ExactMatchLevel("name", term_frequency_adjustments=True).configure(
            label_for_charts="same given and family name"
        ),
        cll.ExactMatchLevel("name_skel", term_frequency_adjustments=True).configure(
            label_for_charts="same skeletons"
        ),
        cll.ExactMatchLevel("skel_sorted", term_frequency_adjustments=True).configure(
            label_for_charts="same skeletons in another order"
        ),
        cll.CustomLevel(
            "given_skel_l = family_skel_r AND family_skel_l = given_skel_r",
            label_for_charts="given and family swapped",
        ),
        cll.And(
            cll.ExactMatchLevel("family_skel"), cll.JaroWinklerLevel("given_first", 0.88)
        ).configure(label_for_charts="same family skeleton, given similar"),
        cll.And(cll.ExactMatchLevel("given_skel"), cll.JaroWinklerLevel("family", 0.88)).configure(
            label_for_charts="same given skeleton, family similar"
        ),
        cll.CustomLevel(
            "family_skel_l = family_skel_r AND (given_skel_l IS NULL OR given_skel_r IS NULL)",
            label_for_charts="same family skeleton, a given name missing",
        ),
        cll.ExactMatchLevel("family_skel", term_frequency_adjustments=True).configure(
            label_for_charts="same family skeleton, given differs"
        ),
        cll.ExactMatchLevel("given_skel", term_frequency_adjustments=True).configure(
            label_for_charts="same given skeleton, family differs"
        ),
        cll.CustomLevel(
            "given_skel_l = family_skel_r OR family_skel_l = given_skel_r",
            label_for_charts="one part in the other field",
        ),
        cll.ElseLevel(),
    ],
)


COMPARISONS: list[ComparisonCreator] = [
    _NAME,
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
                "abs(dob_year_l - dob_year_r) = 1 AND (dob_l IS NULL OR dob_r IS NULL)",
                label_for_charts="years one apart, one side only a year",
            ),
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
            cll.AbsoluteDateDifferenceLevel(
                "apprehended", input_is_string=True, threshold=120, metric="day"
            ),
            cll.AbsoluteDateDifferenceLevel(
                "apprehended", input_is_string=True, threshold=365, metric="day"
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
