"""Dates as the user's language writes them: ISO (2021-08-31) in English, as before, and the
locale's short format in Lithuanian (2021-08-31), Latvian (31.08.2021) and Polish (31-08-2021).

Only for text shown to people: form inputs, URLs and data-* attributes keep ISO values.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def _english() -> bool:
    return (get_language() or "en").split("-")[0] == "en"


def day(value: dt.date | None) -> str:
    """A day for people to read."""
    if value is None:
        return ""
    if _english():
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else f"{value:%Y-%m-%d}"
    return date_format(value, "SHORT_DATE_FORMAT")


def moment(value: dt.datetime | None) -> str:
    """A time for people to read, in local time."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if _english():
        return f"{value:%Y-%m-%d %H:%M}"
    return date_format(value, "SHORT_DATETIME_FORMAT")
