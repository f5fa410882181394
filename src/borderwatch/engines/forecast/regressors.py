"""Regressors built from flights: seats into Minsk, lagged and summed over a week, and a flag
for declared suspensions. Pure numpy: the intelligence app supplies the daily arrays."""

from __future__ import annotations

import numpy as np

from borderwatch.engines.forecast.model import FloatArray, ForecastError

SEATS_LAG = 7  # days from landing in Minsk to the border, as a first approximation
SEATS_WINDOW = 7  # seats summed over a week (flights are a few a week, crossings daily)


def lagged_weekly(
    values: FloatArray, lag: int = SEATS_LAG, window: int = SEATS_WINDOW
) -> FloatArray:
    """out[t] = sum of values[t-lag-window+1 .. t-lag]; days before the data count as 0.

    `values` must start `lag + window - 1` days before the first day wanted for a full sum."""
    if lag < 0 or window < 1:
        raise ForecastError("the lag is >= 0 and the window >= 1 day")
    padded = np.concatenate([np.zeros(lag + window - 1), np.asarray(values, dtype=np.float64)])
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    n = len(values)
    end = np.arange(n) + window  # index in padded (shifted by lag+window-1) of t - lag, +1
    return np.asarray(csum[end] - csum[end - window], dtype=np.float64)


def stack(*columns: FloatArray) -> FloatArray:
    """Columns of the same length as one (n x k) matrix."""
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        raise ForecastError("regressor columns differ in length")
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])
