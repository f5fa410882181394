"""Train the model on unlabelled records and score candidate pairs, with Splink on DuckDB.

`train` follows `model.TRAINING` and returns the trained model (Splink's JSON, which also holds
the comparisons and blocking rules) with a `TrainingRecord` of what was done, so a model in use
can always be traced to its training. `score` computes the capped blocks (`blocking`), lets
Splink score the pairs they admit and hands the scored pairs back in batches of numpy arrays
(record positions, not ids), so a caller never holds them all; `block` prepares the records and
their blocks once, for `train` and `score` both. `predict` collects the pairs as
`ScoredPair`s for small batches. DuckDB runs in memory with the threads it is given and a
memory limit, spilling to a temporary directory beyond it.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
from splink import DuckDBAPI, Linker, block_on

from borderwatch.engines.linkage.blocking import BLOCK_CAP, Codes, RuleReport, block_keys
from borderwatch.engines.linkage.model import MODEL_VERSION, RULES, TRAINING, TrainingPlan, settings
from borderwatch.engines.linkage.records import PersonRecord, prepare

__all__ = [
    "Blocked",
    "PairBatch",
    "ScoredPair",
    "Scoring",
    "TrainedModel",
    "TrainingRecord",
    "block",
    "predict",
    "score",
    "train",
]

_SPLINK_LOG = logging.WARNING  # Splink's INFO lines are progress chatter, never personal data
MEMORY_LIMIT = "6GB"  # DuckDB's, per connection; beyond it DuckDB spills to disk


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


@dataclass(frozen=True)
class PairBatch:
    """Scored pairs as parallel arrays; `left` < `right` are positions in the records given."""

    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    probability: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]


@dataclass
class Scoring:
    """What the cap did to each blocking rule, and the scored pairs, batch by batch (once)."""

    blocking: list[RuleReport]
    batches: Iterator[PairBatch]


@dataclass(frozen=True)
class Blocked:
    """Records made ready for Splink once: the model's columns and the capped block numbers.

    `frame.unique_id` is the record's position; `uids` maps it back.
    """

    frame: pd.DataFrame
    uids: list[str]
    keys: dict[str, Codes]  # each rule's block per record (-1: none), for `candidate_pairs`
    blocking: list[RuleReport]
    cap: int

    def __len__(self) -> int:
        return len(self.uids)


def block(records: Sequence[PersonRecord], cap: int = BLOCK_CAP) -> Blocked:
    """Prepare the records and compute each rule's capped blocks (`blocking.block_keys`)."""
    rows = prepare(records)
    frame = pd.DataFrame.from_records(rows, columns=list(rows[0].keys()) if rows else None)
    del rows
    frame["unique_id"] = np.arange(len(frame), dtype=np.int64)
    keys, reports = block_keys(frame, RULES, cap)
    for column, codes in keys.items():
        frame[column] = pd.array(codes, dtype="Int64")
        frame.loc[codes < 0, column] = pd.NA
    uids = [r.uid for r in records]
    return Blocked(frame=frame, uids=uids, keys=keys, blocking=reports, cap=cap)


def _blocked(records: Sequence[PersonRecord] | Blocked, cap: int) -> Blocked:
    return records if isinstance(records, Blocked) else block(records, cap)


class _Connection:
    """A DuckDB connection with its own spill directory, both gone on `close`."""

    def __init__(self, threads: int, memory_limit: str) -> None:
        self.spill = tempfile.mkdtemp(prefix="linkage-duckdb-")
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET memory_limit = ?", [memory_limit])
        self.con.execute("SET temp_directory = ?", [self.spill])

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.spill, ignore_errors=True)


def _linker(
    frame: pd.DataFrame, model: dict[str, Any] | None, threads: int, memory_limit: str
) -> tuple[Linker, _Connection]:
    conn = _Connection(threads, memory_limit)
    con = conn.con
    db_api = DuckDBAPI(connection=con)
    table = db_api.register(frame, dataset_display_name="persons")
    linker = Linker(table, model if model is not None else settings(), log_level=_SPLINK_LOG)
    return linker, conn


def train(
    records: Sequence[PersonRecord] | Blocked,
    plan: TrainingPlan = TRAINING,
    threads: int = 2,
    cap: int = BLOCK_CAP,
    memory_limit: str = MEMORY_LIMIT,
) -> TrainedModel:
    """Estimate the model's parameters from the records themselves (no labels)."""
    if len(records) < 2:
        raise ValueError("training needs at least two records")
    started = time.perf_counter()
    linker, con = _linker(_blocked(records, cap).frame, None, threads, memory_limit)
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
    con.close()
    record = TrainingRecord(
        model_version=MODEL_VERSION,
        records=len(records),
        plan=asdict(plan),
        prior=float(model["probability_two_random_records_match"]),
        em_sessions=sessions,
        seconds=round(time.perf_counter() - started, 3),
    )
    return TrainedModel(splink=model, training=record)


def score(
    records: Sequence[PersonRecord] | Blocked,
    model: TrainedModel | None = None,
    threshold: float = 0.5,
    threads: int = 2,
    cap: int = BLOCK_CAP,
    batch: int = 1_000_000,
    memory_limit: str = MEMORY_LIMIT,
) -> Scoring:
    """Pairs the capped blocking admits with a match probability of at least `threshold`.

    The pairs stay in DuckDB (spilling to disk past `memory_limit`) and come back `batch` at a
    time; only matching ids and scores, no other column. Without a model one is trained on the
    same records first (the usual batch use). `records` may be a `Blocked` made once for both.
    """
    if len(records) < 2:
        return Scoring(blocking=[], batches=iter(()))
    blocked = _blocked(records, cap)
    if model is None:
        model = train(blocked, threads=threads, memory_limit=memory_limit)
    lean = dict(model.splink)
    lean["retain_matching_columns"] = False
    lean["retain_intermediate_calculation_columns"] = False
    lean["additional_columns_to_retain"] = []
    linker, con = _linker(blocked.frame, lean, threads, memory_limit)
    return Scoring(blocking=blocked.blocking, batches=_batches(linker, con, threshold, batch))


def _batches(
    linker: Linker, conn: _Connection, threshold: float, batch: int
) -> Iterator[PairBatch]:
    result = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    reader = conn.con.sql(
        "SELECT unique_id_l, unique_id_r, match_probability, match_weight "  # noqa: S608
        f"FROM {result.physical_name}"
    ).to_arrow_reader(batch)
    try:
        for chunk in reader:
            a = chunk.column(0).to_numpy().astype(np.int64)
            b = chunk.column(1).to_numpy().astype(np.int64)
            yield PairBatch(
                left=np.minimum(a, b),
                right=np.maximum(a, b),
                probability=chunk.column(2).to_numpy().astype(np.float64),
                weight=chunk.column(3).to_numpy().astype(np.float64),
            )
    finally:
        conn.close()


def predict(
    records: Sequence[PersonRecord],
    model: TrainedModel | None = None,
    threshold: float = 0.5,
    threads: int = 2,
    cap: int = BLOCK_CAP,
) -> list[ScoredPair]:
    """Pairs the blocking rules admit whose match probability is at least `threshold`.

    Without a model one is trained on the same records first. Holds every pair: for batches
    of a national size use `score`.
    """
    if len(records) < 2:
        return []
    blocked = block(records, cap)
    uids = blocked.uids
    pairs = []
    for b in score(blocked, model, threshold, threads).batches:
        for i, j, p, w in zip(
            b.left.tolist(),
            b.right.tolist(),
            b.probability.tolist(),
            b.weight.tolist(),
            strict=True,
        ):
            a, c = uids[i], uids[j]
            pairs.append(ScoredPair(min(a, c), max(a, c), float(p), float(w)))
    pairs.sort(key=lambda s: (-s.probability, s.left, s.right))
    return pairs
