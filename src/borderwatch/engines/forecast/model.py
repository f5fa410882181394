"""The forecast engine's types and its models (statsforecast), framework-free.

A series is daily counts (crossings of one member state or one border section) from a start
day; regressors are columns known for the past and planned for the future (seats into Minsk a
week earlier, a declared suspension). Models are named by short codes so that a stored run says
which one produced its figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SEASON = 7  # a week: crossings have a day-of-week pattern (patrols, reporting)
LEVEL = 80  # the prediction interval reported and scored

SEASONAL_NAIVE = "seasonal_naive"
ETS = "ets"
ARIMA = "arima"
ARIMA_X = "arima_x"
COMBO = "combo"
# The combination's members, fixed a priori (not chosen on the backtest): equal weights.
COMBO_MEMBERS: tuple[str, ...] = (ETS, ARIMA, ARIMA_X)
MODELS: tuple[str, ...] = (SEASONAL_NAIVE, ETS, ARIMA, ARIMA_X, COMBO)
# Models that use the regressors (the combination through arima_x); the others ignore them.
EXOGENOUS: frozenset[str] = frozenset({ARIMA_X, COMBO})
MODEL_NAMES = {
    SEASONAL_NAIVE: "Seasonal naive (last week's same day)",
    ETS: "AutoETS (exponential smoothing, weekly season)",
    ARIMA: "AutoARIMA (weekly season)",
    ARIMA_X: "AutoARIMA with regressors (lagged seats into Minsk, suspensions)",
    COMBO: "Equal-weight mean of AutoETS, AutoARIMA and AutoARIMA with regressors",
}


class ForecastError(ValueError):
    """The input cannot be forecast (too short, misaligned regressors, unknown model)."""


@dataclass(frozen=True)
class Regressors:
    """Exogenous columns: `history` aligned with the series (n x k), `future` planned for the
    forecast days (h x k). Named so that a stored run lists its inputs."""

    names: tuple[str, ...]
    history: FloatArray
    future: FloatArray

    def check(self, n: int, horizon: int) -> None:
        k = len(self.names)
        if self.history.shape != (n, k):
            raise ForecastError(f"regressor history is {self.history.shape}, expected ({n}, {k})")
        if self.future.shape[0] < horizon or self.future.shape[1:] != (k,):
            raise ForecastError(
                f"regressor future is {self.future.shape}, expected ({horizon}, {k})"
            )


@dataclass(frozen=True)
class Series:
    """Daily values from `start` (one value per day, no gaps: quiet days are 0)."""

    start: dt.date
    values: FloatArray
    name: str = "series"

    def __post_init__(self) -> None:
        if self.values.ndim != 1:
            raise ForecastError("a series is one-dimensional")
        if not np.all(np.isfinite(self.values)):
            raise ForecastError("a series holds only finite numbers")

    @classmethod
    def of(cls, start: dt.date, values: Sequence[float], name: str = "series") -> Series:
        return cls(start, np.asarray(values, dtype=np.float64), name)

    @property
    def end(self) -> dt.date:
        """The last observed day."""
        return self.start + dt.timedelta(days=len(self.values) - 1)

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(len(self.values))]


@dataclass(frozen=True)
class Forecast:
    """Point forecast and the `level` % prediction interval for `horizon` days after `start`-1."""

    model: str
    start: dt.date  # the first forecast day
    mean: FloatArray
    lo: FloatArray
    hi: FloatArray
    level: int = LEVEL

    @property
    def horizon(self) -> int:
        return len(self.mean)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per day (ISO day, mean, lo, hi), rounded for storage."""
        return [
            {
                "day": (self.start + dt.timedelta(days=i)).isoformat(),
                "mean": round(float(self.mean[i]), 2),
                "lo": round(float(self.lo[i]), 2),
                "hi": round(float(self.hi[i]), 2),
            }
            for i in range(self.horizon)
        ]


def combine(members: Sequence[Forecast], model: str = COMBO) -> Forecast:
    """The equal-weight combination: the mean of the members' point forecasts, and as interval
    the mean of their bounds (averaging quantiles: its centre is the mean of the members'
    centres, and it needs no estimate of how the members' errors correlate)."""
    if not members:
        raise ForecastError("a combination needs at least one member")
    first = members[0]
    for other in members[1:]:
        if (other.start, other.horizon, other.level) != (first.start, first.horizon, first.level):
            raise ForecastError("the members of a combination forecast different days or levels")
    return Forecast(
        model=model,
        start=first.start,
        mean=np.mean([m.mean for m in members], axis=0),
        lo=np.mean([m.lo for m in members], axis=0),
        hi=np.mean([m.hi for m in members], axis=0),
        level=first.level,
    )


@dataclass(frozen=True)
class Score:
    """A model's backtest score at one horizon (days ahead), over `windows` forecast origins."""

    model: str
    horizon: int
    mase: float
    coverage: float  # share of actual values inside the `level` % interval
    windows: int


@dataclass(frozen=True)
class Backtest:
    """Rolling-origin backtest: every model refitted at each origin, scored per horizon."""

    scores: tuple[Score, ...]
    origins: tuple[dt.date, ...]
    level: int = LEVEL
    failed: dict[str, str] = field(default_factory=dict)  # model -> why it could not be scored

    def models(self) -> list[str]:
        return list(dict.fromkeys(s.model for s in self.scores))

    def score(self, model: str, horizon: int) -> Score | None:
        return next((s for s in self.scores if s.model == model and s.horizon == horizon), None)

    def mean_mase(self, model: str) -> float:
        values = [s.mase for s in self.scores if s.model == model and np.isfinite(s.mase)]
        return float(np.mean(values)) if values else float("inf")

    def mean_coverage(self, model: str) -> float:
        values = [s.coverage for s in self.scores if s.model == model]
        return float(np.mean(values)) if values else float("nan")

    def best(self) -> str | None:
        """The model with the lowest mean MASE over the horizons (the first listed on a tie)."""
        ranked = sorted(self.models(), key=lambda m: (self.mean_mase(m), self.models().index(m)))
        return ranked[0] if ranked and np.isfinite(self.mean_mase(ranked[0])) else None

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "origins": [d.isoformat() for d in self.origins],
            "failed": dict(self.failed),
            "scores": [
                {
                    "model": s.model,
                    "horizon": s.horizon,
                    "mase": _finite(s.mase),
                    "coverage": _finite(s.coverage),
                    "windows": s.windows,
                }
                for s in self.scores
            ],
        }


@dataclass(frozen=True)
class Result:
    """What a forecast run stores: the chosen model, its forecast and the backtest behind it."""

    chosen: str
    forecast: Forecast
    backtest: Backtest
    inputs: dict[str, Any]


def _finite(value: float) -> float | None:
    return round(float(value), 4) if np.isfinite(value) else None
