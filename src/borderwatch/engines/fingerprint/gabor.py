"""Contextual filtering: each pixel convolved with its own filter only.

pyfing's GBFEN enhancement picks, for every pixel, one Gabor filter of a bank (12 orientations
x 7 ridge periods) and keeps that filter's response there. OpenCV has no contextual
convolution, so pyfing filters the whole image with every filter the print needs (about 40)
and throws most of each result away: two thirds of an extraction's time. This computes only
the response each pixel keeps, the same sum as cv2.filter2D (correlation, kernel centred,
border reflected without repeating the edge, result rounded and saturated to 0..255), in one
pass with numba; summed in another order, a value on a rounding boundary may come out one grey
level away (a pixel or two per image). docs/decisions/fingerprint-rotation-extraction.md has the figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numba as nb
import numpy as np
import numpy.typing as npt


def contextual_filter(
    image: npt.NDArray[np.uint8],
    bank: Sequence[npt.NDArray[np.float32]],
    index: npt.NDArray[np.integer],
) -> npt.NDArray[np.uint8]:
    """out[y, x] = filter2D(image, bank[index[y, x]])[y, x], rounded and clipped to uint8.

    Filters are square with odd sides, centred (as pyfing's Gabor bank and OpenCV's default
    anchor) and point-symmetric, f[i, j] == f[-1 - i, -1 - j] (a Gabor filter of cosine phase
    is): the two halves share one pass. A negative index leaves the pixel 0, unfiltered."""
    if image.ndim != 2 or index.shape != image.shape:
        raise ValueError(
            f"image {image.shape} and filter index {index.shape} must be one 2-D shape"
        )
    sides = [int(f.shape[0]) for f in bank]
    if any(f.ndim != 2 or f.shape[0] != f.shape[1] or f.shape[0] % 2 == 0 for f in bank):
        raise ValueError("filters must be square with an odd side")
    if any(not np.array_equal(f, f[::-1, ::-1]) for f in bank):
        raise ValueError("filters must be point-symmetric")
    idx = np.ascontiguousarray(index, dtype=np.int32)
    if idx.size and idx.max() >= len(bank):
        raise ValueError("filter index out of the bank's range")
    pad = max(sides) // 2
    packed = np.zeros((len(bank), 2 * pad + 1, 2 * pad + 1), dtype=np.float32)
    for k, f in enumerate(bank):
        r = f.shape[0] // 2
        packed[k, pad - r : pad + r + 1, pad - r : pad + r + 1] = f
    half = np.array([s // 2 for s in sides], dtype=np.int32)
    # numpy's "reflect" is OpenCV's BORDER_REFLECT_101 (the default of filter2D)
    padded = np.pad(image.astype(np.float32), pad, mode="reflect")
    return np.asarray(_contextual(padded, packed, half, idx, pad))


@nb.njit(cache=True, fastmath=True)
def _contextual(
    padded: npt.NDArray[np.float32],
    bank: npt.NDArray[np.float32],
    half: npt.NDArray[np.int32],
    index: npt.NDArray[np.int32],
    pad: int,
) -> npt.NDArray[np.uint8]:
    h, w = index.shape
    out = np.zeros((h, w), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            k = index[y, x]
            if k < 0:
                continue
            r = half[k]
            n = 2 * r + 1
            cy = y + pad
            cx = x + pad
            # point-symmetric filters (Gabor, cosine phase): rows dy and -dy share one pass
            acc = bank[k, pad, pad] * padded[cy, cx]
            for dx in range(1, r + 1):
                acc += bank[k, pad, pad + dx] * (padded[cy, cx + dx] + padded[cy, cx - dx])
            for dy in range(1, r + 1):
                krow = bank[k, pad + dy, pad - r : pad + r + 1]
                below = padded[cy + dy, cx - r : cx + r + 1]
                above = padded[cy - dy, cx - r : cx + r + 1]
                for j in range(n):
                    acc += krow[j] * (below[j] + above[n - 1 - j])
            v = np.rint(acc)
            out[y, x] = 0 if v < 0.0 else (255 if v > 255.0 else np.uint8(v))
    return out
