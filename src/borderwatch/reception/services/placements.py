"""Placements: place one or many, release, transfer, and remove the demo scenario's.

Every hard rule is checked in checks.validate (asking the placement engine's rules), for one
placement or a thousand at once; a batch is saved whole or not at all, every problem named.
Ending a placement is a transition of reception/workflow.py (a timeline row and an audit entry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check, visible_states
from borderwatch.core.roles import Capability
from borderwatch.engines.placement import Category
from borderwatch.reception.formats import day as _day
from borderwatch.reception.models import EndReason, Facility, Placement, PlacementStatus
from borderwatch.reception.services.checks import PlacementRequest, validate
from borderwatch.reception.workflow import PLACEMENT
from borderwatch.registration.selectors import household_member_ids, persons_for_services

BATCH_SIZE = 500


def _audit_created(actor: User | None, placements: Iterable[Placement]) -> None:
    audit.record_many(
        actor,
        Action.PLACEMENT_CREATE,
        (
            audit.Entry(
                p, member_state=p.facility.member_state, new=audit.snapshot(p), reason=p.reason
            )
            for p in placements
        ),
    )


@transaction.atomic
def place_many(actor: User | None, requests: Sequence[PlacementRequest]) -> list[Placement]:
    """Place several persons at once (an accepted proposal, the scenario): all or nothing."""
    if not requests:
        return []
    placements = validate(actor, requests)
    created = Placement.objects.bulk_create(placements, batch_size=BATCH_SIZE)
    facilities = Facility.objects.in_bulk({p.facility_id for p in created})
    for p in created:
        p.facility = facilities[p.facility_id]
    _audit_created(actor, created)
    return created


def place(
    actor: User | None,
    *,
    person_id: int,
    facility_id: int,
    start_date: dt.date,
    reason: str = "",
    category: str | None = None,
) -> Placement:
    """Place one person in a facility from a date."""
    request = PlacementRequest(person_id, facility_id, start_date, reason, category)
    return place_many(actor, [request])[0]


def _open_placement(actor: User | None, placement_id: int) -> Placement:
    """The open placement, locked, if the actor may end it. Another state's placement answers
    exactly like a missing one (no hint that it exists, nor its dates)."""
    if actor is not None:
        check(actor, Capability.MANAGE_RECEPTION)  # the role first: the same for any id
    placement = (
        Placement.objects.select_for_update().select_related("facility").filter(pk=placement_id)
    ).first()
    states = visible_states(actor) if actor is not None else None
    if placement is None or (states is not None and placement.facility.member_state not in states):
        raise ValidationError(
            _("Placement #%(id)s does not exist.") % {"id": placement_id}
        ) from None
    if actor is not None:
        check(actor, Capability.MANAGE_RECEPTION, placement.facility.member_state)
    if placement.end_date is not None:
        raise ValidationError(
            _("Placement #%(id)s already ended on %(day)s.")
            % {"id": placement_id, "day": _day(placement.end_date)}
        )
    return placement


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    return reason


def _close(actor: User | None, placement: Placement, day: dt.date, kind: str, note: str) -> None:
    """The workflow's transition: status, end fields, timeline row and audit entry together."""
    target = PlacementStatus.RELEASED if kind == EndReason.RELEASE else PlacementStatus.TRANSFERRED
    PLACEMENT.apply(
        actor,
        placement,
        target,
        member_state=placement.facility.member_state,
        reason=note,
        also={
            "end_date": day,
            "end_reason": kind,
            "end_note": note,
            "transferred_to": placement.transferred_to,
        },
    )


@transaction.atomic
def release(actor: User | None, *, placement_id: int, on_date: dt.date, reason: str) -> Placement:
    """End a placement: the person leaves the facility on `on_date` (not counted that day)."""
    reason = _require_reason(reason)
    placement = _open_placement(actor, placement_id)
    if on_date < placement.start_date:
        raise ValidationError(
            {
                "on_date": _("The placement started on %(day)s.")
                % {"day": _day(placement.start_date)}
            }
        )
    _close(actor, placement, on_date, EndReason.RELEASE, reason)
    return placement


def _living_with(placement: Placement) -> list[Placement]:
    """The household members in the same facility as a family placement, locked."""
    person = persons_for_services([placement.person_id])[placement.person_id]
    if not person.household or placement.category != Category.FAMILIES:
        return []
    members = household_member_ids(person.member_state, [person.household])
    return list(
        Placement.objects.select_for_update()
        .select_related("facility")
        .filter(
            facility_id=placement.facility_id,
            end_date__isnull=True,
            person_id__in=members.get(person.household, []),
        )
        .exclude(pk=placement.pk)
    )


@transaction.atomic
def transfer(
    actor: User | None,
    *,
    placement_id: int,
    to_facility_id: int,
    on_date: dt.date,
    reason: str,
) -> list[Placement]:
    """Move a person, with the household members living with them, to another facility.

    Returns the new placements (the person's first). Families stay together: the whole
    household in the old facility moves, or nobody does.
    """
    reason = _require_reason(reason)
    placement = _open_placement(actor, placement_id)
    if placement.facility_id == to_facility_id:
        raise ValidationError({"to_facility": _("The person already lives there.")})
    if on_date < placement.start_date:
        raise ValidationError(
            {
                "on_date": _("The placement started on %(day)s.")
                % {"day": _day(placement.start_date)}
            }
        )
    moving = [placement, *_living_with(placement)]
    requests = [
        PlacementRequest(p.person_id, to_facility_id, on_date, reason, p.category) for p in moving
    ]
    new = validate(actor, requests, ending={p.pk: on_date for p in moving})
    # Close first: the database allows one open placement per person.
    Placement.objects.filter(pk__in=[p.pk for p in moving]).update(end_date=on_date)
    created = Placement.objects.bulk_create(new)
    target = Facility.objects.get(pk=to_facility_id)
    for old, fresh in zip(moving, created, strict=True):
        fresh.facility = target
        old.transferred_to = fresh
        _close(actor, old, on_date, EndReason.TRANSFER, reason)
    _audit_created(actor, created)
    return created


@transaction.atomic
def remove_synthetic_placements(person_ids: Iterable[int], actor: User | None = None) -> int:
    """Delete the placements of demo-scenario persons (the loader's --replace); real persons'
    placements are never touched, whatever ids are passed. Returns how many were deleted."""
    ids = list(person_ids)
    synthetic = [pk for pk, p in persons_for_services(ids).items() if p.synthetic]
    doomed = Placement.objects.filter(person_id__in=synthetic)
    by_state: dict[str, int] = {}
    for state in doomed.values_list("facility__member_state", flat=True):
        by_state[state] = by_state.get(state, 0) + 1
    if actor is not None:
        for state in sorted(by_state):
            check(actor, Capability.MANAGE_RECEPTION, state)
    # Later stays point back at the ones they were transferred from: unlink, then delete.
    doomed.exclude(transferred_to__isnull=True).update(transferred_to=None)
    deleted = doomed.count()
    doomed.delete()
    for state, count in sorted(by_state.items()):
        audit.record(
            actor,
            Action.SCENARIO_REMOVE,
            object_type=Placement._meta.label,
            member_state=state,
            old={"synthetic_placements": count},
        )
    return deleted
