"""The Belarus border crisis of 2021: reproducible synthetic events that follow reported figures.

The figures the border guards and the press reported (daily, over a few days, per month, year to
date) are listed, each with its source, in `data/reported_2021.csv`; the generator holds every
row marked `held` exactly and fills only the days no one reported, from the seed. Each generated
event says which it is: `reported_source` names the source of the day's figure, and is empty on a
generated day. Fixed facts among them (shared/SCENARIO.md): Lithuania apprehended 171 people, all
Iraqi, on the night of Tuesday 27 July 2021, the largest day of the year so far, bringing the
year's total to 3,027 (1,910 Iraq, 191 Congo, 129 Cameroon, 83 Russia, 81 Iran); 287 in 24 hours
on 1-2 August; from 3 August Lithuania turned people back (prevented entries); Iraq suspended
flights to Minsk on 6 August and detentions in Lithuania fell; Poland detained 349 over Friday 6
to Monday 9 August; Latvia's emergency (decided 10 August, in force 11 August to 10 November)
turned people back; Poland's autumn (about 37,000 attempts, mostly prevented).

Everything else (hours, places, group sizes, other nationalities, unreported days) is generated
from the seed. Numbers only: this module knows nothing of Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

YEAR = 2021
START = dt.date(YEAR, 1, 1)
END = dt.date(YEAR, 12, 31)
RECORD_DAY = dt.date(YEAR, 7, 27)  # a Tuesday
RECORD_PERSONS = 171
YTD_ON_RECORD_DAY = 3027
LT_JAN_MAY, LT_JUNE, LT_JULY_TO_RECORD = 188, 473, 2366
LT_NEW_RECORD = (dt.date(YEAR, 8, 1), 287)  # 24 hours to the morning of Monday 2 August
LT_TURN_BACKS_FROM = dt.date(YEAR, 8, 3)
FLIGHTS_SUSPENDED = dt.date(YEAR, 8, 6)
PL_RECORD_WEEKEND = (dt.date(YEAR, 8, 6), dt.date(YEAR, 8, 9))  # Friday to Monday
PL_WEEKEND_PERSONS = 349
LV_EMERGENCY = dt.date(YEAR, 8, 10)  # decided; Latvia counts its turn-backs from this day
LV_EMERGENCY_IN_FORCE = (dt.date(YEAR, 8, 11), dt.date(YEAR, 11, 10))

DATA_FILE = Path(__file__).with_name("data") / "reported_2021.csv"
MEASURES = ("apprehended", "prevented", "attempts")
KINDS = ("day", "period", "month", "year_to_date")
APPREHENSION, PREVENTION, DETECTION = (
    "apprehension",
    "prevention_of_entry",
    "illegal_crossing_detected",
)
# A reported measure is followed by one event type: Poland's Border Guard counts 'attempts'
# (thwarted at the line) apart from the people it detains, so attempts are prevented entries.
EVENT_TYPE = {"apprehended": APPREHENSION, "prevented": PREVENTION, "attempts": PREVENTION}
COUNTRIES = ("LT", "PL", "LV")

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
# Mean persons per prevented-entry event: turn-backs are counted per group, in larger groups.
PREVENTED_GROUP_MEAN = {"LT": 15, "LV": 12, "PL": 25}
PREVENTED_GROUP_MAX = 100


@dataclass(frozen=True)
class GroupEvent:
    """One generated event: a group seen, apprehended or turned back at a time on a section.

    `reported_source` is the source of the reported figure this event's day follows (the
    day's total of its kind is that figure); empty when the day's figure is generated."""

    country: str
    day: dt.date
    local_time: dt.time
    section_code: str
    event_type: str
    persons: int
    nationalities: dict[str, int]
    source: str
    reported_source: str = ""


@dataclass(frozen=True)
class Reported:
    """One reported figure (a row of the data file)."""

    country: str
    date_from: dt.date
    date_to: dt.date
    measure: str
    persons: int
    kind: str
    held: bool
    source: str
    note: str

    @property
    def event_type(self) -> str:
        return EVENT_TYPE[self.measure]


class ScenarioDataError(ValueError):
    """The reported figures cannot all be held (a conflict, or a malformed data file)."""


def read_reported(path: Path = DATA_FILE) -> list[Reported]:
    """The data file's rows, checked: known countries, measures and kinds, a source on every row,
    no two rows for the same country, dates and measure."""
    rows: list[Reported] = []
    seen: set[tuple[str, dt.date, dt.date, str]] = set()
    with path.open(encoding="utf-8", newline="") as f:
        for line, raw in enumerate(csv.DictReader(f), start=2):
            try:
                row = Reported(
                    country=raw["country"].strip(),
                    date_from=dt.date.fromisoformat(raw["date_from"]),
                    date_to=dt.date.fromisoformat(raw["date_to"]),
                    measure=raw["measure"].strip(),
                    persons=int(raw["persons"]),
                    kind=raw["kind"].strip(),
                    held={"yes": True, "no": False}[raw["held"].strip()],
                    source=(raw["source"] or "").strip(),
                    note=(raw["note"] or "").strip(),
                )
            except (KeyError, ValueError, TypeError, AttributeError) as e:
                raise ScenarioDataError(f"{path.name} line {line}: {e!r}") from e
            problem = (
                "unknown country" if row.country not in COUNTRIES else
                "unknown measure" if row.measure not in MEASURES else
                "unknown kind" if row.kind not in KINDS else
                "no source" if not row.source else
                "dates reversed" if row.date_to < row.date_from else
                "negative persons" if row.persons < 0 else
                "a day row spans days" if row.kind == "day" and row.date_from != row.date_to else
                "held but outside the scenario" if row.held and (
                    row.date_from < START or row.date_to > END) else
                "a year-to-date row not from 1 January" if row.kind == "year_to_date" and (
                    row.date_from != START) else
                ""
            )  # fmt: skip
            key = (row.country, row.date_from, row.date_to, row.measure)
            if not problem and key in seen:
                problem = "duplicate of an earlier row"
            if problem:
                raise ScenarioDataError(f"{path.name} line {line}: {problem}")
            seen.add(key)
            rows.append(row)
    return rows


@functools.cache
def reported() -> tuple[Reported, ...]:
    """The shipped data file's rows (read once)."""
    return tuple(read_reported())


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


DAYS = _days(START, END)


def _index(day: dt.date) -> int:
    return (day - START).days


# --- the level of each series on days no one reported --------------------------------------


@dataclass(frozen=True)
class Series:
    """How one country's events of one type are generated where nothing was reported: the
    first possible day, an expected level per day, and optional per-day bounds."""

    country: str
    event_type: str
    first: dt.date
    level: Callable[[dt.date], float]
    cap: Callable[[dt.date], int | None] = lambda day: None
    floor: Callable[[dt.date], int] = lambda day: 0


def _ramp(day: dt.date, start: dt.date, end: dt.date, a: float, b: float) -> float:
    span = max(1, (end - start).days)
    return a + (b - a) * (day - start).days / span


def _lt_apprehended(day: dt.date) -> float:
    if day < dt.date(YEAR, 6, 1):
        return _ramp(day, START, dt.date(YEAR, 5, 31), 0.3, 1.5)
    if day < dt.date(YEAR, 7, 1):
        return _ramp(day, dt.date(YEAR, 6, 1), dt.date(YEAR, 6, 30), 6.0, 30.0)
    if day <= dt.date(YEAR, 7, 31):
        return _ramp(day, dt.date(YEAR, 7, 1), dt.date(YEAR, 7, 31), 50.0, 130.0)
    if day < LT_TURN_BACKS_FROM:
        return 200.0
    if day < FLIGHTS_SUSPENDED:
        return 30.0 if day == LT_TURN_BACKS_FROM else 10.0
    return 0.6  # the flights stopped and people were turned back: a few let in or caught inland


def _lt_prevented(day: dt.date) -> float:
    if day < dt.date(YEAR, 8, 10):
        return 250.0 if day == dt.date(YEAR, 8, 4) else 110.0
    if day < dt.date(YEAR, 9, 1):
        return 45.0
    if day < dt.date(YEAR, 10, 1):
        return 25.0
    if day < dt.date(YEAR, 11, 1):
        return 90.0
    if day < dt.date(YEAR, 12, 1):
        return 40.0
    return 15.0


def _pl_attempts(day: dt.date) -> float:
    m = day.month
    if m < 7:
        return 1.2
    if m == 7:
        return _ramp(day, dt.date(YEAR, 7, 1), dt.date(YEAR, 7, 31), 2.0, 12.0)
    if m == 8:
        return _ramp(day, dt.date(YEAR, 8, 1), dt.date(YEAR, 8, 31), 40.0, 200.0)
    return {9: 250.0, 10: 560.0, 11: 300.0 - 6 * (day.day - 1), 12: 55.0}[m]


def _pl_apprehended(day: dt.date) -> float:
    if day < dt.date(YEAR, 7, 15):
        return 0.4
    if day < PL_RECORD_WEEKEND[0]:
        return 4.0 + 3.0 * (day - dt.date(YEAR, 7, 15)).days
    if day <= dt.date(YEAR, 8, 20):
        return 25.0
    if day < dt.date(YEAR, 10, 1):
        return 15.0
    if day < dt.date(YEAR, 12, 1):
        return 18.0
    return 6.0


def _lv_apprehended(day: dt.date) -> float:
    if day < dt.date(YEAR, 7, 25):
        return 0.1
    if day < LV_EMERGENCY:
        return 3.0 + 2.0 * (day - dt.date(YEAR, 7, 25)).days
    return 0.7  # let in on humanitarian grounds


def _lv_prevented(day: dt.date) -> float:
    if day <= dt.date(YEAR, 8, 25):
        return 40.0
    if day <= dt.date(YEAR, 9, 20):
        return 25.0
    return 28.0  # near LSM's 4,475 turned back from 10 August 2021 to 9 January 2022


SERIES = (
    Series(
        "LT", APPREHENSION, START, _lt_apprehended,
        # 171 stays the largest day until the 287 of 1 August, and 287 the largest after it
        cap=lambda d: RECORD_PERSONS - 1 if d < LT_NEW_RECORD[0] else LT_NEW_RECORD[1] - 1,
    ),
    Series(
        "LT", PREVENTION, LT_TURN_BACKS_FROM, _lt_prevented,
        # 183 on 23 October was 'a record since August', 186 on 28 October 'the most since 4 August'
        cap=lambda d: 182 if d > dt.date(YEAR, 8, 4) else None,
        floor=lambda d: 187 if d == dt.date(YEAR, 8, 4) else 0,
    ),
    Series(
        "PL", APPREHENSION, START, _pl_apprehended,
    ),
    Series(
        "PL", PREVENTION, START, _pl_attempts,
        # 601 on 1 October was the most 'since the beginning of the migration crisis'
        cap=lambda d: 600 if d < dt.date(YEAR, 10, 1) else None,
    ),
    Series("LV", APPREHENSION, START, _lv_apprehended),
    Series("LV", PREVENTION, LV_EMERGENCY, _lv_prevented),
)  # fmt: skip


# --- holding the reported figures -----------------------------------------------------------


@dataclass(frozen=True)
class _Total:
    lo: int  # first day index
    hi: int  # last day index
    persons: int
    label: str


def _spread(
    total: int,
    weights: np.ndarray,
    rng: np.random.Generator,
    caps: np.ndarray | None = None,
    floors: np.ndarray | None = None,
) -> np.ndarray:
    """Integers summing to `total`, about proportional to weights (with noise), within bounds
    where the total allows them."""
    n = len(weights)
    weights = np.maximum(np.asarray(weights, dtype=float), 1e-3)
    counts = np.zeros(n, dtype=int) if floors is None else floors.astype(int).copy()
    if counts.sum() > total:
        counts = np.zeros(n, dtype=int)
    if caps is not None and (total > caps.sum() or (caps < counts).any()):
        caps = None
    noisy = weights * rng.gamma(8.0, 1 / 8.0, size=n)
    short = total - int(counts.sum())
    counts += np.floor(short * noisy / noisy.sum()).astype(int)
    if caps is not None:
        counts = np.minimum(counts, caps)
    while (short := total - int(counts.sum())) > 0:
        room = np.ones(n, dtype=bool) if caps is None else counts < caps
        p = noisy * room
        add = rng.multinomial(short, p / p.sum())
        counts += add if caps is None else np.minimum(add, caps - counts)
    return counts


def _plan_series(
    series: Series, rows: Iterable[Reported], rng: np.random.Generator
) -> dict[dt.date, int]:
    """The series' persons per day, holding every held row exactly.

    Totals ending where the running total is known fix the running total at their other end
    (year-to-date figures, months next to known months, days next to known days); between
    two known running totals the days share the difference; the totals left must nest, and
    are filled the same way inside."""
    n = len(DAYS)
    first = _index(max(series.first, START))
    level = np.array([series.level(d) if i >= first else 0.0 for i, d in enumerate(DAYS)])
    caps = np.array([c if (c := series.cap(d)) is not None else 10**9 for d in DAYS])
    floors = np.array([series.floor(d) for d in DAYS])
    totals = [_Total(0, first - 1, 0, "before the first day")] if first > 0 else []
    for r in rows:
        lo, hi = _index(r.date_from), _index(r.date_to)
        if lo < first and r.kind != "year_to_date" and r.persons and hi >= first:
            lo = first  # 'since 10 August' counts from the series' first day
        totals.append(
            _Total(lo, hi, r.persons, f"{r.country} {r.measure} {r.date_from}..{r.date_to}")
        )

    # running totals: known[k] is the sum of days 0..k; known[-1] = 0
    known: dict[int, int] = {-1: 0}
    changed = True
    while changed:
        changed = False
        for t in totals:
            a, b = t.lo - 1, t.hi
            if a in known and b in known:
                if known[b] - known[a] != t.persons:
                    raise ScenarioDataError(
                        f"{t.label}: {t.persons} conflicts with {known[b] - known[a]} "
                        "from the other held figures"
                    )
            elif a in known:
                known[b] = known[a] + t.persons
                changed = True
            elif b in known:
                known[a] = known[b] - t.persons
                changed = True
    marks = sorted(known)
    for k0, k1 in itertools.pairwise(marks):
        if known[k1] < known[k0]:
            raise ScenarioDataError(f"{series.country} {series.event_type}: running total falls")
    inner = [t for t in totals if not (t.lo - 1 in known and t.hi in known)]
    for t in inner:
        if any(t.lo <= k < t.hi for k in marks):
            raise ScenarioDataError(f"{t.label}: straddles a known running total")

    out = np.zeros(n, dtype=int)

    def fill(lo: int, hi: int, total: int | None, within: list[_Total]) -> None:
        top = [
            t
            for t in within
            if not any(o is not t and o.lo <= t.lo and t.hi <= o.hi for o in within)
        ]
        top.sort(key=lambda t: t.lo)
        for x, y in itertools.pairwise(top):
            if y.lo <= x.hi:
                raise ScenarioDataError(f"{x.label} and {y.label} overlap without nesting")
        free = np.ones(hi - lo + 1, dtype=bool)
        for t in top:
            free[t.lo - lo : t.hi - lo + 1] = False
        idx = np.flatnonzero(free) + lo
        if total is None:
            drawn = rng.poisson(level[idx])
            out[idx] = np.clip(np.maximum(drawn, floors[idx]), 0, caps[idx])
        else:
            rest = total - sum(t.persons for t in top)
            if rest < 0 or (rest and not len(idx)):
                raise ScenarioDataError(
                    f"{series.country} {series.event_type} {DAYS[lo]}..{DAYS[hi]}: "
                    f"{total} cannot hold the figures inside it"
                )
            if len(idx):
                out[idx] = _spread(rest, level[idx], rng, caps[idx], floors[idx])
        for t in top:
            fill(
                t.lo,
                t.hi,
                t.persons,
                [o for o in within if o is not t and t.lo <= o.lo and o.hi <= t.hi],
            )

    bounds = [*marks, n - 1] if marks[-1] < n - 1 else marks
    for k0, k1 in itertools.pairwise(bounds):
        segment = [t for t in inner if k0 < t.lo and t.hi <= k1]
        fill(k0 + 1, k1, known[k1] - known[k0] if k1 in known else None, segment)
    out[:first] = 0
    return {d: int(out[i]) for i, d in enumerate(DAYS)}


def daily_plan(rng: np.random.Generator) -> dict[tuple[str, str], dict[dt.date, int]]:
    """Persons per day for every (country, event type) series, every held figure held."""
    held = [r for r in reported() if r.held]
    return {
        (s.country, s.event_type): _plan_series(
            s, [r for r in held if (r.country, r.event_type) == (s.country, s.event_type)], rng
        )
        for s in SERIES
    }


def reported_days() -> dict[tuple[str, str, dt.date], Reported]:
    """The held day figures by (country, event type, day)."""
    return {
        (r.country, r.event_type, r.date_from): r for r in reported() if r.held and r.kind == "day"
    }


def provenance(event: GroupEvent) -> str:
    """A sentence for the event's description: reported or generated."""
    if event.reported_source:
        return f"The day's figure follows a reported figure: {event.reported_source}."
    return "The day's figure is generated (no figure was reported for this day)."


# --- people and groups ---------------------------------------------------------------------


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


def _prevented_groups(n: int, rng: np.random.Generator, mean: int) -> list[int]:
    """Turned-back persons as events of larger groups (up to PREVENTED_GROUP_MAX)."""
    sizes: list[int] = []
    while n > 0:
        size = int(min(n, PREVENTED_GROUP_MAX, max(1, rng.poisson(mean))))
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


def _count(codes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return counts


def generate(seed: int, section_codes: dict[str, list[str]]) -> list[GroupEvent]:
    """Every event of the scenario for the member states in `section_codes` (code lists).

    For each country and day: the apprehensions (and groups seen but not stopped beside them),
    then the prevented entries; a day's persons of a type equal its reported figure where one
    was reported (the event then names the source) and are generated otherwise."""
    rng = np.random.default_rng(seed)
    plans = daily_plan(rng)
    sources = {key: r.source for key, r in reported_days().items()}
    lt_nationalities = _lithuania_nationalities(plans[("LT", APPREHENSION)], rng)
    events: list[GroupEvent] = []
    for country in COUNTRIES:
        codes = section_codes.get(country) or []
        if not codes:
            continue
        hot = HOTSPOTS.get(country, {})
        weights = np.array([hot.get(c, 0.4) for c in codes])
        p = weights / weights.sum()
        apprehended, prevented = plans[(country, APPREHENSION)], plans[(country, PREVENTION)]

        def event(
            day: dt.date,
            kind: str,
            group: list[str],
            source: str,
            time: dt.time | None = None,
            country: str = country,
            codes: list[str] = codes,
            p: np.ndarray = p,
        ) -> None:
            reported = sources.get((country, kind, day), "") if kind != DETECTION else ""
            events.append(
                GroupEvent(
                    country=country,
                    day=day,
                    local_time=time or _night_time(rng),
                    section_code=codes[int(rng.choice(len(codes), p=p))],
                    event_type=kind,
                    persons=len(group),
                    nationalities=_count(group),
                    source=source,
                    reported_source=reported,
                )
            )

        for day in DAYS:
            total = apprehended[day]
            if total:
                people = lt_nationalities[day] if country == "LT" else _mixed(total, rng)
                rng.shuffle(people)
                record = country == "LT" and day == RECORD_DAY
                start = 0
                for size in _groups(total, rng, big=total > 60):
                    group = people[start : start + size]
                    start += size
                    time = _night_time(rng, evening_only=record)
                    event(day, APPREHENSION, group, "patrol" if rng.random() < 0.7 else "sensor",
                          time=time)  # fmt: skip
                # groups seen but not stopped
                for size in _groups(int(rng.poisson(total * 0.15)), rng, big=False):
                    event(day, DETECTION, _mixed(size, rng), "camera")
            for size in _prevented_groups(prevented[day], rng, PREVENTED_GROUP_MEAN[country]):
                event(
                    day, PREVENTION, _mixed(size, rng), "patrol" if rng.random() < 0.8 else "sensor"
                )
    return events
