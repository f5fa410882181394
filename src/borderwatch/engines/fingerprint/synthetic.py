"""Synthetic minutiae for scale tests: master fingers and their impressions, from a seed.

A *master* finger is a minutiae set inside an elliptical finger region whose directions follow
a smooth orientation field (a loop, whorl or arch built from core/delta singularities in the
style of Sherlock and Monro's zero-pole model), with a minimum spacing between minutiae and
a density typical of 500 ppi captures. An *impression* of a master is what a sensor would
return: the finger placed with a random rotation and translation, skin stretched by a smooth
non-linear displacement, cropped to a capture window, some minutiae missed, some spurious
ones added and small position/angle noise.

This is not SFinGe (no ridge images); it stands in for real galleries where only minutiae
reach the matcher. Everything is drawn from numpy's PCG64 so `(seed, subject, finger,
impression)` always gives the same template, whatever order they are generated in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from borderwatch.engines.fingerprint.template import BIFURCATION, ENDING, Template

WIDTH = 400
HEIGHT = 500


@dataclass(frozen=True)
class ImpressionNoise:
    """How much two impressions of one finger differ (defaults: a fair plain-capture sensor)."""

    rotation_deg: float = 20.0
    translation_px: float = 25.0
    distortion_px: float = 6.0
    missing: float = 0.15
    spurious: float = 0.10
    position_px: float = 2.0
    angle_rad: float = 0.12
    window: tuple[float, float] = (300.0, 400.0)


DEFAULT_NOISE = ImpressionNoise()


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *keys]))


def _orientation(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    cores: npt.NDArray[np.float64],
    deltas: npt.NDArray[np.float64],
    base: float,
) -> npt.NDArray[np.float64]:
    """Ridge orientation (mod pi, y up) of the zero-pole model at the points."""
    o = np.full_like(x, base)
    for cx, cy in cores:
        o += 0.5 * np.arctan2(y - cy, x - cx)
    for dx, dy in deltas:
        o -= 0.5 * np.arctan2(y - dy, x - dx)
    return np.mod(o, np.pi)


def master(seed: int, subject: int, finger: int) -> npt.NDArray[np.float64]:
    """A master finger: (n, 4) array of x, y (y down, pixels), angle, kind."""
    rng = _rng(seed, subject, finger, 0)
    cx, cy = WIDTH / 2, HEIGHT / 2
    ax, ay = rng.uniform(150, 185), rng.uniform(205, 240)
    pattern = rng.choice(3, p=[0.65, 0.3, 0.05])  # loop, whorl, arch
    core = np.array([[cx + rng.normal(0, 20), cy - rng.normal(20, 20)]])
    if pattern == 0:
        side = rng.choice([-1.0, 1.0])
        cores = core
        deltas = core + np.array([[side * rng.uniform(80, 130), rng.uniform(110, 160)]])
    elif pattern == 1:
        cores = np.vstack([core, core + np.array([[rng.normal(0, 10), rng.uniform(25, 50)]])])
        deltas = np.vstack(
            [
                core + np.array([[-rng.uniform(90, 130), rng.uniform(110, 160)]]),
                core + np.array([[rng.uniform(90, 130), rng.uniform(110, 160)]]),
            ]
        )
    else:
        cores = np.zeros((0, 2))
        deltas = np.zeros((0, 2))
    # minutiae density ~ 1 per 2,400 px^2 at 500 ppi, varied per finger
    area = math.pi * ax * ay
    target = int(area / rng.uniform(2000, 2900))
    cand = rng.uniform(-1, 1, size=(target * 4, 2))
    cand = cand[(cand**2).sum(1) <= 1.0]
    pts = np.c_[cx + cand[:, 0] * ax, cy + cand[:, 1] * ay]
    keep: list[int] = []
    min_d2 = 12.0**2
    for i in range(len(pts)):
        if keep:
            d = pts[keep] - pts[i]
            if ((d**2).sum(1) < min_d2).any():
                continue
        keep.append(i)
        if len(keep) == target:
            break
    pts = pts[keep]
    # orientation is computed in a y-up frame, so flip y for it
    ori = _orientation(
        pts[:, 0], -pts[:, 1], cores * [1, -1], deltas * [1, -1], rng.uniform(0, np.pi)
    )
    angle = np.mod(ori + np.pi * rng.integers(0, 2, len(pts)), 2 * np.pi)
    kind = np.where(rng.random(len(pts)) < 0.55, ENDING, BIFURCATION)
    return np.asarray(np.c_[pts, angle, kind], dtype=np.float64)


def impression(
    seed: int,
    subject: int,
    finger: int,
    index: int,
    noise: ImpressionNoise = DEFAULT_NOISE,
    base: npt.NDArray[np.float64] | None = None,
) -> Template:
    """Impression `index` of a master finger as a Template (finger position = finger)."""
    m = master(seed, subject, finger) if base is None else base
    rng = _rng(seed, subject, finger, index + 1)
    x, y, a = m[:, 0].copy(), m[:, 1].copy(), m[:, 2].copy()
    kind = m[:, 3].copy()
    cx, cy = WIDTH / 2, HEIGHT / 2
    # smooth non-linear distortion: a few Gaussian bumps of displacement, growing off-centre
    disp_x = np.zeros_like(x)
    disp_y = np.zeros_like(y)
    for _ in range(3):
        bx, by = rng.uniform(cx - 150, cx + 150), rng.uniform(cy - 200, cy + 200)
        vx, vy = rng.normal(0, noise.distortion_px, 2)
        w = np.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2 * 120.0**2))
        disp_x += vx * w
        disp_y += vy * w
    x, y = x + disp_x, y + disp_y
    # rigid placement on the sensor (rotation is counter-clockwise, so y is flipped)
    phi = math.radians(rng.normal(0, noise.rotation_deg / 2))
    c, s = math.cos(phi), math.sin(phi)
    tx, ty = rng.normal(0, noise.translation_px / 2, 2)
    xr = c * (x - cx) + s * (y - cy) + cx + tx
    yr = -s * (x - cx) + c * (y - cy) + cy + ty
    a = a + phi
    # capture window: the sensor sees a window around the contact centre
    wx, wy = noise.window
    ox, oy = rng.normal(0, 20, 2)
    inside = (np.abs(xr - cx - ox) <= wx / 2) & (np.abs(yr - cy - oy) <= wy / 2)
    inside &= rng.random(len(xr)) >= noise.missing
    xr, yr, a, kind = xr[inside], yr[inside], a[inside], kind[inside]
    n_sp = rng.poisson(noise.spurious * max(len(xr), 1))
    sx = rng.uniform(cx + ox - wx / 2, cx + ox + wx / 2, n_sp)
    sy = rng.uniform(cy + oy - wy / 2, cy + oy + wy / 2, n_sp)
    xr = np.r_[xr, sx] + rng.normal(0, noise.position_px, len(xr) + n_sp)
    yr = np.r_[yr, sy] + rng.normal(0, noise.position_px, len(yr) + n_sp)
    a = np.r_[a, rng.uniform(0, 2 * np.pi, n_sp)] + rng.normal(0, noise.angle_rad, len(a) + n_sp)
    kind = np.r_[kind, rng.integers(1, 3, n_sp)]
    order = rng.permutation(len(xr))
    arr = np.c_[xr, yr, np.mod(a, 2 * np.pi), kind, np.full(len(xr), 60.0)][order]
    return Template.from_arrays(
        arr.reshape(-1, 5), width=WIDTH, height=HEIGHT, quality=60, finger_position=finger
    )


def tenprint(
    seed: int, subject: int, index: int, noise: ImpressionNoise = DEFAULT_NOISE
) -> list[Template]:
    """Impression `index` of all ten fingers (positions 1..10) of a subject."""
    return [impression(seed, subject, f, index, noise) for f in range(1, 11)]
