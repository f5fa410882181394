"""Forecasts of daily crossings, 1 to 14 days ahead, with prediction intervals.

Framework-free (no Django). Models come from statsforecast: seasonal naive, AutoETS, AutoARIMA,
and AutoARIMA with regressors (seats into Minsk a week earlier, declared suspensions), and their
equal-weight combination (`combo`: the mean of ETS, ARIMA and ARIMA with regressors). The model
is chosen by a rolling-origin backtest (MASE against the seasonal naive scale, coverage of the
80 % interval). The intelligence app builds the series and regressors and stores the `Result`.
"""

from borderwatch.engines.forecast.fit import backtest, forecast, origins_for, run
from borderwatch.engines.forecast.model import (
    ARIMA,
    ARIMA_X,
    COMBO,
    COMBO_MEMBERS,
    ETS,
    EXOGENOUS,
    LEVEL,
    MODEL_NAMES,
    MODELS,
    SEASON,
    SEASONAL_NAIVE,
    Backtest,
    Forecast,
    ForecastError,
    Regressors,
    Result,
    Score,
    Series,
    combine,
)
from borderwatch.engines.forecast.regressors import SEATS_LAG, lagged_weekly, stack
from borderwatch.engines.forecast.synthetic import Synthetic, flight_driven, weekly_series

__all__ = [
    "ARIMA",
    "ARIMA_X",
    "COMBO",
    "COMBO_MEMBERS",
    "ETS",
    "EXOGENOUS",
    "LEVEL",
    "MODELS",
    "MODEL_NAMES",
    "SEASON",
    "SEASONAL_NAIVE",
    "SEATS_LAG",
    "Backtest",
    "Forecast",
    "ForecastError",
    "Regressors",
    "Result",
    "Score",
    "Series",
    "Synthetic",
    "backtest",
    "combine",
    "flight_driven",
    "forecast",
    "lagged_weekly",
    "origins_for",
    "run",
    "stack",
    "weekly_series",
]
