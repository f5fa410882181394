"""Dates and times on the border pages, as the user's language writes them.

Lithuanian, Latvian and Polish pages use their locale's formats (2021-08-28 01:05,
28.08.2021 01:05, 28-08-2021 01:05; "2021 m. rugpjūčio 27 d."). English pages keep the
unambiguous style the border pages always had (2021-08-28 01:05, 27 Aug 2021) rather than
Django's American one (08/28/2021 1:05 a.m.). Forms, URLs, data attributes and exports keep ISO.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation

# The English formats; any other language uses the named format of its locale.
ENGLISH = {
    "SHORT_DATETIME_FORMAT": "Y-m-d H:i",
    "SHORT_DATE_FORMAT": "Y-m-d",
    "DATE_FORMAT": "j M Y",
}


def _format(name: str) -> str:
    language = translation.get_language() or "en"
    return ENGLISH[name] if language.split("-")[0] == "en" else name


def short_datetime(value: dt.datetime) -> str:
    """A date and time with minutes, in the value's own zone (convert it first)."""
    return formats.date_format(value, _format("SHORT_DATETIME_FORMAT"))


def short_date(value: dt.date) -> str:
    return formats.date_format(value, _format("SHORT_DATE_FORMAT"))


def long_date(value: dt.date) -> str:
    """A day with its month's name: 27 Aug 2021, 2021 m. rugpjūčio 27 d., 27 sierpnia 2021."""
    return formats.date_format(value, _format("DATE_FORMAT"))
