"""Claims from an article: rules over the pipeline's sentences, entities and triggers.

Each rule family is one function over one sentence; a few attributes may come from the
neighbouring sentence ("It brought the total ... to 3,027" follows the count it adds to; "the
migrants, all from Iraq" follows the count it describes), and then the claim names the span
they came from in `evidence` and says so in `notes`. Nothing is filled in from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re

from borderwatch.engines.news.dates import local_day, resolve_dates
from borderwatch.engines.news.model import (
    COUNT_KINDS,
    Claim,
    ClaimKind,
    Extraction,
    NewsError,
    ResolvedDate,
    Span,
)
from borderwatch.engines.news.numbers import find_numbers
from borderwatch.engines.news.pipeline import PERSON_NOUNS, UNIT_NOUNS, Entity, Sentence, analyse
from borderwatch.engines.news.places import DEMONYMS, EU_MEMBER_STATES

_KIND_OF_TRIGGER = {
    "DETAIN": ClaimKind.DETAINED,
    "APPREHEND": ClaimKind.APPREHENDED,
    "PREVENT": ClaimKind.PREVENTED,
    "CROSS": ClaimKind.CROSSING,
    "RETURN": ClaimKind.RETURN,
}
_STATE_NOUNS = re.compile(
    r"\s*(?:border\s+guards?|guards?|border\s+guard\s+service|border\s+service|authorities|officials|"
    r"government|police|interior\s+ministry|ministry|army|soldiers|officers|parliament|president|prime\s+minister)",
    re.I,
)
_CURRENCY = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "pounds": "GBP",
    "zloty": "PLN",
    "zlotys": "PLN",
    "pln": "PLN",
}
_MONEY = re.compile(
    r"(?P<pre>€|US\$|\$|£|EUR|USD|PLN)\s?(?P<n1>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<s1>million|billion|thousand|bn|m)\b)?"
    r"|(?P<n2>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<s2>million|billion|thousand|bn))?\s+(?P<post>euros?|dollars?|EUR|USD|zlotys?|PLN|pounds)\b",
    re.I,
)
_SCALE = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
_NATIONALITY_FROM = re.compile(
    r"\b(?:all|mostly|mainly|largely|most|many|chiefly|primarily|nationals|citizens|originally)\s+(?:of\s+them\s+)?(?:from|of)\s+$",
    re.I,
)
_DAY_KINDS = ("year",)
#: "the Latvian-Belarusian border": the adjective names the member state whose border it is
_BORDER_ADJ = re.compile(r"\s*[-\u2013]\s*\w+\s+border\b", re.I)
#: a period that makes a count cumulative ("since August 10", "since the beginning of the year")
_CUMULATIVE = re.compile(r"^since\b|\bso\s+far\b|\b(?:start|beginning)\s+of\s+the\s+year\b", re.I)
#: kinds whose state may come from the only member state the article has named so far
_ARTICLE_STATE_KINDS = COUNT_KINDS | {
    ClaimKind.TOTAL,
    ClaimKind.EMERGENCY,
    ClaimKind.FENCE,
    ClaimKind.RETURN_POLICY,
}
_AGENCIES = ("Frontex", "EUAA", "Europol")


def extract(text: str, published: dt.datetime | dt.date, time_zone: str) -> Extraction:
    """Every claim in the article, each with its span; dates resolved against `published`
    (a date, or a datetime converted to `time_zone`)."""
    if not text.strip():
        raise NewsError("the article has no text")
    pub = local_day(published, time_zone)
    dates = resolve_dates(text, published, time_zone)
    claims: list[Claim] = []
    history: list[list[Claim]] = [[], []]
    named: dict[str, Entity] = {}  # member states named so far: code -> first mention
    agency: Entity | None = None  # the EU agency named last ("the agency" in a later sentence)
    for sentence in analyse(text):
        previous = history[-2] + history[-1]
        ctx = _Context(text, sentence, dates, pub, previous)
        for e in ctx.states():
            named.setdefault(e.code, e)
        ctx.agency = agency
        agency = next((o for o in reversed(ctx.orgs()) if o.code in _AGENCIES), agency)
        found = [
            *ctx.counts(),
            *ctx.totals(),
            *ctx.deployments(),
            *ctx.funding(),
            *ctx.flights(),
            *ctx.emergencies(),
            *ctx.fences(),
            *ctx.return_policies(),
        ]
        found.extend(ctx.records(found))
        ctx.nationality_follow_up(found)
        _article_state(found, named)
        claims.extend(found)
        history = [history[-1], found]
    claims.sort(key=lambda c: (c.span.start, c.kind))
    return Extraction(claims=claims, dates=dates, published=pub, time_zone=time_zone)


def _article_state(found: list[Claim], named: dict[str, Entity]) -> None:
    """A claim without a state takes the member state when the article has named only that
    one so far ("Latvia's State Border Guard ..." then "Six people were detained ..."); with
    two or more named it stays unplaced."""
    if len(named) != 1:
        return
    (entity,) = named.values()
    for claim in found:
        if claim.state is None and claim.kind in _ARTICLE_STATE_KINDS:
            claim.state = entity.code
            claim.evidence["state"] = Span(entity.start, entity.end)
            claim.notes.append("state: the only member state the article names up to here")


class _Context:
    """One sentence and what the rules need around it."""

    def __init__(
        self,
        text: str,
        sentence: Sentence,
        dates: list[ResolvedDate],
        pub: dt.date,
        previous: list[Claim],
    ) -> None:
        self.text = text
        self.s = sentence
        self.pub = pub
        self.previous = previous
        self.agency: Entity | None = None
        self.dates = [d for d in dates if sentence.start <= d.span.start < sentence.end]
        self.numbers = [
            (sentence.start + a, sentence.start + b, v)
            for a, b, v in find_numbers(sentence.text)
            if not _is_year(v, sentence.text[a:b])
        ]

    # -- helpers -------------------------------------------------------------------------
    def after(self, pos: int, n: int = 40) -> str:
        return self.text[pos : min(self.s.end, pos + n)]

    def before(self, pos: int, n: int = 40) -> str:
        return self.text[max(self.s.start, pos - n) : pos]

    def next_words(self, pos: int, count: int) -> list[str]:
        return [w for s, _e, w in self.s.words if s >= pos][:count]

    def states(self) -> list[Entity]:
        """Member states named in the sentence as actors or places (not as an origin)."""
        out = []
        for e in self.s.entities:
            if e.code not in EU_MEMBER_STATES:
                continue
            if e.label == "NORP" and not (
                _STATE_NOUNS.match(self.text, e.end) or _BORDER_ADJ.match(self.text, e.end)
            ):
                continue
            if re.search(r"\bfrom\s+(?:the\s+)?$", self.before(e.start, 12), re.I):
                continue
            out.append(e)
        return out

    def state_near(self, pos: int) -> Entity | None:
        states = self.states()
        if not states:
            return None
        return min(states, key=lambda e: (abs(e.start - pos), e.start))

    def first_state(self) -> Entity | None:
        states = self.states()
        return states[0] if states else None

    def carried(self, kinds: frozenset[ClaimKind] | set[ClaimKind]) -> Claim | None:
        """The claim of the previous sentence this one continues ("It brought...")."""
        for claim in reversed(self.previous):
            if claim.kind in kinds:
                return claim
        return None

    def day_near(self, pos: int, periods: bool = True, future: bool = False) -> ResolvedDate | None:
        usable = [
            d
            for d in self.dates
            if (periods or d.is_day or (d.end - d.start).days <= 3)
            and not (
                d.start.month == 1
                and d.start.day == 1
                and d.end == self.pub
                and "year" in d.phrase.lower()
            )
            and d.start.year >= self.pub.year - 1
            and (future or d.end <= self.pub)
        ]
        if not usable:
            return None
        return min(usable, key=lambda d: abs(d.span.start - pos))

    def now(self) -> ResolvedDate | None:
        m = re.search(r"\bnow\b", self.s.text)
        if m is None:
            return None
        span = Span(self.s.start + m.start(), self.s.start + m.end())
        return ResolvedDate("now", span, self.pub, self.pub, "now: the publication date")

    def orgs(self) -> list[Entity]:
        return [e for e in self.s.entities if e.label == "ORG"]

    def claim(self, kind: ClaimKind, start: int, end: int, **kw: object) -> Claim:
        claim = Claim(kind=kind, span=Span(start, end), text=self.text[start:end])
        for key, value in kw.items():
            setattr(claim, key, value)
        return claim

    def place(self, claim: Claim, state: Entity | None, date: ResolvedDate | None) -> None:
        if state is not None:
            claim.state = state.code
            claim.evidence["state"] = Span(state.start, state.end)
        if date is not None:
            claim.date = date
            claim.evidence["date"] = date.span

    def nationality_at(self, pos_from: int, pos_to: int) -> Entity | None:
        """A nationality stated within [pos_from, pos_to): "Iraqi migrants", "all from Iraq"."""
        for e in self.s.entities:
            if not (pos_from <= e.start < pos_to):
                continue
            if e.label == "NORP" and not (
                _STATE_NOUNS.match(self.text, e.end)
                or _BORDER_ADJ.match(self.text, e.end)
                or re.match(r"\s+border\b", self.after(e.end, 10))  # "the Belarusian border"
            ):
                return e
            if e.label == "GPE" and _NATIONALITY_FROM.search(self.before(e.start, 30)):
                return e
            if e.label == "GPE" and re.match(r"\s+(?:nationals|citizens)", self.after(e.end, 14)):
                return e
        return None

    # -- rule families -------------------------------------------------------------------
    def _person_numbers(self) -> list[tuple[int, int, int, int]]:
        """(start, end, value, noun_end) for numbers followed by a person noun."""
        out = []
        for start, end, value in self.numbers:
            if value != int(value) or value <= 0:
                continue
            words = self.next_words(end, 4)
            for i, word in enumerate(words):
                if word in PERSON_NOUNS or (word.capitalize() in DEMONYMS and word.endswith("s")):
                    noun_end = [e for s, e, w in self.s.words if s >= end][i]
                    out.append((start, end, int(value), noun_end))
                    break
                if word in UNIT_NOUNS or word in (
                    "passengers",
                    "flights",
                    "km",
                    "kilometres",
                    "kilometers",
                ):
                    break
        return out

    def _kind_for(self, start: int) -> ClaimKind | None:
        triggers = [t for t in self.s.triggers if t.label in _KIND_OF_TRIGGER]
        if not triggers:
            return None
        nearest = min(triggers, key=lambda t: abs(t.start - start) + (0 if t.start < start else 5))
        return _KIND_OF_TRIGGER[nearest.label]

    def _is_total(self, start: int) -> bool:
        if not self.s.has("TOTAL"):
            return False
        before = self.before(start, 80).lower()
        return bool(
            re.search(
                r"\b(?:total|tally)\b.*\b(?:to|of|at|reached|is|was|stands?\s+at)\s+$", before
            )
        ) or bool(
            re.search(
                r"^\s+\w*\s*(?:\w+\s+){0,4}(?:so\s+far|in\s+total|altogether|in\s+all)\b",
                self.after(start, 60).lower(),
            )
        )

    def cumulative_period(self, pos: int) -> ResolvedDate | None:
        """The "since ..." or year-to-date period nearest a number, unless a day is nearer."""
        near = sorted(self.dates, key=lambda d: abs(d.span.start - pos))
        if (
            near
            and _CUMULATIVE.search(near[0].phrase)
            and near[0].end == self.pub
            and (near[0].end - near[0].start).days > 7  # "since Friday" is a few days' count
        ):
            return near[0]
        return None

    def counts(self) -> list[Claim]:
        out: list[Claim] = []
        head: Claim | None = None
        for start, _end, value, noun_end in self._person_numbers():
            if self._is_total(start):
                continue
            if head is not None and ":" in self.text[head.span.end : start]:
                # "36 illegal immigrants: 18 Iraqi nationals, 3 ..." is a breakdown of the head
                nat = self.nationality_at(start, noun_end)
                part = f"{nat.code if nat else 'unstated'} {value}"
                previous = head.values.get("breakdown")
                head.values["breakdown"] = f"{previous}, {part}" if previous else part
                continue
            period = self.cumulative_period(start)
            kind = self._kind_for(start) or (ClaimKind.TOTAL if period is not None else None)
            if kind is None:
                continue
            claim = self.claim(kind, start, noun_end, count=value)
            claim.values["count"] = value
            state = self.state_near(start)
            if period is not None:
                claim.kind = ClaimKind.TOTAL
                claim.notes.append(f"cumulative: counted over '{period.phrase}'")
            date = period or self.day_near(start, periods=True)
            self.place(claim, state, date)
            colon = self.text.find(":", noun_end, self.s.end)
            nat = self.nationality_at(start, colon if colon != -1 else self.s.end)
            if nat is not None:
                claim.values["nationality"] = nat.code
                claim.evidence["nationality"] = Span(nat.start, nat.end)
            if kind == ClaimKind.RETURN:
                dest = next(
                    (
                        e
                        for e in self.s.entities
                        if e.label in ("GPE", "CITY")
                        and e.code not in EU_MEMBER_STATES
                        and re.search(r"\bto\s+(?:the\s+)?$", self.before(e.start, 10))
                    ),
                    None,
                )
                if dest is not None:
                    claim.values["destination"] = dest.code
            if claim.state is None or claim.date is None:
                self._carry(claim, COUNT_KINDS | {ClaimKind.TOTAL})
            out.append(claim)
            head = claim
        return out

    def _carry(self, claim: Claim, kinds: frozenset[ClaimKind] | set[ClaimKind]) -> None:
        """Take a missing state or day from the claim this sentence continues, if it opens
        with an anaphor ("It", "They", "The border service")."""
        if not re.match(
            r"\s*[“\"]?(?:it|they|this|that|she|he|the\s+(?:border\s+)?(?:service|agency|guard|ministry))\b",
            self.s.text,
            re.I,
        ):
            return
        source = self.carried(kinds)
        if source is None:
            return
        if claim.state is None and source.state is not None:
            claim.state = source.state
            claim.evidence["state"] = source.evidence.get("state", source.span)
            claim.notes.append("state carried from the previous sentence")
        if claim.date is None and source.date is not None:
            claim.date = source.date
            claim.evidence["date"] = source.date.span
            claim.notes.append("day carried from the previous sentence")

    def totals(self) -> list[Claim]:
        if not self.s.has("TOTAL"):
            return []
        out = []
        for start, end, value in self.numbers:
            if value != int(value) or value <= 0 or not self._is_total(start):
                continue
            if re.match(r"\s*(?:officers|euros?|dollars|flights|km)\b", self.after(end, 12), re.I):
                continue
            claim = self.claim(ClaimKind.TOTAL, start, end, count=int(value))
            claim.values["count"] = int(value)
            state = self.state_near(start)
            self.place(claim, state, None)
            year = next((d for d in self.dates if "year" in d.phrase.lower()), None)
            source = (
                self.carried(COUNT_KINDS)
                if re.search(
                    r"\b(?:brought|brings|bringing|took|takes|taking|pushed|pushing)\b",
                    self.s.text,
                    re.I,
                )
                else None
            )
            if source is not None and source.date is not None:
                start_day = year.start if year is not None else dt.date(source.date.end.year, 1, 1)
                phrase = year.phrase if year is not None else source.date.phrase
                claim.date = ResolvedDate(
                    phrase,
                    year.span if year is not None else source.date.span,
                    start_day,
                    source.date.end,
                    f"up to the day of the count it adds to ({source.date.phrase}: {source.date.end.isoformat()})",
                )
                claim.evidence["date"] = source.date.span
                claim.notes.append("as of the day of the count in the previous sentence")
                if claim.state is None and source.state is not None:
                    claim.state = source.state
                    claim.evidence["state"] = source.evidence.get("state", source.span)
                    claim.notes.append("state carried from the previous sentence")
            elif year is not None:
                claim.date = year
                claim.evidence["date"] = year.span
            else:
                claim.date = self.day_near(start)
            if claim.state is None:
                self._carry(claim, COUNT_KINDS | {ClaimKind.TOTAL})
            out.append(claim)
        return out

    def records(self, found: list[Claim]) -> list[Claim]:
        out = []
        for trig in self.s.of("RECORD"):
            if self.text[trig.start : trig.end].lower() == "record" and re.match(
                r"\s+(?:of|that|shows)\b", self.after(trig.end, 10)
            ):
                continue
            counts = [c for c in found if c.kind in COUNT_KINDS]
            end = trig.end
            m = re.match(r"[^,.;]*", self.text[trig.end : self.s.end])
            if m and trig.start > (counts[0].span.start if counts else self.s.start):
                end = trig.end + m.end()
            claim = self.claim(ClaimKind.RECORD, trig.start, end)
            claim.values["scope"] = self.text[trig.start : end]
            if counts:
                base = min(counts, key=lambda c: abs(c.span.start - trig.start))
                claim.count = base.count
                claim.values["count"] = base.count
                claim.values["of"] = str(base.kind)
                claim.state, claim.date = base.state, base.date
                claim.evidence.update(base.evidence)
                claim.evidence["count"] = base.span
            else:
                self._carry(claim, COUNT_KINDS)
            out.append(claim)
        return out

    def nationality_follow_up(self, found: list[Claim]) -> None:
        """ "The migrants, all from Iraq, ..." names the nationality of the previous count."""
        if any(c.kind in COUNT_KINDS for c in found):
            return
        source = self.carried(COUNT_KINDS)
        if source is None or "nationality" in source.values:
            return
        nat = self.nationality_at(self.s.start, self.s.end)
        if nat is None or not re.search(
            r"\b(?:migrants|people|they|them|all|those|group)\b", self.s.text, re.I
        ):
            return
        source.values["nationality"] = nat.code
        source.evidence["nationality"] = Span(nat.start, nat.end)
        source.notes.append("nationality from the next sentence")

    def deployments(self) -> list[Claim]:
        if not self.s.has("DEPLOY"):
            return []
        out: list[Claim] = []
        orgs = self.orgs()
        by = next(
            (o.code for o in orgs if o.code in _AGENCIES),
            orgs[0].code if orgs else None,
        )
        if (
            by is None
            and self.agency is not None
            and re.search(r"\bthe\s+agency\b|\bstanding\s+corps\b", self.s.text, re.I)
        ):
            by = self.agency.code  # "the agency": the one named in an earlier sentence
        unit: str | None = None
        for start, end, value in self.numbers:
            words = self.next_words(end, 5)
            noun = next((UNIT_NOUNS[w] for w in _adjectives_then(words) if w in UNIT_NOUNS), None)
            elided = unit is not None and words[:1] == ["to"]
            if noun is None and not elided:
                continue
            unit = noun or unit
            stop = (
                self.numbers[self.numbers.index((start, end, value)) + 1][0]
                if (start, end, value) != self.numbers[-1]
                else self.s.end
            )
            host = next(
                (
                    e
                    for e in self.states()
                    if start < e.start < stop
                    and re.search(r"\b(?:to|in|into)\b", self.text[end : e.start])
                ),
                None,
            )
            if host is None:  # "30 patrol cars and 2 helicopters to Lithuania": one host for both
                host = next(
                    (
                        e
                        for e in self.states()
                        if start < e.start
                        and re.search(r"\b(?:to|in|into)\b", self.text[end : e.start])
                    ),
                    None,
                )
            span_end = host.end if host is not None else end + len(" ".join(words[:1]))
            claim = self.claim(ClaimKind.DEPLOYMENT, start, span_end, count=int(value))
            claim.values.update({"count": int(value), "unit": unit, "by": by})
            self.place(claim, host, self.day_near(start) or self.now())
            out.append(claim)
        m = re.search(r"\bequipment\b(?:,?\s+including\s+(?P<items>[^.;]+))?", self.s.text, re.I)
        if m is not None:
            start, end = self.s.start + m.start(), self.s.start + m.end()
            claim = self.claim(ClaimKind.DEPLOYMENT, start, end)
            claim.values.update(
                {"unit": "equipment", "items": (m.group("items") or "").strip() or None, "by": by}
            )
            # no host named: left unplaced rather than borrowed from a neighbouring sentence
            self.place(claim, self.first_state(), self.day_near(start) or self.now())
            out.append(claim)
        return out

    def funding(self) -> list[Claim]:
        if not self.s.has("FUND"):
            return []
        out: list[Claim] = []
        last_end = -10
        for m in _MONEY.finditer(self.s.text):
            start, end = self.s.start + m.start(), self.s.start + m.end()
            amount, currency = _money(m)
            if out and start - last_end <= 3:  # "12 million euros ($14.3 million)": an equivalent
                out[-1].values["equivalent"] = f"{currency} {amount:,.0f}"
                last_end = end
                continue
            last_end = end
            claim = self.claim(ClaimKind.FUNDING, start, end)
            claim.values.update({"amount": amount, "currency": currency})
            orgs = self.orgs()
            claim.values["by"] = next(
                (o.code for o in orgs if o.code == "European Commission"),
                orgs[0].code if orgs else None,
            )
            purpose = re.search(
                r"\b(?:to\s+help\s+(?:meet\s+)?|to\s+(?:meet|cover|support|finance|fund)\s+|for\s+)(?P<p>[^,.;(]+)",
                self.text[end : self.s.end],
            )
            if purpose is not None:
                claim.values["purpose"] = purpose.group("p").strip()
            self.place(claim, self.first_state(), self.day_near(start))
            out.append(claim)
        return out

    def flights(self) -> list[Claim]:
        if not self.s.has("FLIGHT"):
            return []
        text = self.s.text
        if self.s.has("SUSPEND"):
            trig = self.s.of("SUSPEND")[0]
            actor = next(
                (
                    e
                    for e in self.s.entities
                    if e.start < trig.start and e.label in ("ORG", "GPE", "NORP")
                ),
                None,
            )
            claim = self.claim(ClaimKind.FLIGHT_SUSPENSION, self.s.start, self.s.end)
            claim.values["by"] = actor.code if actor is not None else None
            claim.values.update(self._route())
            if actor is not None and actor.label != "ORG":
                claim.state = actor.code
                claim.evidence["state"] = Span(actor.start, actor.end)
            elif actor is not None and actor.code == "Iraqi Airways":
                claim.state = "IQ"
                claim.evidence["state"] = Span(actor.start, actor.end)
            self.place(claim, None, self.day_near(trig.start))
            return [claim]
        freq = re.search(
            r"\b(?P<n>\w+)\s+(?:weekly|a\s+week|per\s+week)\s+flights\b|\b(?P<m>\w+)\s+flights\s+(?:a|per)\s+(?P<u>week|day)\b|\b(?P<d>daily)\s+flights\b",
            text,
            re.I,
        )
        cap = re.search(
            r"\b(?:up\s+to\s+|carrying\s+|with\s+)?(?P<n>[\d,]+)\s+(?:passengers|seats|people)\s*(?:each)?",
            text,
            re.I,
        )
        if freq is None and cap is None:
            return []
        claim = self.claim(ClaimKind.FLIGHT, self.s.start + (freq or cap).start(), self.s.end)  # type: ignore[union-attr]
        if freq is not None:
            if freq.group("d"):
                per_week = 7.0
            else:
                n = find_numbers(freq.group("n") or freq.group("m"))
                per_week = n[0][2] * (7 if freq.group("u") == "day" else 1) if n else 0
            if per_week:
                claim.values["per_week"] = int(per_week)
        if cap is not None:
            claim.values["capacity"] = int(cap.group("n").replace(",", ""))
        claim.values.update(self._route())
        dest = claim.values.get("destination")
        if isinstance(dest, str):
            claim.state = dest
        claim.date = self.day_near(claim.span.start)
        claim.span = Span(claim.span.start, max(claim.span.end, claim.span.start))
        claim.text = self.text[claim.span.start : claim.span.end]
        return [claim]

    def _route(self) -> dict[str, str | int | float | None]:
        route: dict[str, str | int | float | None] = {}
        for e in self.s.entities:
            if e.label not in ("GPE", "CITY"):
                continue
            before = self.before(e.start, 30)
            if "origin" not in route and re.search(
                r"\bfrom\s+(?:the\s+)?(?:\w+\s+){0,3}$", before, re.I
            ):
                route["origin"] = e.code
            elif "destination" not in route and re.search(
                r"\b(?:to|into)\s+(?:the\s+)?(?:\w+\s+){0,3}$", before, re.I
            ):
                route["destination"] = e.code
                if e.label == "CITY":
                    route["city"] = e.text
            elif e.label == "CITY" and route.get("destination") == e.code:
                route["city"] = e.text
        return route

    def emergencies(self) -> list[Claim]:
        out = []
        for trig in self.s.of("EMERGENCY"):
            claim = self.claim(ClaimKind.EMERGENCY, trig.start, trig.end)
            action = re.search(
                r"\b(declared|declares|declare|decided|introduced|introduces|imposed|extended|extends|lifted|ended|announced|requested)\b",
                self.s.text,
                re.I,
            )
            claim.values["action"] = action.group(1).lower() if action else None
            border = re.search(r"border\s+with\s+(\w+)", self.after(trig.end, 40))
            if border:
                claim.values["border_with"] = border.group(1)
            # an emergency's period may run past the publication day ("from August 11 to
            # November 10"); "since August 10, when ... was declared" is the day it began
            date = self.day_near(trig.start, future=True)
            if date is not None and date.phrase.lower().startswith("since"):
                date = ResolvedDate(
                    date.phrase, date.span, date.start, date.start, f"{date.rule}: the day it began"
                )
            self.place(claim, self.first_state(), date)
            if claim.state is None:
                self._carry(claim, {ClaimKind.EMERGENCY, ClaimKind.FENCE})
            out.append(claim)
        return out

    def fences(self) -> list[Claim]:
        trig = next(iter(self.s.of("FENCE")), None)
        if trig is None or not re.search(
            r"\b(build|built|building|construct|constructing|construction|erect|erecting|announced|plans?|planned|begin|began|started|complete[sd]?)\b",
            self.s.text,
            re.I,
        ):
            return []
        claim = self.claim(ClaimKind.FENCE, trig.start, trig.end)
        length = re.search(
            r"(?P<n>[\d,.]+)\s*(?:-\s*)?(?:km|kilometres|kilometers|kilometre|kilometer)\b",
            self.s.text,
            re.I,
        )
        if length:
            claim.values["length_km"] = float(length.group("n").replace(",", ""))
        money = _MONEY.search(self.s.text)
        if money:
            amount, currency = _money(money)
            claim.values["cost"] = amount
            claim.values["currency"] = currency
        self.place(claim, self.first_state(), self.day_near(trig.start))
        if claim.state is None:
            self._carry(claim, {ClaimKind.EMERGENCY, ClaimKind.FENCE})
        return [claim]

    def return_policies(self) -> list[Claim]:
        """Statements about returns or readmission that count nobody."""
        if not (self.s.has("READMIT") or self.s.has("RETURN")):
            return []
        if any(
            v > 1
            and re.match(
                r"\s+(?:\w+\s+)?(?:people|persons|migrants|nationals|Iraqis|returnees)",
                self.after(b, 30),
            )
            for _a, b, v in self.numbers
        ):
            return []  # a counted return: counts() has it
        trig = (self.s.of("READMIT") or self.s.of("RETURN"))[0]
        words = re.search(
            r"\b(readmit\w*|readmission|returns?|return\s+voluntarily|deportations?|repatriation\w*)\b",
            self.s.text,
            re.I,
        )
        if words is None:
            return []
        claim = self.claim(ClaimKind.RETURN_POLICY, self.s.start, self.s.end)
        nat = next(
            (e for e in self.s.entities if e.label == "NORP" and e.code not in EU_MEMBER_STATES),
            None,
        )
        country = nat or next(
            (
                e
                for e in self.s.entities
                if e.label == "GPE" and e.code not in EU_MEMBER_STATES and e.code != "BY"
            ),
            None,
        )
        claim.values["topic"] = "readmission" if "readmi" in words.group(1).lower() else "returns"
        claim.values["country"] = country.code if country is not None else None
        members = [
            e.code for e in self.s.entities if e.label == "GPE" and e.code in EU_MEMBER_STATES
        ]
        orgs = self.orgs()
        claim.values["by"] = (
            ",".join(dict.fromkeys(members))
            if len(members) > 1
            else (orgs[0].code if orgs else (members[0] if members else None))
        )
        stance = re.search(
            r"\b(continue|resume|suspend\w*|halt\w*|stop\w*|readmit|better\s+control|agree\w*)\b",
            self.s.text,
            re.I,
        )
        claim.values["stance"] = stance.group(1).lower() if stance else None
        del trig
        self.place(claim, None, self.day_near(claim.span.start))
        if len(members) == 1:
            claim.state = members[0]
        return [claim]


def _adjectives_then(words: list[str]) -> list[str]:
    """The words after a number up to its noun: at most four, stopping at punctuation or a
    person noun ("60 additional standing corps officers")."""
    out = []
    for word in words[:4]:
        if not word.isalpha() or word in PERSON_NOUNS:
            break
        out.append(word)
    return out


def _is_year(value: float, text: str) -> bool:
    return value == int(value) and 1900 <= value <= 2100 and "," not in text


def _money(m: re.Match[str]) -> tuple[float, str]:
    number = m.group("n1") or m.group("n2")
    scale = (m.group("s1") or m.group("s2") or "").lower()
    symbol = (m.group("pre") or m.group("post") or "").lower()
    amount = float(number.replace(",", "")) * _SCALE.get(scale, 1)
    return amount, _CURRENCY.get(symbol, symbol.upper())
