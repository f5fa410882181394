"""Intelligence pages: flights into Minsk beside crossings, the flight import (a job with
progress), forecast runs with their band, model and backtest, and the what-if beside its base.

Thin: parse, call a selector or service, render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.core.codes import MEMBER_STATES
from borderwatch.core.permissions import can, check, current_user, visible_states
from borderwatch.core.roles import Capability
from borderwatch.core.uploads import data_format
from borderwatch.core.web import errors_into, found
from borderwatch.engines import forecast as engine
from borderwatch.intelligence import imports, selectors, services
from borderwatch.intelligence.forms import ForecastForm, ImportForm, WhatIfForm
from borderwatch.intelligence.models import ForecastRun

FLIGHTS_PER_PAGE = 50
CROSSINGS = ("apprehension", "prevention_of_entry")  # as the forecasts count them


def _period(user: User) -> tuple[dt.date, dt.date]:
    """From the first to the last day with flights or events (a year at most)."""
    first, last = selectors.flight_span()
    latest = border_selectors.latest_event_day(user)
    end = max(d for d in (last, latest, first) if d is not None) if (last or latest) else None
    if end is None:
        end = timezone.localdate()  # no data at all: any day will do
    start = min(first or end, end - dt.timedelta(days=7 * 26))
    return max(start, end - dt.timedelta(days=365)), end


def flights(request: HttpRequest) -> HttpResponse:
    """Seats into Minsk per week beside crossings per week, the suspensions, the flights."""
    user = current_user(request)
    check(user, Capability.VIEW_PICTURE)
    start, end = _period(user)
    weeks = selectors.weekly_seats(user, start, end)
    crossings: dict[dt.date, int] = {}
    for _country, day, n in border_selectors.daily_persons(
        user, weeks[0].week_start if weeks else start, end, None, CROSSINGS
    ):
        monday = day - dt.timedelta(days=day.weekday())
        crossings[monday] = crossings.get(monday, 0) + n
    chart = {
        "weeks": [w.week_start.isoformat() for w in weeks],
        "seats": [w.seats for w in weeks],
        "crossings": [crossings.get(w.week_start, 0) for w in weeks],
    }
    page = Paginator(selectors.flights(user), FLIGHTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "intelligence/flights.html",
        {
            "chart": chart,
            "weeks": [(w, crossings.get(w.week_start, 0)) for w in weeks],
            "suspensions": selectors.suspensions(user),
            "routes": selectors.routes(user),
            "page": page,
            "may_import": can(user, Capability.IMPORT_FLIGHTS),
        },
    )


@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.IMPORT_FLIGHTS)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fmt = data_format(upload.name)
        try:
            job = services.submit_import(
                user, form.cleaned_data["kind"], upload.read(), file_name=upload.name, fmt=fmt
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("intelligence:import_job", job_id=job.pk)
    columns = [(kind, label, imports.COLUMNS[kind]) for kind, label in imports.KIND_LABELS.items()]
    return render(
        request,
        "intelligence/import.html",
        {"form": form, "errors": errors, "columns": columns},
        status=422 if errors or form.errors else 200,
    )


def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = found(selectors.import_job, current_user(request), job_id)
    return render(request, "intelligence/import_job.html", {"job": job})


def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = found(selectors.import_job, current_user(request), job_id)
    return render(request, "intelligence/_import_progress.html", {"job": job})


def _states(user: User) -> list[tuple[str, str]]:
    states = visible_states(user)
    codes = sorted(MEMBER_STATES) if states is None else states
    return [(c, str(MEMBER_STATES[c])) for c in codes if c in MEMBER_STATES]


def _sections(user: User) -> list[tuple[str, str]]:
    """The sections the user sees, as "LT-BY-16 Druskininkai" choices, in border order."""
    return [(s.code, f"{s.code} {s.name}") for s in border_selectors.sections(user)]


@require_http_methods(["GET", "POST"])
def forecasts(request: HttpRequest) -> HttpResponse:
    """The runs the user may see, and (for those who may) the form that requests one."""
    user = current_user(request)
    check(user, Capability.VIEW_PICTURE)
    may_run = can(user, Capability.RUN_FORECASTS)
    form = ForecastForm(
        request.POST or None,
        states=_states(user),
        sections=_sections(user),
        initial={"member_state": user.member_state or "LT"},
    )
    if request.method == "POST":
        check(user, Capability.RUN_FORECASTS)
        if form.is_valid():
            try:
                run = services.request_forecast(
                    user,
                    form.cleaned_data["member_state"],
                    section=form.cleaned_data["section"] or "",
                    until=form.cleaned_data["until"],
                    horizon=form.cleaned_data["horizon"],
                )
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                return redirect("intelligence:forecast", run_id=run.pk)
    runs = Paginator(selectors.forecast_runs(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "intelligence/forecasts.html",
        {"form": form, "may_run": may_run, "page": page_rows(runs)},
        status=422 if form.errors else 200,
    )


def page_rows(page: Any) -> Any:
    for run in page:
        run.model_name = engine.MODEL_NAMES.get(run.model, "")
    return page


def _context(run: ForecastRun, user: User) -> dict[str, Any]:
    scores = run.scores.get("scores", [])
    table: dict[str, dict[int, dict[str, Any]]] = {}
    for s in scores:
        table.setdefault(s["model"], {})[s["horizon"]] = s
    shown = [h for h in (1, 7, 14) if h <= run.horizon]
    rows = [
        {
            "model": m,
            "name": engine.MODEL_NAMES.get(m, m),
            "chosen": m == run.model and run.base_id is None,
            "cells": [table[m].get(h, {}) for h in shown],
        }
        for m in table
    ]
    return {
        "run": run,
        "model_name": engine.MODEL_NAMES.get(run.model, run.model),
        "level": run.scores.get("level", engine.LEVEL),
        "horizons": shown,
        "rows": rows,
        "chart": services.comparison(run),
        "what_ifs": list(run.what_ifs.all()) if run.base_id is None else [],
        "what_if_form": WhatIfForm(initial={"resume_on": run.until + dt.timedelta(days=1)}),
        "may_what_if": run.base_id is None
        and run.status == "done"
        and can(user, Capability.RUN_FORECASTS)
        and selectors.may_forecast(user, run.member_state),
        "state_name": " · ".join(
            str(part)
            for part in (MEMBER_STATES.get(run.member_state, run.member_state), run.section)
            if part
        ),
    }


def forecast(request: HttpRequest, run_id: int) -> HttpResponse:
    user = current_user(request)
    run = found(selectors.forecast_run, user, run_id)
    return render(request, "intelligence/forecast.html", _context(run, user))


def forecast_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    user = current_user(request)
    run = found(selectors.forecast_run, user, run_id)
    response = render(request, "intelligence/_forecast_progress.html", _context(run, user))
    if run.finished:
        response["HX-Refresh"] = "true"  # the finished page draws the chart
    return response


@require_POST
def what_if(request: HttpRequest, run_id: int) -> HttpResponse:
    user = current_user(request)
    base = found(selectors.forecast_run, user, run_id)
    form = WhatIfForm(request.POST)
    if form.is_valid():
        try:
            run = services.request_what_if(user, base.pk, form.cleaned_data["resume_on"])
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            return redirect("intelligence:forecast", run_id=run.pk)
    context = _context(base, user) | {"what_if_form": form}
    return render(request, "intelligence/forecast.html", context, status=422)
