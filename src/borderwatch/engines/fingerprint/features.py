"""Features of one finger: segmentation, orientation, ridge period, enhancement, minutiae, quality.

The image-processing stages are pyfing's (classical and learned methods by R. Cappelli); which
method runs at each stage is a `Pipeline`, chosen by measurement on FVC2002 (see
docs/decisions/fingerprint-features.md). This module adapts pyfing's output to the engine's
Template conventions and adds a per-finger quality score. Everything runs at 500 ppi.

Bounded work (docs/decisions/fingerprint-upload-limits.md): an image larger than a finger
(images.MAX_FINGER_INCHES) is refused before resampling; one without a usable ridge area (blank,
noise, too small a print) is refused right after segmentation, before the costly stages; SBMEX
keeps at most pyfing_backend.MAX_CANDIDATES minutiae per skeleton before its quadratic steps, and
a template at most MAX_MINUTIAE. No template of quality 0 comes out: it is refused instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from borderwatch.engines.fingerprint import pyfing_backend
from borderwatch.engines.fingerprint.errors import FingerprintInputError, UnusableFingerError
from borderwatch.engines.fingerprint.images import (
    check_finger_size,
    check_pixels,
    load_image,
    resample_to_500ppi,
)
from borderwatch.engines.fingerprint.template import (
    BIFURCATION,
    ENDING,
    MAX_MINUTIAE,
    OTHER,
    RESOLUTION_PPI,
    Template,
)

_KINDS = {"E": ENDING, "B": BIFURCATION}
# A plain impression at 500 ppi covers ~60,000 px (e.g. 240 x 250); less print means less evidence.
FULL_AREA_PX = 60_000
MIN_MINUTIAE = 6  # fewer cannot identify anyone: the finger gets quality 0
BLOCK = 16  # block size (px at 500 ppi) for the ridge clarity measure
# SBMEX minutia quality cut; pyfing's default 0.3 drops too many true minutiae (measured).
SBMEX_QUALITY_THRESHOLD = 0.05
# Usable ridge area: 16 x 16 blocks mostly inside the print whose orientation coherence is at least
# RIDGE_COHERENCE. Uniform noise reaches 0.33 in a rare block (0.10 on average), genuine FVC2002
# prints 0.35..0.81 on average; their usable area is 17,000 px at the least (of 320 images).
RIDGE_COHERENCE = 0.3
MIN_RIDGE_AREA_PX = 10_000  # at 500 ppi: 0.04 sq in, e.g. 5 x 5 mm of clear ridges


@dataclass(frozen=True)
class Pipeline:
    """pyfing method per stage. minutiae="LEADER" skips enhancement (end-to-end network).

    `minutia_quality_threshold` is SBMEX's cut on its own minutia quality (pyfing's default
    0.3); 0.05 keeps more minutiae and cut our EER on FVC2002 by 20-55 % per set
    (docs/decisions/fingerprint-features.md).
    """

    segmentation: str = "GMFS"
    orientation: str = "GBFOE"
    frequency: str = "XSFFE"
    enhancement: str = "GBFEN"
    minutiae: str = "SBMEX"
    minutia_quality_threshold: float = SBMEX_QUALITY_THRESHOLD

    def __post_init__(self) -> None:
        choices = {
            "segmentation": ("GMFS", "SUFS"),
            "orientation": ("GBFOE", "SNFOE"),
            "frequency": ("XSFFE", "SNFFE"),
            "enhancement": ("GBFEN", "SNFEN"),
            "minutiae": ("SBMEX", "LEADER"),
        }
        for stage, allowed in choices.items():
            if getattr(self, stage) not in allowed:
                raise ValueError(f"{stage} method {getattr(self, stage)!r} is not one of {allowed}")
        if not 0.0 <= self.minutia_quality_threshold < 1.0:
            raise ValueError("minutia_quality_threshold must be in [0, 1)")


CLASSICAL = Pipeline()
LEARNED = Pipeline("SUFS", "SNFOE", "SNFFE", "SNFEN", "SBMEX")
END_TO_END = Pipeline("SUFS", minutiae="LEADER")
PIPELINES = {"classical": CLASSICAL, "learned": LEARNED, "end-to-end": END_TO_END}
DEFAULT_PIPELINE = CLASSICAL


@dataclass(frozen=True)
class Features:
    """Every stage's output, kept for inspection, tests and the quality score."""

    image: npt.NDArray[np.uint8]
    mask: npt.NDArray[np.bool_]
    orientation: npt.NDArray[np.float32] | None  # radians, ridge direction per pixel
    ridge_period: npt.NDArray[np.float32] | None  # pixels per ridge cycle
    enhanced: npt.NDArray[np.uint8] | None
    minutiae: npt.NDArray[np.float64] = field(repr=False)  # (n, 5) x, y, angle, kind, quality
    quality: int = 0


def extract(
    image: npt.ArrayLike,
    resolution_ppi: float = RESOLUTION_PPI,
    finger_position: int = 0,
    *,
    pipeline: Pipeline = DEFAULT_PIPELINE,
) -> Template:
    """Template of one finger from a grayscale image (dark ridges on light paper).

    Raises ImageTooLargeError for an image larger than a finger, UnusableFingerError for one
    without a usable ridge area or with too few minutiae (never a template of quality 0).
    """
    if not 0 <= finger_position <= 10:
        raise FingerprintInputError(f"finger position {finger_position} is not 0..10")
    raw = as_grayscale(image)
    check_finger_size(raw.shape[1], raw.shape[0], resolution_ppi)
    pixels = resample_to_500ppi(raw, resolution_ppi)
    f = analyse(pixels, pipeline=pipeline)
    h, w = pixels.shape
    return Template.from_arrays(
        f.minutiae.reshape(-1, 5),
        width=w,
        height=h,
        quality=f.quality,
        finger_position=finger_position,
    )


def extract_file(
    path: str | Path,
    finger_position: int = 0,
    *,
    resolution_ppi: float | None = None,
    pipeline: Pipeline = DEFAULT_PIPELINE,
) -> Template:
    """Template from a PNG, BMP, TIFF or WSQ file; `resolution_ppi` overrides the file's own."""
    img = load_image(path, resolution_ppi=resolution_ppi)
    return extract(img.pixels, img.resolution_ppi, finger_position, pipeline=pipeline)


def as_grayscale(image: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """Validate a caller's array: 2-D, finite, 0..255, of a size a finger can have."""
    arr = np.asarray(image)
    if arr.ndim != 2:
        raise FingerprintInputError(f"expected a 2-D grayscale image, got shape {arr.shape}")
    h, w = arr.shape
    check_pixels(w, h)
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        raise FingerprintInputError(f"image pixels must be numbers 0..255, not {arr.dtype}")
    if not np.all(np.isfinite(arr)) or arr.min() < 0 or arr.max() > 255:
        raise FingerprintInputError("image pixels must be finite values in 0..255")
    return np.ascontiguousarray(np.rint(arr).astype(np.uint8))


def analyse(pixels: npt.NDArray[np.uint8], *, pipeline: Pipeline = DEFAULT_PIPELINE) -> Features:
    """Run every stage on a 500 ppi image.

    Raises UnusableFingerError, before the costly stages, for an image without a usable ridge
    area (blank, noise, too small a print), and after them for one with too few minutiae.
    """
    pixels = as_grayscale(pixels)
    h, w = pixels.shape
    check_finger_size(w, h, RESOLUTION_PPI)
    if int(pixels.max()) - int(pixels.min()) < 8:  # flat: no ridges can be there
        raise UnusableFingerError("no usable ridge area: the image is blank (one flat shade)")
    alg = pyfing_backend.algorithm
    with pyfing_backend.inference():
        mask_u8 = _segment(pixels, pipeline.segmentation)
        check_ridge_area(pixels, mask_u8 > 0)
        if pipeline.minutiae == "LEADER":
            raw = alg("LEADER").run(pixels, RESOLUTION_PPI)
            orientation = period = enhanced = None
        else:
            orientation = alg(pipeline.orientation).run(pixels, mask_u8, RESOLUTION_PPI)[0]
            period = alg(pipeline.frequency).run(pixels, mask_u8, orientation, RESOLUTION_PPI)
            enhanced = alg(pipeline.enhancement).run(
                pixels, mask_u8, orientation, period, RESOLUTION_PPI
            )
            sbmex = alg("SBMEX", minutia_quality_threshold=pipeline.minutia_quality_threshold)
            raw = sbmex.run(enhanced, mask_u8, RESOLUTION_PPI)
    mask = mask_u8 > 0
    minutiae = _to_template_minutiae(raw, mask)
    quality = finger_quality(pixels, mask, len(minutiae))
    if len(minutiae) < MIN_MINUTIAE:
        raise UnusableFingerError(
            f"too few minutiae: {len(minutiae)} found, at least {MIN_MINUTIAE} are needed"
        )
    if quality == 0:
        raise UnusableFingerError("no usable ridge area: the ridges are too unclear (quality 0)")
    return Features(pixels, mask, orientation, period, enhanced, minutiae, quality)


def ridge_area(pixels: npt.NDArray[np.uint8], mask: npt.NDArray[np.bool_]) -> int:
    """Pixels of clear ridges: BLOCK x BLOCK blocks mostly inside the mask whose orientation
    coherence is at least RIDGE_COHERENCE (noise has no common direction, blank has none)."""
    if not mask.any():
        return 0
    inside = _block_mean(mask.astype(np.float64)) > 0.5
    clear = _block_coherence(pixels) >= RIDGE_COHERENCE
    return int((inside & clear).sum()) * BLOCK * BLOCK


def check_ridge_area(pixels: npt.NDArray[np.uint8], mask: npt.NDArray[np.bool_]) -> None:
    """Refuse an image with less than MIN_RIDGE_AREA_PX of clear ridges, naming how much."""
    area = ridge_area(pixels, mask)
    if area < MIN_RIDGE_AREA_PX:
        share = 100 * area / pixels.size
        raise UnusableFingerError(
            f"no usable ridge area: clear ridges cover {share:.1f}% of the image "
            f"({area:,} px at {RESOLUTION_PPI} ppi; at least {MIN_RIDGE_AREA_PX:,} px, "
            "about 5 x 5 mm, are needed)"
        )


def finger_quality(
    pixels: npt.NDArray[np.uint8], mask: npt.NDArray[np.bool_], n_minutiae: int
) -> int:
    """0..100 from how much print there is and how clear its ridges are.

    Area: foreground pixels against a full plain impression (square root: the first half of a
    print matters more than the rest). Clarity: mean ridge-orientation coherence of the
    foreground blocks, 0.25 (noise) to 0.75 (clean parallel ridges) mapped to 0..1.
    Too few minutiae to identify anyone gives 0 whatever the image looks like.
    """
    area = int(mask.sum())
    if area == 0 or n_minutiae < MIN_MINUTIAE:
        return 0
    area_score = min(1.0, math.sqrt(area / FULL_AREA_PX))
    coherence = _block_coherence(pixels)
    fg_blocks = _block_mean(mask.astype(np.float64)) > 0.75
    if not fg_blocks.any():
        return 0
    clarity = float(np.clip((coherence[fg_blocks].mean() - 0.25) / 0.5, 0.0, 1.0))
    return round(100 * area_score * clarity)


def _segment(pixels: npt.NDArray[np.uint8], method: str) -> npt.NDArray[np.uint8]:
    seg = pyfing_backend.algorithm(method)
    seg.parameters.image_dpi = RESOLUTION_PPI
    mask = np.asarray(seg.run(pixels))
    return np.where(mask > 0, 255, 0).astype(np.uint8)


def _to_template_minutiae(raw: list[Any], mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """pyfing minutiae to (x, y, angle, kind, quality) rows, in a deterministic order.

    pyfing measures direction as atan2(-dy, dx) along the ridge leaving the minutia, i.e.
    counter-clockwise from the x axis as seen, which is the Template convention already.
    """
    rows = []
    h, w = mask.shape
    for m in raw:
        x, y, direction, kind, q = m
        xi, yi = round(float(x)), round(float(y))
        if not (0 <= xi < w and 0 <= yi < h) or not mask[yi, xi]:
            continue  # end-to-end networks may answer in the background
        quality = int(np.clip(round(float(q) * 100), 1, 100))  # 0 would mean "unknown"
        rows.append(
            (float(x), float(y), float(direction) % (2 * math.pi), _KINDS.get(kind, OTHER), quality)
        )
    if not rows:
        return np.zeros((0, 5))
    arr = np.array(rows, dtype=np.float64)
    arr = arr[np.lexsort((arr[:, 2], arr[:, 0], arr[:, 1]))]
    if len(arr) > MAX_MINUTIAE:  # the best by quality, then in reading order
        keep = np.sort(np.argsort(-arr[:, 4], kind="stable")[:MAX_MINUTIAE])
        arr = arr[keep]
    return arr


def _block_coherence(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """Per-block coherence of the gradient structure tensor: 1 for parallel ridges, 0 for noise."""
    img = pixels.astype(np.float64)
    gx = ndimage.sobel(img, axis=1)
    gy = ndimage.sobel(img, axis=0)
    gxx, gyy, gxy = _block_mean(gx * gx), _block_mean(gy * gy), _block_mean(gx * gy)
    num = np.sqrt((gxx - gyy) ** 2 + 4 * gxy**2)
    den = gxx + gyy
    return np.divide(num, den, out=np.zeros_like(num), where=den > 1e-9)


def _block_mean(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    h, w = a.shape
    hb, wb = h // BLOCK, w // BLOCK
    a = a[: hb * BLOCK, : wb * BLOCK]
    return np.asarray(a.reshape(hb, BLOCK, wb, BLOCK).mean(axis=(1, 3)), dtype=np.float64)
