"""Placement, transfer and release: every rule enforced in the service, every write audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.core.workflow import timeline
from borderwatch.reception import selectors, services
from borderwatch.reception.models import Facility, Placement
from borderwatch.reception.services import (
    PlacementRequest,
    place,
    place_many,
    release,
    remove_synthetic_placements,
    transfer,
)
from borderwatch.reception.workflow import PLACEMENT
from borderwatch.registration.models import Person
from tests.reception.conftest import JULY

pytestmark = pytest.mark.django_db
MakeFacility = Callable[..., Facility]
MakePerson = Callable[..., Person]


def test_place_derives_the_category_and_audits(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility()
    p = make_person(sex="F")
    placement = place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY, reason="near")
    assert placement.category == "single_women"
    entry = AuditEntry.objects.get(action="reception.placement.create")
    assert entry.actor == manager_lt and entry.member_state == "LT"
    assert entry.new_values is not None and entry.new_values["facility_id"] == f.pk


def test_capacity_is_never_exceeded(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility(capacity_single_men=2)
    men = [make_person() for _ in range(3)]
    place_many(manager_lt, [PlacementRequest(m.pk, f.pk, JULY) for m in men[:2]])
    with pytest.raises(ValidationError, match="would hold 3 people in single men places"):
        place(manager_lt, person_id=men[2].pk, facility_id=f.pk, start_date=JULY)
    assert Placement.objects.count() == 2


def test_a_release_frees_the_place_from_its_end_date(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility(capacity_single_men=1)
    a, b = make_person(), make_person()
    first = place(manager_lt, person_id=a.pk, facility_id=f.pk, start_date=JULY)
    release(manager_lt, placement_id=first.pk, on_date=JULY + dt.timedelta(days=3), reason="left")
    with pytest.raises(ValidationError, match="would hold 2"):
        place(manager_lt, person_id=b.pk, facility_id=f.pk, start_date=JULY + dt.timedelta(days=2))
    place(manager_lt, person_id=b.pk, facility_id=f.pk, start_date=JULY + dt.timedelta(days=3))


def test_backdated_placement_cannot_overfill_a_later_day(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility(capacity_single_men=1)
    a, b = make_person(), make_person()
    place(manager_lt, person_id=a.pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(ValidationError, match="would hold 2"):
        place(manager_lt, person_id=b.pk, facility_id=f.pk, start_date=JULY - dt.timedelta(days=9))


def test_one_open_placement_per_person(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f, g = make_facility(), make_facility()
    p = make_person()
    place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(ValidationError, match="already placed"):
        place(manager_lt, person_id=p.pk, facility_id=g.pk, start_date=JULY)
    with pytest.raises(ValidationError, match="more than once"):
        place_many(manager_lt, [PlacementRequest(p.pk, g.pk, JULY)] * 2)


@pytest.mark.parametrize(
    ("flags", "facility", "message"),
    [
        ({"pregnancy": True, "sex": "F"}, {"medical": False}, "needs medical care"),
        ({"disability": True}, {"medical": False}, "needs medical care"),
        (
            {"trafficking_victim": True},
            {"kind": "detention_centre", "capacity_unaccompanied_minors": 0},
            "open (non-detention)",
        ),
        (
            {"minor": True, "unaccompanied_minor": True},
            {"capacity_unaccompanied_minors": 0},
            "no unaccompanied minors places",
        ),
        ({"minor": True, "unaccompanied_minor": True}, {"medical": True}, None),
    ],
)
def test_vulnerable_persons_only_where_the_facility_can_take_them(
    manager_lt: User,
    make_facility: MakeFacility,
    make_person: MakePerson,
    flags: dict[str, object],
    facility: dict[str, object],
    message: str | None,
) -> None:
    f = make_facility(**facility)
    p = make_person(**flags)
    if message is None:
        place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY)
        return
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY)
    assert not Placement.objects.exists()


def test_unknown_sex_needs_a_chosen_category(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility()
    p = make_person(sex="X")
    with pytest.raises(ValidationError, match="sex not recorded"):
        place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(ValidationError, match="not families"):
        place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY, category="families")
    placed = place(
        manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY, category="single_women"
    )
    assert placed.category == "single_women"


def test_families_stay_together(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f, g = make_facility(), make_facility()
    mother = make_person(sex="F", household="H1")
    child = make_person(minor=True, household="H1")
    with pytest.raises(ValidationError, match="split between"):
        place_many(
            manager_lt,
            [PlacementRequest(mother.pk, f.pk, JULY), PlacementRequest(child.pk, g.pk, JULY)],
        )
    place(manager_lt, person_id=mother.pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(ValidationError, match="split between"):
        place(manager_lt, person_id=child.pk, facility_id=g.pk, start_date=JULY)
    joined = place(manager_lt, person_id=child.pk, facility_id=f.pk, start_date=JULY)
    assert joined.category == "families"


def test_transfer_moves_the_household_and_keeps_history(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f, g = make_facility(), make_facility()
    a = make_person(household="H2")
    b = make_person(sex="F", household="H2")
    first, _ = place_many(
        manager_lt, [PlacementRequest(a.pk, f.pk, JULY), PlacementRequest(b.pk, f.pk, JULY)]
    )
    later = JULY + dt.timedelta(days=5)
    moved = transfer(
        manager_lt, placement_id=first.pk, to_facility_id=g.pk, on_date=later, reason="medical"
    )
    assert {m.person_id for m in moved} == {a.pk, b.pk}
    assert not Placement.objects.filter(facility=f, end_date__isnull=True).exists()
    first.refresh_from_db()
    assert (first.end_date, first.end_reason, first.transferred_to_id) == (
        later,
        "transfer",
        moved[0].pk,
    )
    assert AuditEntry.objects.filter(action="reception.placement.transfer").count() == 2


def test_failed_transfer_changes_nothing(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f, full = make_facility(), make_facility(capacity_single_men=0)
    placed = place(manager_lt, person_id=make_person().pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(ValidationError):
        transfer(
            manager_lt, placement_id=placed.pk, to_facility_id=full.pk, on_date=JULY, reason="x"
        )
    placed.refresh_from_db()
    assert placed.end_date is None and Placement.objects.count() == 1
    with pytest.raises(ValidationError, match="reason"):
        release(manager_lt, placement_id=placed.pk, on_date=JULY, reason="  ")


def test_managers_act_only_for_their_state(
    manager_pl: User,
    guard_lt: User,
    make_facility: MakeFacility,
    make_person: MakePerson,
) -> None:
    f = make_facility()
    p = make_person()
    with pytest.raises(ValidationError, match="does not exist"):  # LT's: as if missing
        place(manager_pl, person_id=p.pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(PermissionDenied):
        place(guard_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY)
    pl_facility = make_facility("PL")
    with pytest.raises(ValidationError, match="does not exist"):
        place(manager_pl, person_id=p.pk, facility_id=pl_facility.pk, start_date=JULY)
    with pytest.raises(ValidationError, match="registered in LT"):
        place(None, person_id=p.pk, facility_id=pl_facility.pk, start_date=JULY)


def test_closed_facility_takes_nobody(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility(opened_on=JULY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="not open"):
        place(manager_lt, person_id=make_person().pk, facility_id=f.pk, start_date=JULY)


def test_occupancy_is_derived_with_alerts(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility(
        capacity_single_men=10,
        capacity_single_women=0,
        capacity_families=0,
        capacity_unaccompanied_minors=0,
    )
    men = [make_person() for _ in range(10)]
    place_many(manager_lt, [PlacementRequest(m.pk, f.pk, JULY) for m in men[:9]])
    [o] = selectors.occupancy(manager_lt, JULY)
    assert (o.occupied, o.capacity, o.percent, o.alert) == (9, 10, 90.0, "")
    place(manager_lt, person_id=men[9].pk, facility_id=f.pk, start_date=JULY)
    [o] = selectors.occupancy(manager_lt, JULY)
    assert o.alert == "full" and "100 % full" in o.alerts[0]
    assert selectors.occupancy(manager_lt, JULY - dt.timedelta(days=1))[0].occupied == 0
    assert selectors.alert_level(91, 100) == "high"
    assert selectors.alert_level(90, 100) == ""


def test_series_and_geojson_follow_placements(
    manager_lt: User, manager_pl: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f = make_facility(latitude=54.98, longitude=25.74)
    make_facility("PL")
    a, b = make_person(), make_person()
    first = place(manager_lt, person_id=a.pk, facility_id=f.pk, start_date=JULY)
    place(manager_lt, person_id=b.pk, facility_id=f.pk, start_date=JULY + dt.timedelta(days=1))
    release(manager_lt, placement_id=first.pk, on_date=JULY + dt.timedelta(days=2), reason="x")
    series = selectors.occupancy_series(
        manager_lt, JULY - dt.timedelta(days=1), JULY + dt.timedelta(days=3)
    )
    [row] = series["facilities"]
    assert row["occupied"] == [0, 1, 2, 1, 1]
    assert series["total"]["occupied"] == [0, 1, 2, 1, 1]
    geo = selectors.occupancy_geojson(manager_lt, JULY + dt.timedelta(days=1))
    [feature] = geo["features"]
    assert feature["geometry"]["coordinates"] == [25.74, 54.98]
    assert feature["properties"]["occupied"] == 2
    assert feature["properties"]["capacity"] == f.capacity
    pl_geo = selectors.occupancy_geojson(manager_pl, JULY)
    assert [x["properties"]["member_state"] for x in pl_geo["features"]] == ["PL"]


def test_release_and_transfer_are_workflow_transitions_with_reasons(
    manager_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    assert {t.target for t in PLACEMENT.from_state("open")} == {"released", "transferred"}
    assert all(t.needs_reason for t in PLACEMENT.transitions)
    assert PLACEMENT.from_state("released") == () == PLACEMENT.from_state("transferred")
    f, g = make_facility(), make_facility()
    a, b = make_person(), make_person()
    first = place(manager_lt, person_id=a.pk, facility_id=f.pk, start_date=JULY)
    second = place(manager_lt, person_id=b.pk, facility_id=f.pk, start_date=JULY)
    assert first.status == "open"
    released = release(manager_lt, placement_id=first.pk, on_date=JULY, reason="asylum granted")
    [moved] = transfer(
        manager_lt, placement_id=second.pk, to_facility_id=g.pk, on_date=JULY, reason="medical"
    )
    second.refresh_from_db()
    assert (released.status, second.status, moved.status) == ("released", "transferred", "open")
    [row] = timeline(released)
    assert (row.source, row.target, row.reason, row.actor) == (
        "open",
        "released",
        "asylum granted",
        manager_lt,
    )
    assert [(r.target, r.reason) for r in timeline(second)] == [("transferred", "medical")]
    entry = AuditEntry.objects.get(action="reception.placement.release")
    assert entry.new_values is not None and entry.new_values["status"] == "released"
    assert entry.new_values["end_date"] == JULY.isoformat()


def test_remove_synthetic_placements_leaves_real_persons_alone(
    manager_lt: User, guard_lt: User, make_facility: MakeFacility, make_person: MakePerson
) -> None:
    f, g = make_facility(capacity_single_men=3), make_facility()
    demo, other_demo = make_person(), make_person()
    real = make_person(synthetic=False)
    for p in (demo, other_demo, real):
        place(None, person_id=p.pk, facility_id=f.pk, start_date=JULY)
    first = Placement.objects.get(person=demo)
    transfer(None, placement_id=first.pk, to_facility_id=g.pk, on_date=JULY, reason="x")
    removed = remove_synthetic_placements([demo.pk, other_demo.pk, real.pk])
    assert removed == 3  # demo's two stays (one transferred) and other_demo's
    assert list(Placement.objects.values_list("person_id", flat=True)) == [real.pk]
    entry = AuditEntry.objects.get(action="scenario.remove")
    assert entry.old_values == {"synthetic_placements": 3} and entry.member_state == "LT"
    place(None, person_id=demo.pk, facility_id=f.pk, start_date=JULY)
    with pytest.raises(PermissionDenied):
        remove_synthetic_placements([demo.pk], actor=guard_lt)
    assert remove_synthetic_placements([demo.pk], actor=manager_lt) == 1


def test_the_scenario_helpers_are_reception_services() -> None:
    from borderwatch.reception import scenario

    assert services.seed_facilities is scenario.seed_facilities
    assert services.place_arrivals is scenario.place_arrivals
