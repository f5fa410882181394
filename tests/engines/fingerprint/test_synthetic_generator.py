"""The synthetic generator is reproducible and its impressions differ the way sensors do."""

from __future__ import annotations

import numpy as np

from borderwatch.engines.fingerprint import synthetic


def test_same_seed_same_template_in_any_order() -> None:
    a = synthetic.impression(3, 10, 4, 1)
    synthetic.impression(3, 11, 4, 1)
    b = synthetic.impression(3, 10, 4, 1)
    np.testing.assert_array_equal(a.as_array(), b.as_array())
    assert a.finger_position == 4


def test_impressions_differ_but_stay_plausible() -> None:
    a = synthetic.impression(3, 1, 1, 0)
    b = synthetic.impression(3, 1, 1, 1)
    assert not np.array_equal(a.as_array(), b.as_array())
    for t in (a, b):
        assert 15 <= len(t) <= 120
        assert ((t.angle >= 0) & (t.angle < 2 * np.pi)).all()
        assert set(np.unique(t.kind)) <= {1, 2}


def test_masters_of_different_fingers_differ() -> None:
    assert not np.array_equal(synthetic.master(1, 0, 1), synthetic.master(1, 0, 2))
    assert not np.array_equal(synthetic.master(1, 0, 1), synthetic.master(1, 1, 1))


def test_tenprint_has_positions_one_to_ten() -> None:
    assert [t.finger_position for t in synthetic.tenprint(1, 2, 0)] == list(range(1, 11))
