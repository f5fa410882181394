"""Every write of the registration app: transactional, audited, checked against role and state."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines.fingerprint import (
    Candidate,
    Template,
    fmr_for_score,
    template_from_bytes,
    template_to_bytes,
    threshold_for_fmr,
)
from borderwatch.registration import capture, gallery
from borderwatch.registration.capture import CapturedFinger
from borderwatch.registration.models import (
    Document,
    Finger,
    FingerprintSet,
    Hit,
    HitStatus,
    IdentificationRequest,
    Person,
    PersonLink,
    RequestStatus,
    SourceFormat,
)

if TYPE_CHECKING:
    import datetime as dt

log = logging.getLogger(__name__)

# Fields a caller may set; everything else (ids, timestamps, creator) the service decides.
PERSON_FIELDS = frozenset(
    {
        "member_state",
        "name_as_written",
        "name_transliterated",
        "date_of_birth",
        "dob_is_estimated",
        "sex",
        "nationality",
        "eurodac_category",
        "minor",
        "unaccompanied_minor",
        "pregnancy",
        "disability",
        "elderly",
        "trafficking_victim",
        "household",
        "apprehension_event",
        "apprehension_event_id",
        "synthetic",
    }
)
BATCH_SIZE = 500


def _build(actor: User | None, values: Mapping[str, Any]) -> Person:
    """An unsaved, validated person; ValidationError names every bad field."""
    unknown = sorted(set(values) - PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    if not values.get("member_state"):
        raise ValidationError({"member_state": "A person belongs to a member state."})
    if actor is not None:
        check(actor, Capability.REGISTER_PERSONS, str(values["member_state"]))
    person = Person(**values)
    person.created_by = actor if actor is not None and actor.pk else None
    person.full_clean(exclude=["apprehension_event", "created_by"])
    return person


def _check_events(persons: Sequence[Person]) -> None:
    """Apprehension events must exist and belong to the person's member state (one query)."""
    wanted = {p.apprehension_event_id for p in persons if p.apprehension_event_id is not None}
    if not wanted:
        return
    event_model = Person._meta.get_field("apprehension_event").related_model
    found = dict(event_model._default_manager.filter(pk__in=wanted).values_list("pk", "country_id"))
    for row, person in enumerate(persons, start=1):
        event_id = person.apprehension_event_id
        if event_id is None:
            continue
        prefix = f"Row {row}: " if len(persons) > 1 else ""
        if event_id not in found:
            raise ValidationError({"apprehension_event": f"{prefix}event {event_id} not found."})
        if found[event_id] != person.member_state:
            raise ValidationError(
                {
                    "apprehension_event": f"{prefix}event {event_id} was reported by "
                    f"{found[event_id]}, not {person.member_state}."
                }
            )


@transaction.atomic
def create_person(actor: User | None, **values: Any) -> Person:
    """Register one person. `actor` None is the system (scenario loader), never a request."""
    person = _build(actor, values)
    _check_events([person])
    person.save()
    audit.record(
        actor,
        Action.PERSON_CREATE,
        person,
        member_state=person.member_state,
        new=audit.snapshot(person),
    )
    return person


@transaction.atomic
def bulk_create_persons(actor: User | None, rows: Sequence[Mapping[str, Any]]) -> list[Person]:
    """Register many persons at once: all rows valid or nothing saved; one audit entry each.

    Errors name the row (1-based) and the field, so an import can be corrected and re-run.
    """
    persons: list[Person] = []
    for row, values in enumerate(rows, start=1):
        try:
            persons.append(_build(actor, values))
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            raise ValidationError(
                {field: [f"Row {row}: {m}" for m in msgs] for field, msgs in detail.items()}
            ) from exc
    _check_events(persons)
    created = Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    actor_id = actor.pk if actor is not None and actor.pk else None
    username = actor.get_username() if actor is not None else "system"
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_id=actor_id,
                actor_username=username,
                action=Action.PERSON_CREATE,
                object_type=Person._meta.label,
                object_id=str(p.pk),
                member_state=p.member_state,
                new_values=audit.snapshot(p),
            )
            for p in created
        ],
        batch_size=BATCH_SIZE,
    )
    return created


def _person_for(actor: User, person_id: int, capability: Capability) -> Person:
    """The person, locked, if the actor may act for its member state."""
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise Person.DoesNotExist(f"Person {person_id} not found.")
    check(actor, capability, person.member_state)
    return person


def _check_person(actor: User, person_id: int) -> None:
    """Refuse early (before seconds of feature extraction) what the locked check would refuse."""
    state = Person.objects.filter(pk=person_id).values_list("member_state", flat=True).first()
    if state is None:
        raise Person.DoesNotExist(f"Person {person_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, state)


def register_group(actor: User, event_id: int, rows: Sequence[Mapping[str, Any]]) -> list[Person]:
    """Register everyone of one apprehension event at once: the event fixes the member state
    and the category defaults to 2 (apprehended crossing irregularly). All rows or none."""
    if not rows:
        raise ValidationError({"rows": "The group has no person: fill at least one row."})
    base = {"member_state": actor.member_state, "apprehension_event_id": event_id}
    full = [{"eurodac_category": 2, **dict(row), **base} for row in rows]
    return bulk_create_persons(actor, full)


@transaction.atomic
def add_document(
    actor: User, person_id: int, *, doc_type: str, number: str, issuing_country: str
) -> Document:
    """Record a document the person carried or declared."""
    person = _person_for(actor, person_id, Capability.REGISTER_PERSONS)
    doc = Document(
        person=person, doc_type=doc_type, number=number.strip(), issuing_country=issuing_country
    )
    doc.full_clean()
    doc.save()
    audit.record(
        actor, Action.DOCUMENT_CREATE, doc, member_state=person.member_state,
        new=audit.snapshot(doc),
    )  # fmt: skip
    return doc


@transaction.atomic
def delete_document(actor: User, document_id: int, *, reason: str) -> None:
    """Remove a document recorded by mistake; the reason is kept in the audit trail."""
    doc = Document.objects.select_related("person").filter(pk=document_id).first()
    if doc is None:
        raise Document.DoesNotExist(f"Document {document_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, doc.person.member_state)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the document is removed."})
    old = audit.snapshot(doc)
    doc.delete()
    audit.record(
        actor, Action.DOCUMENT_DELETE, object_type=Document._meta.label,
        object_id=document_id, member_state=doc.person.member_state, old=old,
        reason=reason.strip(),
    )  # fmt: skip


MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def set_photo(actor: User, person_id: int, name: str, data: bytes) -> Person:
    """Attach (or replace) a person's photo: a JPEG or PNG of at most 5 MB."""
    _check_person(actor, person_id)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": f"{name}: larger than 5 MB."})
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            img.verify()
    except Exception:  # Pillow raises many types on non-images and corrupt data
        raise ValidationError({"photo": f"{name}: not a JPEG or PNG image."}) from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError({"photo": f"{name}: {fmt} images are not accepted (JPEG or PNG)."})
    stored = ""
    try:
        with transaction.atomic():
            person = _person_for(actor, person_id, Capability.REGISTER_PERSONS)
            old = person.photo.name
            person.photo.save(
                f"person{person.pk}.{PHOTO_FORMATS[fmt]}", ContentFile(data), save=False
            )
            stored = str(person.photo.name)
            person.save(update_fields=["photo", "updated_at"])
            audit.record(
                actor, Action.PERSON_PHOTO, person, member_state=person.member_state,
                old={"photo": old}, new={"photo": stored},
            )  # fmt: skip
    except BaseException:
        if stored:
            person.photo.storage.delete(stored)
        raise
    if old and old != stored:
        person.photo.storage.delete(old)
    return person


# ---- fingerprints ------------------------------------------------------------------------------


def capture_images(
    actor: User,
    person_id: int,
    files: Mapping[int, tuple[str, bytes]],
    missing: Mapping[int, str],
    *,
    identify: bool = False,
) -> FingerprintSet:
    """Capture from one image file per finger (PNG, BMP, TIFF or WSQ) plus missing reasons.

    All ten positions must be accounted for; any bad file refuses the whole capture.
    """
    missing = capture.check_missing(missing)
    _check_person(actor, person_id)
    capture.check_complete(set(files), missing)
    fingers = capture.extract(capture.decode_images(files))
    return _store(actor, person_id, fingers, missing, SourceFormat.IMAGES, identify)


def capture_nist(
    actor: User,
    person_id: int,
    name: str,
    data: bytes,
    missing: Mapping[int, str],
    *,
    identify: bool = False,
) -> FingerprintSet:
    """Capture from one ANSI/NIST-ITL transaction; fingers it lacks need a missing reason."""
    missing = capture.check_missing(missing)
    _check_person(actor, person_id)
    raw = capture.decode_nist(name, data)
    capture.check_complete({f.position for f in raw}, missing)
    return _store(actor, person_id, capture.extract(raw), missing, SourceFormat.NIST, identify)


def _store(
    actor: User,
    person_id: int,
    fingers: Sequence[CapturedFinger],
    missing: Mapping[int, str],
    source_format: str,
    identify: bool,
) -> FingerprintSet:
    """Save a complete capture; files are removed again if the transaction fails, so a
    refused capture leaves neither rows nor files behind."""
    written: list[str] = []
    try:
        with transaction.atomic():
            person = _person_for(actor, person_id, Capability.REGISTER_PERSONS)
            fs = FingerprintSet.objects.create(
                person=person, captured_at=timezone.now(), captured_by=actor,
                source_format=source_format,
            )  # fmt: skip
            rows: list[Finger] = []
            for f in fingers:
                finger = Finger(
                    fingerprint_set=fs, position=f.position, quality=f.quality,
                    minutiae=len(f.template), template=f.template_bytes,
                )  # fmt: skip
                finger.image.save(f"set{fs.pk}-f{f.position}.png", ContentFile(f.png), save=False)
                written.append(str(finger.image.name))
                rows.append(finger)
            rows += [
                Finger(fingerprint_set=fs, position=p, missing_reason=r) for p, r in missing.items()
            ]
            Finger.objects.bulk_create(rows)
            audit.record(
                actor, Action.FINGERPRINTS_CAPTURE, fs, member_state=person.member_state,
                new={"person": person.pk, "source_format": source_format,
                     "qualities": {f.position: f.quality for f in fingers}, "missing": missing},
            )  # fmt: skip
            if identify:
                _queue_identification(actor, fs, person.member_state)
    except BaseException:
        storage = Finger._meta.get_field("image").storage
        for name in written:
            storage.delete(name)
        raise
    return fs


def recapture_finger(actor: User, set_id: int, position: int, name: str, data: bytes) -> Finger:
    """Replace one low-quality finger of a set not yet searched (a searched set is evidence)."""
    fs = FingerprintSet.objects.select_related("person").filter(pk=set_id).first()
    if fs is None:
        raise FingerprintSet.DoesNotExist(f"Fingerprint set {set_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, fs.person.member_state)
    if fs.identifications.exists():
        raise ValidationError(
            {"fingers": "This set was already searched; capture a new set instead."}
        )
    (new,) = capture.extract(capture.decode_images({position: (name, data)}))
    stored = ""
    try:
        with transaction.atomic():
            finger = Finger.objects.select_for_update().get(fingerprint_set=fs, position=position)
            old_image, old_quality = finger.image.name, finger.quality
            finger.image.save(f"set{fs.pk}-f{position}.png", ContentFile(new.png), save=False)
            stored = str(finger.image.name)
            finger.quality, finger.minutiae = new.quality, len(new.template)
            finger.template, finger.missing_reason = new.template_bytes, ""
            finger.save()
            audit.record(
                actor, Action.FINGERPRINTS_RECAPTURE, fs,
                member_state=fs.person.member_state,
                old={"position": position, "quality": old_quality},
                new={"position": position, "quality": new.quality},
            )  # fmt: skip
    except BaseException:
        if stored:
            finger.image.storage.delete(stored)
        raise
    if old_image:
        finger.image.storage.delete(old_image)
    return finger


def bulk_enrol_synthetic(
    items: Sequence[tuple[int, Mapping[int, Template], dt.datetime]],
) -> list[FingerprintSet]:
    """Synthetic template-only sets for the demo scenario (system actor; no images, no search).

    The caller rebuilds the gallery afterwards, once, instead of saving it per person.
    """
    sets = FingerprintSet.objects.bulk_create(
        [
            FingerprintSet(
                person_id=pid, captured_at=at, source_format=SourceFormat.SYNTHETIC, synthetic=True
            )
            for pid, _, at in items
        ],
        batch_size=BATCH_SIZE,
    )
    Finger.objects.bulk_create(
        [
            Finger(
                fingerprint_set=fs,
                position=pos,
                quality=t.quality,
                minutiae=len(t),
                template=template_to_bytes(t),
            )
            for fs, (_, fingers, _) in zip(sets, items, strict=True)
            for pos, t in sorted(fingers.items())
        ],
        batch_size=BATCH_SIZE,
    )
    states = dict(
        Person.objects.filter(pk__in=[pid for pid, _, _ in items]).values_list("pk", "member_state")
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_username="system",
                action=Action.FINGERPRINTS_CAPTURE,
                object_type=FingerprintSet._meta.label,
                object_id=str(fs.pk),
                member_state=states.get(fs.person_id, ""),
                new_values={"person": fs.person_id, "source_format": SourceFormat.SYNTHETIC},
            )
            for fs in sets
        ],
        batch_size=BATCH_SIZE,
    )
    return sets


def set_templates(fs: FingerprintSet) -> dict[int, Template]:
    """A set's captured templates by finger position."""
    rows = fs.fingers.filter(template__isnull=False).values_list("position", "template")
    return {pos: template_from_bytes(bytes(data or b""), f"finger {pos}") for pos, data in rows}


def compact_gallery(force: bool = False) -> bool:
    """Fold the gallery's journal into a new snapshot (gallery.compact); audited when done."""
    done = gallery.compact(force=force)
    if done:
        audit.record(None, Action.GALLERY_COMPACT, new={"persons": gallery.size()})
    return done


def latest_templates() -> Iterator[tuple[int, dict[int, Template]]]:
    """Each person's latest set with templates, by person id: what the gallery should hold."""
    latest: dict[int, int] = {}
    for set_id, person_id in (
        FingerprintSet.objects.filter(fingers__template__isnull=False)
        .order_by("captured_at", "id")
        .values_list("id", "person_id")
        .distinct()
    ):
        latest[person_id] = set_id
    wanted = {set_id: person_id for person_id, set_id in latest.items()}
    by_person: dict[int, dict[int, Template]] = {}
    rows = (
        Finger.objects.filter(fingerprint_set_id__in=list(wanted), template__isnull=False)
        .order_by("fingerprint_set_id", "position")
        .values_list("fingerprint_set_id", "position", "template")
        .iterator(chunk_size=2000)
    )
    for set_id, pos, data in rows:
        by_person.setdefault(wanted[set_id], {})[pos] = template_from_bytes(bytes(data or b""))
    yield from sorted(by_person.items())


def rebuild_gallery() -> int:
    """Recreate the gallery index from the database: each person's latest set with templates."""
    count = gallery.rebuild(latest_templates())
    audit.record(None, Action.GALLERY_REBUILD, new={"persons": count})
    return count


# ---- identification ----------------------------------------------------------------------------


def _queue_identification(
    actor: User | None, fs: FingerprintSet, member_state: str, enqueue: bool = True
) -> IdentificationRequest:
    if not fs.fingers.filter(template__isnull=False).exists():
        raise ValidationError({"fingers": "The set has no captured finger to search with."})
    req = IdentificationRequest.objects.create(
        fingerprint_set=fs, member_state=member_state, requested_by=actor,
        threshold=threshold_for_fmr(settings.IDENTIFICATION_FMR, gallery.params()),
        stage="Waiting for a worker",
    )  # fmt: skip
    audit.record(actor, Action.IDENTIFICATION_REQUEST, req, member_state=member_state)
    if enqueue:
        transaction.on_commit(lambda: _enqueue(req.pk))
    return req


def _enqueue(request_id: int) -> None:
    from borderwatch.registration.tasks import identify

    result = identify.enqueue(request_id)
    IdentificationRequest.objects.filter(pk=request_id).update(task_id=str(result.id)[:64])


@transaction.atomic
def request_identification(actor: User, set_id: int) -> IdentificationRequest:
    """Queue a 1:N search of a set against every member state; the task starts on commit."""
    fs = FingerprintSet.objects.select_related("person").filter(pk=set_id).first()
    if fs is None:
        raise FingerprintSet.DoesNotExist(f"Fingerprint set {set_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, fs.person.member_state)
    return _queue_identification(actor, fs, fs.person.member_state)


def system_identification(set_id: int, *, enqueue: bool = True) -> IdentificationRequest:
    """A search without a user (scenario loader). enqueue=False leaves running it to the
    caller (run_identification), for a loader that needs the hits at once."""
    fs = FingerprintSet.objects.select_related("person").get(pk=set_id)
    with transaction.atomic():
        return _queue_identification(None, fs, fs.person.member_state, enqueue)


def _progress(request_id: int, percent: int, stage: str) -> None:
    """Saved at once (autocommit) so that a polling page sees it while the task runs."""
    IdentificationRequest.objects.filter(pk=request_id).update(progress=percent, stage=stage)


def run_identification(request_id: int, k: int = 10) -> IdentificationRequest:
    """The task's body: search all states, record hits above threshold, enrol the set.

    Claims the request first (queued -> running in one UPDATE) so a duplicated task is a no-op.
    Logs ids only, never personal data.
    """
    claimed = IdentificationRequest.objects.filter(
        pk=request_id, status=RequestStatus.QUEUED
    ).update(
        status=RequestStatus.RUNNING, started_at=timezone.now(), progress=10,
        stage="Loading templates",
    )  # fmt: skip
    req = IdentificationRequest.objects.select_related("fingerprint_set").get(pk=request_id)
    if not claimed:
        return req
    fs = req.fingerprint_set
    try:
        probe = set_templates(fs)
        _progress(req.pk, 30, "Searching the gallery of all member states")
        found, searched = gallery.search_and_enrol(fs.person_id, probe, k=k)
        _progress(req.pk, 80, "Recording hits")
        with transaction.atomic():
            hits = _record_hits(req, found)
            req.gallery_size, req.status = searched, RequestStatus.DONE
            req.progress, req.stage, req.finished_at = 100, "Done", timezone.now()
            req.save(update_fields=["gallery_size", "status", "progress", "stage", "finished_at"])
            audit.record(
                None, Action.IDENTIFICATION_DONE, req, member_state=req.member_state,
                new={"hits": hits, "gallery_size": searched},
            )  # fmt: skip
    except Exception as exc:
        log.exception("identification request %s failed", req.pk)
        req.status, req.error = RequestStatus.FAILED, type(exc).__name__[:300]
        req.stage, req.finished_at = "Failed", timezone.now()
        req.save(update_fields=["status", "error", "stage", "finished_at"])
        audit.record(None, Action.IDENTIFICATION_FAILED, req, member_state=req.member_state)
    return req


def _record_hits(req: IdentificationRequest, found: Sequence[Candidate]) -> int:
    above = [c for c in found if c.score >= req.threshold]
    ids = [int(c.subject_id) for c in above]
    people = Person.objects.in_bulk(ids)
    latest: dict[int, FingerprintSet] = {}
    for fs in FingerprintSet.objects.filter(person_id__in=ids).order_by("captured_at", "id"):
        latest[fs.person_id] = fs
    hits = [
        Hit(
            request=req,
            person_id=req.fingerprint_set.person_id,
            candidate=people[int(c.subject_id)],
            candidate_set=latest.get(int(c.subject_id)),
            rank=rank,
            score=c.score,
            finger_scores={str(p): s for p, s in c.finger_scores.items()},
            fmr=fmr_for_score(c.score, gallery.params()),
        )
        for rank, c in enumerate(above, start=1)
        if int(c.subject_id) in people  # erased since the gallery was saved
    ]
    Hit.objects.bulk_create(hits)
    return len(hits)


@transaction.atomic
def decide_hit(actor: User, hit_id: int, *, confirm: bool, reason: str = "") -> Hit:
    """A fingerprint expert of the searching state confirms or rejects a pending hit.

    A confirmed hit links the two records; the other state then sees it (selectors).
    """
    hit = Hit.objects.select_for_update().select_related("request").filter(pk=hit_id).first()
    if hit is None:
        raise Hit.DoesNotExist(f"Hit {hit_id} not found.")
    check(actor, Capability.VERIFY_HITS, hit.request.member_state)
    if hit.status != HitStatus.PENDING:
        raise ValidationError(
            {"status": f"The hit was already {hit.get_status_display().lower()}."}
        )
    reason = reason.strip()
    if not confirm and not reason:
        raise ValidationError({"reason": "Say why the hit is rejected."})
    if len(reason) > 300:
        raise ValidationError({"reason": "At most 300 characters."})
    hit.status = HitStatus.CONFIRMED if confirm else HitStatus.REJECTED
    hit.decided_by, hit.decided_at, hit.reason = actor, timezone.now(), reason
    hit.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    linked = PersonLink.objects.filter(
        Q(person_id=hit.person_id, other_id=hit.candidate_id)
        | Q(person_id=hit.candidate_id, other_id=hit.person_id)
    ).exists()
    if confirm and not linked:
        PersonLink.objects.create(person_id=hit.person_id, other_id=hit.candidate_id, hit=hit)
    audit.record(
        actor, Action(f"registration.hit.{hit.status}"), hit, member_state=hit.request.member_state,
        new={"status": hit.status, "candidate": hit.candidate_id}, reason=reason,
    )  # fmt: skip
    return hit


def note_hit_view(actor: User, hit: Hit) -> None:
    """Audit a look at another state's record through a hit (ARCHITECTURE.md section 6): the
    entry goes to the state that owns the record, so its coordinator sees who read it."""
    own = actor.member_state == hit.request.member_state
    owner = hit.candidate.member_state if own else hit.request.member_state
    if owner == actor.member_state:
        return  # a hit between two records of the actor's own state
    audit.record(
        actor, Action.HIT_VIEW, hit, member_state=owner,
        new={"person": hit.candidate_id if own else hit.person_id},
    )  # fmt: skip


def note_finger_view(actor: User, finger: Finger) -> None:
    """Audit the fetch of another state's finger image (an expert verifying a hit), to the
    state that owns it; images of one's own state's persons are not separately recorded."""
    owner = finger.fingerprint_set.person.member_state
    if owner == actor.member_state:
        return
    audit.record(
        actor, Action.FINGER_VIEW, finger, member_state=owner,
        new={"person": finger.fingerprint_set.person_id, "position": finger.position},
    )  # fmt: skip


def note_export(actor: User, day: dt.date, rows: int) -> None:
    """Audit a CSV export of personal data (who, which day, how many rows; no content)."""
    audit.record(
        actor, Action.REGISTRATION_EXPORT, object_type="registration.Person",
        member_state=actor.member_state, new={"day": day, "rows": rows},
    )  # fmt: skip
