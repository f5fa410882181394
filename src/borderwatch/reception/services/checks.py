"""The database side of the hard rules: gather what the engine's rules need, ask them, and name
every broken rule in the officer's words.

The rules themselves live once, in borderwatch.engines.placement (category, services, family
together, capacity on every day); the optimiser plans with the same functions, so a proposal
and the check made when it is accepted cannot disagree. Member state, opening dates and one
open placement per person are facts of the records, checked here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.accounts.models import User
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines import placement as engine
from borderwatch.reception.formats import day as _day
from borderwatch.reception.models import Facility, PlaceCategory, Placement
from borderwatch.reception.proposal import places_of, services_of
from borderwatch.registration.selectors import (
    household_member_ids,
    household_sizes,
    persons_for_services,
)

NEED_LABELS = {
    "medical": gettext_lazy("medical care"),
    "open_regime": gettext_lazy("an open (non-detention) regime"),
    "interpreters": gettext_lazy("interpreters"),
}

# Whose places, as the words after "places" ("places for single men"): one form per language
# that fits every sentence below.
PLACES_FOR = {
    PlaceCategory.SINGLE_MEN: gettext_lazy("single men"),
    PlaceCategory.SINGLE_WOMEN: gettext_lazy("single women"),
    PlaceCategory.FAMILIES: gettext_lazy("families"),
    PlaceCategory.UNACCOMPANIED_MINORS: gettext_lazy("unaccompanied minors"),
}


@dataclass(frozen=True)
class PlacementRequest:
    """Place one person in one facility from a date; category derived unless chosen."""

    person_id: int
    facility_id: int
    start_date: dt.date
    reason: str = ""
    category: str | None = None


def _places(category: str) -> str:
    """Whose places: "single men" ("single men places") in the user's language."""
    return str(PLACES_FOR[PlaceCategory(category)])


def _who(person_id: int) -> str:
    return _("Person #%(id)s") % {"id": person_id}


def _refusal_text(who: str, facility: Facility, refusal: engine.Refusal) -> list[str]:
    """The engine's refusal (framework-free, no words) as a sentence in the user's language."""
    if refusal.rule == engine.Rule.CATEGORY and refusal.category is None:
        return [
            _("%(who)s: sex not recorded; choose single men's or women's places.") % {"who": who}
        ]
    if refusal.rule == engine.Rule.CATEGORY:
        wanted = _(" or ").join(sorted(_places(c) for c in refusal.allowed))
        return [
            _("%(who)s needs %(wanted)s places, not %(category)s.")
            % {"who": who, "wanted": wanted, "category": _places(str(refusal.category))}
        ]
    if refusal.rule == engine.Rule.CAPACITY:
        return [
            _("%(facility)s has no %(category)s places for %(who)s.")
            % {
                "facility": facility.name,
                "category": _places(str(refusal.category)),
                "who": who,
            }
        ]
    return [
        _("%(who)s needs %(need)s; %(facility)s lacks it.")
        % {"who": who, "need": NEED_LABELS.get(need, need), "facility": facility.name}
        for need in sorted(refusal.missing)
    ]


def _check_capacity(
    facilities: Mapping[int, Facility],
    new: Sequence[Placement],
    ending: Mapping[int, dt.date],
    errors: list[str],
) -> None:
    """No facility's category ever holds more people than places, on any day a newcomer is in."""
    touched: dict[tuple[int, str], list[Placement]] = defaultdict(list)
    for p in new:
        touched[p.facility_id, p.category].append(p)
    for (facility_id, category), newcomers in touched.items():
        first = min(p.start_date for p in newcomers)
        existing = Placement.objects.filter(facility_id=facility_id, category=category).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=first)
        )
        stays = [
            (start, ending.get(pk, end))
            for pk, start, end in existing.values_list("pk", "start_date", "end_date")
        ]
        places = facilities[facility_id].capacity_for(category)
        over = engine.first_overflow(stays, [p.start_date for p in newcomers], places)
        if over is not None:
            day, total = over
            errors.append(
                _(
                    "%(facility)s would hold %(total)s people in %(category)s places on %(day)s;"
                    " it has %(places)s."
                )
                % {
                    "facility": facilities[facility_id].name,
                    "total": total,
                    "category": _places(category),
                    "day": _day(day),
                    "places": places,
                }
            )


def _check_families(
    household_facility: Mapping[tuple[str, str], set[int]],
    in_batch: set[int],
    ending: Mapping[int, dt.date],
    errors: list[str],
) -> None:
    """A household lives in one facility: within the batch and with members already placed."""
    by_state: dict[str, list[str]] = defaultdict(list)
    for state, household in household_facility:
        by_state[state].append(household)
    for state, households in by_state.items():
        members = household_member_ids(state, households)
        for household in households:
            placed = set(
                Placement.objects.filter(
                    person_id__in=members.get(household, []), end_date__isnull=True
                )
                .exclude(person_id__in=in_batch)
                .exclude(pk__in=list(ending))
                .values_list("facility_id", flat=True)
            )
            proposed = household_facility[state, household]
            if engine.splits_household(proposed, placed):
                split = Facility.objects.filter(pk__in=proposed | placed)
                names = ", ".join(sorted(split.values_list("name", flat=True)))
                errors.append(
                    _("Household %(household)s would be split between %(names)s.")
                    % {"household": household, "names": names}
                )


def validate(
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
    errors.extend(
        _("%(who)s appears more than once in this batch.") % {"who": _who(i)} for i in dupes
    )
    persons = persons_for_services(person_ids)
    facilities = Facility.objects.select_for_update().in_bulk({r.facility_id for r in requests})
    if actor is not None:
        check(actor, Capability.MANAGE_RECEPTION)  # the role first: the same for any id
    if actor is not None and not actor.sees_all_states:
        # Persons and facilities of other states do not exist for this officer (no hint that
        # they do: the same answer as for a missing id).
        persons = {k: v for k, v in persons.items() if v.member_state == actor.member_state}
        facilities = {k: v for k, v in facilities.items() if v.member_state == actor.member_state}
    if actor is not None:
        for state in sorted({f.member_state for f in facilities.values()}):
            check(actor, Capability.MANAGE_RECEPTION, state)
    for r in requests:
        if r.person_id not in persons:
            errors.append(_("%(who)s does not exist.") % {"who": _who(r.person_id)})
        if r.facility_id not in facilities:
            errors.append(_("Facility #%(id)s does not exist.") % {"id": r.facility_id})
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
            errors.append(
                _("%(who)s is registered in %(state)s; %(facility)s is not.")
                % {"who": who, "state": person.member_state, "facility": facility.name}
            )
        if not facility.is_open_on(r.start_date):
            errors.append(
                _("%(facility)s is not open on %(day)s.")
                % {"facility": facility.name, "day": _day(r.start_date)}
            )
        if person.pk in open_elsewhere:
            errors.append(
                _("%(who)s is already placed in %(facility)s.")
                % {"who": who, "facility": open_elsewhere[person.pk]}
            )
        if person.pk in last_end and r.start_date < last_end[person.pk]:
            errors.append(
                _("%(who)s was placed until %(day)s.")
                % {"who": who, "day": _day(last_end[person.pk])}
            )
        size = sizes.get((person.member_state, person.household), 1)
        category, refused = engine.refusals(
            person, size, r.category, places_of(facility), services_of(facility)
        )
        for refusal in refused:
            errors.extend(_refusal_text(who, facility, refusal))
        if category is None:
            continue
        if person.household and category == engine.Category.FAMILIES:
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
    _check_families(household_facility, set(person_ids), ending, errors)
    if not errors:
        _check_capacity(facilities, placements, ending, errors)
    if errors:
        raise ValidationError(errors)
    return placements
