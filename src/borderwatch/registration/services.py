"""Every write of the registration app: transactional, audited, checked against role and state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from borderwatch.accounts import audit
from borderwatch.accounts.models import AuditEntry, User
from borderwatch.accounts.permissions import check
from borderwatch.accounts.roles import Capability
from borderwatch.registration.models import Person

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
        "registration.person.create",
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
                action="registration.person.create",
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
