"""One new record against a few hundred, on the spot: the "possible duplicates" at registration.

The Splink model is for batches (it trains and scores whole tables); an officer typing a name
needs an answer in milliseconds. `rank` uses the same normalised names (`names`) with
edit-distance (rapidfuzz Jaro-Winkler), phonetic (jellyfish Metaphone) and skeleton agreement,
weights each name part by how rare it is among the records given (so a shared "Mohammed"
counts less than a shared "Zubair"), and adds date of birth, sex, nationality and document.
The score is a ranking in [0, 1], not a probability; it only proposes candidates to look at.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import jellyfish
from rapidfuzz.distance import JaroWinkler

from borderwatch.engines.linkage.names import name_keys, skeleton
from borderwatch.engines.linkage.records import PersonRecord, normalise_document

__all__ = ["Candidate", "rank"]


@dataclass(frozen=True, slots=True)
class Candidate:
    uid: str
    score: float
    reasons: tuple[str, ...]  # stable codes: name, name_similar, dob, dob_year, document, ...


def _part_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if skeleton(a) and skeleton(a) == skeleton(b):
        return 0.95
    if jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return 0.9
    jw = JaroWinkler.similarity(a, b)
    return jw if jw >= 0.85 else 0.0


def _name_score(query: tuple[str, ...], other: tuple[str, ...], idf: dict[str, float]) -> float:
    """Order-free: each query part against its best counterpart, weighted by its rarity."""
    if not query or not other:
        return 0.0
    total = 0.0
    weights = 0.0
    for part in query:
        w = idf.get(skeleton(part), 1.0)
        weights += w
        total += w * max(_part_similarity(part, o) for o in other)
    return total / weights


def _dob_score(a: PersonRecord, b: PersonRecord) -> tuple[float, str]:
    if a.date_of_birth is None or b.date_of_birth is None:
        return 0.5, ""
    da, db = a.date_of_birth, b.date_of_birth
    if not a.birth_year_only and not b.birth_year_only:
        if da == db:
            return 1.0, "dob"
        if (da.year, da.month, da.day) == (db.year, db.day, db.month):
            return 0.9, "dob_swapped"
    gap = abs(da.year - db.year)
    if gap == 0:
        return 0.75 if (a.birth_year_only or b.birth_year_only) else 0.4, "dob_year"
    if gap <= 2:
        return 0.3, "dob_near"
    return 0.0, ""


def rank(
    query: PersonRecord,
    records: Sequence[PersonRecord],
    limit: int = 10,
    min_score: float = 0.6,
) -> list[Candidate]:
    """The records most like `query`, best first, at least `min_score`."""
    keys = {r.uid: name_keys(r.given_name, r.family_name).parts for r in records}
    q_parts = name_keys(query.given_name, query.family_name).parts
    if not q_parts:
        return []
    df: Counter[str] = Counter()
    for parts in keys.values():
        df.update({skeleton(p) for p in parts})
    n = max(len(records), 1)
    idf = {s: math.log(1 + n / (1 + c)) for s, c in df.items()}
    q_doc = normalise_document(query.document)
    out = []
    for r in records:
        if r.uid == query.uid:
            continue
        name = _name_score(q_parts, keys[r.uid], idf)
        if name < 0.5:
            continue
        dob, dob_reason = _dob_score(query, r)
        sex = 0.5 if not {query.sex, r.sex} <= {"M", "F"} else float(query.sex == r.sex)
        nat = (
            0.5
            if not query.nationality or not r.nationality
            else float(query.nationality == r.nationality)
        )
        score = 0.6 * name + 0.25 * dob + 0.1 * sex + 0.05 * nat
        reasons = ["name" if name >= 0.99 else "name_similar"]
        reasons += [dob_reason] if dob_reason else []
        if q_doc and q_doc == normalise_document(r.document):
            score = max(score, 0.95)
            reasons.append("document")
        if score >= min_score:
            out.append(Candidate(r.uid, round(score, 4), tuple(reasons)))
    out.sort(key=lambda c: (-c.score, c.uid))
    return out[:limit]
