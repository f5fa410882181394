"""The forecast engine on synthetic series: backtest scores, choice, intervals, regressors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from borderwatch.engines import forecast as fc

FAST = (fc.SEASONAL_NAIVE, fc.ETS)


def test_lagged_weekly_sums_the_week_before_the_lag() -> None:
    values = np.arange(1, 21, dtype=float)  # day t has t+1 seats
    out = fc.lagged_weekly(values, lag=2, window=3)
    # day 10: days 6, 7, 8 -> 7 + 8 + 9
    assert out[10] == 24.0
    assert out[0] == 0.0 and out[2] == 1.0  # before the data: zeros
    assert len(out) == len(values)


def test_seasonal_naive_repeats_last_week() -> None:
    series = fc.Series.of(dt.date(2021, 6, 1), [1, 2, 3, 4, 5, 6, 7] * 4)
    result = fc.forecast(series, 7, fc.SEASONAL_NAIVE)
    assert result.mean.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert result.start == dt.date(2021, 6, 29)
    assert np.all(result.lo <= result.mean) and np.all(result.mean <= result.hi)


def test_backtest_scores_each_model_and_horizon() -> None:
    series = fc.weekly_series(seed=3, days=84)
    bt = fc.backtest(series, models=FAST, horizon=7, windows=4, step=7)
    assert bt.models() == list(FAST)
    assert len(bt.scores) == 2 * 7
    assert len(bt.origins) == 4
    for score in bt.scores:
        assert score.windows == 4
        assert 0.0 <= score.coverage <= 1.0
        assert score.mase >= 0.0
    assert bt.best() in FAST


def test_seasonal_naive_mase_is_about_one_on_a_random_walk_free_weekly_series() -> None:
    # The MASE scale is the in-sample seasonal naive error: the baseline scores near 1.
    series = fc.weekly_series(seed=5, days=140)
    bt = fc.backtest(series, models=[fc.SEASONAL_NAIVE], horizon=7, windows=8, step=7)
    assert 0.6 < bt.mean_mase(fc.SEASONAL_NAIVE) < 1.5


def test_a_level_model_beats_seasonal_naive_on_noise_around_a_level() -> None:
    series = fc.weekly_series(seed=11, days=140)
    bt = fc.backtest(series, models=FAST, horizon=7, windows=8, step=7)
    assert bt.mean_mase(fc.ETS) < bt.mean_mase(fc.SEASONAL_NAIVE)


def test_regressor_model_beats_seasonal_naive_when_flights_drive_crossings() -> None:
    data = fc.flight_driven(seed=7, days=150, stop_day=110)
    seats = fc.lagged_weekly(data.seats)[data.lead :]
    n = len(data.series.values)
    regs = fc.Regressors(("seats_lag7",), seats[:n, None], np.zeros((14, 1)))
    bt = fc.backtest(
        data.series,
        models=[fc.SEASONAL_NAIVE, fc.ARIMA_X],
        regressors=regs,
        horizon=7,
        windows=4,
        step=7,
    )
    # the origins include the fall after the flights stopped, which only the regressor sees
    assert bt.mean_mase(fc.ARIMA_X) < bt.mean_mase(fc.SEASONAL_NAIVE)


def test_run_chooses_the_best_and_is_reproducible() -> None:
    series = fc.weekly_series(seed=2, days=98)
    first = fc.run(series, 7, models=FAST, windows=4, seed=42)
    again = fc.run(series, 7, models=FAST, windows=4, seed=42)
    assert first.chosen == first.backtest.best()
    assert first.forecast.rows() == again.forecast.rows()
    assert first.backtest.as_json() == again.backtest.as_json()
    assert first.inputs["seed"] == 42 and first.inputs["days"] == 98
    assert first.forecast.horizon == 7
    assert np.all(first.forecast.lo >= 0)


def test_regressor_model_is_skipped_without_regressors() -> None:
    series = fc.weekly_series(seed=2, days=70)
    result = fc.run(series, 7, models=[fc.SEASONAL_NAIVE, fc.ARIMA_X], windows=2)
    assert result.inputs["models"] == [fc.SEASONAL_NAIVE]
    assert result.chosen == fc.SEASONAL_NAIVE


def test_future_regressors_change_the_forecast() -> None:
    # What if the flights resume: the planned seats raise the regressor model's forecast.
    data = fc.flight_driven(seed=9, days=150, stop_day=100)
    seats = fc.lagged_weekly(data.seats)[data.lead :]
    n = len(data.series.values)
    stopped = fc.Regressors(("seats",), seats[:, None], np.zeros((14, 1)))
    resumed = fc.Regressors(("seats",), seats[:, None], np.full((14, 1), 1700.0))
    assert n == len(seats)
    base = fc.forecast(data.series, 14, fc.ARIMA_X, regressors=stopped)
    what_if = fc.forecast(data.series, 14, fc.ARIMA_X, regressors=resumed)
    assert what_if.mean.sum() > base.mean.sum()


@pytest.mark.parametrize(
    ("values", "message"),
    [([1.0] * 5, "at least"), ([1.0, float("nan")] * 10, "finite")],
)
def test_bad_series_is_refused(values: list[float], message: str) -> None:
    with pytest.raises(fc.ForecastError, match=message):
        fc.forecast(fc.Series.of(dt.date(2021, 1, 1), values), 7, fc.SEASONAL_NAIVE)


def test_misaligned_regressors_are_refused() -> None:
    series = fc.weekly_series(seed=1, days=60)
    regs = fc.Regressors(("x",), np.zeros((59, 1)), np.zeros((7, 1)))
    with pytest.raises(fc.ForecastError, match="regressor history"):
        fc.forecast(series, 7, fc.ARIMA_X, regressors=regs)


def test_too_short_for_a_backtest() -> None:
    with pytest.raises(fc.ForecastError, match="needs at least"):
        fc.backtest(fc.weekly_series(seed=1, days=30), models=FAST, horizon=14)


def _flight_data(days: int = 120) -> tuple[fc.Series, fc.Regressors]:
    data = fc.flight_driven(seed=7, days=days, stop_day=days - 30)
    seats = fc.lagged_weekly(data.seats)[data.lead :]
    n = len(data.series.values)
    regs = fc.Regressors(("seats_lag7",), seats[:n, None], np.full((14, 1), 500.0))
    return data.series, regs


def test_combo_is_the_mean_of_its_members() -> None:
    series, regs = _flight_data()
    members = [fc.forecast(series, 7, m, regressors=regs) for m in fc.COMBO_MEMBERS]
    combo = fc.forecast(series, 7, fc.COMBO, regressors=regs)
    assert fc.COMBO in fc.MODELS and combo.model == fc.COMBO
    assert combo.start == members[0].start and combo.horizon == 7
    for part in ("mean", "lo", "hi"):
        expected = np.mean([getattr(m, part) for m in members], axis=0)
        np.testing.assert_allclose(getattr(combo, part), expected)
    assert np.all(combo.lo <= combo.mean) and np.all(combo.mean <= combo.hi)


def test_combo_backtest_scores_the_mean_of_its_members() -> None:
    series, regs = _flight_data()
    bt = fc.backtest(series, models=fc.MODELS, regressors=regs, horizon=7, windows=3, step=7)
    assert bt.models() == list(fc.MODELS) and not bt.failed
    # the combination's error is at most the members' mean error (the triangle inequality)
    for h in (1, 7):
        combo = bt.score(fc.COMBO, h)
        parts = [bt.score(m, h) for m in fc.COMBO_MEMBERS]
        assert combo is not None and all(p is not None for p in parts)
        assert combo.mase <= np.mean([p.mase for p in parts if p]) + 1e-9


def test_combo_needs_regressors_like_its_regressor_member() -> None:
    series = fc.weekly_series(seed=2, days=70)
    with pytest.raises(fc.ForecastError, match="needs regressors"):
        fc.forecast(series, 7, fc.COMBO)
    bt = fc.backtest(series, models=[fc.SEASONAL_NAIVE, fc.COMBO], horizon=7, windows=2)
    assert bt.failed == {fc.COMBO: "no regressors"}


def test_a_member_that_fails_fails_the_combo_and_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from borderwatch.engines.forecast import fit

    real = fit._statsforecast_model

    def broken(code: str, season: int) -> object:
        if code == fc.ARIMA:
            raise RuntimeError("cannot fit")
        return real(code, season)

    monkeypatch.setattr(fit, "_statsforecast_model", broken)
    series, regs = _flight_data()
    with pytest.raises(fc.ForecastError, match="'arima' could not be fitted"):
        fc.forecast(series, 7, fc.COMBO, regressors=regs)
    # the backtest scores the other models and says why the combination has no score
    bt = fc.backtest(
        series, models=[fc.ETS, fc.COMBO], regressors=regs, horizon=7, windows=2, step=7
    )
    assert bt.models() == [fc.ETS]
    assert bt.failed == {fc.COMBO: "member not fitted: arima (RuntimeError)"}


def test_combine_refuses_members_of_different_days() -> None:
    series = fc.weekly_series(seed=2, days=70)
    a = fc.forecast(series, 7, fc.SEASONAL_NAIVE)
    b = fc.forecast(series, 6, fc.SEASONAL_NAIVE)
    with pytest.raises(fc.ForecastError, match="different days"):
        fc.combine([a, b])
