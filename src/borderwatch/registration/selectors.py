"""Reads of the registration app, scoped by the user's member state.

Persons are personal data: only national roles with VIEW_PERSONS see them, and only their own
state's. EU-level roles get an empty result rather than an error, so shared pages still render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can, in_scope, visible_states
from borderwatch.core.roles import Capability
from borderwatch.engines.fingerprint import templatefile
from borderwatch.engines.fingerprint.pairs import MinutiaPair, matched_pairs
from borderwatch.registration.models import (
    FINGER_NAMES,
    Document,
    Finger,
    FingerprintSet,
    Hit,
    HitStatus,
    IdentificationRequest,
    Person,
)


def persons(user: User, member_state: str | None = None) -> QuerySet[Person]:
    """Persons the user may see, optionally of one member state."""
    if not can(user, Capability.VIEW_PERSONS):
        return Person.objects.none()
    qs = Person.objects.all()
    states = visible_states(user)
    if states is not None:
        qs = qs.filter(member_state__in=states)
    if member_state:
        qs = qs.filter(member_state=member_state)
    return qs


def person(user: User, person_id: int) -> Person:
    """One person, or PermissionDenied/DoesNotExist without telling which for other states."""
    if not can(user, Capability.VIEW_PERSONS):
        raise PermissionDenied("Your role may not view persons.")
    return persons(user).get(pk=person_id)


def persons_by_ids(user: User, ids: Iterable[int]) -> QuerySet[Person]:
    return persons(user).filter(pk__in=list(ids))


def apprehended_on(user: User, day: dt.date, member_state: str | None = None) -> QuerySet[Person]:
    """Persons whose apprehension event happened on the (local) day."""
    return persons(user, member_state).filter(apprehension_event__local_date=day)


def apprehension_points(ids: Iterable[int]) -> dict[int, tuple[float, float, dt.date]]:
    """Latitude, longitude and local day of each person's apprehension (unscoped: for services).

    Services call this after they have checked the user may act for these persons.
    """
    rows = Person.objects.filter(pk__in=list(ids), apprehension_event__isnull=False).values_list(
        "pk",
        "apprehension_event__latitude",
        "apprehension_event__longitude",
        "apprehension_event__local_date",
    )
    return {pk: (lat, lon, day) for pk, lat, lon, day in rows}


def household_members(user: User, member_state: str, household: str) -> QuerySet[Person]:
    if not household:
        return Person.objects.none()
    return persons(user, member_state).filter(household=household)


def household_sizes(member_state: str, households: Iterable[str]) -> dict[str, int]:
    """How many registered persons share each household reference (unscoped: for services)."""
    wanted = [h for h in set(households) if h]
    if not wanted:
        return {}
    rows = (
        Person.objects.filter(member_state=member_state, household__in=wanted)
        .values("household")
        .annotate(n=Count("id"))
        .values_list("household", "n")
    )
    return dict(rows)


def household_member_ids(member_state: str, households: Iterable[str]) -> dict[str, list[int]]:
    """Person ids per household reference (unscoped: for services)."""
    wanted = [h for h in set(households) if h]
    result: dict[str, list[int]] = {}
    rows = Person.objects.filter(member_state=member_state, household__in=wanted).values_list(
        "household", "pk"
    )
    for household, pk in rows:
        result.setdefault(household, []).append(pk)
    return result


def persons_for_services(ids: Iterable[int]) -> dict[int, Person]:
    """Persons by id, unscoped: services call this and then check the actor may act for them."""
    return Person.objects.in_bulk(list(ids))


# ---- documents, fingerprints, identification ---------------------------------------------------


def persons_of_event(user: User, event_id: int) -> QuerySet[Person]:
    """The persons registered from one apprehension event (the group form's list)."""
    return persons(user).filter(apprehension_event_id=event_id).order_by("id")


def documents(user: User, person_id: int) -> QuerySet[Document]:
    return Document.objects.filter(person__in=persons(user), person_id=person_id).order_by("id")


def fingerprint_sets(user: User, person_id: int) -> QuerySet[FingerprintSet]:
    return FingerprintSet.objects.filter(person__in=persons(user), person_id=person_id)


def fingerprint_set(user: User, set_id: int) -> FingerprintSet:
    """One set of a person the user may see (DoesNotExist otherwise)."""
    return FingerprintSet.objects.select_related("person").get(pk=set_id, person__in=persons(user))


@dataclass(frozen=True)
class FingerRow:
    """One finger as the capture page shows it."""

    id: int
    position: int
    name: str
    quality: int | None
    minutiae: int
    missing_reason: str
    needs_recapture: bool
    has_image: bool


def set_fingers(user: User, set_id: int) -> list[FingerRow]:
    """A set's ten positions with quality and the recapture flag (settings.RECAPTURE_QUALITY)."""
    fs = fingerprint_set(user, set_id)
    return [
        FingerRow(
            f.pk,
            f.position,
            f.name,
            f.quality,
            f.minutiae,
            f.missing_reason,
            f.needs_recapture,
            bool(f.image),
        )
        for f in fs.fingers.all()
    ]


def identification(user: User, request_id: int) -> IdentificationRequest:
    """A request of the user's own state: status, progress, stage (DoesNotExist otherwise)."""
    if not can(user, Capability.VIEW_PERSONS):
        raise PermissionDenied("Your role may not view identifications.")
    return in_scope(IdentificationRequest.objects.all(), user).get(pk=request_id)


def identifications_of_set(user: User, set_id: int) -> QuerySet[IdentificationRequest]:
    return in_scope(IdentificationRequest.objects.filter(fingerprint_set_id=set_id), user)


@dataclass(frozen=True)
class EurodacRecord:
    """What a hit shows about a record of another state: Eurodac's fields, no names,
    documents, vulnerabilities or photo (Regulation (EU) 2024/1358, art. 17 and 22)."""

    reference: str
    member_state: str
    eurodac_category: int
    sex: str
    apprehended_on: dt.date | None
    place: str
    fingerprint_set: str
    fingerprinted_at: dt.datetime | None


def eurodac_record(person: Person, fs: FingerprintSet | None) -> EurodacRecord:
    """Unscoped: callers decide the viewer may see this through a hit."""
    event = person.apprehension_event
    return EurodacRecord(
        reference=person.reference,
        member_state=person.member_state,
        eurodac_category=person.eurodac_category,
        sex=person.sex,
        apprehended_on=event.local_date if event else person.created_at.date(),
        place=f"{event.section.name} ({event.section.code})" if event else "",
        fingerprint_set=fs.reference if fs else "",
        fingerprinted_at=fs.captured_at if fs else None,
    )


def _hits() -> QuerySet[Hit]:
    return Hit.objects.select_related(
        "request__fingerprint_set",
        "person__apprehension_event__section",
        "candidate__apprehension_event__section",
        "candidate_set",
        "decided_by",
    )


def hits(user: User, status: str | None = None) -> QuerySet[Hit]:
    """Hits the user may see: every hit of their own state's searches, and the confirmed hits
    of other states' searches that found one of their own state's persons."""
    if not can(user, Capability.VIEW_PERSONS) or not user.member_state:
        return Hit.objects.none()
    state = user.member_state
    own = Q(request__member_state=state)
    told = Q(status=HitStatus.CONFIRMED, candidate__member_state=state) & ~own
    qs = _hits().filter(own | told).order_by("-request__requested_at", "request_id", "rank")
    return qs.filter(status=status) if status else qs


def hits_pending_review(user: User) -> QuerySet[Hit]:
    """The fingerprint expert's queue: pending hits of their state's searches, oldest first."""
    if not can(user, Capability.VERIFY_HITS):
        return Hit.objects.none()
    return (
        _hits()
        .filter(status=HitStatus.PENDING, request__member_state=user.member_state)
        .order_by("request__requested_at", "request_id", "rank")
    )


def hit(user: User, hit_id: int) -> Hit:
    """One hit the user may see (DoesNotExist otherwise, for others' hits as well)."""
    return hits(user).get(pk=hit_id)


@dataclass(frozen=True)
class HitView:
    """A hit as the viewer's state may see it: our record in full (by id), theirs as Eurodac."""

    id: int
    status: str
    rank: int
    score: float
    fmr: float
    finger_scores: dict[str, float]
    requested_by_state: str
    searched_at: dt.datetime
    decided_at: dt.datetime | None
    our_person_id: int
    other: EurodacRecord


def hit_view(user: User, h: Hit) -> HitView:
    """Which side of the hit is "ours" depends on the viewer's state."""
    searching = h.request.member_state == user.member_state
    ours, theirs = (h.person, h.candidate) if searching else (h.candidate, h.person)
    their_set = h.candidate_set if searching else h.request.fingerprint_set
    return HitView(
        id=h.pk, status=h.status, rank=h.rank, score=h.score, fmr=h.fmr,
        finger_scores=dict(h.finger_scores), requested_by_state=h.request.member_state,
        searched_at=h.request.requested_at, decided_at=h.decided_at, our_person_id=ours.pk,
        other=eurodac_record(theirs, their_set),
    )  # fmt: skip


@dataclass(frozen=True)
class FingerComparison:
    """One finger of the probe beside the candidate's: image ids and matched minutiae."""

    position: int
    name: str
    score: float
    query_finger_id: int | None
    candidate_finger_id: int | None
    pairs: list[MinutiaPair]


def hit_comparison(user: User, hit_id: int) -> list[FingerComparison]:
    """Side by side for the expert: each finger captured on both sides, best score first."""
    h = expert_hit(user, hit_id)
    query = {f.position: f for f in h.request.fingerprint_set.fingers.exclude(template=None)}
    cand_set = h.candidate_set
    cand = {f.position: f for f in cand_set.fingers.exclude(template=None)} if cand_set else {}
    out = []
    for pos in sorted(set(query) & set(cand)):
        qt = templatefile.loads(bytes(query[pos].template or b""))
        ct = templatefile.loads(bytes(cand[pos].template or b""))
        score, pairs = matched_pairs(qt, ct)
        out.append(
            FingerComparison(
                pos,
                FINGER_NAMES[pos],
                score,
                query[pos].pk if query[pos].image else None,
                cand[pos].pk if cand[pos].image else None,
                pairs,
            )
        )
    out.sort(key=lambda c: -c.score)
    return out


def expert_hit(user: User, hit_id: int) -> Hit:
    """A hit of the expert's own state's searches, pending or decided."""
    if not can(user, Capability.VERIFY_HITS):
        raise PermissionDenied("Only a fingerprint expert compares fingerprints.")
    return _hits().get(pk=hit_id, request__member_state=user.member_state)


def finger_image(user: User, finger_id: int) -> Finger:
    """A finger whose image the user may see: their own state's persons (VIEW_PERSONS), or,
    for a fingerprint expert, a candidate's finger in one of their state's hits."""
    finger = Finger.objects.select_related("fingerprint_set__person").get(pk=finger_id)
    owner = finger.fingerprint_set.person.member_state
    if can(user, Capability.VIEW_PERSONS) and owner == user.member_state:
        return finger
    if (
        can(user, Capability.VERIFY_HITS)
        and Hit.objects.filter(
            candidate_set_id=finger.fingerprint_set_id, request__member_state=user.member_state
        ).exists()
    ):
        return finger
    raise Finger.DoesNotExist("No such finger.")


def registrations_on(user: User, day: dt.date) -> QuerySet[Person]:
    """A day's registrations: persons apprehended that day, or, without an apprehension event,
    registered that day (server time zone)."""
    return (
        persons(user)
        .filter(
            Q(apprehension_event__local_date=day)
            | Q(apprehension_event__isnull=True, created_at__date=day)
        )
        .select_related("apprehension_event")
        .annotate(fingerprint_set_count=Count("fingerprint_sets"))
        .order_by("id")
    )


# ---- for reception (appended; reception reads persons only through these) --------------------


def arrived_by(member_state: str, day: dt.date, excluding: Iterable[int] = ()) -> QuerySet[Person]:
    """Persons of a state apprehended (or, without an event, registered) on or before the day,
    in order of apprehension, less `excluding` (ids, or a values_list queryset: a subquery).

    Unscoped: reception's services call it for the state they have checked the actor acts for.
    """
    return (
        Person.objects.filter(member_state=member_state)
        .filter(
            Q(apprehension_event__local_date__lte=day)
            | Q(apprehension_event__isnull=True, created_at__date__lte=day)
        )
        .exclude(pk__in=excluding)
        .order_by("apprehension_event__occurred_at", "pk")
    )
