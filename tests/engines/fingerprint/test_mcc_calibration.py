"""The shipped score -> FMR table is monotone and its two directions agree."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from borderwatch.engines.fingerprint import calibration, mcc

BOTH = pytest.mark.parametrize("params", [mcc.DEFAULT_PARAMS, mcc.FAST_PARAMS], ids=str)


@BOTH
def test_threshold_and_fmr_are_inverse(params: mcc.MccParams) -> None:
    for fmr in (1e-2, 1e-3, 1e-4):
        t = calibration.threshold_for_fmr(fmr, params)
        assert calibration.fmr_for_score(t, params) == pytest.approx(fmr, rel=0.3)


@BOTH
def test_fmr_decreases_with_score(params: mcc.MccParams) -> None:
    scores = np.linspace(0, 0.2, 50)
    fmrs = [calibration.fmr_for_score(s, params) for s in scores]
    assert all(a >= b for a, b in itertools.pairwise(fmrs))
    assert fmrs[0] == pytest.approx(1.0)


@BOTH
def test_table_matches_fresh_impostors_of_its_parameters(params: mcc.MccParams) -> None:
    """Impostor pairs of another seed than the fit's cross the 1 % threshold about 1 % of
    the time: the table belongs to these parameters."""
    fresh = calibration._synthetic_impostors(4000, seed=7, params=params)
    share = float((fresh >= calibration.threshold_for_fmr(0.01, params)).mean())
    assert 0.004 <= share <= 0.025


def test_uncalibrated_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="no score calibration"):
        calibration.fmr_for_score(0.1, mcc.MccParams(ns=12))


def test_unsupported_fmr_is_refused() -> None:
    with pytest.raises(ValueError, match="below"):
        calibration.threshold_for_fmr(calibration.min_fmr() / 10)
    with pytest.raises(ValueError):
        calibration.threshold_for_fmr(0)


def test_fit_counts_the_tail() -> None:
    table = calibration.fit(np.arange(1000) / 1000)
    scores, fmr = np.array(table["scores"]), np.array(table["fmr"])
    assert fmr[np.searchsorted(scores, 0.9)] == pytest.approx(0.1, abs=0.002)
