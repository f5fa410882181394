"""Blocking with a cap: blocks over it are split or dropped and counted; pairs come in chunks."""

import itertools

import numpy as np
import pandas as pd
import pytest

from borderwatch.engines.linkage import generate, score, train
from borderwatch.engines.linkage.blocking import (
    BlockingRule,
    block_keys,
    candidate_pairs,
    count_pairs,
    key_column,
)
from borderwatch.engines.linkage.pipeline import block


def _frame(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _pairs(keys: dict[str, np.ndarray], chunk: int = 1_000_000) -> list[tuple[int, int]]:
    out = []
    for left, right in candidate_pairs(keys, chunk):
        out += list(zip(left.tolist(), right.tolist(), strict=True))
    return out


def test_a_block_over_the_cap_is_split_by_the_further_key() -> None:
    frame = _frame(name=["mhmd"] * 6, year=[1990, 1990, 1990, 1991, 1991, 1991])
    rule = BlockingRule("names", ("name",), ("year",))
    keys, [report] = block_keys(frame, [rule], cap=3)
    assert report.split_blocks == 1 and report.dropped_blocks == 0
    assert report.dropped_records == 0
    assert report.pairs_uncapped == 15 and report.pairs == 6 and report.largest == 3
    assert sorted(_pairs(keys)) == [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)]


def test_a_block_still_over_the_cap_is_dropped_and_counted_never_silently() -> None:
    frame = _frame(name=["mhmd"] * 5 + ["zryn"] * 2, year=[1990] * 5 + [1980] * 2)
    keys, [report] = block_keys(frame, [BlockingRule("names", ("name",), ("year",))], cap=3)
    assert report.dropped_blocks == 1
    assert report.dropped_records == 5
    assert report.dropped_pairs == 10
    assert report.pairs == 1 and report.pairs_uncapped == 11
    assert _pairs(keys) == [(5, 6)]
    # without a further key the block is dropped at once, and counted just the same
    keys, [report] = block_keys(frame, [BlockingRule("names", ("name",))], cap=3)
    assert (report.split_blocks, report.dropped_blocks, report.dropped_pairs) == (0, 1, 10)


def test_records_of_a_split_block_without_the_further_key_are_counted_as_dropped() -> None:
    frame = _frame(name=["mhmd"] * 4, year=[1990, 1990, None, None])
    keys, [report] = block_keys(frame, [BlockingRule("names", ("name",), ("year",))], cap=3)
    assert report.split_blocks == 1 and report.dropped_records == 2
    assert _pairs(keys) == [(0, 1)]


def test_a_missing_key_blocks_nothing_and_the_cap_must_admit_a_pair() -> None:
    frame = _frame(name=[None, None, "ali"])
    keys, [report] = block_keys(frame, [BlockingRule("names", ("name",))])
    assert report.records == 1 and _pairs(keys) == []
    with pytest.raises(ValueError, match="cap"):
        block_keys(frame, [BlockingRule("names", ("name",))], cap=1)


def test_pairs_stream_in_bounded_chunks_each_pair_once() -> None:
    rng = np.random.default_rng(3)
    n = 400
    frame = _frame(a=rng.integers(0, 12, n).tolist(), b=rng.integers(0, 30, n).tolist())
    rules = [BlockingRule("a", ("a",), ("b",)), BlockingRule("b", ("b",))]
    keys, reports = block_keys(frame, rules, cap=25)
    chunks = list(candidate_pairs(keys, chunk=500))
    assert all(len(left) <= 500 for left, _ in chunks) and len(chunks) > 3
    got = _pairs(keys, chunk=500)
    ka, kb = keys[key_column(rules[0])], keys[key_column(rules[1])]
    expected = [
        (i, j)
        for i, j in itertools.combinations(range(n), 2)
        if (ka[i] >= 0 and ka[i] == ka[j]) or (kb[i] >= 0 and kb[i] == kb[j])
    ]
    assert len(got) == len(set(got)) == count_pairs(keys, chunk=500)
    assert sorted(got) == expected
    assert all(r.largest <= 25 for r in reports)


def test_splink_scores_exactly_the_capped_candidates_in_bounded_batches() -> None:
    population = generate(3000, seed=5)
    blocked = block(population.records, cap=20)
    assert any(r.split_blocks or r.dropped_blocks for r in blocked.blocking)
    expected = set(_pairs(blocked.keys))
    model = train(blocked)
    scoring = score(blocked, model, threshold=0.0, batch=5000)
    got: list[tuple[int, int]] = []
    for batch in scoring.batches:
        assert len(batch.left) <= 5000
        assert (batch.left < batch.right).all()
        assert ((batch.probability >= 0) & (batch.probability <= 1)).all()
        got += list(zip(batch.left.tolist(), batch.right.tolist(), strict=True))
    assert len(got) == len(set(got))
    assert set(got) == expected
