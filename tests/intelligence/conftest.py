"""Flights, crossings and users for the intelligence tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import override_settings

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection
from borderwatch.core.roles import Role
from borderwatch.intelligence import services
from tests.picture.data import add_event, make_border

START = dt.date(2021, 6, 1)
UNTIL = dt.date(2021, 8, 20)


@pytest.fixture(autouse=True)
def fast_forecasts() -> object:
    """Two fast models and a regressor model, four origins: a run takes a few seconds."""
    with override_settings(
        INTELLIGENCE_FORECAST_MODELS=("seasonal_naive", "ets", "arima_x"),
        INTELLIGENCE_BACKTEST_WINDOWS=3,
    ):
        yield


@pytest.fixture
def coordinator_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.NATIONAL_COORDINATOR, "PL")


@pytest.fixture
def commission(make_user: Callable[..., User]) -> User:
    return make_user(Role.COMMISSION_VIEWER)


@pytest.fixture
def scenario_flights(db: None) -> dict[str, int]:
    return services.load_scenario_flights(seed=1)


@pytest.fixture
def crossings(db: None) -> dict[str, BorderSection]:
    """Daily apprehensions in LT and PL from June to 20 August 2021: rising with the flights
    through July, falling after 6 August (deterministic, a weekly pattern)."""
    sections = make_border()
    day = START
    while day <= UNTIL:
        i = (day - START).days
        level = 5 + (i if day < dt.date(2021, 8, 8) else max(0, 68 - 8 * (i - 68)))
        persons = max(1, level // 4 + (day.weekday() % 3))
        add_event(sections["LT"], day, {"IQ": persons})
        add_event(sections["PL"], day, {"IQ": 1 + day.weekday() % 2})
        day += dt.timedelta(days=1)
    return sections
