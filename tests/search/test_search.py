"""Search: persons by name in any script, reference and document; events by reference; every
result within the user's role and member state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.border.services import delete_event, report_event
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.registration import selectors, services
from borderwatch.registration.models import Person
from tests.border.conftest import event_input
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db


def _refs(user: User, query: str) -> set[str]:
    return {m.person.reference for m in selectors.search_persons(user, query)}


@pytest.fixture
def people(officer_lt: User, officer_pl: User) -> dict[str, Person]:
    return {
        "mohammed": new_person(officer_lt, "LT", name_transliterated="Mohammed Ali",
                               name_as_written="محمد علي"),
        "muhammad": new_person(officer_lt, "LT", name_transliterated="Muhammad Karimi",
                               name_as_written=""),
        "jose": new_person(officer_lt, "LT", name_transliterated="José Núñez", name_as_written=""),
        "pl": new_person(officer_pl, "PL", name_transliterated="Mohammed Ali",
                         name_as_written="محمد علي"),
    }  # fmt: skip


def test_names_in_any_script_transliterated_accents_case_prefix(
    officer_lt: User, people: dict[str, Person]
) -> None:
    mohammed, muhammad, jose = (people[k].reference for k in ("mohammed", "muhammad", "jose"))
    assert _refs(officer_lt, "محمد") == {mohammed, muhammad}
    assert _refs(officer_lt, "mohamad") == {mohammed, muhammad}
    assert _refs(officer_lt, "MOH ali") == {mohammed}  # each word the start of a name word
    assert _refs(officer_lt, "jose nunez") == {jose}
    assert _refs(officer_lt, "Nú") == {jose}
    assert _refs(officer_lt, "karimi muhammad") == {muhammad}
    assert _refs(officer_lt, "zzz") == set()
    # exact word starts rank before names that only sound alike
    first = selectors.search_persons(officer_lt, "Muhammad")[0]
    assert first.person.reference == muhammad and first.detail == ""


def test_reference_and_document_number(officer_lt: User, people: dict[str, Person]) -> None:
    person = people["mohammed"]
    services.add_document(officer_lt, person.pk, doc_type="passport", number="A1234567",
                          issuing_country="IQ")  # fmt: skip
    assert _refs(officer_lt, person.reference) == {person.reference}
    assert _refs(officer_lt, f"lt{person.pk}") == {person.reference}
    assert _refs(officer_lt, "a12345") == {person.reference}
    match = selectors.search_persons(officer_lt, "A1234567")[0]
    assert match.matched == "document" and "A1234567" in match.detail


def test_another_states_person_is_never_found(
    officer_lt: User, officer_pl: User, make_user: Callable[..., User],
    people: dict[str, Person],
) -> None:  # fmt: skip
    pl = people["pl"]
    assert pl.reference not in _refs(officer_lt, "Mohammed")
    assert _refs(officer_lt, pl.reference) == set()
    assert _refs(officer_pl, "Mohammed") == {pl.reference}
    for role in (Role.FRONTEX_ANALYST, Role.COMMISSION_VIEWER):
        assert _refs(make_user(role), "Mohammed") == set()
    assert not AuditEntry.objects.filter(action="registration.person.view").exists()


def test_search_keys_are_kept_by_the_services_and_refreshed(
    officer_lt: User, people: dict[str, Person]
) -> None:
    assert " ~mhmd " in people["mohammed"].search_key
    rows = [{"member_state": "LT", "name_transliterated": "Yusuf Haddad", "nationality": "SY",
             "eurodac_category": 2}]  # fmt: skip
    (bulk,) = services.bulk_create_persons(officer_lt, rows)
    assert _refs(officer_lt, "youssef") == {bulk.reference}
    Person.objects.update(search_key="")
    assert services.refresh_search_keys() == 5
    assert _refs(officer_lt, "محمد") == {people["mohammed"].reference, people["muhammad"].reference}
    assert AuditEntry.objects.filter(action="registration.person.search_keys").exists()


def test_search_page_and_api(
    border_data: None,
    guard_lt: User,
    officer_lt: User,
    frontex: User,
    guard_pl: User,
    client_for: Callable[[User], Client],
    people: dict[str, Person],
) -> None:
    event = report_event(guard_lt, event_input(ref="SCN-LT-20210828-001", persons=2,
                                               nationalities={"IQ": 2}))  # fmt: skip
    page = client_for(officer_lt).get("/search/?q=mohamad").content.decode()
    assert people["mohammed"].reference in page and people["pl"].reference not in page
    page = client_for(officer_lt).get("/search/?q=SCN-LT-20210828").content.decode()
    assert "SCN-LT-20210828-001" in page and f"/border/events/{event.pk}/" in page
    # EU-level: events, no persons
    body = client_for(frontex).get("/api/search", {"q": "SCN-LT"}).json()
    assert [e["ref"] for e in body["events"]] == ["SCN-LT-20210828-001"] and body["persons"] == []
    body = client_for(frontex).get("/api/search", {"q": "Mohammed"}).json()
    assert body["persons"] == []
    # another state's guard: neither LT's persons nor LT's events
    body = client_for(guard_pl).get("/api/search", {"q": "SCN-LT"}).json()
    assert body["events"] == []
    body = client_for(officer_lt).get("/api/search", {"q": "محمد"}).json()
    assert {p["reference"] for p in body["persons"]} == {
        people["mohammed"].reference, people["muhammad"].reference,
    }  # fmt: skip
    bad = client_for(officer_lt).get("/api/search", {"q": "x"})
    assert bad.status_code == 422 and "at least 2 characters" in str(bad.json()["detail"])
    assert client_for(officer_lt).get("/api/search", {"q": "x" * 101}).status_code == 422
    short = client_for(officer_lt).get("/search/?q=x")
    assert short.status_code == 422 and "at least 2 characters" in short.content.decode()
    assert Client().get("/api/search", {"q": "ali"}).status_code == 401
    assert Client().get("/search/?q=ali").status_code == 302  # to the login page


def test_a_different_name_with_the_same_consonants_is_not_offered(officer_lt: User) -> None:
    """Mahmoud shares "mhmd" with Mohammed, but is spelled too differently to be offered."""
    mahmoud = new_person(officer_lt, "LT", name_transliterated="Omar Mahmoud", name_as_written="")
    mohammed = new_person(officer_lt, "LT", name_transliterated="Mohammed Omar",
                          name_as_written="")  # fmt: skip
    assert _refs(officer_lt, "mohamad") == {mohammed.reference}
    assert mahmoud.reference in _refs(officer_lt, "mahmud")


@pytest.mark.parametrize("shortlist,dense", [(1000, 1000), (2, 1000), (2, 3)])
def test_events_by_reference_are_the_same_by_every_way_of_reading_them(
    border_data: None,
    guard_lt: User,
    guard_pl: User,
    frontex: User,
    monkeypatch: pytest.MonkeyPatch,
    shortlist: int,
    dense: int,
) -> None:
    """search_events reads few matches by id, more through a subquery and dense ones by
    walking the time index (thresholds made small here to take each way): the same events,
    newest first, within the user's scope, without the withdrawn ones, in every case."""
    monkeypatch.setattr(border_selectors, "SEARCH_SHORTLIST", shortlist)
    monkeypatch.setattr(border_selectors, "SEARCH_DENSE", dense)
    start = dt.datetime(2021, 7, 1, 12, tzinfo=dt.UTC)
    for day in range(6):
        when = start + dt.timedelta(days=day)
        report_event(guard_lt, event_input(ref=f"LT-ref-{day}", occurred_at=when))
        report_event(guard_pl, event_input("PL-BY-01", ref=f"PL-REF-{day}", occurred_at=when))
    withdrawn = report_event(guard_lt, event_input(ref="LT-ref-9", occurred_at=start))
    delete_event(guard_lt, withdrawn.pk, reason="duplicate")

    def refs(user: User, query: str, limit: int = 50) -> list[str]:
        return [e.ref for e in border_selectors.search_events(user, query, limit)]

    # newest first; at the same time the later report (PL's, the higher id) first
    assert refs(frontex, "ref-") == [
        ref for day in range(5, -1, -1) for ref in (f"PL-REF-{day}", f"LT-ref-{day}")
    ]
    assert refs(guard_lt, "REF") == [f"LT-ref-{d}" for d in range(5, -1, -1)]
    assert refs(guard_pl, "ref-3") == ["PL-REF-3"]
    assert refs(frontex, "ref", limit=3) == ["PL-REF-5", "LT-ref-5", "PL-REF-4"]
    assert refs(frontex, "ref-9") == [] and refs(frontex, "nothing") == []
