"""Score -> false-match rate: a threshold chosen here means an expected FMR, not a raw score.

The mapping is the empirical impostor distribution of the MCC score (1 - CDF, the share of
impostor comparisons scoring at least s), stored as data in the package
(calibration_mcc.json; calibration_mcc_fast.json for FAST_PARAMS, whose scores spread
differently) with the sample it came from. Between table points it interpolates
log(FMR) linearly; below the smallest FMR the table can support (1 / number of impostor
pairs) it says so instead of extrapolating.

Refit (synthetic impostors: different fingers, same finger position):
    .venv/bin/python -m borderwatch.engines.fingerprint.calibration --pairs 200000
    .venv/bin/python -m borderwatch.engines.fingerprint.calibration --pairs 200000 --params fast
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

from borderwatch.engines.fingerprint import mcc

DATA = {"default": "calibration_mcc.json", "fast": "calibration_mcc_fast.json"}
PARAMS = {"default": mcc.DEFAULT_PARAMS, "fast": mcc.FAST_PARAMS}


def params_name(params: mcc.MccParams) -> str:
    """The name of a calibrated parameter set; ValueError for parameters never calibrated."""
    for name, known in PARAMS.items():
        if known == params:
            return name
    raise ValueError(f"no score calibration for MCC parameters {params}")


@functools.lru_cache(maxsize=len(DATA))
def _table(
    params: mcc.MccParams = mcc.DEFAULT_PARAMS,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
    data = DATA[params_name(params)]
    raw = json.loads(resources.files(__package__).joinpath(data).read_text())
    scores = np.asarray(raw["scores"], dtype=np.float64)
    fmr = np.asarray(raw["fmr"], dtype=np.float64)
    return scores, fmr, int(raw["impostor_pairs"])


def min_fmr(params: mcc.MccParams = mcc.DEFAULT_PARAMS) -> float:
    """The smallest FMR the shipped sample can vouch for (one impostor pair in the sample)."""
    return 1.0 / _table(params)[2]


def fmr_for_score(score: float, params: mcc.MccParams = mcc.DEFAULT_PARAMS) -> float:
    """Expected share of impostor comparisons scoring at least `score`."""
    scores, fmr, n = _table(params)
    if score <= scores[0]:
        return float(fmr[0])
    if score >= scores[-1]:
        return min(float(fmr[-1]), 1.0 / n)
    return float(np.exp(np.interp(score, scores, np.log(fmr))))


def threshold_for_fmr(fmr: float, params: mcc.MccParams = mcc.DEFAULT_PARAMS) -> float:
    """The smallest score whose expected FMR is at most `fmr`."""
    if not 0.0 < fmr <= 1.0:
        raise ValueError(f"FMR must be in (0, 1], got {fmr}")
    scores, table, _ = _table(params)
    if fmr < min_fmr(params):
        raise ValueError(
            f"FMR {fmr:g} is below what the calibration sample supports ({min_fmr(params):g});"
            " refit"
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


def _synthetic_impostors(pairs: int, seed: int, params: mcc.MccParams) -> npt.NDArray[np.float64]:
    from borderwatch.engines.fingerprint import synthetic

    subjects = max(50, int(math.sqrt(pairs)) + 1)
    per = max(1, pairs // subjects)
    rng = np.random.default_rng(seed)
    cyl = []
    for s in range(subjects):
        f = int(rng.integers(1, 11))
        cyl.append(mcc.encode(synthetic.impression(seed, s, f, 0), params))
    bits = np.concatenate([c.bits for c in cyl])
    mask = np.concatenate([c.mask for c in cyl])
    geo = np.concatenate([c.geometry for c in cyl])
    off = np.concatenate([[0], np.cumsum([len(c) for c in cyl])]).astype(np.int64)
    out = []
    for s in range(subjects):
        others = rng.choice(
            np.delete(np.arange(subjects), s), size=min(per, subjects - 1), replace=False
        )
        out.append(mcc.score_many(cyl[s], bits, mask, geo, off, others.astype(np.int64), params))
    return np.concatenate(out)[:pairs]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Refit the shipped score -> FMR table.")
    p.add_argument("--pairs", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=99)
    p.add_argument("--params", choices=sorted(PARAMS), default="default")
    p.add_argument("--out", type=Path, help="default: the package's table for --params")
    a = p.parse_args(argv)
    out = a.out or Path(__file__).with_name(DATA[a.params])
    table = fit(_synthetic_impostors(a.pairs, a.seed, PARAMS[a.params]))
    table["source"] = (
        f"{table['impostor_pairs']} synthetic impostor pairs (synthetic.py seed {a.seed},"
        f" impression 0 of different fingers), MCC parameters {a.params}"
    )
    out.write_text(json.dumps(table, indent=0))
    print(f"wrote {out} from {table['impostor_pairs']} impostor pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
