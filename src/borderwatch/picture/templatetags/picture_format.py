"""Readable numbers and days for the picture, in the reader's language: 3,027 rather than 3027
(3 027 in Polish), signed changes, and days such as "27 Jul 2021" or "2021 m. liepos 27 d."."""

from __future__ import annotations

import datetime as dt

from django import template

from borderwatch.picture import l10n

register = template.Library()


@register.filter
def thousands(value: int | float | None) -> str:
    return l10n.number(value)


@register.filter
def decimal1(value: int | float | None) -> str:
    """One decimal, localized (7-day averages)."""
    return l10n.number(value, 1)


@register.filter
def signed(value: int | float) -> str:
    """+12, minus 5 or ±0: a change against a reference day."""
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "\N{MINUS SIGN}"
    return sign + thousands(abs(value))


@register.filter
def day(value: dt.date | None, style: str = "medium") -> str:
    return l10n.day(value, style)


@register.filter
def level_label(value: str) -> str:
    return l10n.level_label(value)
