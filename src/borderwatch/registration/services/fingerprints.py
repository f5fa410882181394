"""Writes about fingerprints: capture (ten images or one ANSI/NIST-ITL file), recapture of one
finger, the scenario's synthetic sets, and the gallery index's upkeep."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.core import audit
from borderwatch.core.audit import Action, Entry
from borderwatch.core.files import removed_on_failure
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines.fingerprint import Template, template_from_bytes, template_to_bytes
from borderwatch.registration import capture, gallery
from borderwatch.registration.capture import CapturedFinger
from borderwatch.registration.models import Finger, FingerprintSet, Person, SourceFormat
from borderwatch.registration.services.identification import queue_identification
from borderwatch.registration.services.persons import (
    check_may_register,
    hidden_from,
    locked_person,
)

if TYPE_CHECKING:
    import datetime as dt

    from borderwatch.accounts.models import User

BATCH_SIZE = 500


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
    check_may_register(actor, person_id)
    capture.check_complete(set(files), missing)
    fingers = capture.extract(capture.decode_images(files))
    return store_set(actor, person_id, fingers, missing, SourceFormat.IMAGES, identify)


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
    check_may_register(actor, person_id)
    raw = capture.decode_nist(name, data)
    capture.check_complete({f.position for f in raw}, missing)
    return store_set(actor, person_id, capture.extract(raw), missing, SourceFormat.NIST, identify)


def store_set(
    actor: User,
    person_id: int,
    fingers: Sequence[CapturedFinger],
    missing: Mapping[int, str],
    source_format: str,
    identify: bool = False,
) -> FingerprintSet:
    """Save a complete capture: a refused one leaves neither rows nor image files behind.

    Never a finger of quality 0 (capture.check_enrollable), whatever path produced it."""
    for f in fingers:
        capture.check_enrollable(f.position, f.template)
    storage = Finger._meta.get_field("image").storage
    with removed_on_failure(storage) as written, transaction.atomic():
        person = locked_person(actor, person_id, Capability.REGISTER_PERSONS)
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
            written.add(str(finger.image.name))
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
            queue_identification(actor, fs, person.member_state)
    return fs


def recapture_finger(actor: User, set_id: int, position: int, name: str, data: bytes) -> Finger:
    """Replace one low-quality finger of a set not yet searched (a searched set is evidence)."""
    check(actor, Capability.REGISTER_PERSONS)  # the role first: the same answer for any id
    fs = FingerprintSet.objects.select_related("person").filter(pk=set_id).first()
    if fs is None or hidden_from(actor, fs.person.member_state):
        raise FingerprintSet.DoesNotExist(f"Fingerprint set {set_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, fs.person.member_state)
    if fs.identifications.exists():
        raise ValidationError(
            {"fingers": _("This set was already searched; capture a new set instead.")}
        )
    (new,) = capture.extract(capture.decode_images({position: (name, data)}))
    capture.check_enrollable(position, new.template)  # extract refuses these; kept explicit
    storage = Finger._meta.get_field("image").storage
    with removed_on_failure(storage) as written, transaction.atomic():
        finger = Finger.objects.select_for_update().get(fingerprint_set=fs, position=position)
        old_image, old_quality = finger.image.name, finger.quality
        finger.image.save(f"set{fs.pk}-f{position}.png", ContentFile(new.png), save=False)
        written.add(str(finger.image.name))
        finger.quality, finger.minutiae = new.quality, len(new.template)
        finger.template, finger.missing_reason = new.template_bytes, ""
        finger.save()
        audit.record(
            actor, Action.FINGERPRINTS_RECAPTURE, fs,
            member_state=fs.person.member_state,
            old={"position": position, "quality": old_quality},
            new={"position": position, "quality": new.quality},
        )  # fmt: skip
    if old_image:
        storage.delete(old_image)
    return finger


def bulk_enrol_synthetic(
    items: Sequence[tuple[int, Mapping[int, Template], dt.datetime]],
) -> list[FingerprintSet]:
    """Synthetic template-only sets for the demo scenario (system actor; no images, no search).

    The caller rebuilds the gallery afterwards, once, instead of saving it per person.
    """
    for _pid, fingers, _at in items:
        for pos, t in fingers.items():
            capture.check_enrollable(pos, t)
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
    new = {"source_format": SourceFormat.SYNTHETIC}
    audit.record_many(
        None,
        Action.FINGERPRINTS_CAPTURE,
        (
            Entry(
                fs, member_state=states.get(fs.person_id, ""), new={"person": fs.person_id, **new}
            )
            for fs in sets
        ),
    )
    return sets


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
