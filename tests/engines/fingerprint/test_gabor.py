"""Contextual Gabor filtering gives pyfing's enhancement (to a grey level on a rare pixel)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from borderwatch.engines.fingerprint import gabor, pyfing_backend
from borderwatch.engines.fingerprint.features import RESOLUTION_PPI, _segment
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.shared_data import FVC2002, require


def _bank() -> list[np.ndarray]:
    return list(pyfing_backend.algorithm("GBFEN")._gabor_bank)


def test_each_pixel_gets_its_filters_response() -> None:
    bank = _bank()
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (70, 90)).astype(np.uint8)
    index = rng.integers(0, len(bank), image.shape)
    out = gabor.contextual_filter(image, bank, index)
    for k in np.unique(index):
        whole = cv2.filter2D(image, -1, bank[k])  # border: reflect 101, as contextual_filter
        diff = np.abs(out[index == k].astype(int) - whole[index == k])
        assert diff.max() <= 1
        assert (diff > 0).mean() < 0.001


def test_negative_index_leaves_the_pixel_unfiltered() -> None:
    bank = _bank()
    image = np.full((40, 40), 200, np.uint8)
    index = np.full(image.shape, -1)
    assert not gabor.contextual_filter(image, bank, index).any()


def test_bad_banks_are_refused() -> None:
    image = np.zeros((10, 10), np.uint8)
    index = np.zeros((10, 10), np.int32)
    with pytest.raises(ValueError, match="odd"):
        gabor.contextual_filter(image, [np.ones((4, 4), np.float32)], index)
    with pytest.raises(ValueError, match="point-symmetric"):
        gabor.contextual_filter(image, [np.arange(9, dtype=np.float32).reshape(3, 3)], index)
    with pytest.raises(ValueError, match="range"):
        gabor.contextual_filter(image, [np.ones((3, 3), np.float32)], index + 1)


@pytest.mark.parametrize("source", ["synthetic", "fvc"])
def test_enhancement_equals_pyfings_inside_the_print(source: str) -> None:
    if source == "fvc":
        from PIL import Image

        path = require(FVC2002 / "DB1_B" / "101_1.tif", "FVC2002 images")
        pixels = np.asarray(Image.open(path).convert("L"))
    else:
        pixels = ridge_image()
    alg = pyfing_backend.algorithm
    with pyfing_backend.inference():
        mask = _segment(pixels, "GMFS")
        orientation = alg("GBFOE").run(pixels, mask, RESOLUTION_PPI)[0]
        period = alg("XSFFE").run(pixels, mask, orientation, RESOLUTION_PPI)
        ours = alg("GBFEN").run(pixels, mask, orientation, period, RESOLUTION_PPI)
        theirs = (
            pyfing_backend.pyfing().Gbfen().run(pixels, mask, orientation, period, RESOLUTION_PPI)
        )
    inside = mask > 0
    # the two halves of a symmetric filter are summed in another order than OpenCV's: a sum
    # on a rounding boundary may land one grey level away, in a pixel or two per image
    diff = np.abs(ours[inside].astype(int) - theirs[inside])
    assert diff.max() <= 1
    assert (diff > 0).sum() <= inside.sum() // 10_000
    assert not ours[~inside].any()
