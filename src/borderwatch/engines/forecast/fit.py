"""Fitting, forecasting and the rolling-origin backtest, through statsforecast.

statsforecast (Nixtla) gives the models (seasonal naive, AutoETS, AutoARIMA with or without
exogenous regressors) and their prediction intervals; this module turns our series into its
data frames, refits every model at each origin of the backtest, and scores the forecasts with
MASE (scaled by the in-sample seasonal naive error, so 1 means "as good as last week's same
day") and the empirical coverage of the intervals. Counts cannot be negative: forecasts and
bounds are clipped at 0.

The combination (`combo`) is no statsforecast model: it is the equal-weight mean of its members'
forecasts and interval bounds, each member fitted as on its own; if a member cannot be fitted the
combination fails and says which member, rather than averaging fewer members.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from borderwatch.engines.forecast.model import (
    ARIMA,
    ARIMA_X,
    COMBO,
    COMBO_MEMBERS,
    ETS,
    EXOGENOUS,
    LEVEL,
    MODELS,
    SEASON,
    SEASONAL_NAIVE,
    Backtest,
    FloatArray,
    Forecast,
    ForecastError,
    Regressors,
    Result,
    Score,
    Series,
    combine,
)

Progress = Callable[[int, str], None]  # (percent, stage)
log = logging.getLogger(__name__)
MIN_TRAIN_SEASONS = 4  # at least four weeks before the first origin


def _silent(percent: int, stage: str) -> None:
    return None


def _statsforecast_model(code: str, season: int) -> Any:
    from statsforecast.models import AutoARIMA, AutoETS, SeasonalNaive

    if code == SEASONAL_NAIVE:
        return SeasonalNaive(season_length=season, alias=code)
    if code == ETS:
        return AutoETS(season_length=season, alias=code)
    if code in (ARIMA, ARIMA_X):
        return AutoARIMA(season_length=season, alias=code)
    raise ForecastError(f"unknown model '{code}'; known: {', '.join(MODELS)}")


def _frame(series: Series, regressors: Regressors | None, code: str) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "unique_id": series.name,
            "ds": pd.date_range(series.start, periods=len(series.values), freq="D"),
            "y": series.values,
        }
    )
    if regressors is not None and code in EXOGENOUS:
        for i, name in enumerate(regressors.names):
            df[name] = regressors.history[:, i]
    return df


def _future_frame(
    series: Series, regressors: Regressors, horizon: int
) -> pd.DataFrame:  # the planned regressors of the forecast days
    first = series.end + dt.timedelta(days=1)
    df = pd.DataFrame(
        {"unique_id": series.name, "ds": pd.date_range(first, periods=horizon, freq="D")}
    )
    for i, name in enumerate(regressors.names):
        df[name] = regressors.future[:horizon, i]
    return df


def _engine(code: str, season: int) -> Any:
    from statsforecast import StatsForecast

    return StatsForecast(models=[_statsforecast_model(code, season)], freq="D", n_jobs=1)


def _clip(values: Any) -> FloatArray:
    return np.maximum(np.asarray(values, dtype=np.float64), 0.0)


def forecast(
    series: Series,
    horizon: int,
    model: str,
    *,
    regressors: Regressors | None = None,
    level: int = LEVEL,
    season: int = SEASON,
) -> Forecast:
    """Fit `model` on the whole series and forecast `horizon` days with a `level` % interval."""
    _check(series, horizon, model, regressors, season)
    if model == COMBO:
        members = []
        for member in COMBO_MEMBERS:
            try:
                members.append(
                    forecast(
                        series, horizon, member, regressors=regressors, level=level, season=season
                    )
                )
            except Exception as exc:
                raise ForecastError(
                    f"the combination needs all of {', '.join(COMBO_MEMBERS)}; "
                    f"'{member}' could not be fitted ({type(exc).__name__})"
                ) from exc
        return combine(members)
    df = _frame(series, regressors, model)
    kwargs: dict[str, Any] = {}
    if model in EXOGENOUS and regressors is not None:
        kwargs["X_df"] = _future_frame(series, regressors, horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _engine(model, season).forecast(df=df, h=horizon, level=[level], **kwargs)
    return Forecast(
        model=model,
        start=series.end + dt.timedelta(days=1),
        mean=_clip(out[model]),
        lo=_clip(out[f"{model}-lo-{level}"]),
        hi=_clip(out[f"{model}-hi-{level}"]),
        level=level,
    )


def _check(
    series: Series, horizon: int, model: str, regressors: Regressors | None, season: int
) -> None:
    if model not in MODELS:
        raise ForecastError(f"unknown model '{model}'; known: {', '.join(MODELS)}")
    if not 1 <= horizon <= 60:
        raise ForecastError("the horizon is 1 to 60 days")
    if len(series.values) < 2 * season:
        raise ForecastError(f"a series needs at least {2 * season} days")
    if model in EXOGENOUS:
        if regressors is None or not regressors.names:
            raise ForecastError(f"model '{model}' needs regressors")
        regressors.check(len(series.values), horizon)


def origins_for(n: int, horizon: int, windows: int, step: int, season: int = SEASON) -> int:
    """How many of the wanted backtest origins the series' length allows."""
    usable = n - MIN_TRAIN_SEASONS * season - horizon
    return max(0, min(windows, usable // step + 1)) if usable >= 0 else 0


def _scale(y: FloatArray, cutoff: int, season: int) -> float:
    """In-sample mean absolute error of the seasonal naive forecast before the origin."""
    past = y[:cutoff]
    diffs = np.abs(past[season:] - past[:-season])
    scale = float(diffs.mean()) if len(diffs) else 0.0
    if scale > 0:
        return scale
    level = float(np.abs(past).mean()) if len(past) else 0.0
    return level if level > 0 else 1.0


def _cross_validation(
    series: Series,
    regressors: Regressors | None,
    code: str,
    horizon: int,
    count: int,
    step: int,
    level: int,
    season: int,
) -> pd.DataFrame:
    """One model's forecasts at every origin: cutoff, ds, y, h (days ahead) and the clipped
    mean, lo and hi, sorted by origin and day."""
    from statsforecast import StatsForecast

    df = _frame(series, regressors, code)
    sf = StatsForecast(models=[_statsforecast_model(code, season)], freq="D", n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cv = sf.cross_validation(df=df, h=horizon, n_windows=count, step_size=step, level=[level])
    cv = cv.sort_values(["cutoff", "ds"]).reset_index(drop=True)
    return pd.DataFrame(
        {
            "cutoff": cv["cutoff"],
            "ds": cv["ds"],
            "y": cv["y"].astype(np.float64),
            "h": cv.groupby("cutoff").cumcount() + 1,
            "mean": _clip(cv[code]),
            "lo": _clip(cv[f"{code}-lo-{level}"]),
            "hi": _clip(cv[f"{code}-hi-{level}"]),
        }
    )


def _average(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The equal-weight combination of members' backtest forecasts (same origins and days)."""
    first = parts[0]
    for other in parts[1:]:
        if not (first["cutoff"].equals(other["cutoff"]) and first["ds"].equals(other["ds"])):
            raise ForecastError("the members of a combination were backtested on different days")
    out = first[["cutoff", "ds", "y", "h"]].copy()
    for column in ("mean", "lo", "hi"):
        out[column] = np.mean([part[column].to_numpy() for part in parts], axis=0)
    return out


def backtest(
    series: Series,
    *,
    models: Sequence[str] = MODELS,
    regressors: Regressors | None = None,
    horizon: int = 14,
    windows: int = 8,
    step: int = 7,
    level: int = LEVEL,
    season: int = SEASON,
    progress: Progress = _silent,
) -> Backtest:
    """Rolling-origin backtest: at each origin every model is refitted on the days before it
    and forecasts `horizon` days, scored per horizon. Regressor models use the regressors as
    recorded (their future is the planned schedule, known at the origin). The combination is
    scored from its members' forecasts at the same origins (each member fitted once)."""
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ForecastError(f"unknown model '{unknown[0]}'; known: {', '.join(MODELS)}")
    n = len(series.values)
    count = origins_for(n, horizon, windows, step, season)
    if count < 1:
        raise ForecastError(
            f"a backtest of {horizon} days needs at least "
            f"{MIN_TRAIN_SEASONS * season + horizon} days of history"
        )
    y = series.values
    scores: list[Score] = []
    failed: dict[str, str] = {}
    cutoffs: list[int] = []
    runs: dict[str, pd.DataFrame] = {}  # each model's forecasts at every origin, computed once
    errors: dict[str, str] = {}

    def attempt(code: str) -> pd.DataFrame | None:
        if code not in runs and code not in errors:
            try:
                runs[code] = _cross_validation(
                    series, regressors, code, horizon, count, step, level, season
                )
            except Exception as exc:  # a model that cannot fit this series is reported, not fatal
                log.info("backtest of %s failed: %s", code, type(exc).__name__)
                errors[code] = type(exc).__name__
        return runs.get(code)

    for index, code in enumerate(models):
        progress(10 + 60 * index // max(1, len(models)), f"Backtest: {code}")
        if code in EXOGENOUS and (regressors is None or not regressors.names):
            failed[code] = "no regressors"
            continue
        if code in EXOGENOUS and regressors is not None:
            regressors.check(n, 0)
        if code == COMBO:
            parts = {member: attempt(member) for member in COMBO_MEMBERS}
            missing = [f"{m} ({errors[m]})" for m, part in parts.items() if part is None]
            if missing:
                failed[code] = "member not fitted: " + ", ".join(missing)
                continue
            cv = _average([part for part in parts.values() if part is not None])
        else:
            fitted = attempt(code)
            if fitted is None:
                failed[code] = errors[code]
                continue
            cv = fitted
        start = pd.Timestamp(series.start)
        cut_index = ((cv["cutoff"] - start).dt.days + 1).astype(int)
        cutoffs = sorted(set(cut_index.tolist()))
        scale = cut_index.map(lambda c: _scale(y, int(c), season))
        error = np.abs(cv["y"] - cv["mean"]) / scale
        inside = (cv["y"] >= cv["lo"]) & (cv["y"] <= cv["hi"])
        for h in range(1, horizon + 1):
            at = cv["h"] == h
            scores.append(
                Score(
                    model=code,
                    horizon=h,
                    mase=float(error[at].mean()),
                    coverage=float(inside[at].mean()),
                    windows=int(at.sum()),
                )
            )
    origins = tuple(series.start + dt.timedelta(days=c) for c in cutoffs)
    return Backtest(scores=tuple(scores), origins=origins, level=level, failed=failed)


def run(
    series: Series,
    horizon: int,
    *,
    models: Sequence[str] = MODELS,
    regressors: Regressors | None = None,
    windows: int = 8,
    step: int = 7,
    level: int = LEVEL,
    season: int = SEASON,
    seed: int = 0,
    progress: Progress = _silent,
) -> Result:
    """Backtest the models, choose the one with the lowest mean MASE over horizons 1..horizon
    and forecast with it on the whole series. Deterministic: the same inputs and seed give the
    same result (the seed is recorded and seeds numpy for any model that draws)."""
    np.random.seed(seed)  # statsforecast draws from the global state, if at all
    usable = [m for m in models if m not in EXOGENOUS or (regressors and regressors.names)]
    if not usable:
        raise ForecastError("no model can run on these inputs")
    bt = backtest(
        series,
        models=usable,
        regressors=regressors,
        horizon=horizon,
        windows=windows,
        step=step,
        level=level,
        season=season,
        progress=progress,
    )
    chosen = bt.best() or SEASONAL_NAIVE
    progress(80, f"Forecast: {chosen}")
    result = forecast(series, horizon, chosen, regressors=regressors, level=level, season=season)
    inputs: dict[str, Any] = {
        "series": series.name,
        "start": series.start.isoformat(),
        "end": series.end.isoformat(),
        "days": len(series.values),
        "total": float(series.values.sum()),
        "models": list(usable),
        "regressors": list(regressors.names) if regressors else [],
        "windows": len(bt.origins),
        "step": step,
        "season": season,
        "level": level,
        "seed": seed,
    }
    return Result(chosen=chosen, forecast=result, backtest=bt, inputs=inputs)
