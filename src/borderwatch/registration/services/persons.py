"""Writes about persons: registration (one, many, a group from an event), documents, the photo,
the day's export, and removing the demo scenario's synthetic persons."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _
from PIL import Image

from borderwatch.border import selectors as border_selectors
from borderwatch.core import audit
from borderwatch.core.audit import Action, Entry
from borderwatch.core.files import removed_on_failure
from borderwatch.core.permissions import check, visible_states
from borderwatch.core.roles import Capability
from borderwatch.registration import names
from borderwatch.registration.models import (
    VULNERABILITY_FLAGS,
    Document,
    FingerprintSet,
    Person,
    PersonLink,
)

if TYPE_CHECKING:
    import datetime as dt

    from borderwatch.accounts.models import User

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
        *VULNERABILITY_FLAGS,
        "household",
        "apprehension_event",
        "apprehension_event_id",
        "synthetic",
    }
)
BATCH_SIZE = 500
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def row_message(row: int, text: str) -> str:
    """A message about one row of a group or import, in the active language."""
    return _("Row %(row)s: %(message)s") % {"row": row, "message": text}


def split_row_message(text: str) -> tuple[int, str] | None:
    """(row, message) of a row_message in the active language; None for another message."""
    pattern = re.escape(_("Row %(row)s: %(message)s"))
    pattern = pattern.replace(re.escape("%(row)s"), r"(?P<row>\d+)", 1)
    pattern = pattern.replace(re.escape("%(message)s"), r"(?P<message>.*)", 1)
    match = re.fullmatch(pattern, text, re.DOTALL)
    return (int(match["row"]), match["message"]) if match else None


def _build(
    actor: User | None, values: Mapping[str, Any], days: Mapping[int, dt.date] | None = None
) -> Person:
    """An unsaved, validated person; ValidationError names every bad field. `days`: the local
    day of each apprehension event (a person's age is counted on it, see Person.registered_on)."""
    unknown = sorted(set(values) - PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    if not values.get("member_state"):
        raise ValidationError({"member_state": _("A person belongs to a member state.")})
    if actor is not None:
        check(actor, Capability.REGISTER_PERSONS, str(values["member_state"]))
    person = Person(**values)
    event_id = values.get("apprehension_event_id")
    person.registered_on = (days or {}).get(event_id) if isinstance(event_id, int) else None
    person.created_by = actor if actor is not None and actor.pk else None
    exclude = {"apprehension_event", "created_by"}
    try:
        person.full_clean(exclude=exclude, validate_constraints=False)
        errors: dict[str, Any] = {}
    except ValidationError as exc:
        errors = exc.update_error_dict({})
    errors = _check_constraints(person, exclude | set(errors)).update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    person.search_key = names.search_key(person.name_transliterated, person.name_as_written)
    return person


# Person's check constraints evaluated in Python: Django's validate_constraints asks the database
# once per constraint and row (16,000 queries, a third of the scenario's load). Same rule as the
# constraint in the model; a constraint not named here is still asked of the database.
_CHECKS = {
    "unaccompanied_minor_is_minor": lambda p: not p.unaccompanied_minor or p.minor,
    "eurodac_category_1_2_3": lambda p: p.eurodac_category in (1, 2, 3),
}


def _check_constraints(person: Person, exclude: set[str]) -> ValidationError:
    """What full_clean's validate_constraints would raise (an empty error if nothing): the
    constraints on fields that passed validation, with the constraint's own message."""
    found: list[ValidationError] = []
    for constraint in Person._meta.constraints:
        rule = _CHECKS.get(constraint.name)
        try:
            condition = getattr(constraint, "condition", None)
            if rule is None or not isinstance(condition, Q):
                constraint.validate(Person, person, exclude=exclude)
            elif not (exclude & condition.referenced_base_fields) and not rule(person):
                raise ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
        except ValidationError as exc:
            found.append(exc)
    return ValidationError({NON_FIELD_ERRORS: found} if found else {})


def hidden_from(actor: User | None, member_state: str) -> bool:
    """Whether a record of `member_state` does not exist for the actor: a write on it answers
    exactly like one on a missing record (no hint that it exists, nor whose it is)."""
    if actor is None:
        return False
    states = visible_states(actor)
    return states is not None and member_state not in states


def _apprehension_days(rows: Sequence[Mapping[str, Any]]) -> dict[int, dt.date]:
    ids = {row.get("apprehension_event_id") for row in rows}
    return border_selectors.event_days({i for i in ids if isinstance(i, int)})


def _check_events(actor: User | None, persons: Sequence[Person]) -> None:
    """Apprehension events must be live and of the person's member state (one query, through
    border's selectors: registration does not read border's tables). Another state's event
    does not exist for an officer: the same message as a missing one."""
    wanted = {p.apprehension_event_id for p in persons if p.apprehension_event_id is not None}
    found = border_selectors.event_states(wanted)
    for row, person in enumerate(persons, start=1):
        event_id = person.apprehension_event_id
        if event_id is None:
            continue
        if event_id not in found or (actor is not None and found[event_id] != person.member_state):
            text = _("event %(event)s not found.") % {"event": event_id}
        elif found[event_id] != person.member_state:
            text = _("event %(event)s was reported by %(reporter)s, not %(state)s.") % {
                "event": event_id,
                "reporter": found[event_id],
                "state": person.member_state,
            }
        else:
            continue
        raise ValidationError(
            {"apprehension_event": row_message(row, text) if len(persons) > 1 else text}
        )


@transaction.atomic
def create_person(actor: User | None, **values: Any) -> Person:
    """Register one person. `actor` None is the system (scenario loader), never a request."""
    person = _build(actor, values, _apprehension_days([values]))
    _check_events(actor, [person])
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
    days = _apprehension_days(rows)
    for row, values in enumerate(rows, start=1):
        try:
            persons.append(_build(actor, values, days))
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            raise ValidationError(
                {field: [row_message(row, m) for m in msgs] for field, msgs in detail.items()}
            ) from exc
    _check_events(actor, persons)
    created = Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    audit.record_many(
        actor,
        Action.PERSON_CREATE,
        (Entry(p, member_state=p.member_state, new=audit.snapshot(p)) for p in created),
    )
    return created


def register_group(actor: User, event_id: int, rows: Sequence[Mapping[str, Any]]) -> list[Person]:
    """Register everyone of one apprehension event at once: the event fixes the member state
    and the category defaults to 2 (apprehended crossing irregularly). All rows or none."""
    if not rows:
        raise ValidationError({"rows": _("The group has no person: fill at least one row.")})
    base = {"member_state": actor.member_state, "apprehension_event_id": event_id}
    full = [{"eurodac_category": 2, **dict(row), **base} for row in rows]
    return bulk_create_persons(actor, full)


def locked_person(actor: User, person_id: int, capability: Capability) -> Person:
    """The person, locked for update, if the actor may act for its member state (another
    state's person answers like a missing one)."""
    check(actor, capability)  # the role first: the same answer for any id
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or hidden_from(actor, person.member_state):
        raise Person.DoesNotExist(f"Person {person_id} not found.")
    check(actor, capability, person.member_state)
    return person


def check_may_register(actor: User, person_id: int) -> None:
    """Refuse early (before seconds of image work) what the locked check would refuse."""
    check(actor, Capability.REGISTER_PERSONS)
    state = Person.objects.filter(pk=person_id).values_list("member_state", flat=True).first()
    if state is None or hidden_from(actor, state):
        raise Person.DoesNotExist(f"Person {person_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, state)


@transaction.atomic
def add_document(
    actor: User, person_id: int, *, doc_type: str, number: str, issuing_country: str
) -> Document:
    """Record a document the person carried or declared."""
    person = locked_person(actor, person_id, Capability.REGISTER_PERSONS)
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
    check(actor, Capability.REGISTER_PERSONS)  # the role first: the same answer for any id
    doc = Document.objects.select_related("person").filter(pk=document_id).first()
    if doc is None or hidden_from(actor, doc.person.member_state):
        raise Document.DoesNotExist(f"Document {document_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, doc.person.member_state)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is removed.")})
    old = audit.snapshot(doc)
    doc.delete()
    audit.record(
        actor, Action.DOCUMENT_DELETE, object_type=Document._meta.label,
        object_id=document_id, member_state=doc.person.member_state, old=old,
        reason=reason.strip(),
    )  # fmt: skip


def _photo_format(name: str, data: bytes) -> str:
    """The file extension of an acceptable photo: a JPEG or PNG of at most 5 MB."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("%(file)s: larger than 5 MB.") % {"file": name}})
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            img.verify()
    except Exception:  # Pillow raises many types on non-images and corrupt data
        raise ValidationError(
            {"photo": _("%(file)s: not a JPEG or PNG image.") % {"file": name}}
        ) from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(
            {
                "photo": _("%(file)s: %(format)s images are not accepted (JPEG or PNG).")
                % {"file": name, "format": fmt}
            }
        )
    return PHOTO_FORMATS[fmt]


def set_photo(actor: User, person_id: int, name: str, data: bytes) -> Person:
    """Attach (or replace) a person's photo; the old file goes once the new one is saved."""
    check_may_register(actor, person_id)
    extension = _photo_format(name, data)
    storage = Person._meta.get_field("photo").storage
    with removed_on_failure(storage) as written, transaction.atomic():
        person = locked_person(actor, person_id, Capability.REGISTER_PERSONS)
        old = person.photo.name
        person.photo.save(f"person{person.pk}.{extension}", ContentFile(data), save=False)
        stored = str(person.photo.name)
        written.add(stored)
        person.save(update_fields=["photo", "updated_at"])
        audit.record(
            actor, Action.PERSON_PHOTO, person, member_state=person.member_state,
            old={"photo": old}, new={"photo": stored},
        )  # fmt: skip
    if old and old != stored:
        storage.delete(old)
    return person


def note_export(actor: User, day: dt.date, rows: int) -> None:
    """Audit a CSV export of personal data (who, which day, how many rows; no content)."""
    audit.record(
        actor, Action.REGISTRATION_EXPORT, object_type="registration.Person",
        member_state=actor.member_state, new={"day": day, "rows": rows},
    )  # fmt: skip


def _deleted(result: tuple[int, dict[str, int]], model: type[Model]) -> int:
    """How many rows of `model` a QuerySet.delete() removed (its total counts cascades too)."""
    return result[1].get(model._meta.label, 0)


@transaction.atomic
def remove_synthetic_persons(actor: User | None = None) -> int:
    """Remove the demo scenario's persons (for a reload); returns how many were removed.

    Links protect the hits that made them, so links touching a synthetic person go first, then
    the sets (their requests and hits cascade), then the persons. One audit entry with counts.
    The gallery index is the caller's to rebuild afterwards.
    """
    synthetic = Q(person__synthetic=True) | Q(other__synthetic=True)
    links = _deleted(PersonLink.objects.filter(synthetic).delete(), PersonLink)
    sets = _deleted(FingerprintSet.objects.filter(person__synthetic=True).delete(), FingerprintSet)
    persons = _deleted(Person.objects.filter(synthetic=True).delete(), Person)
    audit.record(
        actor, Action.PERSON_REMOVE_SYNTHETIC, object_type=Person._meta.label,
        old={"persons": persons, "fingerprint_sets": sets, "links": links},
    )  # fmt: skip
    return persons


def refresh_search_keys(batch_size: int = BATCH_SIZE) -> int:
    """Recompute every person's name search key (after registration.names changes); returns how
    many changed. System upkeep: audited with the count, no personal data."""
    changed: list[Person] = []
    rows = Person.objects.only("pk", "name_transliterated", "name_as_written", "search_key")
    for person in rows.iterator(chunk_size=2000):
        key = names.search_key(person.name_transliterated, person.name_as_written)
        if key != person.search_key:
            person.search_key = key
            changed.append(person)
    Person.objects.bulk_update(changed, ["search_key"], batch_size=batch_size)
    audit.record(
        None, Action.PERSON_SEARCH_KEYS, object_type=Person._meta.label,
        new={"changed": len(changed), "version": names.KEY_VERSION},
    )  # fmt: skip
    return len(changed)
