"""What the extractor returns: claims with the character spans they came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class ClaimKind(StrEnum):
    """The kinds of statement the extractor recognises."""

    DETAINED = "detained"
    APPREHENDED = "apprehended"
    CROSSING = "crossing"
    PREVENTED = "prevented"
    TOTAL = "total"
    RECORD = "record"
    DEPLOYMENT = "deployment"
    FUNDING = "funding"
    FLIGHT = "flight"
    FLIGHT_SUSPENSION = "flight_suspension"
    EMERGENCY = "emergency"
    FENCE = "fence"
    RETURN = "return"
    RETURN_POLICY = "return_policy"


#: Kinds that count people at the border on a day: they can become a border event.
COUNT_KINDS = frozenset(
    {ClaimKind.DETAINED, ClaimKind.APPREHENDED, ClaimKind.CROSSING, ClaimKind.PREVENTED}
)


class NewsError(ValueError):
    """Bad input to the engine (an empty text, an unknown time zone)."""


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character offsets [start, end) into the article text."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date phrase of the article and what it was resolved to, with the rule used.

    `start`..`end` is a day or a period (both inclusive); `rule` says how, e.g.
    "Tuesday before the publication date (Thursday 2021-07-29)".
    """

    phrase: str
    span: Span
    start: dt.date
    end: dt.date
    rule: str

    @property
    def is_day(self) -> bool:
        return self.start == self.end


@dataclass(slots=True)
class Claim:
    """One statement of fact in the article.

    `state` is the ISO 3166 alpha-2 code of the member state the claim is about (who
    detained, who received officers or money, who declared an emergency); `date` is the day or
    period it refers to. A claim lacking either is `placed == False` and is never guessed:
    `unplaced_reason` says what is missing. `values` carries the kind's own fields (count,
    nationality, amount, currency, unit, route...). `evidence` names spans elsewhere in the
    text that supplied an attribute (a nationality in the next sentence, a state carried over).
    """

    kind: ClaimKind
    span: Span
    text: str
    state: str | None = None
    date: ResolvedDate | None = None
    count: int | None = None
    values: dict[str, str | int | float | None] = field(default_factory=dict)
    evidence: dict[str, Span] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        return self.state is not None and self.date is not None

    @property
    def unplaced_reason(self) -> str:
        missing = [name for name, v in (("state", self.state), ("day", self.date)) if v is None]
        return "no " + " and no ".join(missing) if missing else ""

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view (what the app stores)."""
        return {
            "kind": str(self.kind),
            "start": self.span.start,
            "end": self.span.end,
            "text": self.text,
            "state": self.state,
            "count": self.count,
            "date": None
            if self.date is None
            else {
                "phrase": self.date.phrase,
                "start": self.date.span.start,
                "end": self.date.span.end,
                "from": self.date.start.isoformat(),
                "to": self.date.end.isoformat(),
                "rule": self.date.rule,
            },
            "values": dict(self.values),
            "evidence": {k: [s.start, s.end] for k, s in self.evidence.items()},
            "notes": list(self.notes),
            "placed": self.placed,
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything found in one article."""

    claims: list[Claim]
    dates: list[ResolvedDate]
    published: dt.date
    time_zone: str
