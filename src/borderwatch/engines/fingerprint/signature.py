"""A compact, alignment-free signature per finger, for the 1:N pre-filter.

The signature is a histogram of minutia *pairs* described in the first minutia's own frame:
distance, relative direction and the direction towards the second minutia. Those three do
not change when the finger is rotated or moved, and a missing or spurious minutia only moves
a few pairs, so two impressions of a finger share most of the histogram. Distances are
soft-binned (linear split between neighbouring bins) to absorb skin distortion.

The histogram is square-rooted (Hellinger), L2-normalised and quantised to uint8, so the
pre-filter is an integer dot product: 144 bytes a finger, read in one pass with both cores.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt

from borderwatch.engines.fingerprint.template import Template

D_MIN = 12.0
D_MAX = 156.0
N_DIST = 6
N_DIR = 6
N_RAD = 4
DIM = N_DIST * N_DIR * N_RAD
SCALE = 255.0
TWO_PI = 2.0 * math.pi


@nb.njit(cache=True)
def _histogram(
    xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64], ts: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    h = np.zeros(DIM, dtype=np.float64)
    n = xs.shape[0]
    step = (D_MAX - D_MIN) / N_DIST
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            dx, dy = xs[j] - xs[i], ys[j] - ys[i]
            d = math.sqrt(dx * dx + dy * dy)
            if d < D_MIN or d >= D_MAX:
                continue
            beta = (ts[j] - ts[i]) % TWO_PI
            alpha = (math.atan2(dy, dx) - ts[i]) % TWO_PI
            bd = min(N_DIR - 1, int(beta / TWO_PI * N_DIR))
            br = min(N_RAD - 1, int(alpha / TWO_PI * N_RAD))
            pos = (d - D_MIN) / step - 0.5
            lo = math.floor(pos)
            frac = pos - lo
            base = bd * N_RAD + br
            if lo >= 0:
                h[lo * N_DIR * N_RAD + base] += 1.0 - frac
            if lo + 1 < N_DIST:
                h[(lo + 1) * N_DIR * N_RAD + base] += frac
    return h


def signature_arrays(
    x: npt.ArrayLike, y: npt.ArrayLike, angle: npt.ArrayLike
) -> npt.NDArray[np.uint8]:
    """Signature of minutiae in template convention (y down, angle counter-clockwise)."""
    h = _histogram(
        np.ascontiguousarray(x, dtype=np.float64),
        -np.ascontiguousarray(y, dtype=np.float64),
        np.ascontiguousarray(angle, dtype=np.float64),
    )
    v = np.sqrt(h)
    norm = float(np.linalg.norm(v))
    if norm == 0.0:
        return np.zeros(DIM, dtype=np.uint8)
    return np.round(v / norm * SCALE).astype(np.uint8)


def signature(template: Template) -> npt.NDArray[np.uint8]:
    """The pre-filter signature of one finger."""
    return signature_arrays(template.x, template.y, template.angle)


@nb.njit(cache=True, parallel=True)
def prefilter_scores(
    signatures: npt.NDArray[np.uint8],
    positions: npt.NDArray[np.int8],
    alive: npt.NDArray[np.bool_],
    probe: npt.NDArray[np.uint8],
    probe_present: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float32]:
    """Cosine similarity of every gallery finger with the probe finger at the same position.

    probe is (11, DIM), indexed by finger position; rows whose position the probe lacks, or
    that were removed, score 0.
    """
    n = signatures.shape[0]
    out = np.zeros(n, dtype=np.float32)
    inv = 1.0 / (SCALE * SCALE)
    for i in nb.prange(n):
        p = positions[i]
        if not alive[i] or not probe_present[p]:
            continue
        acc = 0
        for d in range(DIM):
            acc += int(signatures[i, d]) * int(probe[p, d])
        out[i] = acc * inv
    return out
