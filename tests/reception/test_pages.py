"""The reception pages as a reception manager reads them: arrivals paged and recognisable, the
facility's placed persons, the overview's headline, and the day shown by default."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection, Event
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.roles import Role
from borderwatch.reception import selectors
from borderwatch.reception.models import Facility, ProposedPlacement
from borderwatch.reception.services import place
from borderwatch.registration.models import Person
from borderwatch.registration.services import bulk_create_persons

pytestmark = pytest.mark.django_db
MakeFacility = Callable[..., Facility]
AUG31 = dt.date(2021, 8, 31)


@pytest.fixture(autouse=True)
def reference(db: None) -> None:
    ensure_reference_data()


def event(day: dt.date, ref: str, state: str = "LT") -> Event:
    section = BorderSection.objects.filter(country_id=state).first()
    assert section is not None
    return Event.objects.create(
        country_id=state,
        section=section,
        event_type="apprehension",
        occurred_at=dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC),
        local_date=day,
        latitude=54.3,
        longitude=25.1,
        persons=1,
        source="patrol",
        reporting_unit="test",
        ref=ref,
        synthetic=True,
    )


def persons(day: dt.date, n: int, state: str = "LT", **values: Any) -> list[Person]:
    base = {
        "member_state": state,
        "name_transliterated": "Ahmed Karimi",
        "nationality": "IQ",
        "eurodac_category": 2,
        "sex": "M",
        "synthetic": True,
        "apprehension_event": event(day, f"E{day:%m%d}{state}{Event.objects.count()}", state),
    }
    return bulk_create_persons(None, [{**base, **values} for _ in range(n)])


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def rows_of(page: str, table_id: str) -> list[str]:
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr data-person=\"(\d+)\"", body)


# ---- 1. arrivals: paged, recognisable, longest waiting and vulnerable first ------------------


def test_arrivals_are_paged_with_counts(
    manager_lt: User, client_for: Callable[[User], Client]
) -> None:
    persons(AUG31, 130)
    client = client_for(manager_lt)
    first = html(client, "/reception/arrivals/?day=2021-08-31")
    assert len(rows_of(first, "awaiting")) == 100
    assert "Persons 1\u2013100 of 130" in first
    second = html(client, "/reception/arrivals/?day=2021-08-31&page=2")
    assert len(rows_of(second, "awaiting")) == 30
    assert "Persons 101\u2013130 of 130" in second


def test_arrivals_show_persons_as_a_manager_recognises_them(
    manager_lt: User, client_for: Callable[[User], Client]
) -> None:
    [mother] = persons(
        dt.date(2021, 8, 20),
        1,
        name_transliterated="Zainab Hassan",
        sex="F",
        nationality="SY",
        household="H-7",
        pregnancy=True,
        date_of_birth=dt.date(1995, 3, 2),
    )
    persons(dt.date(2021, 8, 20), 1, household="H-7", name_transliterated="Omar Hassan")
    page = html(client_for(manager_lt), "/reception/arrivals/?day=2021-08-31")
    row = page.split(f'<tr data-person="{mother.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f"LT{mother.pk:010d}" in row
    assert "Zainab Hassan" in row
    assert "Female" in row
    assert ">26<" in row  # age on the day
    assert "Syria" in row
    assert ">2<" in row  # household size
    assert "pregnancy" in row
    assert "11 days" in row
    assert f"#{mother.pk}" not in page


def test_arrivals_put_the_vulnerable_and_longest_waiting_first(
    manager_lt: User, client_for: Callable[[User], Client]
) -> None:
    recent = persons(AUG31, 3)
    [early] = persons(dt.date(2021, 8, 10), 1)
    [minor] = persons(AUG31, 1, minor=True, unaccompanied_minor=True)
    client = client_for(manager_lt)
    order = rows_of(html(client, "/reception/arrivals/?day=2021-08-31"), "awaiting")
    assert order[:2] == [str(minor.pk), str(early.pk)]
    by_wait = rows_of(html(client, "/reception/arrivals/?day=2021-08-31&order=waiting"), "awaiting")
    assert by_wait[0] == str(early.pk)
    assert set(by_wait[1:]) == {str(p.pk) for p in [*recent, minor]}


def test_arrivals_page_queries_do_not_grow_with_rows(
    manager_lt: User, client_for: Callable[[User], Client], make_facility: MakeFacility
) -> None:
    make_facility()
    client = client_for(manager_lt)
    persons(AUG31, 3, household="H-1")
    with CaptureQueriesContext(connection) as few:
        html(client, "/reception/arrivals/?day=2021-08-31")
    persons(AUG31, 90, household="H-2")
    persons(AUG31, 7)
    with CaptureQueriesContext(connection) as many:
        assert len(rows_of(html(client, "/reception/arrivals/?day=2021-08-31"), "awaiting")) == 100
    assert len(many) == len(few)


def test_arrivals_refuse_other_roles_and_list_only_the_own_state(
    manager_lt: User,
    frontex: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    persons(AUG31, 2, state="PL")
    assert client_for(frontex).get("/reception/arrivals/").status_code == 403
    guard = make_user(Role.BORDER_GUARD, "LT")
    assert client_for(guard).get("/reception/arrivals/").status_code == 403
    page = html(client_for(manager_lt), "/reception/arrivals/?day=2021-08-31")
    assert 'id="awaiting"' not in page
    assert "Nobody is awaiting placement" in page
    manager_pl = make_user(Role.RECEPTION_MANAGER, "PL")
    page = html(client_for(manager_pl), "/reception/arrivals/?day=2021-08-31")
    assert len(rows_of(page, "awaiting")) == 2


# ---- the facility page and the proposal page show persons, not ids ---------------------------


def test_facility_page_shows_placed_persons_paged_without_more_queries(
    manager_lt: User, client_for: Callable[[User], Client], make_facility: MakeFacility
) -> None:
    big = make_facility(capacity_single_men=200)
    [first, *rest] = persons(AUG31, 3, name_transliterated="Reza Ahmadi", nationality="AF")
    for p in [first, *rest]:
        place(None, person_id=p.pk, facility_id=big.pk, start_date=AUG31)
    client = client_for(manager_lt)
    url = f"/reception/facilities/{big.pk}/?day=2021-09-02"
    with CaptureQueriesContext(connection) as few:
        page = html(client, url)
    row = page.split(f'<tr data-person="{first.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f"LT{first.pk:010d}" in row
    assert "Reza Ahmadi" in row
    assert "Afghanistan" in row
    assert "2 days" in row
    assert f"#{first.pk}" not in page
    for p in persons(AUG31, 120):
        place(None, person_id=p.pk, facility_id=big.pk, start_date=AUG31)
    with CaptureQueriesContext(connection) as many:
        page = html(client, url)
    assert len(rows_of(page, "placed")) == 100
    assert "Placed on 2021-09-02: 1\u2013100 of 123" in page
    assert len(many) == len(few)


def save_rows_unplaced_first(proposal_id: int) -> None:
    """Save a proposal's rows again, the unplaced ones first (lowest ids), so that a page
    listing rows in saving order would show them first: the page must order them itself."""
    rows = list(ProposedPlacement.objects.filter(proposal_id=proposal_id))
    ProposedPlacement.objects.filter(proposal_id=proposal_id).delete()
    for row in rows:
        row.pk = None
    rows.sort(key=lambda r: r.facility_id is not None)
    ProposedPlacement.objects.bulk_create(rows)


def test_proposal_rows_put_the_placed_first_and_name_the_persons(
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    make_facility(capacity_single_men=1, capacity_single_women=0, name="Only Centre")
    men = persons(AUG31, 3, name_transliterated="Ali Rahimi")
    client = client_for(manager_lt)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reception/proposals/", {"day": "2021-08-31"})
    save_rows_unplaced_first(int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    page = html(client, response["Location"])
    table = page.split('id="proposal-rows"', 1)[1]
    facilities = re.findall(r'<td class="facility">([^<]*)</td>', table)
    assert facilities == ["Only Centre", "not now", "not now"]
    assert "Ali Rahimi" in table
    assert f"LT{men[0].pk:010d}" in table
    assert f"#{men[0].pk}" not in table


# ---- 2. the overview leads with the unplaced ------------------------------------------------


def test_overview_leads_with_the_unplaced_and_what_could_open(
    manager_lt: User, client_for: Callable[[User], Client], make_facility: MakeFacility
) -> None:
    full = make_facility(
        name="Full Centre", capacity_single_men=2, capacity_single_women=1, capacity_families=0
    )
    make_facility(
        name="Later Shelter",
        kind="temporary_shelter",
        capacity_single_men=300,
        opened_on=dt.date(2021, 9, 17),
    )
    for p in persons(dt.date(2021, 8, 1), 2) + persons(dt.date(2021, 8, 1), 1, sex="F"):
        place(None, person_id=p.pk, facility_id=full.pk, start_date=dt.date(2021, 8, 1))
    persons(dt.date(2021, 8, 21), 5)
    persons(dt.date(2021, 8, 29), 2)
    persons(AUG31, 2)
    page = html(client_for(manager_lt), "/reception/?day=2021-08-31")
    headline = page.split('id="unplaced"', 1)[1].split("</section>", 1)[0]
    assert "9 persons awaiting a place" in headline
    assert "longest 10 days" in headline
    assert "median 10 days" in headline
    assert re.search(r"Single men.*?9.*?0.*?9", headline, re.S)
    assert "Full Centre" in headline  # estimated capacity that could be raised
    assert "Later Shelter" in headline and "2021-09-17" in headline
    assert page.index('id="unplaced"') < page.index('id="facilities"')
    alerts = page.split('id="facility-alerts"', 1)[1].split("</ul>", 1)[0]
    assert alerts.count("<li") == 1
    assert "single men 100 % (2/2)" in alerts and "single women 100 % (1/1)" in alerts


def test_overview_counts_for_eu_roles_without_persons(
    frontex: User, client_for: Callable[[User], Client], make_facility: MakeFacility
) -> None:
    make_facility(capacity_single_men=0)
    [p] = persons(AUG31, 1, name_transliterated="Nobody Should See")
    page = html(client_for(frontex), "/reception/?day=2021-08-31")
    assert "1 persons awaiting a place" in page or "1 person awaiting a place" in page
    assert "Nobody Should See" not in page and f"LT{p.pk:010d}" not in page


# ---- 3. the day shown by default ---------------------------------------------------------------


def test_pages_default_to_the_latest_day_with_data_and_say_so(
    manager_lt: User, client_for: Callable[[User], Client], make_facility: MakeFacility
) -> None:
    facility = make_facility()
    persons(dt.date(2021, 8, 20), 1)
    [placed] = persons(dt.date(2021, 8, 25), 1)
    place(None, person_id=placed.pk, facility_id=facility.pk, start_date=dt.date(2021, 8, 27))
    persons(dt.date(2021, 8, 26), 1, state="PL")  # not visible to LT: does not count
    assert selectors.latest_day(manager_lt) == dt.date(2021, 8, 27)
    client = client_for(manager_lt)
    for url in ["/reception/", "/reception/arrivals/", f"/reception/facilities/{facility.pk}/"]:
        page = html(client, url)
        assert 'value="2021-08-27"' in page, url
        assert "latest day with arrivals or placements" in page, url


def test_a_day_that_is_not_a_date_is_named_and_changes_nothing(
    manager_lt: User, client_for: Callable[[User], Client]
) -> None:
    persons(dt.date(2021, 8, 20), 1)
    page = html(client_for(manager_lt), "/reception/arrivals/?day=2021-13-45")
    assert "2021-13-45" in page and "not a date" in page
    assert 'value="2021-08-20"' in page
