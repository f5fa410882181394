"""Small synthetic fingerprints for the image and feature tests (no real data needed).

Ridges are cos(2*pi*x/period + sum of atan2 phase spirals): each spiral centre is a phase
singularity, which shows as exactly one minutia (an ending or a bifurcation) at a known place.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SHAPE = (320, 288)
PERIOD = 9.0
# (x, y, +1/-1): phase singularities, i.e. minutiae we put there on purpose
SINGULARITIES = (
    (90.0, 100.0, 1), (160.0, 90.0, -1), (200.0, 150.0, 1), (120.0, 160.0, -1),
    (80.0, 220.0, 1), (150.0, 230.0, -1), (200.0, 220.0, 1), (130.0, 110.0, 1),
)  # fmt: skip


def ridge_image(
    shape: tuple[int, int] = SHAPE,
    period: float = PERIOD,
    singularities: tuple[tuple[float, float, int], ...] = SINGULARITIES,
    tilt: float = 0.35,
    noise: float = 6.0,
    seed: int = 0,
) -> npt.NDArray[np.uint8]:
    """Dark ridges on white paper inside an elliptical print area."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    # gently curved ridge flow so orientation varies over the print
    u = xx * np.cos(tilt) + yy * np.sin(tilt) + 0.0015 * (yy - h / 2) ** 2
    phase = 2 * np.pi * u / period
    for sx, sy, sign in singularities:
        phase += sign * np.arctan2(yy - sy, xx - sx)
    ridges = np.cos(phase)
    cy, cx = h / 2, w / 2
    r = ((xx - cx) / (0.42 * w)) ** 2 + ((yy - cy) / (0.44 * h)) ** 2
    inside = np.clip((1.15 - r) / 0.15, 0, 1)  # soft edge
    rng = np.random.default_rng(seed)
    gray = 255 - inside * (110 + 90 * ridges) + rng.normal(0, noise, shape)
    return np.clip(gray, 0, 255).astype(np.uint8)
