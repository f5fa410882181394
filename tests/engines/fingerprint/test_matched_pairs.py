"""The pairs an expert sees come from the matcher's own kernel, so they explain its score."""

from __future__ import annotations

import numpy as np
import pytest

from borderwatch.engines.fingerprint import mcc, synthetic
from borderwatch.engines.fingerprint.template import Template


def _pair_of_prints(genuine: bool) -> tuple[Template, Template]:
    a = synthetic.impression(11, 3, 2, 0)
    b = synthetic.impression(11, 3, 2, 1) if genuine else synthetic.impression(11, 4, 2, 0)
    return a, b


@pytest.mark.parametrize("genuine", [True, False], ids=["genuine", "impostor"])
@pytest.mark.parametrize(
    "params", [mcc.DEFAULT_PARAMS, mcc.MccParams(max_nr=0), mcc.MccParams(max_nr=6)], ids=str
)
def test_the_score_with_the_pairs_is_the_matchers_score(
    genuine: bool, params: mcc.MccParams
) -> None:
    a, b = _pair_of_prints(genuine)
    score, pairs = mcc.matched_pairs(a, b, params)
    assert score == mcc.compare(a, b, params)
    ca, cb = mcc.encode(a, params), mcc.encode(b, params)
    m = mcc.match(ca, cb, params)
    assert m.score == score == mcc.similarity(ca, cb, params)
    assert len(m.rows_a) == len(m.rows_b) == len(m.strength) == len(pairs)
    assert set(m.rows_a.tolist()) <= set(range(len(ca)))
    assert set(m.rows_b.tolist()) <= set(range(len(cb)))


def test_pairs_are_distinct_minutiae_of_the_two_templates() -> None:
    a, b = _pair_of_prints(genuine=True)
    _, pairs = mcc.matched_pairs(a, b)
    assert len(pairs) >= 4
    assert len({p.index_a for p in pairs}) == len({p.index_b for p in pairs}) == len(pairs)
    for p in pairs:
        assert 0 <= p.index_a < len(a) and 0 <= p.index_b < len(b)
        # the index names the minutia drawn (template coordinates, y down)
        assert (p.xa, p.ya) == pytest.approx((a.x[p.index_a], a.y[p.index_a]), abs=0.01)
        assert (p.xb, p.yb) == pytest.approx((b.x[p.index_b], b.y[p.index_b]), abs=0.01)
    strengths = [p.strength for p in pairs]
    assert (
        strengths == sorted(strengths, reverse=True) and 0 < min(strengths) <= max(strengths) <= 1
    )


def test_impostor_pairs_score_low() -> None:
    genuine, _ = mcc.matched_pairs(*_pair_of_prints(genuine=True))
    impostor, _ = mcc.matched_pairs(*_pair_of_prints(genuine=False))
    assert impostor < genuine / 2


def test_templates_without_cylinders_match_nothing() -> None:
    a, _ = _pair_of_prints(genuine=True)
    empty = Template.from_arrays(np.zeros((0, 3)), width=400, height=500)
    assert mcc.matched_pairs(a, empty) == (0.0, [])
