"""Situational picture pages: thin, read-only; every figure comes from picture.selectors."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from borderwatch.core.permissions import requires
from borderwatch.core.roles import Capability
from borderwatch.picture import charts, outlines, selectors, story, towns
from borderwatch.picture.forms import DayForm, PeriodForm


def _query(countries: list[str] | None, start: dt.date, end: dt.date) -> str:
    pairs: list[tuple[str, str]] = [("start", start.isoformat()), ("end", end.isoformat())]
    pairs += [("country", c) for c in countries or []]
    return urlencode(pairs)


def _latest_records(daily: list[selectors.DailyFigure]) -> list[selectors.DailyFigure]:
    """Each country's newest record in the period: the largest single day of its year so far."""
    latest: dict[str, selectors.DailyFigure] = {}
    for row in daily:  # newest first
        if row.is_record:
            latest.setdefault(row.country, row)
    return sorted(latest.values(), key=lambda r: r.country_name)


@require_GET
@requires(Capability.VIEW_PICTURE)
def situation(request: HttpRequest) -> HttpResponse:
    """Map, chart and table of daily figures; HTMX swaps only the figures when filters change."""
    form = PeriodForm(request.user, request.GET or None)  # type: ignore[arg-type]
    countries, start, end = form.period()
    if not form.is_bound:  # show the default period in the inputs
        form.initial = {"start": start, "end": end}
    daily = selectors.daily_figures(request.user, start, end, countries)  # type: ignore[arg-type]
    notes = story.collect(request.user, start, end, countries)  # type: ignore[arg-type]
    query = _query(countries, start, end)
    context: dict[str, Any] = {
        "form": form,
        "start": start,
        "end": end,
        "countries": countries,
        "figures": daily,
        "records": _latest_records(daily),
        "totals": selectors.period_totals(daily),
        "annotations": notes,
        "chart": charts.daily_chart(daily, start, end, notes),
        "layers_url": f"{reverse('api-1:picture_map_layers')}?{query}",
        "csv_url": f"{reverse('picture:daily_csv')}?{query}",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "picture/_figures.html", context)
    context["outlines_url"] = reverse("picture:outlines")
    context["towns_url"] = reverse("picture:towns")
    return render(request, "picture/situation.html", context)


@require_GET
@requires(Capability.VIEW_PICTURE)
def bulletin(request: HttpRequest) -> HttpResponse:
    """The printable daily bulletin; opens on the latest day with data."""
    form = DayForm(request.GET or None)
    day = form.cleaned_data.get("day") if form.is_valid() else None
    day = day or selectors.latest_day(request.user) or timezone.localdate()  # type: ignore[arg-type]
    report = selectors.bulletin(request.user, day)  # type: ignore[arg-type]
    if not form.is_bound:
        form.initial = {"day": day}
    context = {
        "form": form,
        "report": report,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
    }
    return render(request, "picture/bulletin.html", context)


@require_GET
@requires(Capability.VIEW_PICTURE)
def country_outlines(request: HttpRequest) -> JsonResponse:
    """GeoJSON outlines of the visible member states and their neighbours (map backdrop)."""
    data = outlines.outlines(selectors.outline_countries(request.user))  # type: ignore[arg-type]
    response = JsonResponse(data)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@requires(Capability.VIEW_PICTURE)
def town_labels(request: HttpRequest) -> JsonResponse:
    """Towns of the visible member states and their neighbours, with the zoom to label them."""
    codes = [code for code, _, _ in selectors.outline_countries(request.user)]  # type: ignore[arg-type]
    response = JsonResponse(towns.towns(codes))
    response["Cache-Control"] = "private, max-age=3600"
    return response


CSV_COLUMNS = [
    "date", "country", "country_name", "nationality", "nationality_name", "persons",
    "country_day_persons", "country_ytd_persons", "largest_day_this_year",
]  # fmt: skip


@require_GET
@requires(Capability.EXPORT_FIGURES)
def daily_csv(request: HttpRequest) -> HttpResponse:
    """Daily figures per country and nationality: aggregates only, no personal data."""
    form = PeriodForm(request.user, request.GET or None)  # type: ignore[arg-type]
    if request.GET and not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    countries, start, end = form.period()
    rows = selectors.daily_figures(request.user, start, end, countries)  # type: ignore[arg-type]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"daily-figures_{start.isoformat()}_{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for f in sorted(rows, key=lambda r: (r.day, r.country)):
        for n in f.nationalities:
            writer.writerow(
                [f.day.isoformat(), f.country, f.country_name, n.code, n.name, n.persons,
                 f.persons, f.ytd, "yes" if f.is_record else "no"]
            )  # fmt: skip
    return response
