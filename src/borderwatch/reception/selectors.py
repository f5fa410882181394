"""Reads of the reception app, scoped by member state; occupancy is always counted, never typed.

A person is counted in a facility on day d when start_date <= d < end_date (or no end date).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can, in_scope, visible_states
from borderwatch.core.roles import Capability
from borderwatch.reception.models import (
    Facility,
    PlaceCategory,
    Placement,
    PlacementProposal,
    ProposedPlacement,
)
from borderwatch.registration.selectors import arrived_by

HIGH_SHARE = 0.9  # alert when a facility passes 90 % ...
FULL_SHARE = 1.0  # ... and when it reaches 100 %


def alert_level(occupied: int, capacity: int) -> str:
    """'full' at or above 100 %, 'high' above 90 %, '' otherwise (no places: full if anyone)."""
    if capacity <= 0:
        return "full" if occupied > 0 else ""
    share = occupied / capacity
    if share >= FULL_SHARE:
        return "full"
    if share > HIGH_SHARE:
        return "high"
    return ""


@dataclass
class CategoryOccupancy:
    category: str
    label: str
    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)

    @property
    def percent(self) -> float:
        return round(100 * self.occupied / self.capacity, 1) if self.capacity else 0.0

    @property
    def alert(self) -> str:
        return alert_level(self.occupied, self.capacity)


@dataclass
class FacilityOccupancy:
    """A facility's occupancy on one day, in total and per category, with its alerts."""

    facility: Facility
    day: dt.date
    categories: list[CategoryOccupancy] = field(default_factory=list)

    @property
    def capacity(self) -> int:
        return sum(c.capacity for c in self.categories)

    @property
    def occupied(self) -> int:
        return sum(c.occupied for c in self.categories)

    @property
    def free(self) -> int:
        return sum(c.free for c in self.categories)

    @property
    def percent(self) -> float:
        return round(100 * self.occupied / self.capacity, 1) if self.capacity else 0.0

    @property
    def alert(self) -> str:
        return alert_level(self.occupied, self.capacity)

    @property
    def alerts(self) -> list[str]:
        """Sentences for every threshold passed, the facility's and each category's."""
        found = []
        if self.alert:
            found.append(f"{self.facility.name}: {self.percent:g} % full")
        for c in self.categories:
            if c.alert and c.capacity:
                found.append(
                    f"{self.facility.name}: {c.label.lower()} {c.percent:g} % "
                    f"({c.occupied}/{c.capacity})"
                )
        return found


def facilities(user: User, member_state: str | None = None) -> QuerySet[Facility]:
    """Facilities the user may see (facility data is not personal: every role sees its scope)."""
    qs = in_scope(Facility.objects.all(), user)
    if member_state:
        qs = qs.filter(member_state=member_state)
    return qs


def facility(user: User, facility_id: int) -> Facility:
    return facilities(user).get(pk=facility_id)


def _open_on(day: dt.date) -> Q:
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=day)) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


def open_facilities(
    user: User, day: dt.date, member_state: str | None = None
) -> QuerySet[Facility]:
    return facilities(user, member_state).filter(_open_on(day))


def facilities_open_on(member_state: str, day: dt.date) -> QuerySet[Facility]:
    """A state's facilities open on the day (unscoped: for services and tasks)."""
    return Facility.objects.filter(_open_on(day), member_state=member_state)


def _active_on(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def occupancy_counts(facility_ids: list[int], day: dt.date) -> dict[int, dict[str, int]]:
    """People per facility and category on a day (unscoped: callers pass visible ids)."""
    rows = (
        Placement.objects.filter(_active_on(day), facility_id__in=facility_ids)
        .values("facility_id", "category")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["facility_id"]][row["category"]] = row["n"]
    return counts


def occupancy(
    user: User, day: dt.date, member_state: str | None = None, *, open_only: bool = True
) -> list[FacilityOccupancy]:
    """Every visible facility's occupancy on the day, fullest first within each state."""
    qs = open_facilities(user, day, member_state) if open_only else facilities(user, member_state)
    found = list(qs)
    counts = occupancy_counts([f.pk for f in found], day)
    result = []
    for f in found:
        result.append(
            FacilityOccupancy(
                facility=f,
                day=day,
                categories=[
                    CategoryOccupancy(
                        c.value, str(c.label), f.capacity_for(c), counts[f.pk].get(c.value, 0)
                    )
                    for c in PlaceCategory
                ],
            )
        )
    result.sort(key=lambda o: (o.facility.member_state, -o.percent, o.facility.name))
    return result


def facility_occupancy(user: User, facility_id: int, day: dt.date) -> FacilityOccupancy:
    f = facility(user, facility_id)
    [found] = [o for o in occupancy(user, day, f.member_state, open_only=False) if o.facility == f]
    return found


def alerts(user: User, day: dt.date, member_state: str | None = None) -> list[str]:
    return [a for o in occupancy(user, day, member_state) for a in o.alerts]


def occupancy_geojson(user: User, day: dt.date) -> dict[str, Any]:
    """Facilities open on the day as a GeoJSON FeatureCollection for the situational picture."""
    features = []
    for o in occupancy(user, day):
        f = o.facility
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [f.longitude, f.latitude]},
                "properties": {
                    "id": f.pk,
                    "code": f.code,
                    "name": f.name,
                    "kind": f.kind,
                    "kind_label": f.get_kind_display(),
                    "member_state": f.member_state,
                    "capacity": o.capacity,
                    "occupied": o.occupied,
                    "percent": o.percent,
                    "alert": o.alert,
                    "capacity_is_estimate": f.capacity_is_estimate,
                    "categories": {
                        c.category: {"capacity": c.capacity, "occupied": c.occupied}
                        for c in o.categories
                    },
                    "url": f"/reception/facilities/{f.pk}/",
                },
            }
        )
    return {"type": "FeatureCollection", "day": day.isoformat(), "features": features}


def occupancy_series(
    user: User,
    start: dt.date,
    end: dt.date,
    member_state: str | None = None,
    facility_id: int | None = None,
) -> dict[str, Any]:
    """Daily occupancy and capacity per facility and in total, from start to end inclusive.

    Counted from placement intervals with a difference array per facility: one query,
    however long the period.
    """
    if end < start:
        raise ValueError("The series ends before it starts.")
    days = (end - start).days + 1
    qs = facilities(user, member_state)
    if facility_id is not None:
        qs = qs.filter(pk=facility_id)
    found = list(qs)
    index = {f.pk: i for i, f in enumerate(found)}
    diff = np.zeros((len(found), days + 1), dtype=np.int64)
    rows = Placement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start),
        facility_id__in=list(index),
        start_date__lte=end,
    ).values_list("facility_id", "start_date", "end_date")
    for facility_pk, first, last in rows:
        lo = max(0, (first - start).days)
        hi = days if last is None else min(days, (last - start).days)
        if hi > lo:
            diff[index[facility_pk], lo] += 1
            diff[index[facility_pk], hi] -= 1
    occupied = np.cumsum(diff, axis=1)[:, :days]
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    series = []
    capacity_total = np.zeros(days, dtype=np.int64)
    for f in found:
        open_mask = np.array([f.is_open_on(d) for d in dates], dtype=bool)
        capacity = np.where(open_mask, f.capacity, 0)
        capacity_total += capacity
        series.append(
            {
                "id": f.pk,
                "name": f.name,
                "member_state": f.member_state,
                "capacity": capacity.tolist(),
                "occupied": occupied[index[f.pk]].tolist(),
            }
        )
    return {
        "days": [d.isoformat() for d in dates],
        "facilities": series,
        "total": {
            "capacity": capacity_total.tolist(),
            "occupied": occupied.sum(axis=0).tolist() if found else [0] * days,
        },
    }


def placements(user: User, facility_id: int | None = None) -> QuerySet[Placement]:
    """Placements the user may see: personal data, so national roles of the state only."""
    if not can(user, Capability.VIEW_PERSONS):
        return Placement.objects.none()
    qs = Placement.objects.select_related("facility")
    states = visible_states(user)
    if states is not None:
        qs = qs.filter(facility__member_state__in=states)
    if facility_id is not None:
        qs = qs.filter(facility_id=facility_id)
    return qs


def current_placements(user: User, facility_id: int, day: dt.date) -> QuerySet[Placement]:
    return placements(user, facility_id).filter(_active_on(day))


# ---- arrivals and the optimiser's proposals (personal data: managers of the state) ------------


def _may_plan(user: User) -> bool:
    return (
        can(user, Capability.MANAGE_RECEPTION)
        and can(user, Capability.VIEW_PERSONS)
        and bool(user.member_state)
    )


def awaiting_count(user: User, day: dt.date) -> int:
    """How many persons of the user's state arrived by the day and were never placed."""
    if not _may_plan(user):
        return 0
    never_placed = Placement.objects.values_list("person_id", flat=True)
    return arrived_by(user.member_state, day, excluding=never_placed).count()


def proposals(user: User) -> QuerySet[PlacementProposal]:
    """Proposals of the user's own state (they list persons: never another state's)."""
    if not _may_plan(user):
        return PlacementProposal.objects.none()
    return PlacementProposal.objects.filter(member_state=user.member_state)


def proposal(user: User, proposal_id: int) -> PlacementProposal:
    found = proposals(user).filter(pk=proposal_id).first()
    if found is None:
        raise ObjectDoesNotExist(f"Proposal {proposal_id} not found.")
    return found


@dataclass
class FacilityShare:
    """How many persons a proposal sends to one facility (the page's summary)."""

    facility_id: int | None
    name: str
    rows: int
    persons: int


def proposal_rows(p: PlacementProposal) -> QuerySet[ProposedPlacement]:
    """A proposal's rows, placed ones first by facility (callers page them)."""
    return p.rows.select_related("facility").order_by("facility__name", "id")


def proposal_summary(p: PlacementProposal) -> list[FacilityShare]:
    """Persons per proposed facility ("not now" last), counted from the saved rows."""
    shares: dict[int | None, FacilityShare] = {}
    for facility_id, name, ids in p.rows.values_list("facility_id", "facility__name", "person_ids"):
        share = shares.setdefault(facility_id, FacilityShare(facility_id, name or "", 0, 0))
        share.rows += 1
        share.persons += len(ids)
    return sorted(shares.values(), key=lambda s: (s.facility_id is None, s.name))
