"""Every write of the reception app: placements, transfers, releases and facilities.

Every hard rule is enforced here, for one placement or a thousand at once: the member state,
the facility being open, one open placement per person, the category of place, the services a
vulnerable person needs, families kept together and capacity on every day from the start date.
A batch is checked as a whole and saved whole, or nothing is saved and every problem is named.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines.placement import Category
from borderwatch.reception.models import EndReason, Facility, PlaceCategory, Placement
from borderwatch.reception.rules import allowed_categories, needs_of, services_of
from borderwatch.registration.selectors import household_sizes, persons_for_services

BATCH_SIZE = 500
NEED_LABELS = {"medical": "medical care", "open_regime": "an open (non-detention) regime"}


@dataclass(frozen=True)
class PlacementRequest:
    """Place one person in one facility from a date; category derived unless chosen."""

    person_id: int
    facility_id: int
    start_date: dt.date
    reason: str = ""
    category: str | None = None


def _label(category: str) -> str:
    return str(PlaceCategory(category).label).lower()


def _who(person_id: int) -> str:
    return f"Person #{person_id}"


def _check_capacity(
    facilities: Mapping[int, Facility],
    new: Sequence[Placement],
    ending: Mapping[int, dt.date],
    errors: list[str],
) -> None:
    """No facility's category ever holds more people than places, on any day a newcomer is in.

    Sweeps the existing and new stays of each touched (facility, category) in date order; end
    dates are exclusive, so people leaving on a day free their place for arrivals that day.
    """
    touched: dict[tuple[int, str], list[Placement]] = defaultdict(list)
    for p in new:
        touched[p.facility_id, p.category].append(p)
    for (facility_id, category), newcomers in touched.items():
        first = min(p.start_date for p in newcomers)
        existing = Placement.objects.filter(facility_id=facility_id, category=category).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=first)
        )
        changes: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])  # total, newcomers
        for pk, start, end in existing.values_list("pk", "start_date", "end_date"):
            end = ending.get(pk, end)
            if end is not None and end <= start:
                continue
            changes[start][0] += 1
            if end is not None:
                changes[end][0] -= 1
        for p in newcomers:
            changes[p.start_date][0] += 1
            changes[p.start_date][1] += 1
        places = facilities[facility_id].capacity_for(category)
        total = fresh = 0
        for day in sorted(changes):
            total += changes[day][0]
            fresh += changes[day][1]
            if fresh and total > places:
                name = facilities[facility_id].name
                errors.append(
                    f"{name} would hold {total} people in {_label(category)} places"
                    f" on {day:%Y-%m-%d}; it has {places}."
                )
                break


def _validate(
    actor: User | None,
    requests: Sequence[PlacementRequest],
    *,
    ending: Mapping[int, dt.date] | None = None,
) -> list[Placement]:
    """Unsaved placements for the requests, or ValidationError listing every broken rule.

    `ending` maps placements this same operation closes (a transfer) to their end date.
    """
    ending = ending or {}
    errors: list[str] = []
    person_ids = [r.person_id for r in requests]
    dupes = sorted(i for i, n in Counter(person_ids).items() if n > 1)
    errors.extend(f"{_who(i)} appears more than once in this batch." for i in dupes)
    persons = persons_for_services(person_ids)
    facilities = Facility.objects.select_for_update().in_bulk({r.facility_id for r in requests})
    if actor is not None:
        for state in sorted({f.member_state for f in facilities.values()}):
            check(actor, Capability.MANAGE_RECEPTION, state)
    if actor is not None and not actor.sees_all_states:
        # Persons of other states do not exist for this officer (no hint that they do).
        persons = {k: v for k, v in persons.items() if v.member_state == actor.member_state}
    for r in requests:
        if r.person_id not in persons:
            errors.append(f"{_who(r.person_id)} does not exist.")
        if r.facility_id not in facilities:
            errors.append(f"Facility #{r.facility_id} does not exist.")
    if errors:
        raise ValidationError(errors)

    open_elsewhere = dict(
        Placement.objects.filter(person_id__in=person_ids, end_date__isnull=True)
        .exclude(pk__in=list(ending))
        .values_list("person_id", "facility__name")
    )
    last_end = dict(
        Placement.objects.filter(person_id__in=person_ids, end_date__isnull=False)
        .values("person_id")
        .annotate(last=Max("end_date"))
        .values_list("person_id", "last")
    )
    sizes: dict[tuple[str, str], int] = {}
    for state in {p.member_state for p in persons.values()}:
        households = [p.household for p in persons.values() if p.member_state == state]
        for household, n in household_sizes(state, households).items():
            sizes[state, household] = n

    placements: list[Placement] = []
    household_facility: dict[tuple[str, str], set[int]] = defaultdict(set)
    for r in requests:
        person, facility = persons[r.person_id], facilities[r.facility_id]
        who = _who(person.pk)
        if person.member_state != facility.member_state:
            errors.append(f"{who} is registered in {person.member_state}; {facility.name} is not.")
        if not facility.is_open_on(r.start_date):
            errors.append(f"{facility.name} is not open on {r.start_date:%Y-%m-%d}.")
        if person.pk in open_elsewhere:
            errors.append(f"{who} is already placed in {open_elsewhere[person.pk]}.")
        if person.pk in last_end and r.start_date < last_end[person.pk]:
            errors.append(f"{who} was placed until {last_end[person.pk]:%Y-%m-%d}.")
        allowed = allowed_categories(person, sizes.get((person.member_state, person.household), 1))
        category = r.category or (next(iter(allowed)) if len(allowed) == 1 else None)
        if category is None:
            errors.append(f"{who}: sex not recorded; choose single men's or women's places.")
            continue
        if category not in allowed:
            wanted = " or ".join(sorted(_label(c) for c in allowed))
            errors.append(f"{who} needs {wanted} places, not {_label(category)}.")
            continue
        if facility.capacity_for(category) == 0:
            errors.append(f"{facility.name} has no {_label(category)} places for {who}.")
        missing = needs_of(person) - services_of(facility)
        for need in sorted(missing):
            errors.append(f"{who} needs {NEED_LABELS.get(need, need)}; {facility.name} lacks it.")
        if person.household and category == Category.FAMILIES:
            household_facility[person.member_state, person.household].add(facility.pk)
        placements.append(
            Placement(
                person_id=person.pk,
                facility_id=facility.pk,
                category=category,
                start_date=r.start_date,
                reason=r.reason,
                created_by=actor if actor is not None and actor.pk else None,
            )
        )
    _check_families(household_facility, {r.person_id for r in requests}, ending, errors)
    if not errors:
        _check_capacity(facilities, placements, ending, errors)
    if errors:
        raise ValidationError(errors)
    return placements


def _check_families(
    household_facility: Mapping[tuple[str, str], set[int]],
    in_batch: set[int],
    ending: Mapping[int, dt.date],
    errors: list[str],
) -> None:
    """A household lives in one facility: within the batch and with members already placed."""
    for (state, household), facility_ids in household_facility.items():
        placed = set(
            Placement.objects.filter(
                person__member_state=state, person__household=household, end_date__isnull=True
            )
            .exclude(person_id__in=in_batch)
            .exclude(pk__in=list(ending))
            .values_list("facility_id", flat=True)
        )
        if len(facility_ids | placed) > 1:
            split = Facility.objects.filter(pk__in=facility_ids | placed)
            names = ", ".join(sorted(split.values_list("name", flat=True)))
            errors.append(f"Household {household} would be split between {names}.")


def _audit_created(actor: User | None, placements: Iterable[Placement], action: str) -> None:
    rows = [
        AuditEntry(
            actor_id=actor.pk if actor is not None and actor.pk else None,
            actor_username=actor.get_username() if actor is not None else "system",
            action=action,
            object_type=Placement._meta.label,
            object_id=str(p.pk),
            member_state=p.facility.member_state,
            new_values=audit.snapshot(p),
            reason=p.reason,
        )
        for p in placements
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=BATCH_SIZE)


@transaction.atomic
def place_many(actor: User | None, requests: Sequence[PlacementRequest]) -> list[Placement]:
    """Place several persons at once (an accepted proposal, the scenario): all or nothing."""
    if not requests:
        return []
    placements = _validate(actor, requests)
    created = Placement.objects.bulk_create(placements, batch_size=BATCH_SIZE)
    facilities = Facility.objects.in_bulk({p.facility_id for p in created})
    for p in created:
        p.facility = facilities[p.facility_id]
    _audit_created(actor, created, Action.PLACEMENT_CREATE)
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


def _open_placement(placement_id: int) -> Placement:
    try:
        placement = (
            Placement.objects.select_for_update()
            .select_related("facility", "person")
            .get(pk=placement_id)
        )
    except Placement.DoesNotExist:
        raise ValidationError(f"Placement #{placement_id} does not exist.") from None
    if placement.end_date is not None:
        raise ValidationError(f"Placement #{placement_id} already ended on {placement.end_date}.")
    return placement


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason."})
    return reason


def _close(actor: User | None, placement: Placement, day: dt.date, kind: str, note: str) -> None:
    old = audit.snapshot(placement, ["end_date", "end_reason", "end_note", "transferred_to_id"])
    placement.end_date = day
    placement.end_reason = kind
    placement.end_note = note
    placement.save(update_fields=["end_date", "end_reason", "end_note", "transferred_to"])
    audit.record(
        actor,
        Action(f"reception.placement.{kind}"),
        placement,
        member_state=placement.facility.member_state,
        old=old,
        new=audit.snapshot(placement, ["end_date", "end_reason", "end_note", "transferred_to_id"]),
        reason=note,
    )


@transaction.atomic
def release(actor: User | None, *, placement_id: int, on_date: dt.date, reason: str) -> Placement:
    """End a placement: the person leaves the facility on `on_date` (not counted that day)."""
    reason = _require_reason(reason)
    placement = _open_placement(placement_id)
    if actor is not None:
        check(actor, Capability.MANAGE_RECEPTION, placement.facility.member_state)
    if on_date < placement.start_date:
        raise ValidationError({"on_date": f"The placement started on {placement.start_date}."})
    _close(actor, placement, on_date, EndReason.RELEASE, reason)
    return placement


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
    placement = _open_placement(placement_id)
    if actor is not None:
        check(actor, Capability.MANAGE_RECEPTION, placement.facility.member_state)
    if placement.facility_id == to_facility_id:
        raise ValidationError({"to_facility": "The person already lives there."})
    if on_date < placement.start_date:
        raise ValidationError({"on_date": f"The placement started on {placement.start_date}."})
    moving = [placement]
    person = placement.person
    if person.household and placement.category == Category.FAMILIES:
        moving += list(
            Placement.objects.select_for_update()
            .select_related("facility")
            .filter(
                facility_id=placement.facility_id,
                end_date__isnull=True,
                person__member_state=person.member_state,
                person__household=person.household,
            )
            .exclude(pk=placement.pk)
        )
    requests = [
        PlacementRequest(p.person_id, to_facility_id, on_date, reason, p.category) for p in moving
    ]
    new = _validate(actor, requests, ending={p.pk: on_date for p in moving})
    # Close first: the database allows one open placement per person.
    Placement.objects.filter(pk__in=[p.pk for p in moving]).update(end_date=on_date)
    created = Placement.objects.bulk_create(new)
    target = Facility.objects.get(pk=to_facility_id)
    for old, fresh in zip(moving, created, strict=True):
        fresh.facility = target
        old.transferred_to = fresh
        _close(actor, old, on_date, EndReason.TRANSFER, reason)
    _audit_created(actor, created, Action.PLACEMENT_CREATE)
    return created


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
