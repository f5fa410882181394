"""Situational picture pages: thin, read-only; every figure comes from picture.selectors."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from borderwatch.core.permissions import requires
from borderwatch.core.roles import Capability
from borderwatch.picture import charts, l10n, outlines, selectors, story, towns
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


# Numbers that pick each plural form of the languages we serve; the script chooses the form
# whose Intl.PluralRules category matches its number's.
PLURAL_SAMPLES = (0, 1, 2, 5, 10, 11, 21, 22, 25, 101)


def _plural(message: Callable[[int], str]) -> dict[str, str]:
    """A message with a `{count}` slot in every plural form, keyed by a number that selects it."""
    return {str(n): message(n) % {"count": "{count}"} for n in PLURAL_SAMPLES}


def _script_text() -> dict[str, Any]:
    """What situation.js shows, in the reader's language; `{name}` slots are filled there."""
    return {
        "locale": "en-GB" if l10n.language() == "en" else l10n.language(),
        "levels": {code: str(label) for code, label in l10n.LEVEL_LABELS.items()},
        "history": _("History"),
        "never_assessed": _("never assessed (low)"),
        "what_happened": _("{state}: what happened"),
        "annotation_period": _("{number}. {kind}, {from} to {to}"),
        "annotation_from": _("{number}. {kind}, from {from}"),
        "annotation_source": _("{title} (source: {source})"),
        "section_tooltip": _("{code}: {level} on {day}"),
        "level_on": _("Impact level on {day}"),
        "border": _("Border"),
        "length": _("Length"),
        "length_value": _("{km} km"),
        "persons": _("Persons"),
        "local_time": _("Local time"),
        "section": _("Section"),
        "events_capped": _(
            "Showing the newest {shown} of {total} events; narrow the period to see all."
        ),
        "events_shown": _plural(
            lambda n: ngettext("%(count)s event shown.", "%(count)s events shown.", n)
        ),
        "facility_alert": _("above 90 %; select one for its occupancy"),
        "layers_failed": _("The map layers could not be loaded."),
    }


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
    context["script_text"] = _script_text()
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
