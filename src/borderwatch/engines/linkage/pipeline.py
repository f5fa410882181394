"""Train the model on unlabelled records and score candidate pairs, with Splink on DuckDB.

`train` follows `model.TRAINING` and returns the trained model (Splink's JSON, which also holds
the comparisons and blocking rules) with a `TrainingRecord` of what was done, so a model in use
can always be traced to its training. `predict` scores the pairs the blocking rules admit with
a trained (or freshly trained) model. DuckDB runs in memory with the threads it is given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker, block_on

from borderwatch.engines.linkage.model import MODEL_VERSION, TRAINING, TrainingPlan, settings
from borderwatch.engines.linkage.records import PersonRecord, prepare

__all__ = ["ScoredPair", "TrainedModel", "TrainingRecord", "predict", "train"]

_SPLINK_LOG = logging.WARNING  # Splink's INFO lines are progress chatter, never personal data


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records the model scored; `left` < `right` by id."""

    left: str
    right: str
    probability: float
    weight: float


@dataclass(frozen=True)
class TrainingRecord:
    """What a training did: on how many records, with which plan, what it estimated, how long."""

    model_version: int
    records: int
    plan: dict[str, Any]
    prior: float  # probability that two random records match, as estimated
    em_sessions: list[dict[str, Any]]
    seconds: float


@dataclass(frozen=True)
class TrainedModel:
    """Splink's model JSON (settings and m/u parameters) with the record of its training."""

    splink: dict[str, Any]
    training: TrainingRecord
    extra: dict[str, Any] = field(default_factory=dict)


def _linker(rows: list[dict[str, Any]], model: dict[str, Any] | None, threads: int) -> Linker:
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    db_api = DuckDBAPI(connection=con)
    frame = pd.DataFrame.from_records(rows, columns=list(rows[0].keys()) if rows else None)
    table = db_api.register(frame, dataset_display_name="persons")
    return Linker(table, model if model is not None else settings(), log_level=_SPLINK_LOG)


def train(
    records: Sequence[PersonRecord], plan: TrainingPlan = TRAINING, threads: int = 2
) -> TrainedModel:
    """Estimate the model's parameters from the records themselves (no labels)."""
    if len(records) < 2:
        raise ValueError("training needs at least two records")
    started = time.perf_counter()
    linker = _linker(prepare(records), None, threads)
    linker.training.estimate_probability_two_random_records_match(
        list(plan.deterministic_rules), recall=plan.deterministic_recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=plan.u_max_pairs, seed=17)
    sessions = []
    for cols in plan.em_rules:
        session = linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*cols), max_pairs=plan.em_max_pairs
        )
        history = getattr(session, "_core_model_settings_history", [])
        sessions.append({"blocking_rule": list(cols), "iterations": len(history)})
    model = linker.misc.save_model_to_json()
    record = TrainingRecord(
        model_version=MODEL_VERSION,
        records=len(records),
        plan=asdict(plan),
        prior=float(model["probability_two_random_records_match"]),
        em_sessions=sessions,
        seconds=round(time.perf_counter() - started, 3),
    )
    return TrainedModel(splink=model, training=record)


def predict(
    records: Sequence[PersonRecord],
    model: TrainedModel | None = None,
    threshold: float = 0.5,
    threads: int = 2,
) -> list[ScoredPair]:
    """Pairs the blocking rules admit whose match probability is at least `threshold`.

    Without a model one is trained on the same records first (the usual batch use).
    """
    if len(records) < 2:
        return []
    if model is None:
        model = train(records, threads=threads)
    linker = _linker(prepare(records), model.splink, threads)
    result = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    frame: pd.DataFrame = result.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    pairs = [
        ScoredPair(
            left=min(str(a), str(b)),
            right=max(str(a), str(b)),
            probability=float(p),
            weight=float(w),
        )
        for a, b, p, w in zip(
            frame["unique_id_l"],
            frame["unique_id_r"],
            frame["match_probability"],
            frame["match_weight"],
            strict=True,
        )
    ]
    pairs.sort(key=lambda s: (-s.probability, s.left, s.right))
    return pairs
