"""The day's arrivals, the optimiser's proposal and the scenario helpers, on the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection, Event
from borderwatch.border.services import ensure_reference_data
from borderwatch.reception import selectors
from borderwatch.reception.models import Facility, Placement
from borderwatch.reception.proposal import propose_for_day
from borderwatch.reception.scenario import place_arrivals, seed_facilities
from borderwatch.registration.models import Person
from borderwatch.registration.services import bulk_create_persons
from tests.reception.conftest import JULY

pytestmark = pytest.mark.django_db
MakeFacility = Callable[..., Facility]


def _event(ref: str, day: dt.date, lat: float, lon: float, persons: int) -> Event:
    section = BorderSection.objects.filter(country_id="LT").first()
    assert section is not None
    return Event.objects.create(
        country_id="LT",
        section=section,
        event_type="apprehension",
        occurred_at=dt.datetime(day.year, day.month, day.day, 22, tzinfo=dt.UTC),
        local_date=day,
        latitude=lat,
        longitude=lon,
        persons=persons,
        source="patrol",
        reporting_unit="test",
        ref=ref,
        synthetic=True,
    )


def _persons(event: Event, rows: list[dict[str, object]]) -> list[Person]:
    base = {
        "member_state": "LT",
        "name_transliterated": "Synthetic",
        "nationality": "IQ",
        "eurodac_category": 2,
        "synthetic": True,
        "apprehension_event": event,
    }
    return bulk_create_persons(None, [{**base, **r} for r in rows])


@pytest.fixture
def reference(db: None) -> None:
    ensure_reference_data()


def test_proposal_places_the_days_arrivals_by_the_rules(
    reference: None, manager_lt: User, make_facility: MakeFacility
) -> None:
    near = make_facility(latitude=54.4, longitude=25.0, capacity_families=2, medical=False)
    far = make_facility(latitude=55.5, longitude=24.0, capacity_families=6, medical=True)
    event = _event("E1", JULY, 54.3, 25.1, 5)
    man, woman, *family = _persons(
        event,
        [
            {"sex": "M"},
            {"sex": "F", "pregnancy": True},
            {"sex": "F", "household": "H1"},
            {"sex": "M", "household": "H1"},
            {"sex": "M", "minor": True, "household": "H1"},
        ],
    )
    proposal = propose_for_day(manager_lt, JULY, "LT")
    chosen = {tuple(sorted(p.pk for p in g.persons)): g.facility_id for g in proposal.groups}
    assert chosen[(man.pk,)] == near.pk
    assert chosen[(woman.pk,)] == far.pk  # needs medical care
    assert chosen[tuple(sorted(p.pk for p in family))] == far.pk  # 3 do not fit in 2 places
    assert proposal.placed == 5
    # tomorrow nobody new: the proposal only holds those still unplaced
    assert propose_for_day(manager_lt, JULY + dt.timedelta(days=1), "LT").persons == 5


def test_officer_accepts_an_edited_proposal_through_the_page(
    reference: None,
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
) -> None:
    a = make_facility(latitude=54.4, longitude=25.0)
    b = make_facility(latitude=55.0, longitude=24.0)
    [man] = _persons(_event("E2", JULY, 54.3, 25.1, 1), [{"sex": "M"}])
    key = f"p{man.pk}"
    response = client_for(manager_lt).post(
        "/reception/arrivals/",
        {
            "day": JULY.isoformat(),
            "group": [key],
            f"persons_{key}": str(man.pk),
            f"proposed_{key}": str(a.pk),
            f"facility_{key}": str(b.pk),
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(person=man)
    assert placement.facility == b and "edited" in placement.reason


def test_seed_facilities_is_idempotent() -> None:
    first = seed_facilities(None)
    again = seed_facilities(None)
    assert [f.pk for f in first] == [f.pk for f in again]
    names = {f.name for f in first}
    assert "Foreigners' Registration Centre, Pabradė" in names
    assert "Refugees Reception Centre, Rukla" in names
    assert {f.member_state for f in first} == {"LT", "LV", "PL"}
    assert all(f.source_note for f in first)


def test_place_arrivals_fills_near_capacity_and_waits_with_the_rest(
    reference: None, manager_lt: User
) -> None:
    seed_facilities(None)
    rows: list[dict[str, object]] = []
    for day in range(1, 11):
        event = _event(f"S{day}", dt.date(2021, 7, day), 54.4, 25.2, 1)
        rows = [{"sex": "M", "apprehension_event": event} for _ in range(120)]
        rows += [{"sex": "F", "household": f"H{day}-{i}"} for i in range(5)]
        rows += [{"sex": "M", "minor": True, "household": f"H{day}-{i}"} for i in range(5)]
        _persons(event, rows)
    everyone = list(Person.objects.filter(member_state="LT"))
    summary = place_arrivals(None, everyone)
    assert summary.placed + summary.waiting == len(everyone) == 1300
    assert summary.waiting > 0
    assert summary.waiting_by_rule
    day = dt.date(2021, 7, 10)
    for o in selectors.occupancy(manager_lt, day, "LT"):
        for c in o.categories:
            assert c.occupied <= c.capacity
    men = [
        c
        for o in selectors.occupancy(manager_lt, day, "LT")
        for c in o.categories
        if c.category == "single_men"
    ]
    assert sum(c.occupied for c in men) >= 0.95 * 0.97 * sum(c.capacity for c in men)
    # families stayed together
    for household in {p.household for p in everyone if p.household}:
        homes = set(
            Placement.objects.filter(person__household=household).values_list("facility", flat=True)
        )
        assert len(homes) <= 1
