"""The Belarus border crisis, summer 2021: reproducible synthetic events around fixed facts.

Fixed (shared/SCENARIO.md and the press reports it cites): Lithuania apprehended 171 people,
all Iraqi, on the night of Tuesday 27 July 2021, the largest number in a single day that year,
bringing the year's total to 3,027 (188 from January to May, 473 in June, 2,366 in July up to
the 27th). Year-to-date nationalities on that day: 1,910 Iraq, 191 Congo, 129 Cameroon,
83 Russia, 81 Iran. Iraq suspended flights to Minsk on 6 August and crossings into Lithuania
fell. Poland detained a record 349 people over the weekend Friday 6 to Monday 9 August.
Latvia declared an emergency on 10 August.

Everything else (hours, places, group sizes, other nationalities, other days) is generated
from the seed. Numbers only: this module knows nothing of Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

YEAR = 2021
START = dt.date(YEAR, 1, 1)
END = dt.date(YEAR, 8, 31)
RECORD_DAY = dt.date(YEAR, 7, 27)  # a Tuesday
RECORD_PERSONS = 171
YTD_ON_RECORD_DAY = 3027
LT_JAN_MAY, LT_JUNE, LT_JULY_TO_RECORD = 188, 473, 2366
FLIGHTS_SUSPENDED = dt.date(YEAR, 8, 6)
PL_RECORD_WEEKEND = (dt.date(YEAR, 8, 6), dt.date(YEAR, 8, 9))  # Friday to Monday
PL_WEEKEND_PERSONS = 349
LV_EMERGENCY = dt.date(YEAR, 8, 10)

# Year-to-date nationalities of Lithuania's apprehended on the record day (press report).
LT_YTD_NATIONALITIES = {"IQ": 1910, "CG": 191, "CM": 129, "RU": 83, "IR": 81}
# The rest of that year-to-date, and everyone elsewhere, drawn from these weights.
OTHER_NATIONALITIES = {
    "SY": 0.22, "AF": 0.16, "GN": 0.09, "ML": 0.07, "NG": 0.07, "LK": 0.05, "TR": 0.06,
    "IN": 0.05, "CD": 0.05, "TJ": 0.05, "XX": 0.13,
}  # fmt: skip
IRAQ_SHARE_ELSEWHERE = 0.6  # Poland and Latvia: Iraq dominant, others present

# Sections where pressure concentrates (weights over a country's sections by code), so that
# their impact level rises; the rest share a small base weight.
HOTSPOTS = {
    "LT": {"LT-BY-16": 5.0, "LT-BY-09": 4.0, "LT-BY-10": 3.0, "LT-BY-14": 2.0, "LT-BY-08": 1.5},
    "PL": {"PL-BY-02": 4.0, "PL-BY-03": 3.0, "PL-BY-04": 2.0, "PL-BY-01": 1.5},
    "LV": {},
}


@dataclass(frozen=True)
class GroupEvent:
    """One generated event: a group seen or apprehended at a time on a section."""

    country: str
    day: dt.date
    local_time: dt.time
    section_code: str
    event_type: str
    persons: int
    nationalities: dict[str, int]
    source: str


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _spread(
    total: int, weights: np.ndarray, rng: np.random.Generator, cap: int | None = None
) -> np.ndarray:
    """Integers summing to `total`, proportional to weights with Poisson-like noise, each <= cap."""
    weights = np.asarray(weights, dtype=float)
    noisy = weights * rng.gamma(8.0, 1 / 8.0, size=len(weights))
    counts = np.floor(total * noisy / noisy.sum()).astype(int)
    order = rng.permutation(len(counts))
    i = 0
    while counts.sum() < total:
        j = order[i % len(order)]
        if cap is None or counts[j] < cap:
            counts[j] += 1
        i += 1
    if cap is not None:
        while (counts > cap).any():
            over = int(np.argmax(counts))
            room = np.flatnonzero(counts < cap)
            counts[over] -= 1
            counts[rng.choice(room)] += 1
    return counts


def lithuania_daily(rng: np.random.Generator) -> dict[dt.date, int]:
    """Lithuania's apprehended persons per day, holding every fixed fact exactly."""
    daily: dict[dt.date, int] = {}
    jan_may = _days(START, dt.date(YEAR, 5, 31))
    for day, n in zip(
        jan_may, _spread(LT_JAN_MAY, np.linspace(0.3, 1.5, len(jan_may)), rng, cap=12), strict=True
    ):
        daily[day] = int(n)
    june = _days(dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 30))
    for day, n in zip(
        june, _spread(LT_JUNE, np.linspace(0.4, 2.0, len(june)), rng, cap=60), strict=True
    ):
        daily[day] = int(n)
    july = _days(dt.date(YEAR, 7, 1), RECORD_DAY - dt.timedelta(days=1))
    ramp = np.linspace(0.35, 1.6, len(july))
    for day, n in zip(
        july,
        _spread(LT_JULY_TO_RECORD - RECORD_PERSONS, ramp, rng, cap=RECORD_PERSONS - 11),
        strict=True,
    ):
        daily[day] = int(n)
    daily[RECORD_DAY] = RECORD_PERSONS
    # After the record: still high until the flights stop, then falling.
    after = _days(RECORD_DAY + dt.timedelta(days=1), END)
    for day in after:
        if day < FLIGHTS_SUSPENDED:
            level = 120.0
        else:
            level = max(4.0, 110.0 * 0.8 ** (day - FLIGHTS_SUSPENDED).days)
        daily[day] = int(min(RECORD_PERSONS - 6, rng.poisson(level)))
    return daily


def poland_daily(rng: np.random.Generator) -> dict[dt.date, int]:
    """Poland: a trickle until late July, then the record weekend of 349, then a new plateau."""
    daily: dict[dt.date, int] = {}
    first, last = PL_RECORD_WEEKEND
    weekend = _days(first, last)
    for day in _days(START, END):
        if first <= day <= last:
            continue
        if day < dt.date(YEAR, 7, 15):
            daily[day] = int(rng.poisson(0.4))
        elif day < first:
            daily[day] = int(rng.poisson(4 + 3 * (day - dt.date(YEAR, 7, 15)).days))
        else:
            daily[day] = int(min(80, rng.poisson(45)))
    for day, n in zip(
        weekend, _spread(PL_WEEKEND_PERSONS, np.array([0.9, 1.1, 1.0, 1.0]), rng), strict=True
    ):
        daily[day] = int(n)
    return daily


def latvia_daily(rng: np.random.Generator) -> dict[dt.date, int]:
    """Latvia: hardly any until late July, a surge in early August, fewer after the emergency."""
    daily: dict[dt.date, int] = {}
    for day in _days(START, END):
        if day < dt.date(YEAR, 7, 25):
            daily[day] = int(rng.poisson(0.1))
        elif day < LV_EMERGENCY:
            daily[day] = int(rng.poisson(8 + 4 * (day - dt.date(YEAR, 7, 25)).days))
        else:
            daily[day] = int(rng.poisson(12))
    return daily


def _lithuania_nationalities(
    daily: dict[dt.date, int], rng: np.random.Generator
) -> dict[dt.date, list[str]]:
    """Each apprehended person's nationality, so that the year-to-date facts hold exactly."""
    before = [d for d in sorted(daily) if d < RECORD_DAY]
    pool: list[str] = []
    for code, n in LT_YTD_NATIONALITIES.items():
        pool += [code] * (n - (RECORD_PERSONS if code == "IQ" else 0))
    rest = sum(daily[d] for d in before) - len(pool)
    pool += _draw(OTHER_NATIONALITIES, rest, rng)
    people = np.array(pool)
    rng.shuffle(people)
    by_day: dict[dt.date, list[str]] = {}
    i = 0
    for day in before:
        by_day[day] = people[i : i + daily[day]].tolist()
        i += daily[day]
    by_day[RECORD_DAY] = ["IQ"] * RECORD_PERSONS
    for day in sorted(daily):
        if day > RECORD_DAY:
            by_day[day] = _mixed(daily[day], rng)
    return by_day


def _draw(weights: dict[str, float], n: int, rng: np.random.Generator) -> list[str]:
    codes = list(weights)
    p = np.array([weights[c] for c in codes])
    return [str(c) for c in rng.choice(codes, size=n, p=p / p.sum())]


def _mixed(n: int, rng: np.random.Generator) -> list[str]:
    iraqi = int(rng.binomial(n, IRAQ_SHARE_ELSEWHERE))
    return ["IQ"] * iraqi + _draw(OTHER_NATIONALITIES, n - iraqi, rng)


def _groups(n: int, rng: np.random.Generator, big: bool) -> list[int]:
    """Split n persons into group sizes typical of the day (bigger groups at the peak)."""
    sizes: list[int] = []
    mean = 18 if big else 6
    while n > 0:
        size = int(min(n, max(1, rng.poisson(mean))))
        sizes.append(size)
        n -= size
    return sizes


def _night_time(rng: np.random.Generator, evening_only: bool = False) -> dt.time:
    """Most crossings happen at night; the record night's groups came in the evening."""
    if evening_only:
        minutes = int(rng.integers(18 * 60, 24 * 60))
    elif rng.random() < 0.8:
        minutes = int((rng.integers(20 * 60, 30 * 60)) % (24 * 60))
    else:
        minutes = int(rng.integers(6 * 60, 20 * 60))
    return dt.time(minutes // 60, minutes % 60)


def generate(seed: int, section_codes: dict[str, list[str]]) -> list[GroupEvent]:
    """Every event of the scenario for the member states in `section_codes` (code lists)."""
    rng = np.random.default_rng(seed)
    events: list[GroupEvent] = []
    plans = {"LT": lithuania_daily(rng), "PL": poland_daily(rng), "LV": latvia_daily(rng)}
    lt_nationalities = _lithuania_nationalities(plans["LT"], rng)
    for country, daily in plans.items():
        codes = section_codes.get(country) or []
        if not codes:
            continue
        hot = HOTSPOTS.get(country, {})
        weights = np.array([hot.get(c, 0.4) for c in codes])
        for day in sorted(daily):
            total = daily[day]
            if total == 0:
                continue
            people = lt_nationalities[day] if country == "LT" else _mixed(total, rng)
            rng.shuffle(people)
            big = total > 60
            record = country == "LT" and day == RECORD_DAY
            start = 0
            for size in _groups(total, rng, big):
                group = people[start : start + size]
                start += size
                counts = _count(group)
                section = codes[int(rng.choice(len(codes), p=weights / weights.sum()))]
                events.append(
                    GroupEvent(
                        country=country,
                        day=day,
                        local_time=_night_time(rng, evening_only=record),
                        section_code=section,
                        event_type="apprehension",
                        persons=size,
                        nationalities=counts,
                        source="patrol" if rng.random() < 0.7 else "sensor",
                    )
                )
            # Groups seen but not stopped, and (after pushbacks began) entries prevented.
            for kind, share in (
                ("illegal_crossing_detected", 0.15),
                ("prevention_of_entry", _prevented_share(country, day)),
            ):
                extra = int(rng.poisson(total * share)) if share else 0
                for size in _groups(extra, rng, big=False):
                    section = codes[int(rng.choice(len(codes), p=weights / weights.sum()))]
                    events.append(
                        GroupEvent(
                            country=country,
                            day=day,
                            local_time=_night_time(rng),
                            section_code=section,
                            event_type=kind,
                            persons=size,
                            nationalities=_count(_mixed(size, rng)),
                            source="camera" if kind == "illegal_crossing_detected" else "patrol",
                        )
                    )
    return events


def _count(codes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return counts


def _prevented_share(country: str, day: dt.date) -> float:
    if country == "LT" and day >= dt.date(YEAR, 8, 3):  # pushback order from 3 August
        return 1.5
    if country == "LV" and day >= LV_EMERGENCY:
        return 2.0
    if country == "PL" and day >= PL_RECORD_WEEKEND[1]:
        return 1.0
    return 0.0
