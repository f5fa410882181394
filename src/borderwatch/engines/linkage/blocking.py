"""Blocking with a cap on block size, and candidate pairs generated in bounded chunks.

Framework-free (numpy and pandas). A blocking rule is an equality on some columns: two records
are a candidate pair if they agree on all of them. Common values make blocks quadratic (at a
million records "Mohammed / Ali" is a block of thousands, millions of pairs that tell nobody
apart), so each rule has a cap:

- a block over the cap is **split** by the rule's further columns, one more at a time (the year
  of birth, then the nationality, ...): its records are re-blocked on the longer key;
- a block still over the cap after the split (or with no further key) is **dropped**, and so is
  a record of a split block whose further key is missing; neither ever silently: the
  `RuleReport` counts the blocks, records and pairs lost.

The outcome is one integer column per rule (`key_column`; -1 where the record is in no block of
that rule) that the model's blocking rules join on (Splink, any backend), and that
`candidate_pairs` enumerates itself, in chunks of at most `chunk` pairs, each pair once (the
first rule that admits it, as Splink does), without ever holding all pairs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "BLOCK_CAP",
    "BlockingRule",
    "RuleReport",
    "block_keys",
    "candidate_pairs",
    "count_pairs",
    "key_column",
]

Codes = npt.NDArray[np.int64]

# At most this many records in a block: 300 persons agreeing on a key are too common to tell
# apart by it (the review queue's prefilter uses the same bound); a block at the cap adds at
# most 299 pairs per record.
BLOCK_CAP = 300


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """Records agreeing on every column of `columns` are compared.

    A block over the cap is split by the columns of `split_by`, one more at a time, until
    every part is within the cap; what is still over is dropped (and counted).
    """

    name: str
    columns: tuple[str, ...]
    split_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleReport:
    """What the cap did to one rule: nothing lost goes uncounted."""

    rule: str
    records: int  # records with every key column recorded
    blocks: int  # blocks of two or more records after the cap
    largest: int  # largest block after the cap
    pairs_uncapped: int  # pairs the rule would admit without a cap (overlaps not removed)
    pairs: int  # pairs the rule admits after the cap (overlaps with other rules not removed)
    split_blocks: int  # blocks over the cap split by the further key
    dropped_blocks: int  # blocks over the cap even after the split (or with no further key)
    dropped_records: int  # records left in no block of this rule by the cap
    dropped_pairs: int  # pairs inside the blocks still over the cap after every split


def key_column(rule: BlockingRule) -> str:
    """The column holding a rule's block number."""
    return f"block_{rule.name}"


def _codes(frame: pd.DataFrame, columns: Sequence[str]) -> Codes:
    """One integer per distinct combination of `columns`; -1 where any of them is missing."""
    out = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        codes = codes.astype(np.int64)
        missing = (out < 0) | (codes < 0)
        combined = out * (len(uniques) + 1) + codes
        _, dense = np.unique(combined[~missing], return_inverse=True)
        out = np.full(len(frame), -1, dtype=np.int64)
        out[~missing] = dense.astype(np.int64)
    return out


def _sizes(codes: Codes) -> npt.NDArray[np.int64]:
    """Size of each record's block (0 for a record in none)."""
    valid = codes >= 0
    counts = np.bincount(codes[valid]).astype(np.int64) if valid.any() else np.zeros(0, np.int64)
    sizes = np.zeros(len(codes), dtype=np.int64)
    sizes[valid] = counts[codes[valid]]
    return sizes


def _pairs_in(codes: Codes) -> int:
    valid = codes >= 0
    if not valid.any():
        return 0
    counts = np.bincount(codes[valid]).astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def _blocks_of(codes: Codes, mask: npt.NDArray[np.bool_]) -> int:
    return int(np.unique(codes[mask]).size)


def _dense(codes: Codes) -> Codes:
    out = np.full(len(codes), -1, dtype=np.int64)
    valid = codes >= 0
    out[valid] = np.unique(codes[valid], return_inverse=True)[1].astype(np.int64)
    return out


def _cap_rule(frame: pd.DataFrame, rule: BlockingRule, cap: int) -> tuple[Codes, RuleReport]:
    columns = list(rule.columns)
    codes = _codes(frame, columns)
    keyed = int((codes >= 0).sum())
    uncapped = _pairs_in(codes)
    split_blocks = 0
    no_key = np.zeros(len(codes), dtype=np.bool_)
    for extra in rule.split_by:
        over = _sizes(codes) > cap
        if not over.any():
            break
        # a block over the cap is re-blocked on one more column; its records without that
        # column are in none of its parts (counted as dropped below)
        split_blocks += _blocks_of(codes, over)
        columns.append(extra)
        finer = _codes(frame, columns)
        no_key |= over & (finer < 0)
        codes = _dense(
            np.where(over, np.where(finer >= 0, finer + int(codes.max()) + 1, -1), codes)
        )
    over = _sizes(codes) > cap
    dropped = over | no_key
    report = RuleReport(
        rule=rule.name,
        records=keyed,
        blocks=0,
        largest=0,
        pairs_uncapped=uncapped,
        pairs=0,
        split_blocks=split_blocks,
        dropped_blocks=_blocks_of(codes, over),
        dropped_records=int(dropped.sum()),
        dropped_pairs=_pairs_in(np.where(over, codes, -1)),
    )
    codes = _dense(np.where(over, -1, codes))
    sizes = _sizes(codes)
    report = replace(
        report,
        blocks=int(np.unique(codes[sizes >= 2]).size),
        largest=int(sizes.max()) if len(sizes) else 0,
        pairs=_pairs_in(codes),
    )
    return codes, report


def block_keys(
    frame: pd.DataFrame, rules: Sequence[BlockingRule], cap: int = BLOCK_CAP
) -> tuple[dict[str, Codes], list[RuleReport]]:
    """Each rule's block number per record (by `key_column`), capped, with what the cap did."""
    if cap < 2:
        raise ValueError("a block cap below 2 admits no pair")
    keys: dict[str, Codes] = {}
    reports = []
    for rule in rules:
        codes, report = _cap_rule(frame, rule, cap)
        keys[key_column(rule)] = codes
        reports.append(report)
    return keys, reports


def _agree(codes: Codes, left: Codes, right: Codes) -> npt.NDArray[np.bool_]:
    a = codes[left]
    agree: npt.NDArray[np.bool_] = (a >= 0) & (a == codes[right])
    return agree


def candidate_pairs(
    keys: Mapping[str, Codes], chunk: int = 1_000_000
) -> Iterator[tuple[Codes, Codes]]:
    """Every pair some rule admits, once, as (left, right) record positions with left < right.

    Rules are taken in the order of `keys`; a pair is yielded by the first rule it agrees on.
    Each rule's records are sorted by block; the pairs at distance d in that order are formed
    for d = 1, 2, ... over the records whose block is larger than d, so no step holds more than
    one pair per record, and chunks hold at most `chunk` pairs.
    """
    columns = list(keys.values())
    pending_left: list[Codes] = []
    pending_right: list[Codes] = []
    pending = 0
    for k, codes in enumerate(columns):
        earlier = columns[:k]
        valid = np.flatnonzero(codes >= 0)
        order = valid[np.argsort(codes[valid], kind="stable")]
        block = codes[order]
        # position of each sorted record in its block, and its block's size
        starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else valid
        sizes = np.diff(np.r_[starts, len(block)])
        start_of = np.repeat(starts, sizes)
        end_of = start_of + np.repeat(sizes, sizes)
        idx = np.arange(len(block), dtype=np.int64)
        d = 1
        while idx.size:
            idx = idx[idx + d < end_of[idx]]
            if not idx.size:
                break
            a, b = order[idx], order[idx + d]
            left, right = np.minimum(a, b), np.maximum(a, b)
            keep = np.ones(len(left), dtype=np.bool_)
            for other in earlier:
                keep &= ~_agree(other, left, right)
            left, right = left[keep], right[keep]
            for at in range(0, len(left), chunk):
                pending_left.append(left[at : at + chunk])
                pending_right.append(right[at : at + chunk])
                pending += len(pending_left[-1])
                if pending >= chunk:
                    yield from _flush(pending_left, pending_right, chunk)
                    pending = sum(len(x) for x in pending_left)
            d += 1
    if pending_left:
        yield from _flush(pending_left, pending_right, chunk, final=True)


def _flush(
    lefts: list[Codes], rights: list[Codes], chunk: int, final: bool = False
) -> Iterator[tuple[Codes, Codes]]:
    left = np.concatenate(lefts)
    right = np.concatenate(rights)
    lefts.clear()
    rights.clear()
    at = 0
    while len(left) - at >= chunk or (final and at < len(left)):
        yield left[at : at + chunk], right[at : at + chunk]
        at += chunk
    if at < len(left):
        lefts.append(left[at:])
        rights.append(right[at:])


def count_pairs(keys: Mapping[str, Codes], chunk: int = 1_000_000) -> int:
    """How many distinct pairs the rules admit, counted chunk by chunk."""
    return sum(len(left) for left, _ in candidate_pairs(keys, chunk))
