"""Retention and erasure of a person's data (recast Eurodac, Regulation (EU) 2024/1358).

Eurodac keeps an applicant's data (category 1) for 10 years and an irregular crosser's
(category 2) for 5 years from the date the fingerprints were taken; data of a person who acquires
the citizenship of a member state are erased at once. The periods are settings
(RETENTION_YEARS, from the environment). Erasure is everywhere: the person's rows in every app
(other apps register an eraser in core.erasure), the images and uploads on disk, the templates in
the gallery index, the timelines of the erased objects, and the personal values kept in earlier
audit entries about the person. What stays is the audit trail's who / what / when, and one new
entry saying that the person was erased, why, and how many rows went, with no personal data.

`erase_due` is the scheduled job (`borderwatch retention erase-due`, or the `erase_due_records`
task, run daily); `erase_on_citizenship` is an officer's early erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateTimeField, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit, erasure
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.core.roles import Capability
from borderwatch.registration import gallery
from borderwatch.registration.models import (
    CaptureJob,
    Finger,
    FingerprintSet,
    Hit,
    Person,
    PersonLink,
)
from borderwatch.registration.services.persons import locked_person


class ErasureReason(StrEnum):
    RETENTION = "retention_period_ended"
    CITIZENSHIP = "citizenship_acquired"


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (negative: earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_years(category: int) -> int:
    """How long data of a Eurodac category are kept (settings.RETENTION_YEARS)."""
    return int(settings.RETENTION_YEARS[int(category)])


def with_retention_start(persons: QuerySet[Person]) -> QuerySet[Any]:
    """Annotate `retention_start`: when the first fingerprints were taken, or, for a person
    without fingerprints, when the person was registered."""
    return persons.annotate(
        retention_start=Coalesce(
            Min("fingerprint_sets__captured_at"), "created_at", output_field=DateTimeField()
        )
    )


def erasure_due_on(person: Person) -> dt.date:
    """The day the person's data are due for erasure."""
    start = with_retention_start(Person.objects.filter(pk=person.pk)).values_list(
        "retention_start", flat=True
    )[0]
    return shift_years(timezone.localdate(start), retention_years(person.eurodac_category))


def due_for_erasure(today: dt.date | None = None) -> list[int]:
    """Ids of the persons whose retention period has ended on or before `today`."""
    today = today or timezone.localdate()
    due: list[int] = []
    for category in sorted(settings.RETENTION_YEARS):
        cutoff = shift_years(today, -retention_years(category))
        end_of_cutoff = timezone.make_aware(
            dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min)
        )
        rows = with_retention_start(Person.objects.filter(eurodac_category=category)).filter(
            retention_start__lt=end_of_cutoff
        )
        due += list(rows.order_by("pk").values_list("pk", flat=True))
    return sorted(due)


def _files_of(person: Person) -> list[str]:
    names: list[str] = [str(person.photo.name)] if person.photo else []
    names += [
        str(name)
        for name in Finger.objects.filter(fingerprint_set__person=person).values_list(
            "image", flat=True
        )
        if name
    ]
    for files in CaptureJob.objects.filter(person=person).values_list("files", flat=True):
        names += [str(entry["stored"]) for entry in (files or {}).values() if entry.get("stored")]
    return names


def _forget_timelines(object_type: str, ids: Iterable[int]) -> int:
    keys = [str(i) for i in ids]
    if not keys:
        return 0
    deleted, _rows = TransitionRecord.objects.filter(
        object_type=object_type, object_id__in=keys
    ).delete()
    return deleted


def _scrub_audit(person_id: int) -> int:
    """Earlier entries about the person keep who did what and when, not the values."""
    return AuditEntry.objects.filter(
        object_type=Person._meta.label, object_id=str(person_id)
    ).update(old_values={"erased": True}, new_values={"erased": True})


def _erase(actor: User | None, person: Person, reason: ErasureReason, note: str) -> dict[str, int]:
    """Erase one locked person everywhere; the counts of what went."""
    files = _files_of(person)
    counts = erasure.erase_elsewhere(person.pk)
    hit_ids = list(
        Hit.objects.filter(Q(person=person) | Q(candidate=person)).values_list("pk", flat=True)
    )
    links = PersonLink.objects.filter(Q(person=person) | Q(other=person))
    counts["registration.links"] = links.delete()[0]
    counts["registration.hits"] = Hit.objects.filter(pk__in=hit_ids).delete()[0]
    counts["registration.timeline_rows"] = _forget_timelines(Hit._meta.label, hit_ids)
    counts["registration.fingerprint_sets"] = FingerprintSet.objects.filter(person=person).count()
    counts["registration.captures"] = CaptureJob.objects.filter(person=person).count()
    counts["registration.audit_entries_scrubbed"] = _scrub_audit(person.pk)
    person_id, category, state = person.pk, person.eurodac_category, person.member_state
    person.delete()
    audit.record(
        actor, Action.PERSON_ERASE, object_type=Person._meta.label, object_id=person_id,
        member_state=state, reason=note,
        old={"eurodac_category": category, "reason": str(reason), "counts": counts,
             "files": len(files)},
    )  # fmt: skip
    transaction.on_commit(lambda: _after_commit(person_id, files))
    return counts


def _after_commit(person_id: int, files: list[str]) -> None:
    """Files and the gallery are not transactional: they go once the rows are gone for good."""
    gallery.remove(person_id)
    for name in files:
        default_storage.delete(name)


def erase_due(today: dt.date | None = None, *, limit: int | None = None) -> int:
    """The scheduled erasure: every person whose retention period has ended, one transaction
    each (a failure leaves the others erased and this one whole). Returns how many went."""
    erased = 0
    for person_id in due_for_erasure(today)[:limit]:
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(pk=person_id).first()
            if person is None:
                continue
            _erase(None, person, ErasureReason.RETENTION, "")
            erased += 1
    return erased


@transaction.atomic
def erase_on_citizenship(
    actor: User, person_id: int, *, acquired_on: dt.date, note: str = ""
) -> dict[str, int]:
    """Early erasure: the person became a citizen of a member state (the owning state's
    registration officers; another state's person answers like a missing one)."""
    person = locked_person(actor, person_id, Capability.REGISTER_PERSONS)
    if acquired_on > timezone.localdate():
        raise ValidationError(
            {"acquired_on": _("The date citizenship was acquired cannot be in the future.")}
        )
    if acquired_on < timezone.localdate(person.created_at) - dt.timedelta(days=366 * 120):
        raise ValidationError(
            {"acquired_on": _("The date citizenship was acquired is implausible.")}
        )
    text = note.strip()
    return _erase(
        actor, person, ErasureReason.CITIZENSHIP,
        f"citizenship acquired on {acquired_on.isoformat()}" + (f": {text}" if text else ""),
    )  # fmt: skip
