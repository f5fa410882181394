"""Chart.js data for daily persons per country: built here so templates only serialise it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from borderwatch.picture import l10n
from borderwatch.picture.figures import days_between
from borderwatch.picture.selectors import DailyFigure
from borderwatch.picture.story import Annotation

# Colour-blind-safe palette (Okabe-Ito), one colour per country in name order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


ANNOTATION_GREY = "#5b6b7b"


def daily_chart(
    rows: Sequence[DailyFigure],
    start: dt.date,
    end: dt.date,
    annotations: Sequence[Annotation] = (),
) -> dict[str, Any]:
    """Labels for every day of the period and one dataset per country, zero on quiet days;
    annotations as bands over the days they are in force (clipped to the period), in the
    colour of their country's line."""
    days = days_between(start, end)
    names: dict[str, str] = {}
    values: dict[tuple[str, dt.date], int] = {}
    records: dict[tuple[str, dt.date], bool] = {}
    for row in rows:
        names[row.country] = row.country_name
        values[(row.country, row.day)] = row.persons
        records[(row.country, row.day)] = row.is_record
    datasets = []
    for i, (code, name) in enumerate(sorted(names.items(), key=lambda kv: kv[1])):
        datasets.append(
            {
                "label": name,
                "country": code,
                "colour": PALETTE[i % len(PALETTE)],
                "data": [values.get((code, d), 0) for d in days],
                "records": [records.get((code, d), False) for d in days],
            }
        )
    colours = {d["country"]: d["colour"] for d in datasets}
    bands = []
    for number, a in enumerate(annotations, start=1):
        first = max(a.day_from, start)
        last = min(a.day_to or end, end)
        if last < first:
            continue
        bands.append(
            a.as_json()
            | {
                "number": number,
                "from_index": (first - start).days,
                "to_index": (last - start).days,
                "colour": colours.get(a.member_state, ANNOTATION_GREY),
            }
        )
    return {
        "labels": [l10n.day(d, "short") for d in days],
        "dates": [d.isoformat() for d in days],
        "datasets": datasets,
        "annotations": bands,
    }
