"""1:1 comparison in the Minutia Cylinder-Code family (Cappelli, Ferrara, Maltoni, TPAMI 2010).

Each minutia gets a *cylinder*: a local, rotation- and translation-invariant picture of the
minutiae around it (Ns x Ns spatial cells times Nd directional slices, bit-based as in MCC16b).
Cylinders are computed once per template (`encode`, the enrolment step) and packed into uint64
words, so a comparison is popcounts over words plus a small consolidation step: Local
Similarity Sort with Relaxation (LSS-R), which rewards pairs of minutia matches that agree
geometrically with each other.

Our own choices beyond the paper, each measured on FVC2002 (docs/fingerprint.md):
- the valid area of a cylinder is the minutiae's convex hull grown by omega, as in the paper;
- the nR pairs that enter relaxation are taken one-to-one (greedy, each minutia once), which
  stops one strong minutia from filling the list;
- angles inside the relaxation use a fast polynomial atan2 (error < 0.01 rad, far below the
  pi/12 tolerance of the compatibility sigmoids);
- any rotation (`any_rotation`, default): the paper compares only minutiae whose directions
  differ by at most delta_theta (90 degrees), so an upside-down print scores as an impostor.
  We compute the local similarity of every pair, let the 32 strongest vote for a rotation,
  run LSS-R once with the paper's gate and, unless the vote is within 20 degrees of upright,
  once more with the gate centred on the voted rotation; that score counts at 0.8 (upright is
  the usual capture) and the better of the two is the score.

Coordinates follow template.py (y down, angle counter-clockwise); internally y is negated so
that angles and rotations are the ordinary mathematical ones.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numba as nb
import numpy as np
import numpy.typing as npt
from numba import types
from numba.extending import intrinsic

from borderwatch.engines.fingerprint.template import MAX_MINUTIAE, Template

TWO_PI = 2.0 * math.pi
# any_rotation: how many of the strongest pairs vote for the rotation; how close to upright a
# vote may be and still be left to the upright gate alone (its +-90 degrees hold those pairs);
# the weight of a score found at another rotation, a prior for upright captures: without it
# impostors, free to pick a rotation, rose enough to cost DB3_B 0.7 EER points (measured)
ROTATION_VOTES = 32
ROTATION_SKIP = math.radians(20.0)
TURNED_WEIGHT = 0.8


@dataclass(frozen=True)
class MccParams:
    """Cylinder and consolidation parameters; defaults follow the TPAMI 2010 paper (MCC16b)."""

    radius: float = 70.0
    ns: int = 16
    nd: int = 6
    sigma_s: float = 28.0 / 3.0
    sigma_d: float = 2.0 * math.pi / 9.0
    mu_psi: float = 0.01
    omega: float = 50.0
    min_vc: float = 0.75
    min_m: int = 2
    min_me: float = 0.60
    delta_theta: float = math.pi / 2.0
    min_np: int = 4
    max_np: int = 12
    mu_p: float = 20.0
    tau_p: float = 0.4
    n_rel: int = 5
    w_r: float = 0.5
    mu_rho1: float = 5.0
    tau_rho1: float = -8.0 / 5.0
    mu_rho2: float = math.pi / 12.0
    tau_rho2: float = -30.0
    mu_rho3: float = math.pi / 12.0
    tau_rho3: float = -30.0
    # cap on the pairs entering relaxation (0: min(nA, nB) as in the paper); 16 is ~35 %
    # faster, as accurate on FVC2002 DB1-DB3 and worse on DB4 (measured, docs/fingerprint.md)
    max_nr: int = 16
    # match at any rotation: besides the paper's upright gate (directions within delta_theta),
    # try the gate centred on the rotation the strongest pairs vote for, and keep the better;
    # False is the paper (upside-down prints score as impostors). docs/decisions/
    # fingerprint-rotation-extraction.md
    any_rotation: bool = True

    @property
    def words(self) -> int:
        """uint64 words per cylinder."""
        return (self.ns * self.ns * self.nd + 63) // 64

    @property
    def circle_cells(self) -> int:
        """Spatial cells whose centre lies inside the cylinder's radius."""
        half = (self.ns - 1) / 2.0
        delta = 2.0 * self.radius / self.ns
        idx = (np.arange(self.ns) - half) * delta
        return int(((idx[:, None] ** 2 + idx[None, :] ** 2) <= self.radius**2).sum())

    def consolidation(self) -> npt.NDArray[np.float64]:
        """The matching parameters as one float array for the numba kernels (cached)."""
        return _consolidation(self)


@functools.lru_cache(maxsize=16)
def _consolidation(self: MccParams) -> npt.NDArray[np.float64]:
    out = np.array(
        [
            self.delta_theta,
            self.min_me * self.circle_cells * self.nd,
            self.min_np,
            self.max_np,
            self.mu_p,
            self.tau_p,
            self.n_rel,
            self.w_r,
            self.mu_rho1,
            self.tau_rho1,
            self.mu_rho2,
            self.tau_rho2,
            self.mu_rho3,
            self.tau_rho3,
            self.circle_cells * self.nd,
            self.max_nr,
            float(self.any_rotation),
        ],
        dtype=np.float64,
    )
    out.flags.writeable = False
    return out


DEFAULT_PARAMS = MccParams()
# Smaller cylinders (8 x 8 cells x 5 directions, 5 words instead of 24): faster to encode
# and compare, a fifth of the memory, a little less accurate (measured on FVC2002,
# docs/fingerprint.md). Used for the 1 M-finger synthetic gallery of the benchmark.
FAST_PARAMS = MccParams(ns=8, nd=5)


@dataclass(frozen=True)
class Cylinders:
    """A template's valid cylinders: bits, validity masks and their minutiae (x, -y, angle)."""

    bits: npt.NDArray[np.uint64]
    mask: npt.NDArray[np.uint64]
    geometry: npt.NDArray[np.float32]

    def __len__(self) -> int:
        return int(self.bits.shape[0])


@intrinsic
def _popcount(typingctx: Any, x: Any) -> tuple[Any, Callable[..., Any]]:
    """LLVM's ctpop: one POPCNT instruction on the host CPU."""
    sig = types.uint64(types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return sig, codegen


_pc: Any = _popcount  # numba resolves the intrinsic; mypy cannot type it


@nb.njit(cache=True, inline="always")
def _dphi(a: float, b: float) -> float:
    """Signed angle difference a - b wrapped to [-pi, pi)."""
    d = a - b
    if d < -math.pi:
        d += TWO_PI
    elif d >= math.pi:
        d -= TWO_PI
    return d


@nb.njit(cache=True, inline="always")
def _fast_atan2(y: float, x: float) -> float:
    """atan2 to about 0.005 rad; enough for the relaxation's pi/12 tolerances."""
    ax = abs(x)
    ay = abs(y)
    mx = max(ax, ay)
    if mx == 0.0:
        return 0.0
    a = min(ax, ay) / mx
    s = a * a
    r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a
    if ay > ax:
        r = 1.57079637 - r
    if x < 0:
        r = 3.14159265 - r
    if y < 0:
        r = -r
    return r


@nb.njit(cache=True)
def _in_grown_hull(px: float, py: float, hull: npt.NDArray[np.float64], omega: float) -> bool:
    """Inside the convex polygon (counter-clockwise) or within omega of one of its edges."""
    h = int(hull.shape[0])
    if h == 0:
        return False
    inside = h >= 3
    om2 = omega * omega
    for e in range(h):
        x1, y1 = hull[e, 0], hull[e, 1]
        x2, y2 = hull[(e + 1) % h, 0], hull[(e + 1) % h, 1]
        ex, ey = x2 - x1, y2 - y1
        wx, wy = px - x1, py - y1
        if ex * wy - ey * wx < 0.0:
            inside = False
        ll = ex * ex + ey * ey
        t = 0.0 if ll == 0.0 else min(1.0, max(0.0, (wx * ex + wy * ey) / ll))
        dx, dy = wx - t * ex, wy - t * ey
        if dx * dx + dy * dy <= om2:
            return True
    return inside


@nb.njit(cache=True)
def _encode_kernel(
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    ts: npt.NDArray[np.float64],
    hull: npt.NDArray[np.float64],
    radius: float,
    ns: int,
    nd: int,
    sigma_s: float,
    sigma_d: float,
    mu_psi: float,
    omega: float,
    min_vc: float,
    min_m: int,
    words: int,
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.bool_]]:
    n = xs.shape[0]
    bits = np.zeros((n, words), dtype=np.uint64)
    mask = np.zeros((n, words), dtype=np.uint64)
    ok = np.zeros(n, dtype=np.bool_)
    delta_s = 2.0 * radius / ns
    delta_d = TWO_PI / nd
    half = (ns - 1) / 2.0
    reach = 3.0 * sigma_s
    reach2 = reach * reach
    g_norm = 1.0 / (sigma_s * math.sqrt(TWO_PI))
    inv2s2 = 1.0 / (2.0 * sigma_s * sigma_s)
    erf_k = 1.0 / (sigma_d * math.sqrt(2.0))
    neigh = np.empty(n, dtype=np.int64)
    cdir = np.empty((n, nd), dtype=np.float64)
    sums = np.empty(nd, dtype=np.float64)
    for m in range(n):
        c, s = math.cos(ts[m]), math.sin(ts[m])
        count = 0
        lim = (radius + reach) ** 2
        for t in range(n):
            if t == m:
                continue
            dx, dy = xs[t] - xs[m], ys[t] - ys[m]
            if dx * dx + dy * dy <= lim:
                neigh[count] = t
                dtheta = _dphi(ts[m], ts[t])
                for k in range(nd):
                    phik = -math.pi + (k + 0.5) * delta_d
                    d = _dphi(phik, dtheta)
                    cdir[count, k] = 0.5 * (
                        math.erf((d + 0.5 * delta_d) * erf_k)
                        - math.erf((d - 0.5 * delta_d) * erf_k)
                    )
                count += 1
        if count < min_m:
            continue
        in_circle = 0
        valid = 0
        for i in range(ns):
            di = (i - half) * delta_s
            for j in range(ns):
                dj = (j - half) * delta_s
                if di * di + dj * dj > radius * radius:
                    continue
                in_circle += 1
                px = xs[m] + c * di - s * dj
                py = ys[m] + s * di + c * dj
                if not _in_grown_hull(px, py, hull, omega):
                    continue
                valid += 1
                for k in range(nd):
                    sums[k] = 0.0
                for q in range(count):
                    t = neigh[q]
                    dx, dy = xs[t] - px, ys[t] - py
                    d2 = dx * dx + dy * dy
                    if d2 > reach2:
                        continue
                    g = g_norm * math.exp(-d2 * inv2s2)
                    for k in range(nd):
                        sums[k] += g * cdir[q, k]
                base = (i * ns + j) * nd
                for k in range(nd):
                    b = base + k
                    w, o = b >> 6, np.uint64(b & 63)
                    mask[m, w] |= np.uint64(1) << o
                    if sums[k] >= mu_psi:
                        bits[m, w] |= np.uint64(1) << o
        if valid >= min_vc * in_circle:
            ok[m] = True
    return bits, mask, ok


def convex_hull(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Counter-clockwise convex hull (Andrew's monotone chain); fewer than 3 points as given."""
    pts = np.unique(np.asarray(points, dtype=np.float64).reshape(-1, 2), axis=0)
    if len(pts) < 3:
        return pts

    def cross(
        o: npt.NDArray[np.float64], a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
    ) -> float:
        return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))

    lower: list[npt.NDArray[np.float64]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[npt.NDArray[np.float64]] = []
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1], dtype=np.float64)


def encode_arrays(
    x: npt.ArrayLike, y: npt.ArrayLike, angle: npt.ArrayLike, params: MccParams = DEFAULT_PARAMS
) -> Cylinders:
    """Cylinders from minutia coordinates in template convention (y down, angle CCW)."""
    return _encode_indexed(x, y, angle, params)[0]


def _encode_indexed(
    x: npt.ArrayLike, y: npt.ArrayLike, angle: npt.ArrayLike, params: MccParams
) -> tuple[Cylinders, npt.NDArray[np.int64]]:
    """The cylinders and, for each, the index of its minutia in the input (invalid cylinders
    are dropped, so row and minutia index differ)."""
    xs = np.ascontiguousarray(x, dtype=np.float64)
    ys = -np.ascontiguousarray(y, dtype=np.float64)
    ts = np.mod(np.ascontiguousarray(angle, dtype=np.float64), TWO_PI)
    hull = convex_hull(np.stack([xs, ys], axis=1)) if len(xs) else np.zeros((0, 2))
    bits, mask, ok = _encode_kernel(
        xs, ys, ts, np.ascontiguousarray(hull), params.radius, params.ns, params.nd,
        params.sigma_s, params.sigma_d, params.mu_psi, params.omega, params.min_vc,
        params.min_m, params.words,
    )  # fmt: skip
    geometry = np.stack([xs, ys, ts], axis=1).astype(np.float32)[ok]
    cylinders = Cylinders(np.ascontiguousarray(bits[ok]), np.ascontiguousarray(mask[ok]), geometry)
    return cylinders, np.flatnonzero(ok)


def encode(template: Template, params: MccParams = DEFAULT_PARAMS) -> Cylinders:
    """Enrolment: the template's cylinders, computed once and reused for every comparison.

    At most MAX_MINUTIAE (the strongest): a cylinder looks at every other minutia, so the cost
    grows with the square of the count, and a template from a file may hold any number."""
    t = template.strongest(MAX_MINUTIAE)
    return encode_arrays(t.x, t.y, t.angle, params)


@nb.njit(cache=True, inline="always")
def _sigmoid(v: float, mu: float, tau: float) -> float:
    z = -tau * (v - mu)
    if z > 40.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(z))


@nb.njit(cache=True)
def _descending_order(vals: npt.NDArray[np.float32], cnt: int) -> npt.NDArray[np.int32]:
    """Indices of vals[:cnt] (all in (0, 1]) from high to low by a 1024-bucket counting sort.

    Linear time, unlike a comparison sort; values closer than 1/1024 keep input order.
    """
    nbins = 1024
    counts = np.zeros(nbins + 1, dtype=np.int32)
    keys = np.empty(cnt, dtype=np.int32)
    for q in range(cnt):
        k = nbins - 1 - min(nbins - 1, int(vals[q] * nbins))
        keys[q] = k
        counts[k + 1] += 1
    for k in range(nbins):
        counts[k + 1] += counts[k]
    order = np.empty(cnt, dtype=np.int32)
    for q in range(cnt):
        k = keys[q]
        order[counts[k]] = q
        counts[k] += 1
    return order


@nb.njit(cache=True)
def _vote_rotation(
    vals: npt.NDArray[np.float32],
    drot: npt.NDArray[np.float32],
    order: npt.NDArray[np.int32],
    k: int,
) -> float:
    """The rotation most of the k strongest pairs agree on: 36 bins of 10 degrees weighted by
    local similarity, smoothed over +-20 degrees, refined by the weighted circular mean of the
    pairs near the best bin."""
    nbins = 36
    hist = np.zeros(nbins, dtype=np.float64)
    for j in range(k):
        q = order[j]
        b = int((drot[q] + math.pi) * nbins / TWO_PI) % nbins
        hist[b] += vals[q]
    best = 0
    best_v = -1.0
    for b in range(nbins):
        v = 0.0
        for o in range(-2, 3):
            v += hist[(b + o) % nbins]
        if v > best_v:
            best_v = v
            best = b
    centre = -math.pi + (best + 0.5) * TWO_PI / nbins
    sx = 0.0
    sy = 0.0
    for j in range(k):
        q = order[j]
        if abs(_dphi(drot[q], centre)) <= 2.5 * TWO_PI / nbins:
            sx += vals[q] * math.cos(drot[q])
            sy += vals[q] * math.sin(drot[q])
    if sx == 0.0 and sy == 0.0:
        return centre
    return math.atan2(sy, sx)


# what _match_kernel returns: the score, and for each pair that made it, its cylinder in a,
# its cylinder in b and its relaxed similarity
_Match = tuple[float, npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float64]]


@nb.njit(cache=True, inline="always")
def _no_match() -> _Match:
    return 0.0, np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.float64)


@nb.njit(cache=True, fastmath=True)
def _match_kernel(
    bits_a: npt.NDArray[np.uint64],
    mask_a: npt.NDArray[np.uint64],
    geo_a: npt.NDArray[np.float32],
    bits_b: npt.NDArray[np.uint64],
    mask_b: npt.NDArray[np.uint64],
    geo_b: npt.NDArray[np.float32],
    cp: npt.NDArray[np.float64],
) -> _Match:
    """The one MCC comparison: the score and the pairs that make it (see _Match).

    Every score (similarity, score_many) and every pair an expert is shown come from here,
    so the two cannot drift apart.
    """
    na = bits_a.shape[0]
    nbb = bits_b.shape[0]
    if na == 0 or nbb == 0:
        return _no_match()
    words = bits_a.shape[1]
    delta_theta = cp[0]
    min_me = cp[1]
    full = int(cp[14])
    # Per cylinder: is its whole disc valid, and its set bits. A pair of full cylinders (most
    # of them, away from the print's edge) needs one popcount per word instead of four.
    full_a = np.empty(na, dtype=np.bool_)
    full_b = np.empty(nbb, dtype=np.bool_)
    root_a = np.empty(na, dtype=np.float64)
    root_b = np.empty(nbb, dtype=np.float64)
    for a in range(na):
        nm = 0
        n1 = 0
        for w in range(words):
            nm += _pc(mask_a[a, w])
            n1 += _pc(bits_a[a, w])
        full_a[a] = nm == full
        root_a[a] = math.sqrt(n1)
    for b in range(nbb):
        nm = 0
        n1 = 0
        for w in range(words):
            nm += _pc(mask_b[b, w])
            n1 += _pc(bits_b[b, w])
        full_b[b] = nm == full
        root_b[b] = math.sqrt(n1)
    # local similarities of every compatible cylinder pair, kept sparse (value, a, b)
    cap = na * nbb
    vals = np.empty(cap, dtype=np.float32)
    ia = np.empty(cap, dtype=np.int32)
    ib = np.empty(cap, dtype=np.int32)
    drot = np.empty(cap, dtype=np.float32)  # the rotation each pair implies (direction a - b)
    any_rotation = cp[16] > 0.0
    gate = 4.0 if any_rotation else delta_theta  # 4 > pi: every pair
    cnt = 0
    for a in range(na):
        ta = geo_a[a, 2]
        for b in range(nbb):
            dr = _dphi(ta, geo_b[b, 2])
            if abs(dr) > gate:
                continue
            if full_a[a] and full_b[b]:
                nx = 0
                for w in range(words):
                    nx += _pc(bits_a[a, w] ^ bits_b[b, w])
                den = root_a[a] + root_b[b]
            else:
                nm = 0
                for w in range(words):
                    nm += _pc(mask_a[a, w] & mask_b[b, w])
                if nm < min_me:
                    continue
                na1 = 0
                nb1 = 0
                nx = 0
                for w in range(words):
                    m = mask_a[a, w] & mask_b[b, w]
                    ca = bits_a[a, w] & m
                    cb = bits_b[b, w] & m
                    na1 += _pc(ca)
                    nb1 += _pc(cb)
                    nx += _pc(ca ^ cb)
                den = math.sqrt(na1) + math.sqrt(nb1)
            if den == 0.0:
                continue
            gamma = 1.0 - math.sqrt(nx) / den
            if gamma <= 0.0:
                continue
            vals[cnt] = gamma
            ia[cnt] = a
            ib[cnt] = b
            drot[cnt] = dr
            cnt += 1
    if cnt == 0:
        return _no_match()
    n_min = min(na, nbb)
    n_p = int(cp[2] + round(_sigmoid(n_min, cp[4], cp[5]) * (cp[3] - cp[2])))
    n_r = n_min if cp[15] <= 0 else min(n_min, int(cp[15]))
    order = _descending_order(vals, cnt)
    upright = _consolidate(
        vals, ia, ib, drot, order, cnt, 0.0, delta_theta, na, nbb, n_r, n_p, geo_a, geo_b, cp
    )
    if not any_rotation:
        return upright
    rot = _vote_rotation(vals, drot, order, min(cnt, ROTATION_VOTES))
    if abs(rot) <= ROTATION_SKIP:  # the upright gate already holds these pairs
        return upright
    turned = _consolidate(
        vals, ia, ib, drot, order, cnt, rot, delta_theta, na, nbb, n_r, n_p, geo_a, geo_b, cp
    )
    score = turned[0] * TURNED_WEIGHT
    if score > upright[0]:
        return score, turned[1], turned[2], turned[3]
    return upright


@nb.njit(cache=True, fastmath=True)
def _consolidate(
    vals: npt.NDArray[np.float32],
    ia: npt.NDArray[np.int32],
    ib: npt.NDArray[np.int32],
    drot: npt.NDArray[np.float32],
    order: npt.NDArray[np.int32],
    cnt: int,
    centre: float,
    window: float,
    na: int,
    nbb: int,
    n_r: int,
    n_p: int,
    geo_a: npt.NDArray[np.float32],
    geo_b: npt.NDArray[np.float32],
    cp: npt.NDArray[np.float64],
) -> _Match:
    """Local Similarity Sort with Relaxation over the pairs whose rotation (drot) is within
    `window` of `centre`: the one-to-one greedy pick of the n_r best, their geometric
    compatibility, relaxation, and the n_p most efficient pairs' sum over n_p."""
    used_a = np.zeros(na, dtype=np.bool_)
    used_b = np.zeros(nbb, dtype=np.bool_)
    sel_a = np.empty(n_r, dtype=np.int32)
    sel_b = np.empty(n_r, dtype=np.int32)
    lam0 = np.empty(n_r, dtype=np.float64)
    nr = 0
    for q in order:
        a, b = ia[q], ib[q]
        if used_a[a] or used_b[b]:
            continue
        if abs(_dphi(drot[q], centre)) > window:
            continue
        used_a[a] = True
        used_b[b] = True
        sel_a[nr] = a
        sel_b[nr] = b
        lam0[nr] = vals[q]
        nr += 1
        if nr == n_r:
            break
    if nr == 0:
        return _no_match()
    if nr == 1:
        return lam0[0] / max(n_p, 1), sel_a[:1].copy(), sel_b[:1].copy(), lam0[:1].copy()
    # pairwise geometric compatibility rho of the selected pairs
    rho = np.zeros((nr, nr), dtype=np.float64)
    for t in range(nr):
        at, bt = sel_a[t], sel_b[t]
        xa, ya, tha = geo_a[at, 0], geo_a[at, 1], geo_a[at, 2]
        xb, yb, thb = geo_b[bt, 0], geo_b[bt, 1], geo_b[bt, 2]
        for k in range(t + 1, nr):
            ak, bk = sel_a[k], sel_b[k]
            dxa, dya = geo_a[ak, 0] - xa, geo_a[ak, 1] - ya
            dxb, dyb = geo_b[bk, 0] - xb, geo_b[bk, 1] - yb
            da = math.sqrt(dxa * dxa + dya * dya)
            db = math.sqrt(dxb * dxb + dyb * dyb)
            z1 = _sigmoid(abs(da - db), cp[8], cp[9])
            if z1 < 1e-4:
                continue
            d2 = abs(_dphi(_dphi(tha, geo_a[ak, 2]), _dphi(thb, geo_b[bk, 2])))
            z2 = _sigmoid(d2, cp[10], cp[11])
            if z2 < 1e-4:
                continue
            ra = _dphi(tha, _fast_atan2(dya, dxa))
            rb = _dphi(thb, _fast_atan2(dyb, dxb))
            z3 = _sigmoid(abs(_dphi(ra, rb)), cp[12], cp[13])
            r = z1 * z2 * z3
            rho[t, k] = r
            rho[k, t] = r
    lam = lam0[:nr].copy()
    nxt = np.empty(nr, dtype=np.float64)
    w_r = cp[7]
    for _ in range(int(cp[6])):
        for t in range(nr):
            acc = 0.0
            for k in range(nr):
                acc += rho[t, k] * lam[k]
            nxt[t] = w_r * lam[t] + (1.0 - w_r) * acc / (nr - 1)
        lam[:] = nxt
    eff = np.empty(nr, dtype=np.float64)
    for t in range(nr):
        eff[t] = lam[t] / lam0[t]
    best = np.argsort(-eff)
    take = min(n_p, nr)
    total = 0.0
    for q in range(take):
        total += lam[best[q]]
    chosen = best[:take]
    return total / n_p, sel_a[chosen], sel_b[chosen], lam[chosen]


@nb.njit(cache=True, parallel=True)
def _score_many(
    q_bits: npt.NDArray[np.uint64],
    q_mask: npt.NDArray[np.uint64],
    q_geo: npt.NDArray[np.float32],
    g_bits: npt.NDArray[np.uint64],
    g_mask: npt.NDArray[np.uint64],
    g_geo: npt.NDArray[np.float32],
    offsets: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    cp: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    out = np.empty(rows.shape[0], dtype=np.float64)
    for r in nb.prange(rows.shape[0]):
        f = rows[r]
        lo, hi = offsets[f], offsets[f + 1]
        out[r] = _match_kernel(
            q_bits, q_mask, q_geo, g_bits[lo:hi], g_mask[lo:hi], g_geo[lo:hi], cp
        )[0]
    return out


def similarity(a: Cylinders, b: Cylinders, params: MccParams = DEFAULT_PARAMS) -> float:
    """MCC score in [0, 1] of two encoded templates (symmetric up to tie-breaking)."""
    return match(a, b, params).score


@dataclass(frozen=True)
class Match:
    """A comparison's score and the cylinder pairs that make it, in the kernel's order.

    Row t pairs cylinder rows_a[t] of a with rows_b[t] of b; strength[t] is that pair's
    relaxed similarity. The score is the sum of the strengths over n_P (the paper's nP),
    times TURNED_WEIGHT when the pairs come from a rotation found by vote (any_rotation).
    """

    score: float
    rows_a: npt.NDArray[np.int32]
    rows_b: npt.NDArray[np.int32]
    strength: npt.NDArray[np.float64]


def match(a: Cylinders, b: Cylinders, params: MccParams = DEFAULT_PARAMS) -> Match:
    """The comparison behind similarity(), keeping which cylinder pairs contributed."""
    _check_words(a, params)
    _check_words(b, params)
    score, rows_a, rows_b, strength = _match_kernel(
        a.bits, a.mask, a.geometry, b.bits, b.mask, b.geometry, params.consolidation()
    )
    return Match(float(score), rows_a, rows_b, strength)


def score_many(
    query: Cylinders,
    bits: npt.NDArray[np.uint64],
    mask: npt.NDArray[np.uint64],
    geometry: npt.NDArray[np.float32],
    offsets: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    params: MccParams = DEFAULT_PARAMS,
) -> npt.NDArray[np.float64]:
    """Scores of one query against the templates `rows` of a packed store, on all cores.

    Template f's cylinders are rows offsets[f]:offsets[f + 1] of bits, mask and geometry.
    """
    _check_words(query, params)
    return np.asarray(
        _score_many(
            query.bits, query.mask, query.geometry, bits, mask, geometry,
            np.ascontiguousarray(offsets, dtype=np.int64),
            np.ascontiguousarray(rows, dtype=np.int64), params.consolidation(),
        )
    )  # fmt: skip


def compare(a: Template, b: Template, params: MccParams = DEFAULT_PARAMS) -> float:
    """Encode both templates and compare them; use `encode` + `similarity` to reuse cylinders."""
    return similarity(encode(a, params), encode(b, params), params)


@dataclass(frozen=True)
class MinutiaPair:
    """A matched minutia in each template: its index there and its position (template
    coordinates: pixels at 500 ppi, y down), and how strongly the pair matched."""

    index_a: int
    index_b: int
    xa: float
    ya: float
    xb: float
    yb: float
    strength: float  # the pair's relaxed similarity, 0..1


def matched_pairs(
    a: Template, b: Template, params: MccParams = DEFAULT_PARAMS
) -> tuple[float, list[MinutiaPair]]:
    """The score compare(a, b) gives and the minutia pairs that make it, strongest first:
    what a fingerprint expert sees drawn between the two prints."""
    rows_a, rows_b = _strongest_rows(a), _strongest_rows(b)
    ca, index_a = _encode_indexed(a.x[rows_a], a.y[rows_a], a.angle[rows_a], params)
    cb, index_b = _encode_indexed(b.x[rows_b], b.y[rows_b], b.angle[rows_b], params)
    index_a, index_b = rows_a[index_a], rows_b[index_b]  # back to the templates' own rows
    m = match(ca, cb, params)
    # cylinder geometry holds -y (y up inside this module); templates are y down
    xa, ya = ca.geometry[:, 0], -ca.geometry[:, 1]
    xb, yb = cb.geometry[:, 0], -cb.geometry[:, 1]
    pairs = [
        MinutiaPair(
            int(index_a[i]),
            int(index_b[j]),
            float(xa[i]),
            float(ya[i]),
            float(xb[j]),
            float(yb[j]),
            min(float(s), 1.0),
        )
        for i, j, s in zip(m.rows_a, m.rows_b, m.strength, strict=True)
    ]
    pairs.sort(key=lambda p: -p.strength)
    return m.score, pairs


def _strongest_rows(t: Template) -> npt.NDArray[np.int64]:
    """Row numbers of the minutiae Template.strongest(MAX_MINUTIAE) keeps, in order."""
    rows = np.arange(len(t), dtype=np.int64)
    if len(t) <= MAX_MINUTIAE:
        return rows
    order = np.argsort(-t.minutia_quality.astype(np.int16), kind="stable")[:MAX_MINUTIAE]
    return np.sort(order).astype(np.int64)


def _check_words(c: Cylinders, params: MccParams) -> None:
    if c.bits.ndim != 2 or c.bits.shape[1] != params.words or c.mask.shape != c.bits.shape:
        raise ValueError(
            f"cylinders have shape {c.bits.shape}, expected (n, {params.words}) for these parameters"
        )
    if c.geometry.shape != (c.bits.shape[0], 3):
        raise ValueError("cylinder geometry must be (n, 3) and match the bits")
