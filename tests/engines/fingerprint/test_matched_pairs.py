from __future__ import annotations

import numpy as np
import pytest

from borderwatch.engines.fingerprint import mcc, synthetic
from borderwatch.engines.fingerprint.pairs import matched_pairs


def test_pairs_of_a_genuine_comparison_explain_the_matcher_score() -> None:
    a = synthetic.impression(11, 3, 2, 0)
    b = synthetic.impression(11, 3, 2, 1)
    score, pairs = matched_pairs(a, b)
    assert score == pytest.approx(mcc.compare(a, b), abs=0.01)
    assert len(pairs) >= 4
    strengths = [p.strength for p in pairs]
    assert strengths == sorted(strengths, reverse=True)
    # every pair's points are minutiae of the two templates (y-down template coordinates)
    for p in pairs:
        assert np.min(np.hypot(a.x - p.xa, a.y - p.ya)) < 0.01
        assert np.min(np.hypot(b.x - p.xb, b.y - p.yb)) < 0.01


def test_impostor_pairs_score_low() -> None:
    a = synthetic.impression(11, 3, 2, 0)
    b = synthetic.impression(11, 4, 2, 0)
    score, _ = matched_pairs(a, b)
    genuine, _ = matched_pairs(a, synthetic.impression(11, 3, 2, 1))
    assert score == pytest.approx(mcc.compare(a, b), abs=0.01)
    assert score < genuine / 2


@pytest.mark.parametrize("params", [mcc.MccParams(max_nr=0), mcc.MccParams(max_nr=6)], ids=str)
def test_pairs_follow_the_relaxation_cap(params: mcc.MccParams) -> None:
    a = synthetic.impression(11, 3, 2, 0)
    b = synthetic.impression(11, 3, 2, 1)
    score, _ = matched_pairs(a, b, params)
    assert score == pytest.approx(mcc.compare(a, b, params), abs=0.01)
