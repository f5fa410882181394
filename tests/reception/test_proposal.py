"""The day's arrivals, the optimiser's proposals (a saved record computed by a task, accepted by
its id) and the scenario helpers, on the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection, Event
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.models import AuditEntry
from borderwatch.reception import selectors
from borderwatch.reception.models import Facility, Placement, PlacementProposal
from borderwatch.reception.proposal import compute
from borderwatch.reception.services import (
    accept_proposal,
    place,
    place_arrivals,
    request_proposal,
    run_proposal,
    seed_facilities,
)
from borderwatch.reception.services import proposals as proposals_service
from borderwatch.reception.views import ROWS_PER_PAGE
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


def _proposed(actor: User, day: dt.date, capture: Callable[..., Any]) -> PlacementProposal:
    """Request a proposal and let its task run (ImmediateBackend) when the request commits."""
    with capture(execute=True):
        proposal = request_proposal(actor, day)
    proposal.refresh_from_db()
    return proposal


def test_proposal_places_the_days_arrivals_by_the_rules(
    reference: None,
    manager_lt: User,
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
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
    proposal = _proposed(manager_lt, JULY, django_capture_on_commit_callbacks)
    assert (proposal.status, proposal.progress, proposal.stage) == ("done", 100, "Done")
    assert proposal.requested_by == manager_lt and proposal.solver_status == "optimal"
    assert proposal.inputs["persons"] == 5 and proposal.inputs["facilities"] == 2
    chosen = {tuple(sorted(r.person_ids)): r.facility_id for r in proposal.rows.all()}
    assert chosen[(man.pk,)] == near.pk
    assert chosen[(woman.pk,)] == far.pk  # needs medical care
    assert chosen[tuple(sorted(p.pk for p in family))] == far.pk  # 3 do not fit in 2 places
    assert proposal.placed == 5
    assert not Placement.objects.exists()  # a proposal places nobody until accepted
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"reception.proposal.request", "reception.proposal.done"} <= actions
    # tomorrow nobody new: the proposal only holds those still unplaced
    assert compute("LT", JULY + dt.timedelta(days=1)).persons == 5


def test_officer_accepts_a_proposal_through_the_page_by_its_id(
    reference: None,
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    a = make_facility(latitude=54.4, longitude=25.0)
    [man] = _persons(_event("E2", JULY, 54.3, 25.1, 1), [{"sex": "M"}])
    client = client_for(manager_lt)
    assert "1 person awaiting placement" in client.get(f"/reception/arrivals/?day={JULY}").text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reception/proposals/", {"day": JULY.isoformat()})
    proposal = PlacementProposal.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/reception/proposals/{proposal.pk}/"
    )
    page = client.get(response["Location"]).text
    assert man.reference in page and a.name in page and 'id="accept"' in page
    accepted = client.post(f"/reception/proposals/{proposal.pk}/accept/")
    assert accepted.status_code == 302
    placement = Placement.objects.get(person=man)
    assert placement.facility == a and f"proposal #{proposal.pk}" in placement.reason
    proposal.refresh_from_db()
    assert proposal.accepted_by == manager_lt and proposal.accepted_at is not None
    entry = AuditEntry.objects.get(action="reception.proposal.accept")
    assert entry.object_id == str(proposal.pk) and entry.new_values is not None
    assert entry.new_values["proposal"] == proposal.pk and entry.new_values["placements"] == 1
    # accepting again is refused, clearly, and places nobody twice
    again = client.post(f"/reception/proposals/{proposal.pk}/accept/", follow=True)
    assert "already accepted" in again.text
    assert Placement.objects.count() == 1


BUSY_DAY = 1_100  # 2021-08-31 had 2,158 arrivals; the old form posted 4 fields per row


def test_a_busy_days_proposal_is_accepted_through_the_page_posting_one_field(
    reference: None,
    manager_lt: User,
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    big = make_facility(capacity_single_men=BUSY_DAY + 50, capacity_single_women=50)
    event = _event("BUSY", JULY, 54.3, 25.1, BUSY_DAY)
    _persons(event, [{"sex": "M"} for _ in range(BUSY_DAY)])
    proposal = _proposed(manager_lt, JULY, django_capture_on_commit_callbacks)
    assert proposal.rows.count() == BUSY_DAY > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager_lt)
    page = client.get(f"/reception/proposals/{proposal.pk}/").text
    form = re.search(r'<form[^>]*id="accept-form".*?</form>', page, re.S)
    assert form is not None
    fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form.group(0))
    assert len(fields) == 1 and 'name="csrfmiddlewaretoken"' in fields[0]
    token = re.search(r'value="([^"]+)"', fields[0])
    assert token is not None
    response = client.post(
        f"/reception/proposals/{proposal.pk}/accept/", {"csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    assert Placement.objects.filter(facility=big).count() == BUSY_DAY
    # the rows are paged: the page never lists thousands of rows at once
    assert page.count("<tr data-row=") == ROWS_PER_PAGE


def test_a_stale_proposal_is_refused_whole(
    reference: None,
    manager_lt: User,
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    f = make_facility()
    first, second = _persons(_event("E3", JULY, 54.3, 25.1, 2), [{"sex": "M"}, {"sex": "F"}])
    proposal = _proposed(manager_lt, JULY, django_capture_on_commit_callbacks)
    place(manager_lt, person_id=first.pk, facility_id=f.pk, start_date=JULY, reason="by hand")
    with pytest.raises(ValidationError, match=rf"out of date: person #{first.pk} was placed"):
        accept_proposal(manager_lt, proposal.pk)
    assert not Placement.objects.filter(person=second).exists()
    proposal.refresh_from_db()
    assert proposal.accepted_at is None


def test_a_failed_run_is_recorded_and_shown(
    reference: None,
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    make_facility()
    _persons(_event("E4", JULY, 54.3, 25.1, 1), [{"sex": "M"}])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(proposals_service, "compute", broken)
    proposal = _proposed(manager_lt, JULY, django_capture_on_commit_callbacks)
    assert (proposal.status, proposal.error, proposal.stage) == ("failed", "RuntimeError", "Failed")
    assert AuditEntry.objects.filter(action="reception.proposal.failed").exists()
    page = client_for(manager_lt).get(f"/reception/proposals/{proposal.pk}/").text
    assert "The optimiser failed (RuntimeError)" in page
    with pytest.raises(ValidationError, match="is failed"):
        accept_proposal(manager_lt, proposal.pk)


def test_a_duplicated_task_is_a_no_op_and_progress_polls_until_done(
    reference: None,
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
) -> None:
    make_facility()
    _persons(_event("E5", JULY, 54.3, 25.1, 1), [{"sex": "M"}])
    proposal = request_proposal(manager_lt, JULY)  # on_commit never fires: still queued
    client = client_for(manager_lt)
    polling = client.get(f"/reception/proposals/{proposal.pk}/progress/").text
    assert 'hx-trigger="every 1s"' in polling and 'data-status="queued"' in polling
    run_proposal(proposal.pk)
    run_proposal(proposal.pk)
    assert proposal.rows.count() == 1
    done = client.get(f"/reception/proposals/{proposal.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.text and done["HX-Refresh"] == "true"


def test_other_states_proposals_do_not_exist(
    reference: None,
    manager_lt: User,
    manager_pl: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    make_facility()
    _persons(_event("E6", JULY, 54.3, 25.1, 1), [{"sex": "M"}])
    proposal = _proposed(manager_lt, JULY, django_capture_on_commit_callbacks)
    assert client_for(manager_pl).get(f"/reception/proposals/{proposal.pk}/").status_code == 404
    with pytest.raises(PlacementProposal.DoesNotExist):
        accept_proposal(manager_pl, proposal.pk)
    assert not Placement.objects.exists()


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
