"""An analyst's path: import routes and flights, see seats beside crossings, forecast, and read
the forecast's band and model; every page state passes axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.engines import forecast as engine
from borderwatch.intelligence.models import ForecastRun
from tests.browser.axe import assert_accessible
from tests.picture.data import add_event, make_border

pytestmark = pytest.mark.browser

ROUTES = "code,origin_airport,origin_city,origin_country\nBGW-MSQ,BGW,Baghdad,IQ\n"


@pytest.fixture(autouse=True)
def quick_models() -> Iterator[None]:
    with override_settings(
        INTELLIGENCE_FORECAST_MODELS=("seasonal_naive", "ets"), INTELLIGENCE_BACKTEST_WINDOWS=2
    ):
        yield


def _flights() -> str:
    lines = ["ref,route,airline,day,direction,kind,seats"]
    day = dt.date(2021, 7, 1)
    while day < dt.date(2021, 8, 5):
        if day.weekday() < 4:
            lines.append(f"F{day:%m%d},BGW-MSQ,Iraqi Airways,{day},inbound,scheduled,500")
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def _upload(page: Any, base: str, kind: str, path: Path) -> None:
    page.goto(f"{base}/intelligence/import/")
    page.select_option("select[name=kind]", kind)
    page.set_input_files("input[name=file]", str(path))
    page.click("form button[type=submit]")
    page.wait_for_selector("#import-progress[data-status=done]")


def test_import_then_forecast_then_chart(
    logged_in_page: Callable[[User], Any],
    live_server: Any,
    make_user: Callable[..., User],
    tmp_path: Path,
) -> None:
    sections = make_border()
    day = dt.date(2021, 6, 1)
    while day <= dt.date(2021, 8, 20):
        add_event(sections["LT"], day, {"IQ": 3 + (day - dt.date(2021, 6, 1)).days // 5})
        day += dt.timedelta(days=1)
    (tmp_path / "routes.csv").write_text(ROUTES)
    (tmp_path / "flights.csv").write_text(_flights())
    (tmp_path / "bad.csv").write_text(
        "ref,route,airline,day,direction,kind,seats\nX,NOPE,A,2021-07-01,inbound,scheduled,1\n"
    )
    page = logged_in_page(make_user(Role.NATIONAL_COORDINATOR, "LT"))
    base = live_server.url
    page.set_default_timeout(60_000)

    _upload(page, base, "routes", tmp_path / "routes.csv")
    assert "created: 1" in page.inner_text("#import-summary")
    assert_accessible(page)
    page.goto(f"{base}/intelligence/import/")
    page.select_option("select[name=kind]", "flights")
    page.set_input_files("input[name=file]", str(tmp_path / "bad.csv"))
    page.click("form button[type=submit]")
    page.wait_for_selector("#import-progress[data-status=failed]")
    assert "line 2: route NOPE is not known" in page.inner_text("#import-errors")
    assert_accessible(page)
    _upload(page, base, "flights", tmp_path / "flights.csv")

    page.goto(f"{base}/intelligence/")
    page.wait_for_function("() => document.getElementById('seats-chart').dataset.drawn === 'true'")
    assert_accessible(page)

    page.goto(f"{base}/intelligence/forecasts/")
    assert_accessible(page)
    page.fill("input[name=horizon]", "7")
    page.click("form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('forecast-chart')?.dataset.drawn === 'true'"
    )
    run = ForecastRun.objects.get()
    assert run.status == "done" and len(run.forecast) == 7
    assert engine.MODEL_NAMES[run.model] in page.inner_text("#chart-heading")
    assert page.locator("#forecast-table tbody tr").count() == 7
    assert page.locator("#scores tbody tr").count() == 2
    assert_accessible(page)
