"""FNIR at FPIR and the KS statistic of bench/fingerprint_real.py on hand-made scores."""

import numpy as np
import pytest
from bench.fingerprint_real import fnir_at_fpir, ks_statistic, threshold_for_fpir


def test_threshold_lets_through_at_most_the_allowed_share() -> None:
    non = np.array([0.9, 0.5, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1, 0.0, 0.0])
    # 10 % of 10 searches: one may return a candidate, so the threshold is just above 0.5
    t = threshold_for_fpir(non, 0.10)
    assert 0.5 < t < 0.5001
    assert (non >= t).sum() == 1
    # 1 % of 10 searches is less than one: just above the highest non-mated score
    assert 0.9 < threshold_for_fpir(non, 0.01) < 0.9001


def test_fnir_counts_mates_below_threshold_and_missing_mates() -> None:
    non = np.array([0.9, 0.5, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1, 0.0, 0.0])
    mated = np.array([0.95, 0.6, 0.5, -np.inf])  # 0.5 is not above the threshold; -inf: not listed
    fnir, t, reached = fnir_at_fpir(mated, non, 0.10)
    assert 0.5 < t < 0.5001
    assert fnir == pytest.approx(0.5)
    assert reached == pytest.approx(0.1)
    fnir, t, reached = fnir_at_fpir(mated, non, 0.001)
    assert 0.9 < t < 0.9001
    assert fnir == pytest.approx(0.75)
    assert reached == 0.0


def test_ties_at_the_threshold_do_not_exceed_the_fpir() -> None:
    non = np.array([0.5, 0.5, 0.1, 0.1])
    t = threshold_for_fpir(non, 0.25)  # one allowed, but two tie at 0.5: neither gets through
    assert (non >= t).mean() == 0.0


def test_ks_statistic() -> None:
    assert ks_statistic(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert ks_statistic(np.array([0.0, 1.0]), np.array([2.0, 3.0])) == 1.0
    assert ks_statistic(np.array([0.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(0.5)
