"""Reads of the border app, scoped by the user's member state."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from borderwatch.accounts.models import User
from borderwatch.border.models import (
    BorderSection,
    Country,
    Event,
    EventNationality,
    ImpactAssessment,
)
from borderwatch.core.permissions import in_scope


def member_states(user: User) -> QuerySet[Country]:
    """The member states whose border data the user may see."""
    return in_scope(Country.objects.filter(is_member_state=True), user, "code")


def sections(user: User, country: str | None = None) -> QuerySet[BorderSection]:
    qs = in_scope(BorderSection.objects.select_related("country", "neighbour"), user, "country_id")
    return qs.filter(country_id=country) if country else qs


def events(
    user: User,
    *,
    country: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    event_type: str | None = None,
    section: str | None = None,
    include_deleted: bool = False,
) -> QuerySet[Event]:
    """Events the user may see, newest first, with their nationalities."""
    qs = in_scope(Event.objects.select_related("section"), user, "country_id")
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    if country:
        qs = qs.filter(country_id=country)
    if start:
        qs = qs.filter(local_date__gte=start)
    if end:
        qs = qs.filter(local_date__lte=end)
    if event_type:
        qs = qs.filter(event_type=event_type)
    if section:
        qs = qs.filter(section__code=section)
    return qs.prefetch_related(
        Prefetch("nationalities", queryset=EventNationality.objects.order_by("-persons"))
    )


def event(user: User, event_id: int) -> Event:
    """One event, or Event.DoesNotExist when it is not visible to the user."""
    return events(user, include_deleted=True).get(pk=event_id)


def assessments(
    user: User, *, country: str | None = None, open_only: bool = False
) -> QuerySet[ImpactAssessment]:
    qs = in_scope(
        ImpactAssessment.objects.select_related("section", "confirmed_by"),
        user,
        "section__country_id",
    )
    if country:
        qs = qs.filter(section__country_id=country)
    if open_only:
        qs = qs.filter(confirmed_at__isnull=True)
    return qs


def current_levels(user: User, country: str | None = None) -> dict[int, str]:
    """Section id -> current (latest confirmed) impact level; sections never assessed are low."""
    levels: dict[int, str] = {}
    confirmed = assessments(user, country=country).filter(confirmed_at__isnull=False)
    for section_id, level in confirmed.order_by("confirmed_at", "id").values_list(
        "section_id", "level"
    ):
        levels[section_id] = level  # later confirmations overwrite earlier ones
    return levels


# ---- for other apps (registration): events persons are registered from -------------------------


def event_states(ids: list[int] | set[int]) -> dict[int, str]:
    """Event id -> member state, for the live (not deleted) events among `ids`.

    Unscoped: a service calls it to check the events it was given, then checks the actor.
    """
    if not ids:
        return {}
    live = Event.objects.filter(pk__in=list(ids), deleted_at__isnull=True)
    return dict(live.values_list("pk", "country_id"))


def live_event(user: User, event_id: int) -> Event:
    """One event the user may see and that was not deleted (Event.DoesNotExist otherwise)."""
    return events(user).get(pk=event_id)
