"""Template filters for the border pages' dates: `{% load border_dates %}` (see border.dates).

Like Django's `date` filter, an aware time is first converted to the template's current zone
(`{% timezone %}`)."""

from __future__ import annotations

import datetime as dt

from django import template

from borderwatch.border import dates

register = template.Library()


@register.filter(expects_localtime=True)
def short_datetime(value: dt.datetime | None) -> str:
    return dates.short_datetime(value) if value else ""


@register.filter(expects_localtime=True)
def short_date(value: dt.date | None) -> str:
    return dates.short_date(value) if value else ""


@register.filter(expects_localtime=True)
def long_date(value: dt.date | None) -> str:
    return dates.long_date(value) if value else ""
