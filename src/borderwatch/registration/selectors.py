"""Reads of the registration app, scoped by the user's member state.

Persons are personal data: only national roles with VIEW_PERSONS see them, and only their own
state's. EU-level roles get an empty result rather than an error, so shared pages still render.
What a hit shows of another state's record is audited here, by the selector that returns it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import PermissionDenied
from django.db import models as orm
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import can, in_scope, visible_states
from borderwatch.core.roles import Capability
from borderwatch.engines.fingerprint import MinutiaPair, matched_pairs, template_from_bytes
from borderwatch.registration import names
from borderwatch.registration.models import (
    FINGER_NAMES,
    MISSING_WORDS,
    VULNERABILITY_FLAGS,
    CaptureJob,
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
        raise PermissionDenied(_("Your role may not view persons."))
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


def _requests(user: User) -> QuerySet[IdentificationRequest]:
    """Requests the user may see, each with its number of hits (`hit_count`, one query)."""
    return in_scope(IdentificationRequest.objects.annotate(hit_count=Count("hits")), user)


@dataclass(frozen=True)
class SetRow:
    """A person's fingerprint set with its identification requests (newest first)."""

    set: FingerprintSet
    requests: list[IdentificationRequest]


def person_sets(user: User, person_id: int) -> list[SetRow]:
    """A person's sets and their requests in two queries, however many sets there are."""
    sets = fingerprint_sets(user, person_id).prefetch_related(
        Prefetch("identifications", queryset=_requests(user), to_attr="visible_requests")
    )
    return [SetRow(fs, fs.visible_requests) for fs in sets]


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

    @property
    def missing_label(self) -> str:
        """The missing reason in the user's language ("bandaged")."""
        word = MISSING_WORDS.get(self.missing_reason)
        return str(word) if word is not None else self.missing_reason


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


def capture_job(user: User, capture_id: int) -> CaptureJob:
    """A capture of a person of the user's own state (DoesNotExist otherwise)."""
    if not can(user, Capability.VIEW_PERSONS):
        raise PermissionDenied(_("Your role may not view persons."))
    return in_scope(CaptureJob.objects.select_related("person"), user).get(pk=capture_id)


def open_captures(user: User, person_id: int) -> QuerySet[CaptureJob]:
    """A person's captures not yet a set (waiting for files, extracting, refused), newest first."""
    if not can(user, Capability.VIEW_PERSONS):
        return CaptureJob.objects.none()
    return in_scope(CaptureJob.objects.filter(person_id=person_id), user).filter(
        fingerprint_set__isnull=True
    )


def identification(user: User, request_id: int) -> IdentificationRequest:
    """A request of the user's own state: status, progress, stage, `hit_count`
    (DoesNotExist otherwise)."""
    if not can(user, Capability.VIEW_PERSONS):
        raise PermissionDenied(_("Your role may not view identifications."))
    return _requests(user).get(pk=request_id)


def identifications_of_set(user: User, set_id: int) -> QuerySet[IdentificationRequest]:
    """A set's requests, each with `hit_count`."""
    return _requests(user).filter(fingerprint_set_id=set_id)


# ---- hits: another state's record, audited in the selector that returns it ---------------------
#
# Every selector below that hands out another member state's personal data (a hit's other side,
# an expert's comparison, another state's finger image) records the read with
# `audit.record_read`, filed under the owning state, so no page or endpoint can forget it.
# The scoped querysets they share stay private.


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


def _eurodac_record(person: Person, fs: FingerprintSet | None) -> EurodacRecord:
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
    """Hits with everything a view of them reads, in one query."""
    return Hit.objects.select_related(
        "request__fingerprint_set",
        "person__apprehension_event__section",
        "candidate__apprehension_event__section",
        "candidate_set",
        "decided_by",
    )


def _visible_hits(user: User, status: str | None = None) -> QuerySet[Hit]:
    """Every hit of the user's own state's searches, and the confirmed hits of other states'
    searches that found one of their own state's persons. A pending hit (not yet verified) is
    shown to the searching state's fingerprint experts only: until an expert confirms it, the
    candidate's record is no one else's business."""
    if not can(user, Capability.VIEW_PERSONS) or not user.member_state:
        return Hit.objects.none()
    state = user.member_state
    own = Q(request__member_state=state)
    if not can(user, Capability.VERIFY_HITS):
        own &= ~Q(status=HitStatus.PENDING)
    told = Q(status=HitStatus.CONFIRMED, candidate__member_state=state) & ~own
    qs = _hits().filter(own | told).order_by("-request__requested_at", "request_id", "rank")
    return qs.filter(status=status) if status else qs


def _pending_hits(user: User) -> QuerySet[Hit]:
    """The fingerprint expert's queue: pending hits of their state's searches, oldest first."""
    if not can(user, Capability.VERIFY_HITS):
        return Hit.objects.none()
    return (
        _hits()
        .filter(status=HitStatus.PENDING, request__member_state=user.member_state)
        .order_by("request__requested_at", "request_id", "rank")
    )


def _expert_hit(user: User, hit_id: int) -> Hit:
    """A hit of the expert's own state's searches, pending or decided."""
    if not can(user, Capability.VERIFY_HITS):
        raise PermissionDenied(_("Only a fingerprint expert compares fingerprints."))
    return _hits().get(pk=hit_id, request__member_state=user.member_state)


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
    our_reference: str
    other: EurodacRecord

    @property
    def status_label(self) -> str:
        return str(HitStatus(self.status).label)


def _sides(
    user: User, h: Hit, person_id: int | None
) -> tuple[Person, Person, FingerprintSet | None]:
    """(ours, theirs, their set): seen from `person_id` when given (a person's page), else
    from the viewer's state (the searching side when it is theirs)."""
    if person_id is not None:
        searching = h.person_id == person_id
    else:
        searching = h.request.member_state == user.member_state
    if searching:
        return h.person, h.candidate, h.candidate_set
    return h.candidate, h.person, h.request.fingerprint_set


def _view(user: User, h: Hit, person_id: int | None = None) -> HitView:
    ours, theirs, their_set = _sides(user, h, person_id)
    return HitView(
        id=h.pk, status=h.status, rank=h.rank, score=h.score, fmr=h.fmr,
        finger_scores=dict(h.finger_scores), requested_by_state=h.request.member_state,
        searched_at=h.request.requested_at, decided_at=h.decided_at, our_person_id=ours.pk,
        our_reference=ours.reference, other=_eurodac_record(theirs, their_set),
    )  # fmt: skip


def _read(user: User, hits: Iterable[Hit], person_id: int | None = None) -> list[HitView]:
    """The hits as the user may see them; the other-state records among them are audited, one
    entry each, in one INSERT (audit.record_read skips the user's own state's records)."""
    rows = list(hits)
    sides = [_sides(user, h, person_id)[1] for h in rows]
    audit.record_read(
        user,
        Action.HIT_VIEW,
        (
            (h, theirs.member_state, {"person": theirs.pk})
            for h, theirs in zip(rows, sides, strict=True)
        ),
    )
    return [_view(user, h, person_id) for h in rows]


def hit_count(user: User, status: str | None = None) -> int:
    """How many hits the user may see (a number: no record is read)."""
    return _visible_hits(user, status).count()


def hits(
    user: User, status: str | None = None, *, offset: int = 0, limit: int | None = None
) -> list[HitView]:
    """A page of the hits the user may see (own state's searches, and other states' confirmed
    hits on own persons), newest search first. Audited: each other-state record on the page."""
    qs = _visible_hits(user, status)
    page = qs[offset:] if limit is None else qs[offset : offset + limit]
    return _read(user, page)


def hits_of_request(user: User, request_id: int) -> list[HitView]:
    """The hits of one search of the user's own state, by rank. Audited."""
    return _read(user, _visible_hits(user).filter(request_id=request_id).order_by("rank"))


def shared_hits(user: User, limit: int = 200) -> list[HitView]:
    """Other states' confirmed hits that found one of the user's state's persons. Audited."""
    qs = _visible_hits(user, HitStatus.CONFIRMED).exclude(request__member_state=user.member_state)
    return _read(user, qs[:limit])


def awaiting_verification(user: User, request_id: int) -> int:
    """How many hits of one of the user's state's searches wait for a fingerprint expert and are
    hidden from the user until confirmed: a number, no record is read."""
    if not can(user, Capability.VIEW_PERSONS) or can(user, Capability.VERIFY_HITS):
        return 0
    return Hit.objects.filter(
        request_id=request_id, request__member_state=user.member_state, status=HitStatus.PENDING
    ).count()


def pending_review_count(user: User) -> int:
    return _pending_hits(user).count()


def hits_pending_review(user: User) -> list[HitView]:
    """The fingerprint expert's queue, oldest search first. Audited (the candidates)."""
    return _read(user, _pending_hits(user))


def hit(user: User, hit_id: int) -> HitView:
    """One hit the user may see (DoesNotExist otherwise, for others' hits as well). Audited."""
    (view,) = _read(user, [_visible_hits(user).get(pk=hit_id)])
    return view


def require_expert_hit(user: User, hit_id: int) -> None:
    """PermissionDenied for a non-expert, DoesNotExist unless the hit is of the expert's own
    state's searches; reads no record (a decision's pre-check)."""
    if not can(user, Capability.VERIFY_HITS):
        raise PermissionDenied(_("Only a fingerprint expert compares fingerprints."))
    if not Hit.objects.filter(pk=hit_id, request__member_state=user.member_state).exists():
        raise Hit.DoesNotExist("No such hit.")


@dataclass(frozen=True)
class PersonHit:
    """A hit on a person's page: the other record, as far as this user may see it."""

    view: HitView
    other_person_id: int | None  # set when the other record is of the user's own state


def person_hits(user: User, person_id: int) -> list[PersonHit]:
    """The hits that concern one person, each seen from that person (the other record is the
    other person, even for a hit between two records of one state). Audited."""
    found = list(_visible_hits(user).filter(Q(person_id=person_id) | Q(candidate_id=person_id)))
    views = _read(user, found, person_id=person_id)
    rows = []
    for h, view in zip(found, views, strict=True):
        theirs = _sides(user, h, person_id)[1]
        own = theirs.member_state == user.member_state
        rows.append(PersonHit(view, theirs.pk if own else None))
    return rows


@dataclass(frozen=True)
class FingerComparison:
    """One finger of the probe beside the candidate's: image ids, sizes and matched minutiae."""

    position: int
    name: str
    score: float
    query_finger_id: int | None
    candidate_finger_id: int | None
    pairs: list[MinutiaPair]
    query_size: tuple[int, int] | None = None
    candidate_size: tuple[int, int] | None = None


def _image_size(finger: Finger) -> tuple[int, int] | None:
    """Width and height of a finger's stored image (its PNG header), None without an image."""
    if not finger.image:
        return None
    with finger.image.open("rb") as fh, Image.open(fh) as img:
        return int(img.width), int(img.height)


def _comparison(h: Hit) -> list[FingerComparison]:
    """Each finger captured on both sides, best score first (two queries, whatever the count)."""
    query = {f.position: f for f in h.request.fingerprint_set.fingers.exclude(template=None)}
    cand_set = h.candidate_set
    cand = {f.position: f for f in cand_set.fingers.exclude(template=None)} if cand_set else {}
    out = []
    for pos in sorted(set(query) & set(cand)):
        qt = template_from_bytes(bytes(query[pos].template or b""))
        ct = template_from_bytes(bytes(cand[pos].template or b""))
        score, pairs = matched_pairs(qt, ct)
        out.append(
            FingerComparison(
                pos,
                str(FINGER_NAMES[pos]),
                score,
                query[pos].pk if query[pos].image else None,
                cand[pos].pk if cand[pos].image else None,
                pairs,
                _image_size(query[pos]),
                _image_size(cand[pos]),
            )
        )
    out.sort(key=lambda c: -c.score)
    return out


def hit_comparison(user: User, hit_id: int) -> list[FingerComparison]:
    """Side by side for the expert: each finger captured on both sides. Audited."""
    h = _expert_hit(user, hit_id)
    _read(user, [h])
    return _comparison(h)


@dataclass(frozen=True)
class HitReview:
    """The expert's hit page: the hit, its view, whether the candidate is ours, the fingers."""

    hit: Hit
    view: HitView
    candidate_is_ours: bool
    comparison: list[FingerComparison]


def hit_review(user: User, hit_id: int) -> HitReview:
    """A hit of the expert's own state's searches with the comparison. Audited once."""
    h = _expert_hit(user, hit_id)
    (view,) = _read(user, [h])
    ours = h.candidate.member_state == user.member_state
    return HitReview(h, view, ours, _comparison(h))


def finger_image(user: User, finger_id: int) -> Finger:
    """A finger whose image the user may see: their own state's persons (VIEW_PERSONS), or,
    for a fingerprint expert, a candidate's finger in one of their state's hits. Audited
    when the finger is another state's."""
    finger = Finger.objects.select_related("fingerprint_set__person").get(pk=finger_id)
    person = finger.fingerprint_set.person
    if can(user, Capability.VIEW_PERSONS) and person.member_state == user.member_state:
        return finger
    if (
        can(user, Capability.VERIFY_HITS)
        and Hit.objects.filter(
            candidate_set_id=finger.fingerprint_set_id, request__member_state=user.member_state
        ).exists()
    ):
        detail = {"person": person.pk, "position": finger.position}
        audit.record_read(user, Action.FINGER_VIEW, [(finger, person.member_state, detail)])
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


def latest_registration_day(user: User) -> dt.date | None:
    """The last day with a registration the user may see (the Registrations page's default):
    the latest apprehension day, or registration day for persons without an event."""
    qs = persons(user)
    with_event = qs.filter(apprehension_event__isnull=False).aggregate(
        day=Max("apprehension_event__local_date")
    )["day"]
    created = qs.filter(apprehension_event__isnull=True).aggregate(at=Max("created_at"))["at"]
    days = [d for d in (with_event, timezone.localdate(created) if created else None) if d]
    return max(days) if days else None


def hit_ids_of_request(request_id: int) -> list[int]:
    """A search's hit ids by rank; unscoped, for the system (the scenario loader, which then
    lets its expert decide some of them through services.decide_hit)."""
    return list(
        Hit.objects.filter(request_id=request_id).order_by("rank").values_list("pk", flat=True)
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


def synthetic_person_ids() -> list[int]:
    """The demo scenario's persons (unscoped: for the loader's --replace)."""
    return list(Person.objects.filter(synthetic=True).values_list("pk", flat=True))


# ---- for reception's pages (appended): awaiting persons as a manager recognises them ----------


def _arrived_on() -> Coalesce:
    """A person's arrival day: the apprehension's local day, else the day registered."""
    return Coalesce("apprehension_event__local_date", TruncDate("created_at"))


def _household_size() -> orm.Case:
    """How many registered persons of the state share the person's household reference (1
    without one: the count is asked only for a household, never for every person without)."""
    same = (
        Person.objects.filter(
            member_state=orm.OuterRef("member_state"), household=orm.OuterRef("household")
        )
        .exclude(household="")
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return orm.Case(
        orm.When(household="", then=orm.Value(1)),
        default=Coalesce(orm.Subquery(same, output_field=orm.IntegerField()), orm.Value(1)),
        output_field=orm.IntegerField(),
    )


def _vulnerable() -> orm.Case:
    any_flag = Q()
    for flag in VULNERABILITY_FLAGS:
        any_flag |= Q(**{flag: True})
    return orm.Case(
        orm.When(any_flag, then=orm.Value(1)), default=orm.Value(0), output_field=orm.IntegerField()
    )


AWAITING_ORDERS = {
    # vulnerable persons first, each group longest waiting first
    "vulnerable": ("-vulnerable", "arrived_on", "pk"),
    # longest waiting first, vulnerable persons first within a day
    "waiting": ("arrived_on", "-vulnerable", "pk"),
}


def awaiting_persons(
    member_state: str, day: dt.date, excluding: Iterable[int], order: str = "vulnerable"
) -> QuerySet[Person]:
    """Persons of a state arrived by the day less `excluding` (a subquery of placed ids), each
    annotated with `arrived_on`, `household_size` and `vulnerable`, in `order` (AWAITING_ORDERS).

    Unscoped: reception's selectors call it for the state they have checked the user plans for.
    """
    return (
        arrived_by(member_state, day, excluding)
        .annotate(
            arrived_on=_arrived_on(),
            household_size=_household_size(),
            vulnerable=_vulnerable(),
        )
        .order_by(*AWAITING_ORDERS.get(order, AWAITING_ORDERS["vulnerable"]))
    )


@dataclass(frozen=True)
class ArrivalGroup:
    """How many awaiting persons arrived on a day with the traits that fix their kind of place."""

    arrived_on: dt.date | None
    sex: str
    minor: bool
    unaccompanied_minor: bool
    in_household: bool
    n: int


def awaiting_profile(
    member_state: str, day: dt.date, excluding: Iterable[int]
) -> list[ArrivalGroup]:
    """The awaiting persons counted by arrival day and the traits that fix their kind of place
    (sex, minor, unaccompanied minor, in a household of two or more): aggregates, no person in
    them; one query."""
    rows = (
        arrived_by(member_state, day, excluding)
        .alias(household_size=_household_size())
        .annotate(
            arrived_on=_arrived_on(),
            in_household=orm.Case(
                orm.When(Q(household="") | Q(household_size__lte=1), then=orm.Value(False)),
                default=orm.Value(True),
                output_field=orm.BooleanField(),
            ),
        )
        .order_by()
        .values_list("arrived_on", "sex", "minor", "unaccompanied_minor", "in_household")
        .annotate(n=Count("pk"))
    )
    return [ArrivalGroup(*row) for row in rows]


def persons_with_household(ids: Iterable[int]) -> dict[int, Person]:
    """Persons by id with `household_size` and `arrived_on` annotated, in one query (unscoped:
    reception's selectors pass ids of placements they have already scoped)."""
    qs = Person.objects.filter(pk__in=list(ids)).annotate(
        household_size=_household_size(), arrived_on=_arrived_on()
    )
    return {p.pk: p for p in qs}


def latest_arrival_day(states: list[str] | None) -> dt.date | None:
    """The latest arrival day of persons of these states (None: all states); an aggregate."""
    qs = Person.objects.all() if states is None else Person.objects.filter(member_state__in=states)
    found = qs.aggregate(
        event=orm.Max("apprehension_event__local_date"),
        registered=orm.Max(TruncDate("created_at"), filter=Q(apprehension_event__isnull=True)),
    )
    days = [d for d in (found["event"], found["registered"]) if d is not None]
    return max(days) if days else None


# ---- search (the search app composes this with border's event search) --------------------------

REFERENCE = re.compile(r"^\s*([A-Za-z]{2})\s*0*(\d{1,10})\s*$")
MIN_QUERY = 2
SEARCH_LIMIT = 50
SOUNDS_ALIKE = 0.5  # least spelling similarity of a skeleton-only match ("mahmoud" for "mohamad")


def _alike(key: str, terms: list[tuple[str, str]]) -> float:
    """How closely the query words are spelled like the name words they match (0..1; the
    worst word counts): a word matched by its start counts 1, by skeleton its best spelling
    similarity among the name words of that skeleton."""
    words = key.split()
    scores = []
    for latin, skel in terms:
        if any(w.startswith(latin) for w in words if not w.startswith("~")):
            scores.append(1.0)
            continue
        same = [w for w in words if not w.startswith("~") and names.skeleton(w) == skel]
        scores.append(max((SequenceMatcher(None, latin, w).ratio() for w in same), default=0.0))
    return min(scores, default=0.0)


@dataclass(frozen=True)
class PersonMatch:
    """A person found by a search, and what matched: "reference", "document" or "name"."""

    person: Person
    matched: str
    detail: str = ""

    @property
    def matched_label(self) -> str:
        """What matched, in the user's language."""
        labels = {"reference": _("reference"), "document": _("document"), "name": _("name")}
        return labels.get(self.matched, self.matched)

    @property
    def detail_label(self) -> str:
        return _("sounds alike") if self.detail == "sounds alike" else self.detail


def search_persons(user: User, query: str, limit: int = SEARCH_LIMIT) -> list[PersonMatch]:
    """Persons of the user's own scope by reference (LT0000000291, or LT291), document number
    (prefix, case and spaces ignored) or name in any script (each query word the start of a name
    word, or the same consonant skeleton: registration.names). EU-level roles find no person, and
    no one finds another state's: the search runs over `persons(user)` only.

    Best first: reference, then document, then names matching every word by its start, then by
    skeleton only.
    """
    query = (query or "").strip()
    if len(query) < MIN_QUERY or not can(user, Capability.VIEW_PERSONS):
        return []
    scope = persons(user)
    found: dict[int, PersonMatch] = {}
    ref = REFERENCE.match(query)
    if ref:
        for p in scope.filter(member_state=ref[1].upper(), pk=int(ref[2])):
            found[p.pk] = PersonMatch(p, "reference", p.reference)
    number = re.sub(r"[\s-]+", "", query)
    if len(number) >= 3 and any(c.isdigit() for c in number):
        docs = (
            Document.objects.filter(person__in=scope, number__istartswith=number)
            .select_related("person")
            .order_by("number")[:limit]
        )
        for d in docs:
            found.setdefault(
                d.person_id,
                PersonMatch(d.person, "document", f"{d.get_doc_type_display()} {d.number}"),
            )
    terms = names.query_terms(query)
    if terms:
        wanted = Q()
        for latin, skel in terms:
            term = Q(search_key__contains=f" {latin}")
            if skel:
                term |= Q(search_key__contains=f" ~{skel} ")
            wanted &= term
        by_name: list[tuple[float, PersonMatch]] = []
        for p in scope.filter(wanted).order_by("-created_at", "-id")[: limit * 4]:
            if p.pk in found:
                continue
            if all(f" {latin}" in p.search_key for latin, _ in terms):
                by_name.append((2.0, PersonMatch(p, "name")))
                continue
            alike = _alike(p.search_key, terms)
            if alike >= SOUNDS_ALIKE:
                by_name.append((alike, PersonMatch(p, "name", "sounds alike")))
        by_name.sort(key=lambda pair: -pair[0])
        for _, match in by_name:
            found.setdefault(match.person.pk, match)
    return list(found.values())[:limit]


# ---- for the audit app (appended): which records are one person's ------------------------------


def record_object_ids(person_id: int) -> dict[str, list[int]]:
    """The ids of a person's records by model label (the person, documents, fingerprint sets,
    fingers, captures, identification requests, hits on either side), as the audit trail names
    its objects; six small queries. Unscoped: the audit app's selectors call it after they have
    checked that the user may see the person."""
    sets = list(FingerprintSet.objects.filter(person_id=person_id).values_list("pk", flat=True))
    hits = Hit.objects.filter(Q(person_id=person_id) | Q(candidate_id=person_id))
    return {
        Person._meta.label: [person_id],
        Document._meta.label: list(
            Document.objects.filter(person_id=person_id).values_list("pk", flat=True)
        ),
        FingerprintSet._meta.label: sets,
        Finger._meta.label: list(
            Finger.objects.filter(fingerprint_set_id__in=sets).values_list("pk", flat=True)
        ),
        CaptureJob._meta.label: list(
            CaptureJob.objects.filter(person_id=person_id).values_list("pk", flat=True)
        ),
        IdentificationRequest._meta.label: list(
            IdentificationRequest.objects.filter(fingerprint_set_id__in=sets).values_list(
                "pk", flat=True
            )
        ),
        Hit._meta.label: list(hits.values_list("pk", flat=True)),
    }


# ---- for linkage (appended): fingerprint evidence between persons, Eurodac fields --------------


def fingerprint_links(member_state: str) -> list[tuple[int, int, str]]:
    """(searched person, candidate, hit status) of every hit of one state's searches; unscoped:
    linkage's services call it for the state whose pairs they propose."""
    rows = Hit.objects.filter(request__member_state=member_state).values_list(
        "person_id", "candidate_id", "status"
    )
    return [(a, b, str(status)) for a, b, status in rows]


def fingerprint_coverage(ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """(persons with a fingerprint set, persons whose set was searched to the end) among `ids`;
    unscoped, for linkage's services (no record is read, only ids)."""
    wanted = list(ids)
    enrolled = set(
        FingerprintSet.objects.filter(person_id__in=wanted).values_list("person_id", flat=True)
    )
    searched = set(
        IdentificationRequest.objects.filter(
            fingerprint_set__person_id__in=wanted, status="done"
        ).values_list("fingerprint_set__person_id", flat=True)
    )
    return enrolled, searched


def eurodac_records(ids: Iterable[int]) -> dict[int, EurodacRecord]:
    """Eurodac's fields of persons by id (their latest fingerprint set); unscoped: linkage's
    selectors call it for records they may show this way, and audit the read themselves."""
    people = Person.objects.filter(pk__in=list(ids)).select_related("apprehension_event__section")
    latest: dict[int, FingerprintSet] = {}
    for fs in FingerprintSet.objects.filter(person__in=people).order_by("captured_at", "id"):
        latest[fs.person_id] = fs
    return {p.pk: _eurodac_record(p, latest.get(p.pk)) for p in people}
