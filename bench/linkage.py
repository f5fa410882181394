"""Biographic identity resolution: Splink model against a plain rapidfuzz threshold, same run.

A seeded synthetic population (engines/linkage/synthetic.py; noise model in docs/linkage.md) of
BENCH_LINKAGE_RECORDS records (default 100,000; several sizes comma-separated) with known
duplicates within and across member states. Blocking caps each block at `BLOCK_CAP` records
(split by further keys, else dropped and counted: engines/linkage/blocking.py). The model is
trained on the records themselves (EM, no labels) and scores every pair the capped blocking
admits; the scored pairs come back in batches of numpy arrays and are counted batch by batch,
never held: pairs per record, pair completeness (the share of true pairs among the candidates,
the ceiling on recall), and at each threshold the predicted links. Thresholds: 0.5 (more likely
a match than not: the decision threshold of a calibrated model), 0.8 (the candidate threshold
of `evidence.Policy`, what the review queue would propose) and 0.9. The baseline scores the
same candidate pairs with rapidfuzz's token_sort_ratio of the transliterated full names
(anyascii, lower case) and links those at or above 90 with years of birth within one (or
missing). Precision, recall and F1 are of pairs against the generator's truth. DuckDB runs on
2 threads; memory is the process's peak resident set (Python and DuckDB together).
"""

from __future__ import annotations

import itertools
import os
import resource
import time
from typing import Any

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, process

from borderwatch.engines.linkage import BLOCK_CAP, block, generate, score, train
from borderwatch.engines.linkage.model import MODEL_VERSION

SEED = 17
THRESHOLDS = (0.5, 0.8, 0.9)
BASELINE_RATIO = 90
THREADS = 2
COMMAND = (
    "cd /work/main && BENCH_LINKAGE_RECORDS={sizes} .venv/bin/python bench/run.py --only linkage"
)


def _sizes() -> list[int]:
    """BENCH_LINKAGE_RECORDS: one size or several, comma-separated (20000,100000)."""
    raw = os.environ.get("BENCH_LINKAGE_RECORDS", "100000").replace("_", "")
    return [int(n) for n in raw.split(",") if n.strip()]


def _scores(found: int, correct: int, truth: int) -> tuple[float, float, float]:
    precision = correct / found if found else 0.0
    recall = correct / truth if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def measure(records: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    population = generate(records, seed=SEED)
    n = len(population.records)
    position = {r.uid: i for i, r in enumerate(population.records)}
    truth = np.sort(
        np.array(
            [position[a] * n + position[b] for a, b in population.true_pairs()], dtype=np.int64
        )
    )
    latin = np.array(
        [anyascii(f"{r.given_name} {r.family_name}").lower() for r in population.records],
        dtype=object,
    )
    year = np.array(
        [r.date_of_birth.year if r.date_of_birth else -9 for r in population.records],
        dtype=np.int64,
    )
    t1 = time.perf_counter()
    blocked = block(population.records)
    t2 = time.perf_counter()
    model = train(blocked, threads=THREADS)
    t3 = time.perf_counter()
    scoring = score(blocked, model, threshold=0.0, threads=THREADS)
    candidates = true_candidates = 0
    found = dict.fromkeys(THRESHOLDS, 0)
    correct = dict.fromkeys(THRESHOLDS, 0)
    base_found = base_correct = 0
    baseline_s = 0.0
    for batch in scoring.batches:
        codes = batch.left * n + batch.right
        true = np.isin(codes, truth, assume_unique=True)
        candidates += len(codes)
        true_candidates += int(true.sum())
        for t in THRESHOLDS:
            linked = batch.probability >= t
            found[t] += int(linked.sum())
            correct[t] += int((linked & true).sum())
        started = time.perf_counter()
        ya, yb = year[batch.left], year[batch.right]
        years_ok = (ya < 0) | (yb < 0) | (np.abs(ya - yb) <= 1)
        ratio = process.cpdist(
            latin[batch.left], latin[batch.right], scorer=fuzz.token_sort_ratio, workers=THREADS
        )
        linked = years_ok & (ratio >= BASELINE_RATIO)
        base_found += int(linked.sum())
        base_correct += int((linked & true).sum())
        baseline_s += time.perf_counter() - started
    t4 = time.perf_counter()
    return {
        "records": n,
        "true_pairs": len(truth),
        "candidates": candidates,
        "completeness": true_candidates / len(truth),
        "blocking": scoring.blocking,
        "model": {t: _scores(found[t], correct[t], len(truth)) for t in THRESHOLDS},
        "baseline": _scores(base_found, base_correct, len(truth)),
        "generate_s": t1 - t0,
        "block_s": t2 - t1,
        "train_s": t3 - t2,
        "score_s": t4 - t3 - baseline_s,
        "baseline_s": baseline_s,
        "peak_gib": _peak_gib(),
        "em": model.training.em_sessions,
    }


def _blocking_rows(r: dict[str, Any]) -> list[str]:
    rows = [
        "| rule | records keyed | blocks | largest | pairs uncapped | pairs capped | blocks split "
        "| blocks dropped | records dropped | pairs in dropped blocks |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for b in r["blocking"]:
        rows.append(
            f"| {b.rule} | {b.records:,} | {b.blocks:,} | {b.largest:,} | {b.pairs_uncapped:,} "
            f"| {b.pairs:,} | {b.split_blocks:,} | {b.dropped_blocks:,} | {b.dropped_records:,} "
            f"| {b.dropped_pairs:,} |"
        )
    return rows


def _table(r: dict[str, Any]) -> list[str]:
    bp, br, bf = r["baseline"]
    wall = float(r["block_s"]) + float(r["train_s"]) + float(r["score_s"])
    timing = (
        f"{wall:.1f} s (prepare and block {float(r['block_s']):.1f} s + train "
        f"{float(r['train_s']):.1f} s + score {float(r['score_s']):.1f} s)"
    )
    model_rows = [
        f"| Splink model (EM, p >= {t}) | {mp:.3f} | {mr:.3f} | {mf:.3f} | {timing} |"
        for t, (mp, mr, mf) in r["model"].items()
    ]
    reached = [t for t, (_, _, f) in r["model"].items() if f >= 0.95]
    aim = (
        f"reached at p >= {', '.join(str(t) for t in reached)}"
        if reached
        else "not reached at any of these thresholds"
    )
    uncapped = sum(b.pairs_uncapped for b in r["blocking"])
    return [
        f"### {r['records']:,} records",
        "",
        f"{r['true_pairs']:,} true pairs. Blocking (cap {BLOCK_CAP} records a block) admitted "
        f"{r['candidates']:,} candidate pairs, {r['candidates'] / r['records']:.1f} per record "
        f"(rule by rule, overlaps counted, {uncapped:,} without the cap); pair completeness "
        f"{float(r['completeness']):.1%} (true pairs among the candidates: the ceiling on recall "
        "for both methods). Peak memory of the process "
        f"{float(r['peak_gib']):.1f} GiB.",
        "",
        "| method | precision | recall | F1 | wall time |",
        "|---|---|---|---|---|",
        *model_rows,
        f"| rapidfuzz token_sort_ratio >= {BASELINE_RATIO}, years within 1, same pairs | "
        f"{bp:.3f} | {br:.3f} | {bf:.3f} | {float(r['baseline_s']):.1f} s |",
        "",
        "What the cap did, rule by rule (pairs before removing overlaps between rules):",
        "",
        *_blocking_rows(r),
        "",
        f"Generating the population and the truth took {float(r['generate_s']):.1f} s (not "
        f"counted). EM sessions: {r['em']}. Aim F1 >= 0.95 (at this size): {aim}.",
        "",
    ]


def run() -> str:
    results = [measure(n) for n in _sizes()]
    sizes = ",".join(str(r["records"]) for r in results)
    return "\n".join(
        [
            "## Linkage (biographic identity resolution)",
            "",
            f"Command: `{COMMAND.format(sizes=sizes)}` (several sizes, comma-"
            f"separated, each its own population; DuckDB on {THREADS} threads). Model "
            f"{MODEL_VERSION}; synthetic names per naming tradition with long-tailed"
            " frequencies (docs/linkage.md). Candidate pairs are counted batch by batch, never"
            " held.",
            "",
            *itertools.chain.from_iterable(_table(r) for r in results),
        ]
    )


if __name__ == "__main__":
    print(run())
