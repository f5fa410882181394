"""Intelligence pages with records behind them, for the accessibility sweep."""

from __future__ import annotations

import datetime as dt

from borderwatch.accounts.models import User
from borderwatch.intelligence import services
from borderwatch.intelligence.models import FlightImportJob, ForecastRun


def intelligence_pages(coordinator: User) -> list[str]:
    """A done and a refused import, a finished forecast and its what-if, the scenario flights."""
    services.load_scenario_flights(seed=1)
    done = FlightImportJob.objects.create(
        kind="routes", file_name="r.csv", format="csv", sha256="0" * 64, status="done",
        progress=100, rows=2, created=2, created_by=coordinator,
    )  # fmt: skip
    refused = FlightImportJob.objects.create(
        kind="flights", file_name="f.csv", format="csv", sha256="1" * 64, status="failed",
        errors=["line 2: route XXX-MSQ is not known: import it first"], created_by=coordinator,
    )  # fmt: skip
    day = dt.date(2021, 8, 20)
    rows = [
        {"day": (day + dt.timedelta(days=i)).isoformat(), "mean": 10.0, "lo": 4.0, "hi": 16.0}
        for i in range(1, 15)
    ]
    scores = {
        "level": 80,
        "scores": [
            {"model": m, "horizon": h, "mase": 0.9, "coverage": 0.8, "windows": 3}
            for m in ("seasonal_naive", "arima_x")
            for h in range(1, 15)
        ],
    }
    history = [{"day": (day - dt.timedelta(days=i)).isoformat(), "value": 12.0} for i in range(20)]
    inputs = {"days": 81, "start": "2021-06-01", "end": "2021-08-20", "windows": 3,
              "regressors": ["seats_minsk_week_lag7", "country_suspension"]}  # fmt: skip
    base = ForecastRun.objects.create(
        member_state="LT", until=day, requested_by=coordinator, status="done", progress=100,
        model="arima_x", scores=scores, forecast=rows, history=history[::-1], inputs=inputs,
    )  # fmt: skip
    what_if = ForecastRun.objects.create(
        member_state="LT", until=day, requested_by=coordinator, status="done", progress=100,
        model="arima_x", scores=scores, forecast=rows, history=history[::-1], base=base,
        resume_on=day + dt.timedelta(days=3), inputs=inputs | {"unchanged": rows},
    )  # fmt: skip
    return [
        "/intelligence/", "/intelligence/import/", f"/intelligence/imports/{done.pk}/",
        f"/intelligence/imports/{refused.pk}/", "/intelligence/forecasts/",
        f"/intelligence/forecasts/{base.pk}/", f"/intelligence/forecasts/{what_if.pk}/",
    ]  # fmt: skip
