"""Biographic identity resolution: is this the same person as that record?

Framework-free (no Django). Names in any script are normalised to a Latin form with their
prefixes and order settled (`names`); a probabilistic model (Splink, trained by expectation
maximisation on unlabelled records) scores the pairs that blocking admits (`model`,
`pipeline`); `rank` scores one new record against a few hundred on the spot without Splink, for
the "possible duplicates" check at registration; `assess` combines a biographic score with the
fingerprint answer. `synthetic` generates populations with known duplicates for benchmarks.
"""

from borderwatch.engines.linkage.evidence import (
    Assessment,
    Fingerprints,
    Outcome,
    Policy,
    assess,
    disagreement,
)
from borderwatch.engines.linkage.model import BLOCKING_RULES, COMPARISONS, TRAINING, settings
from borderwatch.engines.linkage.names import NameKeys, latin_parts, name_keys, skeleton
from borderwatch.engines.linkage.pipeline import (
    ScoredPair,
    TrainedModel,
    TrainingRecord,
    predict,
    train,
)
from borderwatch.engines.linkage.ranking import Candidate, rank
from borderwatch.engines.linkage.records import PersonRecord, normalise_document, prepare
from borderwatch.engines.linkage.synthetic import NoiseModel, Population, generate

__all__ = [
    "BLOCKING_RULES",
    "COMPARISONS",
    "TRAINING",
    "Assessment",
    "Candidate",
    "Fingerprints",
    "NameKeys",
    "NoiseModel",
    "Outcome",
    "PersonRecord",
    "Policy",
    "Population",
    "ScoredPair",
    "TrainedModel",
    "TrainingRecord",
    "assess",
    "disagreement",
    "generate",
    "latin_parts",
    "name_keys",
    "normalise_document",
    "predict",
    "prepare",
    "rank",
    "settings",
    "skeleton",
    "train",
]
