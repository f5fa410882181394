"""Reads of the linkage app: possible duplicates of a person about to be registered.

Persons are read through `registration.selectors` (scoped there to the user's role and member
state) and only of the user's own state: a duplicate check never shows another state's record.
A broad database prefilter (any name word's first letters or consonant skeleton in the stored
search key) bounds the rows; the linkage engine's `rank` orders them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can
from borderwatch.core.roles import Capability
from borderwatch.engines.linkage import PersonRecord, latin_parts, rank, skeleton
from borderwatch.registration import selectors as registration

PREFILTER_ROWS = 2000  # most recent matching rows ranked; enough for one state's day-to-day


@dataclass(frozen=True)
class Duplicate:
    id: int
    reference: str
    name_transliterated: str
    name_as_written: str
    date_of_birth: dt.date | None
    sex: str
    nationality: str
    score: float
    reasons: tuple[str, ...]


def _terms(*names: str) -> list[str]:
    terms: list[str] = []
    for name in names:
        for part in latin_parts(name):
            word = part[2:] if part.startswith("al") and len(part) > 4 else part
            if len(word) >= 3:
                terms.append(f" {word[:3]}")
            skel = skeleton(part)
            if len(skel) >= 2:
                terms.append(f" ~{skel} ")
    return terms


def possible_duplicates(
    user: User,
    *,
    name_transliterated: str,
    name_as_written: str = "",
    date_of_birth: dt.date | None = None,
    dob_is_estimated: bool = False,
    sex: str = "",
    nationality: str = "",
    limit: int = 10,
) -> list[Duplicate]:
    """The user's own state's persons most like the one described, best first."""
    if not can(user, Capability.REGISTER_PERSONS) or not user.member_state:
        raise PermissionDenied(_("Your role may not register persons."))
    terms = _terms(name_transliterated, name_as_written)
    if not terms:
        return []
    scope = registration.persons(user, member_state=user.member_state)
    rows = list(
        scope.filter(reduce(or_, (Q(search_key__contains=t) for t in terms))).order_by(
            "-created_at", "-id"
        )[:PREFILTER_ROWS]
    )
    query = PersonRecord(
        uid="query",
        state=user.member_state,
        given_name="",
        family_name=name_transliterated or name_as_written,
        date_of_birth=date_of_birth,
        birth_year_only=dob_is_estimated,
        sex=sex,
        nationality=nationality,
    )
    records = [
        PersonRecord(
            uid=str(p.pk),
            state=p.member_state,
            given_name="",
            family_name=p.name_transliterated or p.name_as_written,
            date_of_birth=p.date_of_birth,
            birth_year_only=p.dob_is_estimated,
            sex=p.sex,
            nationality=p.nationality,
        )
        for p in rows
    ]
    by_id = {str(p.pk): p for p in rows}
    found = rank(query, records, limit=limit)
    return [
        Duplicate(
            id=by_id[c.uid].pk,
            reference=by_id[c.uid].reference,
            name_transliterated=by_id[c.uid].name_transliterated,
            name_as_written=by_id[c.uid].name_as_written,
            date_of_birth=by_id[c.uid].date_of_birth,
            sex=by_id[c.uid].sex,
            nationality=by_id[c.uid].nationality,
            score=c.score,
            reasons=c.reasons,
        )
        for c in found
    ]
