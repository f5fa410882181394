"""Feature extraction: planted minutiae are found, geometry is respected, bad input is refused."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from borderwatch.engines.fingerprint.errors import FingerprintInputError, UnusableFingerError
from borderwatch.engines.fingerprint.features import (
    CLASSICAL,
    LEARNED,
    analyse,
    extract,
    extract_file,
)
from tests.engines.fingerprint.ridge_pattern import SINGULARITIES, ridge_image
from tests.shared_data import FVC2002, require

FVC = FVC2002


@pytest.fixture(scope="module")
def synthetic() -> npt.NDArray[np.uint8]:
    return ridge_image()


@pytest.fixture(scope="module")
def minutiae(synthetic: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    return analyse(synthetic).minutiae


def _matched(
    expected: npt.NDArray[np.float64], found: npt.NDArray[np.float64], dist: float, angle: float
) -> int:
    """How many expected (x, y, angle) rows have a found minutia within dist px and angle rad."""
    hits = 0
    for x, y, a in expected[:, :3]:
        d = np.hypot(found[:, 0] - x, found[:, 1] - y)
        da = np.abs((found[:, 2] - a + math.pi) % (2 * math.pi) - math.pi)
        hits += bool(np.any((d <= dist) & (da <= angle)))
    return hits


def test_planted_minutiae_are_found(minutiae: npt.NDArray[np.float64]) -> None:
    planted = np.array([(x, y, 0.0) for x, y, _ in SINGULARITIES])
    found = minutiae.copy()
    found[:, 2] = 0.0  # a phase spiral fixes where a minutia is, not which way it points
    assert _matched(planted, found, dist=6, angle=math.pi) >= len(SINGULARITIES) - 1
    assert len(minutiae) <= len(SINGULARITIES) + 3  # few spurious ones on clean ridges


def test_extraction_is_deterministic(synthetic: npt.NDArray[np.uint8]) -> None:
    a, b = extract(synthetic), extract(synthetic.copy())
    assert np.array_equal(a.as_array(), b.as_array())
    assert a.quality == b.quality


def test_template_fields(synthetic: npt.NDArray[np.uint8]) -> None:
    t = extract(synthetic, finger_position=3)
    h, w = synthetic.shape
    assert (t.width, t.height, t.finger_position) == (w, h, 3)
    assert np.all((t.angle >= 0) & (t.angle < 2 * math.pi))
    assert set(np.unique(t.kind)) <= {1, 2}
    assert np.all((t.minutia_quality >= 1) & (t.minutia_quality <= 100))
    assert 50 <= t.quality <= 100  # clean synthetic ridges over most of the image


def test_rotation_moves_minutiae_accordingly(
    synthetic: npt.NDArray[np.uint8], minutiae: npt.NDArray[np.float64]
) -> None:
    rotated = analyse(np.rot90(synthetic).copy()).minutiae  # 90 degrees counter-clockwise
    w = synthetic.shape[1]
    x, y, a = minutiae[:, 0], minutiae[:, 1], minutiae[:, 2]
    expected = np.column_stack([y, w - 1 - x, (a + math.pi / 2) % (2 * math.pi)])
    assert _matched(expected, rotated, dist=4, angle=math.radians(20)) >= 0.8 * len(minutiae)


def test_translation_moves_minutiae_accordingly(
    synthetic: npt.NDArray[np.uint8], minutiae: npt.NDArray[np.float64]
) -> None:
    dx, dy = 23, 14
    shifted = np.pad(synthetic, ((dy, 0), (dx, 0)), constant_values=255)[: -dy or None, :]
    moved = analyse(np.ascontiguousarray(shifted[:, :-dx])).minutiae
    expected = minutiae[:, :3] + [dx, dy, 0]
    inside = (expected[:, 0] < synthetic.shape[1] - 20) & (expected[:, 1] < synthetic.shape[0] - 20)
    assert _matched(expected[inside], moved, dist=3, angle=math.radians(15)) >= 0.8 * inside.sum()


def test_resolution_is_normalised_to_500ppi(synthetic: npt.NDArray[np.uint8]) -> None:
    big = np.asarray(Image.fromarray(synthetic).resize((576, 640), Image.Resampling.BICUBIC))
    t = extract(big, resolution_ppi=1000)
    assert (t.width, t.height) == (288, 320)
    planted = np.array([(x, y, 0.0) for x, y, _ in SINGULARITIES])
    found = t.as_array().astype(np.float64)
    found[:, 2] = 0
    assert _matched(planted, found, dist=6, angle=math.pi) >= len(SINGULARITIES) - 2


@pytest.mark.parametrize("value", [0, 255, 128])
def test_blank_image_is_refused_not_given_quality_zero(value: int) -> None:
    with pytest.raises(UnusableFingerError, match="no usable ridge area: the image is blank"):
        extract(np.full((300, 300), value, np.uint8))


def test_noise_is_refused_for_want_of_a_ridge_area(synthetic: npt.NDArray[np.uint8]) -> None:
    noise = np.random.default_rng(1).integers(0, 256, synthetic.shape).astype(np.uint8)
    with pytest.raises(UnusableFingerError, match=r"no usable ridge area: .* cover 0\.\d+% "):
        extract(noise)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((64, 64, 3), np.uint8), "2-D"),
        (np.zeros((10, 64), np.uint8), "64x10"),
        (np.full((64, 64), np.nan), "finite"),
        (np.full((64, 64), 300.0), "0..255"),
        (np.zeros((64, 64), bool), "bool"),
        (np.array([["a"] * 64] * 64), "numbers"),
    ],
)
def test_bad_arrays_are_rejected(image: npt.NDArray[np.generic], message: str) -> None:
    with pytest.raises(FingerprintInputError, match=message):
        extract(image)


def test_bad_finger_position_and_resolution(synthetic: npt.NDArray[np.uint8]) -> None:
    with pytest.raises(FingerprintInputError, match="finger position 11"):
        extract(synthetic, finger_position=11)
    with pytest.raises(FingerprintInputError, match="ppi"):
        extract(synthetic, resolution_ppi=0)


def test_extract_file_reads_png_and_wsq(synthetic: npt.NDArray[np.uint8], tmp_path: Path) -> None:
    import wsq  # noqa: F401  registers the WSQ writer

    Image.fromarray(synthetic).save(tmp_path / "f.png")
    Image.fromarray(synthetic).save(tmp_path / "f.wsq", format="WSQ")
    png, wsq_t = extract_file(tmp_path / "f.png", 2), extract_file(tmp_path / "f.wsq", 2)
    assert png.finger_position == wsq_t.finger_position == 2
    assert _matched(png.as_array().astype(float), wsq_t.as_array().astype(float), 4, 0.4) >= 6
    (tmp_path / "bad.wsq").write_bytes((tmp_path / "f.wsq").read_bytes()[:300])
    with pytest.raises(FingerprintInputError, match=r"bad\.wsq"):
        extract_file(tmp_path / "bad.wsq")


def test_engine_import_does_not_load_keras_or_torch() -> None:
    code = (
        "import sys, borderwatch.engines.fingerprint.features, borderwatch.engines.fingerprint.nist;"
        "sys.exit(bool({'keras', 'torch', 'pyfing'} & set(sys.modules)))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603


def test_learned_pipeline_finds_planted_minutiae(synthetic: npt.NDArray[np.uint8]) -> None:
    found = analyse(synthetic, pipeline=LEARNED).minutiae
    planted = np.array([(x, y, 0.0) for x, y, _ in SINGULARITIES])
    found[:, 2] = 0
    assert _matched(planted, found, dist=6, angle=math.pi) >= len(SINGULARITIES) - 1


def test_fvc_genuine_pairs_outscore_impostors() -> None:
    require(FVC, "FVC2002 images")
    from borderwatch.engines.fingerprint import mcc

    def t(name: str) -> mcc.Cylinders:
        return mcc.encode(extract_file(FVC / "DB1_B" / f"{name}.tif", pipeline=CLASSICAL))

    c = {n: t(n) for n in ("101_1", "101_2", "102_1", "102_2", "103_1", "103_2")}
    genuine = [mcc.similarity(c[f"{f}_1"], c[f"{f}_2"]) for f in (101, 102, 103)]
    impostor = [
        mcc.similarity(c[a], c[b])
        for a, b in (("101_1", "102_1"), ("101_1", "103_1"), ("102_2", "103_2"))
    ]
    assert min(genuine) > max(impostor)
