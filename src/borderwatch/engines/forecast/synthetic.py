"""Synthetic daily series for tests and the benchmark: reproducible from a seed.

Crossings follow seats into Minsk with a lag and Poisson noise, plus a weekly pattern, so a
regressor model has something to find and the seasonal naive a fair baseline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from borderwatch.engines.forecast.model import FloatArray, Series
from borderwatch.engines.forecast.regressors import lagged_weekly

WEEKDAY = np.array([1.0, 0.9, 1.1, 1.2, 1.0, 0.8, 0.9])


@dataclass(frozen=True)
class Synthetic:
    series: Series
    seats: FloatArray  # daily seats landing in Minsk, from `series.start - lead` days
    lead: int


def weekly_series(seed: int, days: int = 120, level: float = 40.0) -> Series:
    """A level with a weekly pattern and Poisson noise."""
    rng = np.random.default_rng(seed)
    lam = level * WEEKDAY[np.arange(days) % 7]
    return Series(dt.date(2021, 5, 1), rng.poisson(lam).astype(np.float64), f"weekly-{seed}")


def flight_driven(
    seed: int, days: int = 150, share: float = 0.05, stop_day: int = 100, lag: int = 7
) -> Synthetic:
    """Crossings per day = share x (seats landed lag..lag+6 days before) / 7 x weekday factor,
    Poisson; the flights stop at `stop_day` (a suspension), so crossings fall a week later."""
    rng = np.random.default_rng(seed)
    lead = lag + 6
    total = days + lead
    seats = np.zeros(total)
    flight_days = np.arange(total) % 7 < 4  # four flights a week
    seats[flight_days] = rng.integers(350, 501, int(flight_days.sum()))
    seats[stop_day + lead :] = 0.0
    weekly = lagged_weekly(seats, lag=lag)[lead:]
    lam = share * weekly / 7 * WEEKDAY[np.arange(days) % 7] + 1.0
    values = rng.poisson(lam).astype(np.float64)
    return Synthetic(Series(dt.date(2021, 5, 1), values, f"flights-{seed}"), seats, lead)
