"""{{ d|day }} and {{ t|moment }}: dates and times in the user's language (reception.formats)."""

from __future__ import annotations

import datetime as dt

from django import template

from borderwatch.reception import formats, texts

register = template.Library()


@register.filter
def day(value: dt.date | None) -> str:
    return formats.day(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    return formats.moment(value)


@register.filter
def rule_label(value: str) -> str:
    return texts.rule(value)


@register.filter
def reason_text(value: str) -> str:
    return texts.reason(value)


@register.filter
def stage_text(value: str) -> str:
    return texts.stage(value)


@register.filter
def need_labels(values: list[str]) -> str:
    return texts.needs(values)
