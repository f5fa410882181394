"""Readable numbers for the picture: 3,027 rather than 3027, and signed changes."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def thousands(value: int | float | None) -> str:
    if value is None:
        return "\N{EN DASH}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def signed(value: int | float) -> str:
    """+12, minus 5 or ±0: a change against a reference day."""
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "\N{MINUS SIGN}"
    return sign + thousands(abs(value))
