"""Biographic identity resolution: is this the same person as that record?

Framework-free (no Django). Names in any script are normalised to a Latin form with their
prefixes and order settled (`names`); a probabilistic model (Splink, trained by expectation
maximisation on unlabelled records) scores the pairs that blocking admits (`model`,
`pipeline`), blocks capped in size and pairs streamed in batches (`blocking`); `rank` scores one new record against a few hundred on the spot without Splink, for
the "possible duplicates" check at registration; `assess` combines a biographic score with the
fingerprint answer. `synthetic` generates populations with known duplicates for benchmarks.
"""

from borderwatch.engines.linkage.blocking import BLOCK_CAP, BlockingRule, RuleReport
from borderwatch.engines.linkage.evidence import (
    Assessment,
    Fingerprints,
    Outcome,
    Policy,
    assess,
    disagreement,
)
from borderwatch.engines.linkage.model import BLOCKING_RULES, COMPARISONS, RULES, TRAINING, settings
from borderwatch.engines.linkage.names import NameKeys, latin_parts, name_keys, skeleton
from borderwatch.engines.linkage.pipeline import (
    Blocked,
    PairBatch,
    ScoredPair,
    Scoring,
    TrainedModel,
    TrainingRecord,
    block,
    predict,
    score,
    train,
)
from borderwatch.engines.linkage.ranking import Candidate, rank
from borderwatch.engines.linkage.records import PersonRecord, normalise_document, prepare
from borderwatch.engines.linkage.synthetic import NoiseModel, Population, generate

__all__ = [
    "BLOCKING_RULES",
    "BLOCK_CAP",
    "COMPARISONS",
    "RULES",
    "TRAINING",
    "Assessment",
    "Blocked",
    "BlockingRule",
    "Candidate",
    "Fingerprints",
    "NameKeys",
    "NoiseModel",
    "Outcome",
    "PairBatch",
    "PersonRecord",
    "Policy",
    "Population",
    "RuleReport",
    "ScoredPair",
    "Scoring",
    "TrainedModel",
    "TrainingRecord",
    "assess",
    "block",
    "disagreement",
    "generate",
    "latin_parts",
    "name_keys",
    "normalise_document",
    "predict",
    "prepare",
    "rank",
    "score",
    "settings",
    "skeleton",
    "train",
]
