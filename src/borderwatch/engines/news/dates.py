"""Date phrases of an article resolved against its publication day in its time zone.

Relative phrases ("on Tuesday night", "since Friday", "in the past 24 hours", "so far this
year") are resolved by explicit rules so that each resolution can say how it was made;
absolute ones ("27 July", "Aug. 1, 2021", "yesterday") go through dateparser, with the
publication day as its relative base and past dates preferred (a news report tells what happened).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser

from borderwatch.engines.news.model import NewsError, ResolvedDate, Span

WEEKDAYS = [name.lower() for name in calendar.day_name]
MONTHS = [name.lower() for name in calendar.month_name if name]
_WD = "|".join(WEEKDAYS)
_MON = (
    r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|"
    r"aug(?:ust|\.)?|sep(?:t(?:ember|\.)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
_PART = r"(?:\s+(?:night|morning|evening|afternoon))?"
#: a day of a month without a year ("August 10", "10 August", "Aug. 10th")
_ABS = rf"(?:\d{{1,2}}\s+{_MON}|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?)"

# Order matters: longer forms first; a later pattern never overlaps an earlier match.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "wd_range",
        re.compile(
            rf"\b(?:from|between)\s+({_WD}){_PART}\s+(?:to|and|until|through)\s+({_WD}){_PART}\b",
            re.I,
        ),
    ),
    (
        "abs_span",
        re.compile(
            rf"\b(?:from|between)\s+({_ABS})\s+(?:to|and|until|till|through)\s+({_ABS})(?![\w])",
            re.I,
        ),
    ),
    (
        "since_abs",
        re.compile(rf"\bsince\s+({_ABS})(?![\w])", re.I),
    ),
    (
        "abs_range",
        re.compile(
            rf"\b(\d{{1,2}})\s*[-\u2013]\s*(\d{{1,2}})\s+({_MON})(?:\s+(\d{{4}}))?(?![\w])", re.I
        ),
    ),
    (
        "abs",
        re.compile(
            rf"\b(?:\d{{1,2}}\s+{_MON}(?:\s+\d{{4}})?|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)(?![\w])",
            re.I,
        ),
    ),
    (
        "past_n",
        re.compile(
            r"\b(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(?:(\d+|two|three|four|five|six|seven|ten)\s+)?(hours?|days?|week|weekend|month)\b",
            re.I,
        ),
    ),
    (
        "within_n",
        re.compile(
            r"\bwithin\s+(?:the\s+)?(?:past\s+|last\s+)?(\d+)[\s-](hours?|days?)(?:\s+period)?\b",
            re.I,
        ),
    ),
    ("week", re.compile(r"\b(last|next|this)\s+week\b", re.I)),
    (
        "in_year",
        re.compile(r"\b(?:in|of|during)\s+(?:all\s+of\s+)?((?:19|20)\d{2})\b(?!\s*[-/.]\d)", re.I),
    ),
    ("since_wd", re.compile(rf"\bsince\s+({_WD}){_PART}\b", re.I)),
    (
        "year",
        re.compile(
            r"\b(?:so\s+far\s+this\s+year|since\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year|this\s+year)\b",
            re.I,
        ),
    ),
    (
        "weekend",
        re.compile(
            r"\b(?:over|at|during)\s+the\s+weekend\b|\blast\s+weekend\b|\bthis\s+weekend\b", re.I
        ),
    ),
    ("last_month", re.compile(rf"\b(?:last|in|since|during)\s+({_MON})(?:\s+(\d{{4}}))?\b", re.I)),
    ("wd", re.compile(rf"\b(?:(last|this|on|early\s+on|late\s+on)\s+)?({_WD}){_PART}\b", re.I)),
    (
        "rel",
        re.compile(
            r"\b(?:yesterday|today|last\s+night|overnight|tonight|this\s+morning|(?:two|three|\d+)\s+days\s+ago)\b",
            re.I,
        ),
    ),
]
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise NewsError(f"unknown time zone {name!r}") from exc


def local_day(published: dt.datetime | dt.date, time_zone: str) -> dt.date:
    """The publication day in the article's time zone (a datetime is converted first)."""
    tz = zone(time_zone)
    if isinstance(published, dt.datetime):
        if published.tzinfo is None:
            return published.date()
        return published.astimezone(tz).date()
    return published


def _label(day: dt.date) -> str:
    return f"{calendar.day_name[day.weekday()]} {day.isoformat()}"


def _weekday_before(pub: dt.date, weekday: int, strictly: bool = False) -> dt.date:
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strictly:
        back = 7
    return pub - dt.timedelta(days=back)


def _month_index(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


def _parse_absolute(phrase: str, pub: dt.date) -> dt.date | None:
    base = dt.datetime(pub.year, pub.month, pub.day, 12)  # noqa: DTZ001 - a calendar day, no instant
    parsed = dateparser.parse(
        phrase.replace(".", ""),
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": ["day", "month"],
        },
    )
    return parsed.date() if parsed else None


def _nearest_year(phrase: str, pub: dt.date) -> dt.date | None:
    """A day and month without a year, in the year that puts it nearest the publication day:
    "November 10" in a report of 10 August is the coming one (a period announced), "December
    20" in a report of 5 January the one just past."""
    day = _parse_absolute(phrase, pub)
    if day is None:
        return None
    candidates = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(candidates, key=lambda d: (abs((d - pub).days), d > pub))


def _resolve(kind: str, m: re.Match[str], pub: dt.date) -> tuple[dt.date, dt.date, str] | None:
    text = m.group(0).lower()
    pub_label = f"publication date ({_label(pub)})"
    if kind == "wd_range":
        first = _weekday_before(pub, WEEKDAYS.index(m.group(1).lower()))
        last = _weekday_before(pub, WEEKDAYS.index(m.group(2).lower()))
        if last < first:
            first -= dt.timedelta(days=7)
        return first, last, f"{m.group(1)} to {m.group(2)} on or before the {pub_label}"
    if kind == "abs_span":
        first_day = _nearest_year(m.group(1), pub)
        last_day = _nearest_year(m.group(2), pub)
        if first_day is None or last_day is None:
            return None
        if last_day < first_day:
            last_day = last_day.replace(year=last_day.year + 1)
        return first_day, last_day, f"both days as written, in the year nearest the {pub_label}"
    if kind == "since_abs":
        day = _nearest_year(m.group(1), pub)
        if day is None or day > pub:
            return None
        return day, pub, f"from {m.group(1)} to the {pub_label}"
    if kind == "within_n":
        n = int(m.group(1))
        days = max(1, (n + 23) // 24) if m.group(2).lower().startswith("hour") else n
        return pub - dt.timedelta(days=days), pub, f"{m.group(0).strip()} up to the {pub_label}"
    if kind == "week":
        monday = pub - dt.timedelta(days=pub.weekday())
        shift = {"last": -7, "next": 7, "this": 0}[m.group(1).lower()]
        first = monday + dt.timedelta(days=shift)
        return (
            first,
            first + dt.timedelta(days=6),
            f"{m.group(0)}: Monday to Sunday, from the {pub_label}",
        )
    if kind == "in_year":
        year = int(m.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31), f"the year {year}"
    if kind == "abs_range":
        year = int(m.group(4)) if m.group(4) else pub.year
        month = _month_index(m.group(3))
        try:
            first = dt.date(year, month, int(m.group(1)))
            last = dt.date(year, month, int(m.group(2)))
        except ValueError:
            return None
        if not m.group(4) and first > pub:
            first, last = first.replace(year=year - 1), last.replace(year=year - 1)
        return first, last, "days of the month as written; year of the publication date"
    if kind == "abs":
        if re.search(r"\d{4}", m.group(0)):
            day = _parse_absolute(m.group(0), pub)
            rule = "date as written (dateparser)"
        else:
            day = _nearest_year(m.group(0), pub)
            rule = f"day as written, in the year nearest the {pub_label}"
        if day is None:
            return None
        return day, day, rule
    if kind == "past_n":
        amount = m.group(1)
        n = 1 if amount is None else (int(amount) if amount.isdigit() else _SMALL[amount.lower()])
        unit = m.group(2).lower()
        if unit.startswith("hour"):
            days = max(1, (n + 23) // 24)
        elif unit.startswith("day"):
            days = n
        elif unit == "weekend":
            sat = _weekday_before(pub, 5, strictly=True)
            return sat, sat + dt.timedelta(days=1), f"the weekend before the {pub_label}"
        elif unit == "week":
            days = 7
        else:
            days = 30
        return pub - dt.timedelta(days=days), pub, f"{m.group(0).strip()} up to the {pub_label}"
    if kind == "since_wd":
        first = _weekday_before(pub, WEEKDAYS.index(m.group(1).lower()), strictly=True)
        return first, pub, f"from the last {m.group(1)} to the {pub_label}"
    if kind == "year":
        return dt.date(pub.year, 1, 1), pub, f"1 January to the {pub_label}"
    if kind == "weekend":
        strict = not text.startswith("this")
        sat = _weekday_before(pub, 5, strictly=strict and pub.weekday() != 6)
        return sat, min(pub, sat + dt.timedelta(days=1)), f"the weekend before the {pub_label}"
    if kind == "last_month":
        month = _month_index(m.group(1))
        year = int(m.group(2)) if m.group(2) else pub.year
        if not m.group(2) and (
            month > pub.month or (text.startswith("last") and month >= pub.month)
        ):
            year -= 1
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if text.startswith("since"):
            return dt.date(year, month, 1), pub, f"from 1 {m.group(1)} {year} to the {pub_label}"
        return dt.date(year, month, 1), last, f"the month of {m.group(1)} {year}"
    if kind == "wd":
        qualifier = (m.group(1) or "").lower()
        day = _weekday_before(pub, WEEKDAYS.index(m.group(2).lower()), strictly=qualifier == "last")
        return day, day, f"{m.group(2)} on or before the {pub_label}"
    if kind == "rel":
        if text in ("today", "tonight", "this morning"):
            return pub, pub, f"the {pub_label}"
        if text in ("last night", "overnight"):
            day = pub - dt.timedelta(days=1)
            return day, day, f"the night before the {pub_label}"
        day = _parse_absolute(m.group(0), pub) if text != "yesterday" else None
        if day is None:
            back = (
                1 if text == "yesterday" else _SMALL.get(text.split()[0], 0) or int(text.split()[0])
            )
            day = pub - dt.timedelta(days=back)
        return day, day, f"{m.group(0)} from the {pub_label}"
    return None


def resolve_dates(
    text: str, published: dt.datetime | dt.date, time_zone: str
) -> list[ResolvedDate]:
    """Every date phrase in the text, resolved; ordered by position."""
    pub = local_day(published, time_zone)
    taken: list[tuple[int, int]] = []
    found: list[ResolvedDate] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            resolved = _resolve(kind, m, pub)
            if resolved is None:
                continue
            # "the largest number in a single day this year" is a record's scope, kept as a period
            taken.append((start, end))
            found.append(
                ResolvedDate(m.group(0), Span(start, end), resolved[0], resolved[1], resolved[2])
            )
    return sorted(found, key=lambda d: d.span.start)
