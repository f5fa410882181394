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
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.accounts.models import User
from borderwatch.core.codes import nationality_name
from borderwatch.core.permissions import can, in_scope, visible_states
from borderwatch.core.roles import Capability
from borderwatch.engines import placement as engine
from borderwatch.reception.models import (
    Facility,
    PlaceCategory,
    Placement,
    PlacementProposal,
    ProposedPlacement,
)
from borderwatch.registration.selectors import (
    ArrivalGroup,
    arrived_by,
    awaiting_persons,
    awaiting_profile,
    latest_arrival_day,
    persons_with_household,
)

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


def _percent(value: float) -> str:
    """A percentage as the user's locale writes it: 92.5 is "92,5" in lt, lv and pl."""
    return number_format(value, decimal_pos=None if value % 1 else 0)


def filled_percent(occupied: int, capacity: int) -> float:
    """How full, in percent to one decimal (0 for no capacity): the one rule for every total."""
    return round(100 * occupied / capacity, 1) if capacity else 0.0


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
        return filled_percent(self.occupied, self.capacity)

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
        return filled_percent(self.occupied, self.capacity)

    @property
    def alert(self) -> str:
        return alert_level(self.occupied, self.capacity)

    @property
    def alert_categories(self) -> list[CategoryOccupancy]:
        """Categories at or above a threshold, full ones first."""
        found = [c for c in self.categories if c.alert and c.capacity]
        return sorted(found, key=lambda c: (c.alert != "full", -c.percent))

    @property
    def alert_line(self) -> str:
        """One sentence for the facility: its total and every full or near-full category."""
        if not self.alert and not self.alert_categories:
            return ""
        parts = [
            f"{c.label.lower()} {_percent(c.percent)} % ({c.occupied}/{c.capacity})"
            for c in self.alert_categories
        ]
        line = _("%(facility)s %(percent)s %% full") % {
            "facility": self.facility.name,
            "percent": _percent(self.percent),
        }
        return f"{line}: {'; '.join(parts)}" if parts else line

    @property
    def alerts(self) -> list[str]:
        """Sentences for every threshold passed, the facility's and each category's."""
        found = []
        if self.alert:
            found.append(
                _("%(facility)s: %(percent)s %% full")
                % {"facility": self.facility.name, "percent": _percent(self.percent)}
            )
        for c in self.categories:
            if c.alert and c.capacity:
                found.append(
                    f"{self.facility.name}: {c.label.lower()} {_percent(c.percent)} % "
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
    """Placements in the facility on the day, longest placed first."""
    return placements(user, facility_id).filter(_active_on(day)).order_by("start_date", "id")


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
    return p.rows.select_related("facility").order_by(
        F("facility__name").asc(nulls_last=True), "id"
    )


def proposal_summary(p: PlacementProposal) -> list[FacilityShare]:
    """Persons per proposed facility ("not now" last), counted from the saved rows."""
    shares: dict[int | None, FacilityShare] = {}
    for facility_id, name, ids in p.rows.values_list("facility_id", "facility__name", "person_ids"):
        share = shares.setdefault(facility_id, FacilityShare(facility_id, name or "", 0, 0))
        share.rows += 1
        share.persons += len(ids)
    return sorted(shares.values(), key=lambda s: (s.facility_id is None, s.name))


# ---- the day shown by default ------------------------------------------------------------------


def latest_day(user: User, member_state: str | None = None) -> dt.date | None:
    """The latest day with data for the user: the latest arrival or placement start of the
    states the user sees (or of `member_state`); None when there is none. Aggregates only."""
    states = visible_states(user)
    if member_state:
        states = [member_state] if states is None or member_state in states else []
    placed = Placement.objects.all()
    if states is not None:
        placed = placed.filter(facility__member_state__in=states)
    days = [
        d
        for d in (
            latest_arrival_day(states),
            placed.aggregate(last=Max("start_date"))["last"],
        )
        if d is not None
    ]
    return max(days) if days else None


# ---- persons as a reception manager recognises them -------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """What a reception page shows of a person: never just an id."""

    pk: int
    reference: str
    name: str
    sex: str
    age: int | None
    age_estimated: bool
    minor: bool
    nationality: str
    nationality_name: str
    household_size: int
    vulnerabilities: list[str]
    arrived_on: dt.date | None
    days_waiting: int | None

    @property
    def vulnerable(self) -> bool:
        return bool(self.vulnerabilities)


def _age(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def person_row(person: Any, day: dt.date) -> PersonRow:
    """A registration Person (annotated with household_size and arrived_on) as a row."""
    arrived = getattr(person, "arrived_on", None)
    return PersonRow(
        pk=person.pk,
        reference=person.reference,
        name=person.name_transliterated,
        sex=person.get_sex_display(),
        age=_age(person.date_of_birth, day),
        age_estimated=person.dob_is_estimated,
        minor=person.minor,
        nationality=person.nationality,
        nationality_name=nationality_name(person.nationality),
        household_size=int(getattr(person, "household_size", 1) or 1),
        vulnerabilities=[flag.replace("_", " ") for flag in person.vulnerabilities],
        arrived_on=arrived,
        days_waiting=(day - arrived).days if arrived is not None else None,
    )


def person_rows(persons: Any, day: dt.date) -> list[PersonRow]:
    return [person_row(p, day) for p in persons]


def persons_by_id(user: User, ids: list[int], day: dt.date) -> dict[int, PersonRow]:
    """Rows for persons the caller already holds through a scoped read (placements or proposal
    rows of the user's scope); one query, empty for roles that may not see persons."""
    if not can(user, Capability.VIEW_PERSONS) or not ids:
        return {}
    return {pk: person_row(p, day) for pk, p in persons_with_household(ids).items()}


AWAITING_ORDERS = {
    "vulnerable": gettext_lazy("Vulnerable first"),
    "waiting": gettext_lazy("Longest waiting first"),
}


def awaiting(user: User, day: dt.date, order: str = "vulnerable") -> QuerySet[Any]:
    """Persons of the user's state arrived by the day and never placed, in `order`
    (AWAITING_ORDERS), annotated for person_row; none for a user who may not plan."""
    never_placed = Placement.objects.values_list("person_id", flat=True)
    state = user.member_state or ""
    found = awaiting_persons(state, day, never_placed, order)
    return found if _may_plan(user) else found.none()


@dataclass
class CategoryGap:
    """Awaiting persons of one kind of place against the free places of that kind."""

    category: str
    label: str
    awaiting: int
    free: int

    @property
    def short(self) -> int:
        return max(0, self.awaiting - self.free)


@dataclass
class Unplaced:
    """The headline of a state's reception on a day: who waits, how long, what could open."""

    member_state: str
    day: dt.date
    count: int
    longest_days: int
    median_days: float
    gaps: list[CategoryGap]
    not_categorised: int
    estimated_full: list[FacilityOccupancy]
    not_open: list[Facility]

    @property
    def short(self) -> int:
        return sum(g.short for g in self.gaps)

    @property
    def median_plural(self) -> int:
        """The number that chooses the plural form of "days" after the median: itself when
        whole, else one that takes the general plural in every language (2.5 days)."""
        return int(self.median_days) if float(self.median_days).is_integer() else 5

    @property
    def count_text(self) -> str:
        return number_format(self.count, force_grouping=True)

    @property
    def short_text(self) -> str:
        return number_format(self.short, force_grouping=True)

    @property
    def capacity_exhausted(self) -> bool:
        return self.short > 0


class _Traits:
    """The traits engine.category_of reads, from one aggregated group (no person)."""

    pregnancy = disability = elderly = trafficking_victim = False

    def __init__(self, group: ArrivalGroup) -> None:
        self.sex = group.sex
        self.household = "h" if group.in_household else ""
        self.minor = group.minor
        self.unaccompanied_minor = group.unaccompanied_minor


def _median(values: dict[int, int]) -> float:
    total = sum(values.values())
    if not total:
        return 0.0
    ordered = sorted(values.items())
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value, n in ordered:
        found.extend(value for i in middle if seen <= i < seen + n)
        seen += n
    return sum(found) / len(found)


def unplaced(user: User, day: dt.date, rows: list[FacilityOccupancy]) -> list[Unplaced]:
    """Per state the user sees (with facilities in `rows`): how many arrived by the day and were
    never placed, how long they have waited (longest, median, in days), places short per kind of
    place, full or near-full facilities whose capacity is an estimate, facilities not open on
    the day. Aggregates only (no person), so every role that sees reception sees it."""
    states = sorted({o.facility.member_state for o in rows})
    own = visible_states(user)
    if own is not None:
        states = [s for s in states if s in own]
    never_placed = Placement.objects.values_list("person_id", flat=True)
    closed = facilities(user).exclude(_open_on(day))
    found = []
    for state in states:
        waited: dict[int, int] = defaultdict(int)
        by_category: dict[str, int] = defaultdict(int)
        unknown = 0
        for group in awaiting_profile(state, day, never_placed):
            days = (day - group.arrived_on).days if group.arrived_on else 0
            waited[days] += group.n
            category = engine.category_of(_Traits(group), 2 if group.in_household else 1)
            if category is None:
                unknown += group.n
            else:
                by_category[category.value] += group.n
        count = sum(waited.values())
        if not count:
            continue
        state_rows = [o for o in rows if o.facility.member_state == state]
        gaps = [
            CategoryGap(
                c.value,
                str(c.label),
                by_category.get(c.value, 0),
                sum(cat.free for o in state_rows for cat in o.categories if cat.category == c),
            )
            for c in PlaceCategory
        ]
        short = {g.category for g in gaps if g.short}
        found.append(
            Unplaced(
                member_state=state,
                day=day,
                count=count,
                longest_days=max(waited),
                median_days=_median(waited),
                gaps=gaps,
                not_categorised=unknown,
                estimated_full=[
                    o
                    for o in state_rows
                    if o.facility.capacity_is_estimate
                    and any(c.category in short and c.alert for c in o.categories)
                ],
                not_open=[
                    f
                    for f in closed
                    if f.member_state == state and f.opened_on is not None and f.opened_on > day
                ],
            )
        )
    return found
