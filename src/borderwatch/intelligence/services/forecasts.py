"""Forecast runs: requested by an analyst, computed by a background task, stored with the model,
its inputs and its backtest scores.

The series is the member state's daily crossings (persons apprehended or turned back, from
border's scoped selectors, read as the requesting user); the regressors are seats into Minsk
summed over the week a week earlier (recorded flights for the past, the schedules less the
suspensions for the forecast days) and a flag for a country-wide suspension. A "what if" run
keeps the base run's day and changes one thing: the flights resume on a day.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.core.codes import MEMBER_STATES
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines import forecast as engine
from borderwatch.intelligence import selectors
from borderwatch.intelligence.models import ForecastRun, JobStatus

log = logging.getLogger(__name__)
HISTORY_DAYS = 365  # at most a year of history
SHOWN_DAYS = 56  # observed days stored to draw beside the forecast
CROSSINGS = ("apprehension", "prevention_of_entry")  # persons stopped at or after the line
LAG = engine.SEATS_LAG
REGRESSORS = ("seats_minsk_week_lag7", "country_suspension")
BACKTEST_STAGE = gettext_noop("Backtesting the models")
FORECAST_STAGE = gettext_noop("Forecasting with the chosen model")
WHAT_IF_STAGE = gettext_noop("Forecasting with the flights resumed")


def _windows() -> int:
    return int(getattr(settings, "INTELLIGENCE_BACKTEST_WINDOWS", 8))


def _models() -> tuple[str, ...]:
    return tuple(getattr(settings, "INTELLIGENCE_FORECAST_MODELS", engine.MODELS))


def _check_state(actor: User, member_state: str) -> None:
    check(actor, Capability.RUN_FORECASTS)
    if member_state not in MEMBER_STATES:
        raise ValidationError(_("Unknown member state '%(code)s'.") % {"code": member_state})
    if not selectors.may_forecast(actor, member_state):
        raise PermissionDenied(_("You may forecast only your own member state."))


@transaction.atomic
def request_forecast(
    actor: User,
    member_state: str,
    *,
    section: str = "",
    until: dt.date | None = None,
    horizon: int = 14,
    seed: int = 0,
) -> ForecastRun:
    """Save a run for a state, or one of its border sections (national coordinators: their own
    state; Frontex and the Commission: any) after `until` (default: the last day with events);
    the task starts on commit."""
    _check_state(actor, member_state)
    if not 1 <= horizon <= 14:
        raise ValidationError(_("The horizon is 1 to 14 days."))
    section = section.strip().upper()
    if section and not border_selectors.sections(actor, member_state).filter(code=section).exists():
        raise ValidationError(
            {"section": _("%(state)s has no border section %(code)s.")
             % {"state": member_state, "code": section}}
        )  # fmt: skip
    if until is None:
        until = border_selectors.latest_event_day(actor, [member_state])
        if until is None:
            raise ValidationError(_("There are no crossings to forecast from yet."))
    run = ForecastRun.objects.create(
        member_state=member_state,
        section=section,
        horizon=horizon,
        until=until,
        seed=seed,
        requested_by=actor,
        stage=gettext_noop("Waiting for a worker"),
    )
    return _queued(
        actor, run, {"section": section, "until": until, "horizon": horizon, "seed": seed}
    )


@transaction.atomic
def request_what_if(actor: User, base_id: int, resume_on: dt.date) -> ForecastRun:
    """A run beside a finished base run: the same state, day and horizon; the flights resume on
    `resume_on` (a day after the base's last observed day)."""
    base = selectors.forecast_run(actor, base_id)
    _check_state(actor, base.member_state)
    if base.status != JobStatus.DONE:
        raise ValidationError(_("The base forecast has not finished."))
    if base.base_id is not None:
        raise ValidationError(_("A what-if run is made from a base forecast."))
    if resume_on <= base.until:
        raise ValidationError(
            _("The flights must resume after %(day)s, the last observed day.")
            % {"day": base.until.isoformat()}
        )
    run = ForecastRun.objects.create(
        member_state=base.member_state,
        section=base.section,
        horizon=base.horizon,
        until=base.until,
        seed=base.seed,
        base=base,
        resume_on=resume_on,
        requested_by=actor,
        stage=gettext_noop("Waiting for a worker"),
    )
    return _queued(actor, run, {"base": base.pk, "resume_on": resume_on})


def _queued(actor: User, run: ForecastRun, asked: dict[str, Any]) -> ForecastRun:
    """A saved run's request audited; its task starts once the transaction commits."""
    audit.record(actor, Action.FORECAST_REQUEST, run, member_state=run.member_state, new=asked)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from borderwatch.intelligence.tasks import compute_forecast

    result = compute_forecast.enqueue(run_id)
    ForecastRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


def _progress(run_id: int, percent: int, stage: str) -> None:
    ForecastRun.objects.filter(pk=run_id).update(progress=percent, stage=stage[:120])


def crossings(reader: User, member_state: str, until: dt.date, section: str = "") -> engine.Series:
    """Daily persons apprehended or turned back (in the state, or on one of its sections), zero
    on quiet days, from the first day with any within the last `HISTORY_DAYS` days up to
    `until`."""
    start = until - dt.timedelta(days=HISTORY_DAYS - 1)
    rows = border_selectors.daily_persons(
        reader, start, until, [member_state], CROSSINGS, section=section
    )
    by_day: dict[dt.date, int] = {}
    for _country, day, n in rows:
        by_day[day] = by_day.get(day, 0) + n
    if by_day:
        start = max(start, min(by_day))
    days = (until - start).days + 1
    values = [by_day.get(start + dt.timedelta(days=i), 0) for i in range(days)]
    return engine.Series.of(start, values, f"{member_state} {section}".strip())


def regressors(
    series: engine.Series, horizon: int, *, resume_on: dt.date | None = None
) -> engine.Regressors:
    """Seats into Minsk over the week a week earlier, and the country-wide suspension flag, for
    the series' days (recorded flights) and the forecast days (the schedules, less the
    suspensions; with `resume_on`, none from that day)."""
    lead = LAG + 6
    first = series.start - dt.timedelta(days=lead)
    last = series.end + dt.timedelta(days=horizon)
    recorded = selectors.daily_seats(first, series.end)
    planned = selectors.planned_seats(series.end + dt.timedelta(days=1), last, resume_on=resume_on)
    total = (last - first).days + 1
    days = [first + dt.timedelta(days=i) for i in range(total)]
    seats = np.array(
        [recorded.get(d, 0) if d <= series.end else planned.get(d, 0.0) for d in days],
        dtype=np.float64,
    )
    weekly = engine.lagged_weekly(seats, lag=LAG)[lead:]
    stopped = selectors.suspended_days(series.start, last, resume_on=resume_on)
    flag = np.array(
        [1.0 if series.start + dt.timedelta(days=i) in stopped else 0.0 for i in range(len(weekly))]
    )
    matrix = engine.stack(weekly, flag)
    n = len(series.values)
    return engine.Regressors(REGRESSORS, matrix[:n], matrix[n:])


def run_forecast(run_id: int) -> ForecastRun:
    """The task's body: claims the run (queued -> running in one UPDATE, so a duplicated task
    is a no-op), computes it and stores the result, or records the failure."""
    claimed = ForecastRun.objects.filter(pk=run_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        progress=5,
        stage=gettext_noop("Reading crossings and flights"),
    )
    run = ForecastRun.objects.select_related("requested_by", "base").get(pk=run_id)
    if not claimed:
        return run
    try:
        reader = run.requested_by
        if reader is None:
            raise ValueError("a forecast without a requesting user")
        series = crossings(reader, run.member_state, run.until, run.section)
        regs = regressors(series, run.horizon, resume_on=run.resume_on)

        def progress(percent: int, stage: str) -> None:
            # the engine's stage names a model; the page shows a translated stage instead
            _progress(run_id, percent, BACKTEST_STAGE if percent < 80 else FORECAST_STAGE)

        if run.base is None:
            result = engine.run(
                series,
                run.horizon,
                models=_models(),
                regressors=regs,
                windows=_windows(),
                seed=run.seed,
                progress=progress,
            )
            run.model, run.scores = result.chosen, result.backtest.as_json()
            run.inputs = result.inputs | {"regressor_lag_days": LAG}
            rows = result.forecast.rows()
        else:
            # Only the regressor model hears the change: it makes both forecasts, so that the
            # difference beside the base is the flights' and nothing else.
            _progress(run_id, 40, WHAT_IF_STAGE)
            unchanged = engine.forecast(
                series, run.horizon, engine.ARIMA_X, regressors=regressors(series, run.horizon)
            )
            changed = engine.forecast(series, run.horizon, engine.ARIMA_X, regressors=regs)
            run.model, run.scores = engine.ARIMA_X, run.base.scores
            run.inputs = dict(run.base.inputs) | {
                "resume_on": run.resume_on.isoformat() if run.resume_on else None,
                "unchanged": unchanged.rows(),
                "planned_seats": [round(float(v), 1) for v in regs.future[:, 0]],
            }
            rows = changed.rows()
        shown = series.values[-SHOWN_DAYS:]
        first = series.end - dt.timedelta(days=len(shown) - 1)
        run.history = [
            {"day": (first + dt.timedelta(days=i)).isoformat(), "value": float(v)}
            for i, v in enumerate(shown)
        ]
        with transaction.atomic():
            run.forecast = rows
            run.status, run.progress, run.stage = JobStatus.DONE, 100, gettext_noop("Done")
            run.finished_at = timezone.now()
            run.save()
            audit.record(
                None,
                Action.FORECAST_DONE,
                run,
                member_state=run.member_state,
                new={"model": run.model, "horizon": run.horizon, "until": run.until},
            )
    except Exception as exc:
        log.exception("forecast run %s failed", run_id)
        _fail(run_id, str(exc) if isinstance(exc, engine.ForecastError) else type(exc).__name__)
        run.refresh_from_db()
    return run


def _fail(run_id: int, error: str) -> None:
    run = ForecastRun.objects.get(pk=run_id)
    workers.mark_failed(run, failed=JobStatus.FAILED, error=error)
    audit.record(
        None, Action.FORECAST_FAILED, run, member_state=run.member_state, new={"error": run.error}
    )


def recover_forecasts(lost: workers.Lost) -> int:
    """Runs whose task worker stopped: queued again with their task, or failed visibly.
    Called by core.workers.recover inside its transaction; audited as the system."""
    active = ForecastRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return workers.recover_jobs(
        lost,
        active,
        since="requested_at",
        requeue=lambda run: workers.requeue_job(
            run,
            queued=JobStatus.QUEUED,
            stage=gettext_noop("The worker stopped during this forecast; it was started again"),
            action=Action.FORECAST_REQUEUE,
            member_state=run.member_state,
        ),
        fail=lambda run: _fail(run.pk, gettext_noop("the task worker stopped")),
    )


def comparison(run: ForecastRun) -> dict[str, Any]:
    """Chart data: observed days, the forecast with its band, and for a what-if run the
    regressor model's forecast with the flights as recorded."""
    return {
        "history": run.history,
        "forecast": run.forecast,
        "unchanged": run.inputs.get("unchanged", []) if run.base_id else [],
        "level": run.scores.get("level", engine.LEVEL),
    }
