"""Which minutiae an MCC comparison matched: the pairs a fingerprint expert sees drawn.

The matcher's kernel (mcc._score_kernel) returns only a score, for speed. This replays the same
steps in plain numpy for one pair of templates (local similarities, one-to-one greedy selection,
relaxation, the n_P most efficient pairs) and keeps the pairs. It runs once per finger shown,
so clarity beats speed here; the score it implies agrees with mcc.similarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from borderwatch.engines.fingerprint import mcc
from borderwatch.engines.fingerprint.template import Template


@dataclass(frozen=True)
class MinutiaPair:
    """A matched minutia in each template (template coordinates: pixels at 500 ppi, y down)."""

    xa: float
    ya: float
    xb: float
    yb: float
    strength: float  # the pair's relaxed similarity, 0..1


def _dphi(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.mod(a - b + math.pi, 2 * math.pi) - math.pi


def _sigmoid(v: npt.NDArray[np.float64] | float, mu: float, tau: float) -> npt.NDArray[np.float64]:
    z = np.clip(-tau * (np.asarray(v, dtype=np.float64) - mu), -700, 700)
    return np.asarray(1.0 / (1.0 + np.exp(z)))


def _popcount(words: npt.NDArray[np.uint64] | npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    return np.asarray(np.bitwise_count(words).sum(axis=-1), dtype=np.int64)


def matched_pairs(
    a: Template, b: Template, params: mcc.MccParams = mcc.DEFAULT_PARAMS
) -> tuple[float, list[MinutiaPair]]:
    """The MCC score of a against b and the minutia pairs that make it, strongest first."""
    ca, cb = mcc.encode(a, params), mcc.encode(b, params)
    if len(ca) == 0 or len(cb) == 0:
        return 0.0, []
    p = params
    ga, gb = ca.geometry.astype(np.float64), cb.geometry.astype(np.float64)
    compatible = np.abs(_dphi(ga[:, None, 2], gb[None, :, 2])) <= p.delta_theta
    m = ca.mask[:, None, :] & cb.mask[None, :, :]
    bits_a, bits_b = ca.bits[:, None, :] & m, cb.bits[None, :, :] & m
    nm = _popcount(m)
    den = np.sqrt(_popcount(bits_a)) + np.sqrt(_popcount(bits_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = 1.0 - np.sqrt(_popcount(bits_a ^ bits_b)) / den
    min_me = p.min_me * p.circle_cells * p.nd
    ok = compatible & (nm >= min_me) & (den > 0) & (gamma > 0)
    ia, ib = np.nonzero(ok)
    if len(ia) == 0:
        return 0.0, []
    vals = gamma[ia, ib].astype(np.float32)
    n_min = min(len(ca), len(cb))
    n_p = int(p.min_np + round(float(_sigmoid(n_min, p.mu_p, p.tau_p)) * (p.max_np - p.min_np)))
    # the kernel's order: 1024 buckets from high to low, input order within a bucket
    keys = 1023 - np.minimum(1023, (vals * 1024).astype(np.int64))
    n_r = n_min if p.max_nr <= 0 else min(n_min, p.max_nr)  # the kernel's cap on nR
    sel: list[tuple[int, int, float]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for q in np.argsort(keys, kind="stable"):
        x, y = int(ia[q]), int(ib[q])
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        sel.append((x, y, float(vals[q])))
        if len(sel) == n_r:
            break
    nr = len(sel)
    sa = np.array([s[0] for s in sel])
    sb = np.array([s[1] for s in sel])
    lam0 = np.array([s[2] for s in sel])
    if nr < 2:
        score = float(lam0[0]) / max(n_p, 1)
        return score, [_pair(ga, gb, sa[0], sb[0], float(lam0[0]))]
    pa, pb = ga[sa], gb[sb]
    dxa, dya = pa[None, :, 0] - pa[:, None, 0], pa[None, :, 1] - pa[:, None, 1]
    dxb, dyb = pb[None, :, 0] - pb[:, None, 0], pb[None, :, 1] - pb[:, None, 1]
    z1 = _sigmoid(np.abs(np.hypot(dxa, dya) - np.hypot(dxb, dyb)), p.mu_rho1, p.tau_rho1)
    d2 = np.abs(_dphi(_dphi(pa[:, None, 2], pa[None, :, 2]), _dphi(pb[:, None, 2], pb[None, :, 2])))
    z2 = _sigmoid(d2, p.mu_rho2, p.tau_rho2)
    ra = _dphi(pa[:, None, 2], np.arctan2(dya, dxa))
    rb = _dphi(pb[:, None, 2], np.arctan2(dyb, dxb))
    z3 = _sigmoid(np.abs(_dphi(ra, rb)), p.mu_rho3, p.tau_rho3)
    rho = z1 * z2 * z3
    np.fill_diagonal(rho, 0.0)
    lam = lam0.copy()
    for _ in range(p.n_rel):
        lam = p.w_r * lam + (1.0 - p.w_r) * (rho @ lam) / (nr - 1)
    best = np.argsort(-(lam / lam0), kind="stable")[: min(n_p, nr)]
    score = float(lam[best].sum()) / n_p
    pairs = [_pair(ga, gb, sa[t], sb[t], float(lam[t])) for t in best]
    pairs.sort(key=lambda q: -q.strength)
    return score, pairs


def _pair(
    ga: npt.NDArray[np.float64], gb: npt.NDArray[np.float64], i: int, j: int, strength: float
) -> MinutiaPair:
    # cylinder geometry holds -y (mcc works y-up); templates and images are y-down
    return MinutiaPair(
        float(ga[i, 0]), float(-ga[i, 1]), float(gb[j, 0]), float(-gb[j, 1]), min(strength, 1.0)
    )
