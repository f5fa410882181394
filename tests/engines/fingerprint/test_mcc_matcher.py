"""MCC 1:1 properties: self-match best, rigid-motion invariance, genuine above impostor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from borderwatch.engines.fingerprint import mcc, synthetic
from borderwatch.engines.fingerprint.template import Template


def _moved(t: Template, phi: float, dx: float, dy: float) -> Template:
    """The same finger rotated counter-clockwise by phi about the image centre and shifted."""
    cx, cy = t.width / 2, t.height / 2
    c, s = math.cos(phi), math.sin(phi)
    x, y = t.x - cx, -(t.y - cy)
    xr, yr = c * x - s * y + cx + dx, -(s * x + c * y) + cy + dy
    return Template.from_arrays(np.c_[xr, yr, t.angle + phi], width=t.width, height=t.height)


@pytest.fixture(scope="module")
def fingers() -> list[Template]:
    return [synthetic.impression(5, s, 2, i) for s in range(6) for i in range(2)]


def test_template_matches_itself_best(fingers: list[Template]) -> None:
    cyl = [mcc.encode(t) for t in fingers]
    for i, a in enumerate(cyl):
        scores = [mcc.similarity(a, b) for b in cyl]
        assert int(np.argmax(scores)) == i
        assert scores[i] > 0.9


@pytest.mark.parametrize(("phi", "dx", "dy"), [(0.5, 0, 0), (-1.2, 30, -20), (0.9, -15, 40)])
def test_score_is_invariant_to_rotation_and_translation(
    fingers: list[Template], phi: float, dx: float, dy: float
) -> None:
    # rotations past 90 degrees (upside down): test_rotation.py
    a, b = fingers[0], fingers[1]
    before = mcc.compare(a, b)
    after = mcc.compare(a, _moved(b, phi, dx, dy))
    assert after == pytest.approx(before, abs=0.01)
    assert mcc.compare(a, _moved(a, phi, dx, dy)) == pytest.approx(mcc.compare(a, a), abs=0.01)


def test_genuine_pairs_score_above_impostor_pairs(fingers: list[Template]) -> None:
    cyl = [mcc.encode(t) for t in fingers]
    genuine = [mcc.similarity(cyl[i], cyl[i + 1]) for i in range(0, len(cyl), 2)]
    impostor = [
        mcc.similarity(cyl[i], cyl[j])
        for i in range(0, len(cyl), 2)
        for j in range(0, len(cyl), 2)
        if i != j
    ]
    assert min(genuine) > max(impostor)


def test_empty_and_tiny_templates_score_zero() -> None:
    empty = Template.from_arrays(np.zeros((0, 3)), width=300, height=300)
    one = Template.from_arrays([[100, 100, 1.0]], width=300, height=300)
    assert mcc.compare(empty, empty) == 0.0
    assert mcc.compare(one, one) == 0.0


def test_score_many_agrees_with_similarity(fingers: list[Template]) -> None:
    cyl = [mcc.encode(t) for t in fingers]
    off = np.concatenate([[0], np.cumsum([len(c) for c in cyl])]).astype(np.int64)
    bits = np.concatenate([c.bits for c in cyl])
    mask = np.concatenate([c.mask for c in cyl])
    geo = np.concatenate([c.geometry for c in cyl])
    rows = np.array([3, 0, 7], dtype=np.int64)
    got = mcc.score_many(cyl[0], bits, mask, geo, off, rows)
    want = [mcc.similarity(cyl[0], cyl[r]) for r in rows]
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_cylinders_from_other_parameters_are_refused(fingers: list[Template]) -> None:
    small = mcc.encode(fingers[0], mcc.MccParams(ns=8))
    with pytest.raises(ValueError, match="expected"):
        mcc.similarity(small, mcc.encode(fingers[1]))


def test_uncapped_relaxation_is_the_papers_min_na_nb(fingers: list[Template]) -> None:
    # max_nr=0 means nR = min(nA, nB); a cap above every template's size must change nothing.
    paper = mcc.MccParams(max_nr=0)
    loose = mcc.MccParams(max_nr=10_000)
    a, b = fingers[0], fingers[1]
    assert mcc.compare(a, b, loose) == pytest.approx(mcc.compare(a, b, paper), abs=1e-12)


@pytest.mark.parametrize(
    "params", [mcc.DEFAULT_PARAMS, mcc.FAST_PARAMS, mcc.MccParams(max_nr=4)], ids=str
)
def test_every_parameter_set_keeps_genuine_above_impostor(
    fingers: list[Template], params: mcc.MccParams
) -> None:
    cyl = [mcc.encode(t, params) for t in fingers]
    for i, a in enumerate(cyl):
        scores = [mcc.similarity(a, b, params) for b in cyl]
        assert int(np.argmax(scores)) == i
        mate = i + 1 if i % 2 == 0 else i - 1
        others = [s for j, s in enumerate(scores) if j not in (i, mate)]
        assert scores[mate] > max(others)


def test_a_relaxation_cap_changes_the_score(fingers: list[Template]) -> None:
    # The cap is live: keeping only 2 pairs scores a genuine pair differently from 16.
    a, b = fingers[0], fingers[1]
    assert mcc.compare(a, b, mcc.MccParams(max_nr=2)) != mcc.compare(a, b)
