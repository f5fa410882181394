"""Score -> false-match rate: a threshold chosen here means an expected FMR, not a raw score.

The mapping is the empirical impostor distribution of the MCC score (1 - CDF, the share of
impostor comparisons scoring at least s), stored as data in the package
(calibration_mcc.json) with the sample it came from. Between table points it interpolates
log(FMR) linearly; below the smallest FMR the table can support (1 / number of impostor
pairs) it says so instead of extrapolating.

Refit (synthetic impostors: different fingers, same finger position):
    .venv/bin/python -m borderwatch.engines.fingerprint.calibration --pairs 200000
"""

from __future__ import annotations

import argparse
import functools
import json
import math
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

DATA = "calibration_mcc.json"


@functools.lru_cache(maxsize=1)
def _table() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
    raw = json.loads(resources.files(__package__).joinpath(DATA).read_text())
    scores = np.asarray(raw["scores"], dtype=np.float64)
    fmr = np.asarray(raw["fmr"], dtype=np.float64)
    return scores, fmr, int(raw["impostor_pairs"])


def min_fmr() -> float:
    """The smallest FMR the shipped sample can vouch for (one impostor pair in the sample)."""
    return 1.0 / _table()[2]


def fmr_for_score(score: float) -> float:
    """Expected share of impostor comparisons scoring at least `score`."""
    scores, fmr, n = _table()
    if score <= scores[0]:
        return float(fmr[0])
    if score >= scores[-1]:
        return min(float(fmr[-1]), 1.0 / n)
    return float(np.exp(np.interp(score, scores, np.log(fmr))))


def threshold_for_fmr(fmr: float) -> float:
    """The smallest score whose expected FMR is at most `fmr`."""
    if not 0.0 < fmr <= 1.0:
        raise ValueError(f"FMR must be in (0, 1], got {fmr}")
    scores, table, _ = _table()
    if fmr < min_fmr():
        raise ValueError(
            f"FMR {fmr:g} is below what the calibration sample supports ({min_fmr():g}); refit"
            " with more impostor pairs"
        )
    if fmr >= table[0]:
        return float(scores[0])
    # table is non-increasing in fmr; interpolate on log(fmr)
    return float(np.interp(math.log(fmr), np.log(table[::-1]), scores[::-1]))


def fit(impostor_scores: npt.ArrayLike, points: int = 400) -> dict[str, object]:
    """Calibration table from impostor scores: score quantiles and their tail shares."""
    s = np.sort(np.asarray(impostor_scores, dtype=np.float64))
    n = len(s)
    if n < 100:
        raise ValueError("need at least 100 impostor scores to calibrate")
    # points spaced evenly in log(FMR) from 1 down to 1/n
    tail = np.unique(np.round(np.logspace(0, -math.log10(n), points) * n).astype(np.int64))
    tail = tail[tail >= 1]
    thresholds = s[n - tail]  # tail[i] scores are >= this value
    fmr = np.array([(s >= t).mean() for t in thresholds])
    order = np.argsort(thresholds, kind="stable")
    thresholds, fmr = thresholds[order], fmr[order]
    keep = np.r_[True, np.diff(thresholds) > 0]
    return {
        "scores": thresholds[keep].tolist(),
        "fmr": fmr[keep].tolist(),
        "impostor_pairs": n,
    }


def _synthetic_impostors(pairs: int, seed: int) -> npt.NDArray[np.float64]:
    from borderwatch.engines.fingerprint import mcc, synthetic

    subjects = max(50, int(math.sqrt(pairs)) + 1)
    per = max(1, pairs // subjects)
    rng = np.random.default_rng(seed)
    cyl = []
    for s in range(subjects):
        f = int(rng.integers(1, 11))
        cyl.append(mcc.encode(synthetic.impression(seed, s, f, 0)))
    bits = np.concatenate([c.bits for c in cyl])
    mask = np.concatenate([c.mask for c in cyl])
    geo = np.concatenate([c.geometry for c in cyl])
    off = np.concatenate([[0], np.cumsum([len(c) for c in cyl])]).astype(np.int64)
    out = []
    for s in range(subjects):
        others = rng.choice(
            np.delete(np.arange(subjects), s), size=min(per, subjects - 1), replace=False
        )
        out.append(mcc.score_many(cyl[s], bits, mask, geo, off, others.astype(np.int64)))
    return np.concatenate(out)[:pairs]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Refit the shipped score -> FMR table.")
    p.add_argument("--pairs", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=99)
    p.add_argument("--out", type=Path, default=Path(__file__).with_name(DATA))
    a = p.parse_args(argv)
    table = fit(_synthetic_impostors(a.pairs, a.seed))
    table["source"] = (
        f"{table['impostor_pairs']} synthetic impostor pairs (synthetic.py seed {a.seed},"
        " impression 0 of different fingers), MCC16b default parameters"
    )
    a.out.write_text(json.dumps(table, indent=0))
    print(f"wrote {a.out} from {table['impostor_pairs']} impostor pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
