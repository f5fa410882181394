"""The shipped score -> FMR table is monotone and its two directions agree."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from borderwatch.engines.fingerprint import calibration


def test_threshold_and_fmr_are_inverse() -> None:
    for fmr in (1e-2, 1e-3, 1e-4):
        t = calibration.threshold_for_fmr(fmr)
        assert calibration.fmr_for_score(t) == pytest.approx(fmr, rel=0.3)


def test_fmr_decreases_with_score() -> None:
    scores = np.linspace(0, 0.2, 50)
    fmrs = [calibration.fmr_for_score(s) for s in scores]
    assert all(a >= b for a, b in itertools.pairwise(fmrs))
    assert fmrs[0] == pytest.approx(1.0)


def test_unsupported_fmr_is_refused() -> None:
    with pytest.raises(ValueError, match="below"):
        calibration.threshold_for_fmr(calibration.min_fmr() / 10)
    with pytest.raises(ValueError):
        calibration.threshold_for_fmr(0)


def test_fit_counts_the_tail() -> None:
    table = calibration.fit(np.arange(1000) / 1000)
    scores, fmr = np.array(table["scores"]), np.array(table["fmr"])
    assert fmr[np.searchsorted(scores, 0.9)] == pytest.approx(0.1, abs=0.002)
