"""Reads of the linkage app: possible duplicates of a person about to be registered, and the
review queue of candidate pairs.

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
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import can
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition
from borderwatch.engines.linkage import PersonRecord, latin_parts, rank, skeleton
from borderwatch.linkage.models import (
    CandidatePair,
    Decision,
    DuplicateRun,
    FingerprintEvidence,
    Outcome,
    PairStatus,
    reason_labels,
)
from borderwatch.linkage.workflow import PAIR
from borderwatch.registration import selectors as registration

if TYPE_CHECKING:  # a type only: linkage reads persons through registration.selectors
    from borderwatch.registration.models import Person

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

    @property
    def reason_labels(self) -> list[str]:
        return reason_labels(self.reasons)


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


# ---- the review queue --------------------------------------------------------------------------
#
# A pair is its state's: only that state's reviewers see it. A pair whose other record is
# another state's (found by one of our fingerprint searches) is the fingerprint expert's, and
# that record is shown as its Eurodac fields only, its read audited here under its owner.


def may_review(user: User) -> bool:
    """Who works the queue: those who register persons, and fingerprint experts, of a state."""
    return bool(user.member_state) and (
        can(user, Capability.REGISTER_PERSONS) or can(user, Capability.VERIFY_HITS)
    )


def pairs(user: User, status: str = "") -> QuerySet[CandidatePair]:
    """The pairs the user may review, most likely first; empty for everyone else."""
    if not may_review(user):
        return CandidatePair.objects.none()
    qs = CandidatePair.objects.filter(member_state=user.member_state)
    if not can(user, Capability.VERIFY_HITS):
        qs = qs.filter(other_state=user.member_state)
    return qs.filter(status=status) if status else qs


def queue_count(user: User) -> int:
    """Pairs waiting for this user's decision (a number: no record is read)."""
    waiting = PairStatus.REFERRED if can(user, Capability.VERIFY_HITS) else PairStatus.PROPOSED
    return pairs(user, waiting).count()


@dataclass(frozen=True)
class Side:
    """One of the two records in full (the user's own state's person)."""

    id: int
    reference: str
    name_transliterated: str
    name_as_written: str
    date_of_birth: dt.date | None
    dob_is_estimated: bool
    sex: str
    nationality: str
    eurodac_category: int
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairView:
    """A pair as the user may see it: our person in full, the other in full when ours, else
    Eurodac's fields (`other_eurodac`)."""

    id: int
    status: str
    outcome: str
    fingerprints: str
    score: float
    confidence: float
    reasons: tuple[str, ...]
    outcome_reasons: tuple[str, ...]
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str
    person: Side | None
    other: Side | None
    other_eurodac: registration.EurodacRecord | None

    @property
    def status_label(self) -> str:
        return str(PairStatus(self.status).label)

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def fingerprints_label(self) -> str:
        return str(FingerprintEvidence(self.fingerprints).label)

    @property
    def reason_labels(self) -> list[str]:
        """The biographic reasons, then the assessment's, in the user's language."""
        return reason_labels(self.reasons + self.outcome_reasons)


def _side(p: Person, documents: tuple[str, ...] = ()) -> Side:
    return Side(
        id=p.pk, reference=p.reference, name_transliterated=p.name_transliterated,
        name_as_written=p.name_as_written, date_of_birth=p.date_of_birth,
        dob_is_estimated=p.dob_is_estimated, sex=p.sex, nationality=p.nationality,
        eurodac_category=p.eurodac_category, documents=documents,
    )  # fmt: skip


def _views(user: User, rows: list[CandidatePair], documents: bool = False) -> list[PairView]:
    """The pairs as the user may see them (three queries, however many); the other states'
    records among them are audited, one entry each, in one INSERT."""
    own_ids = {p.person_id for p in rows} | {p.other_id for p in rows if not p.cross_state}
    ours = {p.pk: p for p in registration.persons(user).filter(pk__in=own_ids)}
    theirs = registration.eurodac_records({p.other_id for p in rows if p.cross_state})
    audit.record_read(
        user,
        Action.PAIR_VIEW,
        ((p, p.other_state, {"person": p.other_id}) for p in rows if p.cross_state),
    )
    users = {p.decided_by_id for p in rows if p.decided_by_id}
    names = dict(User.objects.filter(pk__in=users).values_list("pk", "username"))

    def side(pk: int) -> Side | None:
        if pk not in ours:
            return None
        docs: tuple[str, ...] = ()
        if documents:
            docs = tuple(
                f"{d.get_doc_type_display()} {d.number} ({d.issuing_country})"
                for d in registration.documents(user, pk)
            )
        return _side(ours[pk], docs)

    return [
        PairView(
            id=p.pk,
            status=p.status,
            outcome=p.outcome,
            fingerprints=p.fingerprints,
            score=p.score,
            confidence=p.confidence,
            reasons=tuple(p.reasons),
            outcome_reasons=tuple(p.outcome_reasons),
            proposed_at=p.proposed_at,
            decided_at=p.decided_at,
            decided_by=names.get(p.decided_by_id) if p.decided_by_id else None,
            reason=p.reason,
            person=side(p.person_id),
            other=None if p.cross_state else side(p.other_id),
            other_eurodac=theirs.get(p.other_id) if p.cross_state else None,
        )
        for p in rows
    ]


def pair_views(user: User, rows: list[CandidatePair]) -> list[PairView]:
    """A page of `pairs(user)` as the user may see them. Audited (other states' records)."""
    return _views(user, rows)


def queue(user: User, status: str = "", limit: int = 200) -> list[PairView]:
    """The queue page: pairs of one status (default: those waiting for this user), most likely
    first. Audited."""
    if not status:
        status = PairStatus.REFERRED if can(user, Capability.VERIFY_HITS) else PairStatus.PROPOSED
    qs = pairs(user, status).order_by("-confidence", "id")[:limit]
    return _views(user, list(qs))


@dataclass(frozen=True)
class PairDetail:
    """The side-by-side page: the pair, its decisions, and the moves open to this user."""

    view: PairView
    decisions: list[Decision]
    moves: list[Transition]


def pair(user: User, pair_id: int) -> PairDetail:
    """One pair the user may review (DoesNotExist otherwise, for other states' as well).
    Audited when its other record is another state's."""
    if not may_review(user):
        raise PermissionDenied(_("Your role may not review possible duplicates."))
    row = pairs(user).get(pk=pair_id)
    (view,) = _views(user, [row], documents=True)
    moves = [
        t
        for t in PAIR.from_state(row.status)
        if can(user, t.capability) and (t.guard is None or not t.guard(row))
    ]
    decisions = list(Decision.objects.filter(pair=row).select_related("decided_by"))
    return PairDetail(view, decisions, moves)


def run(user: User, run_id: int) -> DuplicateRun:
    """A duplicate search of the user's own state (DoesNotExist otherwise)."""
    if not may_review(user):
        raise PermissionDenied(_("Your role may not review possible duplicates."))
    return DuplicateRun.objects.get(pk=run_id, member_state=user.member_state)


def latest_run(user: User) -> DuplicateRun | None:
    if not may_review(user):
        return None
    return DuplicateRun.objects.filter(member_state=user.member_state).first()


# ---- for registration's person page (registration imports this module) ------------------------


@dataclass(frozen=True)
class PersonDuplicates:
    """What the person page shows: persons like this one now, and pairs already proposed."""

    likely: list[Duplicate]
    pairs: list[CandidatePair]


def person_duplicates(user: User, person: Person) -> PersonDuplicates:
    """Likely duplicates of a person of the user's state (registration roles) and the pairs
    naming them that the user may review; empty for every other viewer."""
    if not can(user, Capability.REGISTER_PERSONS) and not can(user, Capability.VERIFY_HITS):
        return PersonDuplicates([], [])
    pk = person.pk
    likely: list[Duplicate] = []
    if can(user, Capability.REGISTER_PERSONS) and user.member_state:
        likely = [
            d
            for d in possible_duplicates(
                user,
                name_transliterated=person.name_transliterated,
                name_as_written=person.name_as_written,
                date_of_birth=person.date_of_birth,
                dob_is_estimated=person.dob_is_estimated,
                sex=person.sex,
                nationality=person.nationality,
                limit=6,
            )
            if d.id != pk
        ][:5]
    named = pairs(user).filter(Q(person_id=pk) | Q(other_id=pk)).order_by("-confidence", "id")
    return PersonDuplicates(likely, list(named[:20]))
