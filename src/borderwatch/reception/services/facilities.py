"""Facilities: create or update by code, audited; the demo scenario's seeding."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.reception.facility_data import FACILITIES
from borderwatch.reception.models import Facility

FACILITY_FIELDS = frozenset(f.name for f in Facility._meta.concrete_fields if f.name not in {"id"})


@transaction.atomic
def save_facility(actor: User | None, code: str, **values: Any) -> Facility:
    """Create or update a facility by its code; audited with the values before and after."""
    unknown = sorted(set(values) - FACILITY_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    facility = Facility.objects.select_for_update().filter(code=code).first()
    state = str(values.get("member_state") or (facility.member_state if facility else ""))
    if actor is not None:
        check(actor, Capability.MANAGE_RECEPTION, state)
    old = audit.snapshot(facility) if facility else None
    if facility is None:
        facility = Facility(code=code)
    elif "member_state" in values and values["member_state"] != facility.member_state:
        raise ValidationError({"member_state": "A facility cannot move to another state."})
    for name, value in values.items():
        setattr(facility, name, value)
    facility.full_clean()
    new = audit.snapshot(facility)
    if old is not None and new == old:
        return facility
    facility.save()
    audit.record(
        actor,
        Action.FACILITY_CREATE if old is None else Action.FACILITY_UPDATE,
        facility,
        member_state=facility.member_state,
        old=old,
        new=audit.snapshot(facility),
    )
    return facility


def seed_facilities(actor: User | None) -> list[Facility]:
    """Create or update the demo facilities by code; running it again changes nothing."""
    return [save_facility(actor, **row) for row in FACILITIES]
