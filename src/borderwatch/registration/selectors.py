"""Reads of the registration app, scoped by the user's member state.

Persons are personal data: only national roles with VIEW_PERSONS see them, and only their own
state's. EU-level roles get an empty result rather than an error, so shared pages still render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet

from borderwatch.accounts.models import User
from borderwatch.accounts.permissions import can, visible_states
from borderwatch.accounts.roles import Capability
from borderwatch.registration.models import Person


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
        raise PermissionDenied("Your role may not view persons.")
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
