"""The picture in the reader's language: country names, impact levels, dates and numbers.

Country and nationality names come from the ISO 3166 translations bundled with pycountry, so a
Lithuanian officer reads "Lenkija", a Polish one "Litwa". English keeps the names of the
reference data as they are. Dates follow Django's formats of the active language, except in
English, where the picture keeps its compact day-month-year ("27 Jul 2021").
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from functools import cache

import pycountry
from django.utils import dateformat, formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Impact levels in running text ("high on 31 Jul"), lower case as the legend shows them.
LEVEL_LABELS = {
    "low": _("low"),
    "medium": _("medium"),
    "high": _("high"),
    "critical": _("critical"),
}

# English day formats of the picture; other languages use their Django formats (see `day`).
ENGLISH_DAY_FORMATS = {
    "short": "j M",  # chart axis, day navigation
    "weekday": "D j M",  # busiest day
    "medium": "j M Y",  # headings and periods
    "row": "D j M Y",  # table rows
    "long": "l j F Y",  # the bulletin's day
}


def language() -> str:
    return (get_language() or "en").split("-")[0]


@cache
def _iso3166(lang: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    )


def country_name(code: str, name: str) -> str:
    """`name` (the English name of `code`) in the active language, where ISO 3166 has it."""
    lang = language()
    if lang == "en":
        return name
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return name
    catalogue = _iso3166(lang)
    for english in (getattr(country, "common_name", None), country.name, name):
        if english:
            translated = catalogue.gettext(english)
            if translated != english:
                return translated
    return name


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def day(value: dt.date | None, style: str = "medium") -> str:
    """A day for reading: "27 Jul 2021" in English, "2021 m. liepos 27 d." in Lithuanian."""
    if value is None:
        return ""
    if language() == "en":
        return dateformat.format(value, ENGLISH_DAY_FORMATS.get(style, "j M Y"))
    # Weekday abbreviations read poorly in these languages ("K" for ketvirtadienis): left out.
    if style in ("short", "weekday"):
        return formats.date_format(value, "MONTH_DAY_FORMAT")
    if style == "row":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if style == "long":
        return dateformat.format(value, "l") + ", " + formats.date_format(value, "DATE_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def number(value: int | float | None, decimals: int | None = None) -> str:
    """3,027 in English, 3 027 in Polish; one decimal for fractions unless told otherwise."""
    if value is None:
        return "\N{EN DASH}"
    if decimals is None:
        decimals = 1 if isinstance(value, float) and not value.is_integer() else 0
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
