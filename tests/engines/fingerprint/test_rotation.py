"""A print matches at any rotation, upside-down included (issue 18, item 5).

Real FVC2002 prints, the image rotated before extraction (Pillow, white paper in the corners),
compared with an unrotated impression of the same finger and of another finger.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from PIL import Image

from borderwatch.engines.fingerprint import calibration, mcc, synthetic
from borderwatch.engines.fingerprint.features import extract
from borderwatch.engines.fingerprint.template import Template
from tests.shared_data import FVC2002, require

ANGLES = (0, 45, 90, 135, 180, 270)
HIT_FMR = 1e-4  # settings.IDENTIFICATION_FMR's default: the registration hit threshold


def _image(name: str, degrees: int = 0) -> np.ndarray:
    img = Image.open(require(FVC2002 / "DB1_B" / f"{name}.tif", "FVC2002 images")).convert("L")
    if degrees:
        img = img.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    return np.asarray(img)


@pytest.fixture(scope="module")
def reference() -> dict[str, mcc.Cylinders]:
    return {n: mcc.encode(extract(_image(n))) for n in ("101_1", "102_1")}


@pytest.mark.parametrize("degrees", ANGLES)
def test_rotated_print_matches_its_finger_and_not_another(
    reference: dict[str, mcc.Cylinders], degrees: int
) -> None:
    hit = calibration.threshold_for_fmr(HIT_FMR)
    probe = mcc.encode(extract(_image("101_2", degrees)))
    genuine = mcc.similarity(reference["101_1"], probe)
    impostor = mcc.similarity(reference["102_1"], probe)
    assert genuine > hit > impostor, (degrees, genuine, hit, impostor)


def _turned(t: Template, phi: float) -> Template:
    """Minutiae rotated counter-clockwise by phi about the image centre (y down)."""
    cx, cy = t.width / 2, t.height / 2
    c, s = math.cos(phi), math.sin(phi)
    x, y = t.x - cx, -(t.y - cy)
    xr, yr = c * x - s * y + cx, -(s * x + c * y) + cy
    return Template.from_arrays(np.c_[xr, yr, t.angle + phi], width=t.width, height=t.height)


@pytest.mark.parametrize("degrees", [100, 135, 180, 225])
def test_past_ninety_degrees_the_score_is_the_upright_one_weighted(degrees: int) -> None:
    """The pairs are found at any rotation; a rotation found by vote counts at TURNED_WEIGHT
    (a prior for upright captures, which keeps impostors from gaining by the freedom)."""
    a, b = synthetic.impression(5, 0, 2, 0), synthetic.impression(5, 0, 2, 1)
    upright = mcc.compare(a, b)
    turned = mcc.compare(a, _turned(b, math.radians(degrees)))
    assert turned == pytest.approx(mcc.TURNED_WEIGHT * upright, abs=0.01)


@pytest.mark.parametrize("degrees", [-60, 30, 300])
def test_within_the_upright_gate_the_score_is_unchanged(degrees: int) -> None:
    a, b = synthetic.impression(5, 0, 2, 0), synthetic.impression(5, 0, 2, 1)
    upright = mcc.compare(a, b)
    assert mcc.compare(a, _turned(b, math.radians(degrees))) == pytest.approx(upright, abs=0.01)


def test_the_papers_upright_gate_is_still_available() -> None:
    """any_rotation=False is MCC as published: an upside-down print is an impostor."""
    paper = dataclasses.replace(mcc.DEFAULT_PARAMS, any_rotation=False)
    a, b = synthetic.impression(5, 0, 2, 0), synthetic.impression(5, 0, 2, 1)
    assert mcc.compare(a, b, paper) > 0.1
    assert mcc.compare(a, _turned(b, math.pi), paper) < 0.02
