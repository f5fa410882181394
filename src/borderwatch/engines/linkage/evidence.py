"""Biographic and fingerprint evidence combined into what an officer or expert should do.

A pure function: no storage, no clock. The rules (docs/linkage.md):

- a biographic match alone never links two records; above the candidate threshold it proposes
  a *candidate* for review;
- a fingerprint hit on which the biographic data agree is *corroborated*: the confidence is
  raised (the two are independent sources, so their doubts multiply), and still an expert
  confirms it; only a hit an expert confirmed, with nothing in conflict, may link records;
- a *conflict* goes to the expert: a strong biographic match whose fingerprints were compared
  and do not match, or a fingerprint hit whose biographic data disagree (sex, or an age gap
  beyond what an estimated age explains).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from borderwatch.engines.linkage.records import PersonRecord

__all__ = [
    "Assessment",
    "Fingerprints",
    "Outcome",
    "Policy",
    "assess",
    "disagreement",
]


class Fingerprints(StrEnum):
    """What the fingerprint comparison of the two records said."""

    NOT_COMPARED = "not_compared"  # one side has no usable fingerprints, or not yet searched
    NO_MATCH = "no_match"  # both compared, not the same fingers
    HIT = "hit"  # a candidate above the hit threshold, not yet checked by an expert
    CONFIRMED = "confirmed"  # a hit an expert confirmed
    REJECTED = "rejected"  # a hit an expert rejected


class Outcome(StrEnum):
    NONE = "none"  # nothing to do
    CANDIDATE = "candidate"  # biographic candidate: review before anything is linked
    CORROBORATED = "corroborated"  # fingerprints and biography agree: high confidence
    CONFLICT = "conflict"  # the two disagree: flagged for the expert


@dataclass(frozen=True, slots=True)
class Policy:
    candidate: float = 0.8  # biographic probability that proposes a candidate
    strong: float = 0.99  # biographic probability that conflicts with non-matching fingers
    hit_confidence: float = 0.95  # the confidence a fingerprint hit carries on its own
    max_age_gap: int = 5  # years: more than an estimated age explains


@dataclass(frozen=True, slots=True)
class Assessment:
    outcome: Outcome
    confidence: float  # combined probability that the two records are one person
    may_link: bool  # only a confirmed hit without conflict
    reasons: tuple[str, ...]  # stable codes, for display and audit


def disagreement(a: PersonRecord, b: PersonRecord) -> tuple[bool, int | None]:
    """(the sexes differ, both recorded; the gap in years of birth, None if one is missing)."""
    sexes = {a.sex, b.sex}
    sex_differs = sexes == {"M", "F"}
    gap = None
    if a.date_of_birth is not None and b.date_of_birth is not None:
        gap = abs(a.date_of_birth.year - b.date_of_birth.year)
    return sex_differs, gap


def assess(
    biographic: float | None,
    fingerprints: Fingerprints,
    *,
    sex_differs: bool = False,
    age_gap: int | None = None,
    policy: Policy | None = None,
) -> Assessment:
    """The outcome for one pair: `biographic` is the model's match probability (None if the
    pair was not scored, e.g. not admitted by blocking)."""
    p = policy or Policy()
    bio = biographic if biographic is not None else 0.0
    if not 0.0 <= bio <= 1.0:
        raise ValueError("biographic probability must be between 0 and 1")
    bio_disagrees = sex_differs or (age_gap is not None and age_gap > p.max_age_gap)
    fingers_match = fingerprints in (Fingerprints.HIT, Fingerprints.CONFIRMED)
    if fingers_match and bio_disagrees:
        reasons = ["fingerprint_hit_biographic_disagree"]
        reasons += ["sex_differs"] if sex_differs else []
        reasons += ["age_gap"] if age_gap is not None and age_gap > p.max_age_gap else []
        return Assessment(Outcome.CONFLICT, p.hit_confidence, False, tuple(reasons))
    if fingers_match:
        confidence = 1.0 - (1.0 - p.hit_confidence) * (1.0 - bio)
        confirmed = fingerprints is Fingerprints.CONFIRMED
        if bio >= p.candidate:
            return Assessment(
                Outcome.CORROBORATED, confidence, confirmed, ("fingerprints_and_biography_agree",)
            )
        return Assessment(Outcome.CANDIDATE, confidence, confirmed, ("fingerprint_hit",))
    if fingerprints in (Fingerprints.NO_MATCH, Fingerprints.REJECTED) and bio >= p.strong:
        return Assessment(Outcome.CONFLICT, bio, False, ("biographic_match_fingerprints_differ",))
    if bio >= p.candidate:
        return Assessment(Outcome.CANDIDATE, bio, False, ("biographic_candidate",))
    return Assessment(Outcome.NONE, bio, False, ())
