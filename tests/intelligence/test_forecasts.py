"""Forecast runs: a task with progress; the model, inputs and backtest stored; the what-if;
national users forecast their own state, Frontex and the Commission any; recovery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection
from borderwatch.core import workers
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.engines import forecast as engine
from borderwatch.intelligence import services
from borderwatch.intelligence.models import ForecastRun
from tests.core.task_rows import LONG_AGO, task_row
from tests.intelligence.conftest import UNTIL
from tests.picture.data import add_event

pytestmark = pytest.mark.django_db


def _run(user: User, state: str, capture, **kwargs: object) -> ForecastRun:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        run = services.request_forecast(user, state, **kwargs)  # type: ignore[arg-type]
    run.refresh_from_db()
    return run


def test_regressors_follow_the_flights_a_week_later(
    crossings: dict[str, BorderSection], scenario_flights: dict[str, int], coordinator_lt: User
) -> None:
    series = services.crossings(coordinator_lt, "LT", UNTIL)
    assert series.start == dt.date(2021, 6, 1) and series.end == UNTIL
    regs = services.regressors(series, 14)
    seats, flag = regs.history[:, 0], regs.history[:, 1]
    day = {series.start + dt.timedelta(days=i): i for i in range(len(series.values))}
    assert seats[day[dt.date(2021, 7, 1)]] == 0  # no flight landed in the week before 24 June
    assert seats[day[dt.date(2021, 7, 20)]] > 0
    assert seats[day[dt.date(2021, 8, 19)]] == 0  # the last flight landed before 5 August
    assert flag[day[dt.date(2021, 8, 5)]] == 0 and flag[day[dt.date(2021, 8, 6)]] == 1
    assert regs.future.shape == (14, 2) and float(regs.future[:, 0].sum()) == 0.0
    resumed = services.regressors(series, 14, resume_on=dt.date(2021, 8, 22))
    # the July schedule runs to 31 August: seats again from 22 August, felt a week later
    assert resumed.future[:, 0].sum() > 0
    assert resumed.future[0, 1] == 1 and resumed.future[1:, 1].sum() == 0  # lifted on the 22nd


def test_a_run_stores_model_inputs_backtest_and_band(
    crossings: dict[str, BorderSection],
    scenario_flights: dict[str, int],
    coordinator_lt: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    run = _run(coordinator_lt, "LT", django_capture_on_commit_callbacks, seed=7)
    assert run.status == "done", run.error
    assert run.until == UNTIL and run.progress == 100
    assert run.model in ("seasonal_naive", "ets", "arima_x")
    assert run.inputs["regressors"] == list(services.forecasts.REGRESSORS)
    assert run.inputs["seed"] == 7 and run.inputs["windows"] == 3
    models = {s["model"] for s in run.scores["scores"]}
    assert models == {"seasonal_naive", "ets", "arima_x"}
    assert len(run.forecast) == 14
    assert run.forecast[0]["day"] == "2021-08-21"
    assert all(d["lo"] <= d["mean"] <= d["hi"] for d in run.forecast)
    assert run.history[-1]["day"] == UNTIL.isoformat()
    actions = AuditEntry.objects.filter(
        object_id=str(run.pk), action__startswith="intelligence.forecast"
    )
    assert sorted(actions.values_list("action", flat=True)) == [
        "intelligence.forecast.done", "intelligence.forecast.request",
    ]  # fmt: skip


def test_what_if_beside_the_base(
    crossings: dict[str, BorderSection],
    scenario_flights: dict[str, int],
    frontex: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    base = _run(frontex, "LT", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.request_what_if(frontex, base.pk, UNTIL)
    with django_capture_on_commit_callbacks(execute=True):
        what_if = services.request_what_if(frontex, base.pk, dt.date(2021, 8, 21))
    what_if.refresh_from_db()
    assert what_if.status == "done", what_if.error
    assert what_if.model == engine.ARIMA_X and what_if.base_id == base.pk
    assert len(what_if.inputs["unchanged"]) == 14
    assert sum(what_if.inputs["planned_seats"]) > 0
    resumed = sum(d["mean"] for d in what_if.forecast)
    unchanged = sum(d["mean"] for d in what_if.inputs["unchanged"])
    assert resumed != unchanged  # the flights are the only difference


def test_a_section_forecast_reads_that_sections_crossings_only(
    crossings: dict[str, BorderSection],
    coordinator_lt: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    first = crossings["LT"]
    second = BorderSection.objects.create(
        code="LT-BY-02", country_id="LT", neighbour_id="BY", order=2, name="LT second section",
        geometry=first.geometry, length_km=50.0, measured_km=49.0,
    )  # fmt: skip
    add_event(second, UNTIL, {"IQ": 40})
    whole = services.crossings(coordinator_lt, "LT", UNTIL)
    only_first = services.crossings(coordinator_lt, "LT", UNTIL, "LT-BY-01")
    only_second = services.crossings(coordinator_lt, "LT", UNTIL, "LT-BY-02")
    assert whole.values[-1] == only_first.values[-1] + 40
    assert list(only_second.values) == [40.0] and only_second.start == UNTIL
    assert only_first.values.sum() + 40 == whole.values.sum()

    run = _run(coordinator_lt, "LT", django_capture_on_commit_callbacks, section="lt-by-01")
    assert (run.section, run.status) == ("LT-BY-01", "done"), run.error
    assert run.history[-1]["value"] == only_first.values[-1]
    page = client_for(coordinator_lt).get(f"/intelligence/forecasts/{run.pk}/").content.decode()
    assert "LT-BY-01" in page
    with pytest.raises(ValidationError, match="LT has no border section PL-BY-01"):
        services.request_forecast(coordinator_lt, "LT", section="PL-BY-01")
    api = client_for(coordinator_lt).post(
        "/api/intelligence/forecasts", {"member_state": "LT", "section": "XX-1"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 422 and "XX-1" in api.content.decode()
    assert ForecastRun.objects.count() == 1


def test_roles_and_states(
    crossings: dict[str, BorderSection],
    coordinator_lt: User,
    commission: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(PermissionDenied):
        services.request_forecast(coordinator_lt, "PL")
    with pytest.raises(PermissionDenied):
        services.request_forecast(make_user(Role.BORDER_GUARD, "LT"), "LT")
    pl_run = _run(commission, "PL", django_capture_on_commit_callbacks, until=UNTIL)
    assert pl_run.status == "done"
    lt_run = _run(coordinator_lt, "LT", django_capture_on_commit_callbacks)
    # another state's run answers exactly like a missing one
    lt_client = client_for(coordinator_lt)
    assert lt_client.get(f"/intelligence/forecasts/{pl_run.pk}/").status_code == 404
    assert lt_client.get(f"/api/intelligence/forecasts/{pl_run.pk}").status_code == 404
    assert lt_client.get(f"/intelligence/forecasts/{lt_run.pk}/").status_code == 200
    listed = lt_client.get("/api/intelligence/forecasts").json()
    assert [r["id"] for r in listed["items"]] == [lt_run.pk]
    eu = client_for(commission).get("/api/intelligence/forecasts").json()
    assert {r["id"] for r in eu["items"]} == {lt_run.pk, pl_run.pk}
    refused = lt_client.post(
        "/api/intelligence/forecasts", {"member_state": "PL"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_api_request_and_page(
    crossings: dict[str, BorderSection],
    scenario_flights: dict[str, int],
    frontex: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(frontex)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/intelligence/forecasts",
            {"member_state": "LT", "horizon": 7},
            content_type="application/json",
        )
    assert response.status_code == 202
    run = client.get(f"/api/intelligence/forecasts/{response.json()['id']}").json()
    assert run["status"] == "done" and len(run["forecast"]) == 7
    assert run["model_name"] and run["scores"]
    page = client.get(f"/intelligence/forecasts/{run['id']}/").content.decode()
    assert engine.MODEL_NAMES[run["model"]] in page and 'id="forecast-chart"' in page
    flights = client.get("/api/intelligence/flights?limit=5").json()
    assert len(flights["items"]) == 5 and flights["next_cursor"]
    more = client.get(f"/api/intelligence/flights?limit=5&cursor={flights['next_cursor']}").json()
    assert more["items"][0]["day"] >= flights["items"][-1]["day"]
    weeks = client.get("/api/intelligence/seats?start=2021-07-01&end=2021-08-15").json()
    assert sum(w["seats"] for w in weeks) > 0 and all(w["seats"] <= 4 * 500 for w in weeks)
    assert client.get("/intelligence/").status_code == 200


def test_a_run_without_crossings_is_refused(coordinator_lt: User) -> None:
    with pytest.raises(ValidationError):
        services.request_forecast(coordinator_lt, "LT")


def test_a_run_whose_worker_died_is_requeued_then_failed(coordinator_lt: User) -> None:
    run = ForecastRun.objects.create(
        member_state="LT", until=UNTIL, requested_by=coordinator_lt, status="running",
        progress=40, started_at=timezone.now() - LONG_AGO,
    )  # fmt: skip
    row = task_row("borderwatch.intelligence.tasks.compute_forecast", run.pk)
    ForecastRun.objects.filter(pk=run.pk).update(task_id=str(row.pk))
    workers.recover()
    run.refresh_from_db()
    assert (run.status, run.progress) == ("queued", 0)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", started_at=timezone.now() - LONG_AGO, worker_ids=["a", "b"]
    )
    ForecastRun.objects.filter(pk=run.pk).update(status="running")
    workers.recover()
    run.refresh_from_db()
    assert run.status == "failed" and run.error == "the task worker stopped"
