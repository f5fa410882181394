"""The audit trail viewer: scope by role and state, filters, keyset pages, bad input, the CSV
export, and an EU-level reader's reads recorded in the states' own trails."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from borderwatch.accounts.models import User
from borderwatch.audit import selectors, services
from borderwatch.audit.selectors import Filters
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from tests.test_personal_data_matrix import World

pytestmark = pytest.mark.django_db


def _officer(state: str) -> User:
    return User.objects.get(username=f"w.officer.{state.lower()}")


def _pl_reads_the_hit(world: World, client_for: Callable[[User], Client]) -> None:
    """Poland's officer opens the confirmed hit: a read of Lithuania's record, filed under LT."""
    assert client_for(_officer("PL")).get(f"/api/registration/hits/{world.hit}").status_code == 200


def _users(page: selectors.Page) -> set[str]:
    return {r.user for r in page.rows}


def test_a_coordinator_reads_their_states_trail_with_other_states_reads(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    _pl_reads_the_hit(world, client_for)
    page = selectors.page(coordinator_lt)
    assert {r.member_state for r in page.rows} == {"LT"}
    assert "w.officer.lt" in _users(page) and "w.officer.pl" in _users(page)
    pl_read = next(r for r in page.rows if r.user == "w.officer.pl")
    assert (pl_read.action, pl_read.object_id, pl_read.user_state, pl_read.kind) == (
        Action.HIT_VIEW, str(world.hit), "PL", "read",
    )  # fmt: skip
    # Poland's own writes (its person's registration) are not Lithuania's to read
    assert not any(r.action == Action.PERSON_CREATE and r.user == "w.officer.pl" for r in page.rows)
    # a coordinator reading their own state's trail is no cross-state read
    assert not AuditEntry.objects.filter(action=Action.AUDIT_VIEW).exists()


def test_filters_by_user_action_object_state_and_period(
    world: World, coordinator_lt: User, frontex: User
) -> None:
    officer = _officer("LT")
    by_user = selectors.page(coordinator_lt, Filters(user="w.officer.lt"))
    assert _users(by_user) == {"w.officer.lt"}
    by_action = selectors.page(coordinator_lt, Filters(action=Action.DOCUMENT_CREATE))
    assert [r.action for r in by_action.rows] == [Action.DOCUMENT_CREATE]
    person = Filters(object_type="registration.Person", object_id=str(world.lt_person))
    rows = selectors.page(coordinator_lt, person).rows
    assert {(r.object_type, r.object_id) for r in rows} == {
        ("registration.Person", str(world.lt_person))
    }
    assert {r.action for r in rows} >= {Action.PERSON_CREATE, Action.PERSON_PHOTO}
    by_state = selectors.page(frontex, Filters(state="PL"))
    assert by_state.rows and {r.member_state for r in by_state.rows} == {"PL"}
    # the period: an entry of 2021 is found by a period of 2021 only
    old = audit.record(officer, Action.EVENT_REPORT, object_type="border.Event", object_id=7,
                       member_state="LT")  # fmt: skip
    AuditEntry.objects.filter(pk=old.pk).update(at=dt.datetime(2021, 8, 1, 12, tzinfo=dt.UTC))
    july = Filters(start=dt.date(2021, 7, 1), end=dt.date(2021, 8, 1))
    assert [r.id for r in selectors.page(coordinator_lt, july).rows] == [old.pk]
    assert selectors.page(coordinator_lt, Filters(end=dt.date(2021, 7, 31))).rows == []
    assert old.pk not in {r.id for r in selectors.page(coordinator_lt, Filters(
        start=dt.date(2021, 8, 2))).rows}  # fmt: skip


def test_pages_by_keyset_in_the_database_never_the_whole_trail(coordinator_lt: User) -> None:
    rows = [audit.Entry(coordinator_lt, member_state="LT", new={"n": i}) for i in range(130)]
    audit.record_many(coordinator_lt, Action.USER_LANGUAGE, rows)
    ids = sorted(AuditEntry.objects.filter(member_state="LT").values_list("pk", flat=True))[::-1]
    with CaptureQueriesContext(connection) as queries:
        first = selectors.page(coordinator_lt, limit=50)
    reads = [q["sql"] for q in queries.captured_queries if "accounts_auditentry" in q["sql"]]
    assert all("LIMIT" in sql.upper() for sql in reads), reads
    assert len(queries.captured_queries) <= 3  # the page, and whether older/newer ones exist
    assert [r.id for r in first.rows] == ids[:50] and first.newer is None
    second = selectors.page(coordinator_lt, before=first.older, limit=50)
    assert [r.id for r in second.rows] == ids[50:100]
    last = selectors.page(coordinator_lt, before=second.older, limit=50)
    assert [r.id for r in last.rows] == ids[100:] and last.older is None
    back = selectors.page(coordinator_lt, after=second.newer, limit=50)
    assert [r.id for r in back.rows] == ids[:50] and back.newer is None


def test_roles_without_the_capability_are_refused(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    for role in (Role.BORDER_GUARD, Role.REGISTRATION_OFFICER, Role.COMMISSION_VIEWER):
        client = client_for(make_user(role, "LT"))
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/export.csv").status_code == 403
        assert client.get("/api/audit/entries").status_code == 403


def test_an_analysts_reads_are_recorded_in_each_states_trail(
    world: World, frontex: User, coordinator_lt: User
) -> None:
    page = selectors.page(frontex, limit=200)
    assert {"LT", "PL"} <= {r.member_state for r in page.rows}
    noted = {e.member_state: e for e in AuditEntry.objects.filter(action=Action.AUDIT_VIEW)}
    assert set(noted) == {r.member_state for r in page.rows if r.member_state}
    lt_ids = [r.id for r in page.rows if r.member_state == "LT"]
    assert noted["LT"].new_values == {"entries": lt_ids}
    assert noted["LT"].actor == frontex and noted["LT"].object_type == "core.AuditEntry"
    # Lithuania's coordinator sees that the analyst read its entries
    seen = selectors.page(coordinator_lt, Filters(action=Action.AUDIT_VIEW)).rows
    assert [(r.user, r.user_state) for r in seen] == [(frontex.username, "")]


def test_the_page_filters_and_names_bad_input(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    html = client.get("/audit/", {"user": "w.officer.lt"}).content.decode()
    assert "w.officer.lt" in html and "registration.document.create" in html
    assert "/audit/export.csv?user=w.officer.lt" in html
    bad_date = client.get("/audit/", {"start": "2021-13-40"})
    assert bad_date.status_code == 422
    assert "From: enter a date as YYYY-MM-DD." in bad_date.content.decode()
    assert 'id="audit-entries"' not in bad_date.content.decode()  # no rows under bad filters
    backwards = client.get("/audit/", {"start": "2021-08-02", "end": "2021-08-01"})
    assert backwards.status_code == 422
    assert "To: the period ends (2021-08-01) before it starts (2021-08-02)." in (
        backwards.content.decode()
    )
    ancient = client.get("/audit/", {"start": "0001-01-01"})
    assert ancient.status_code == 422 and "From: a date from 2000-01-01" in ancient.content.decode()
    unknown = client.get("/audit/", {"action": "no.such.action"})
    assert unknown.status_code == 422
    other_state = client.get("/audit/", {"state": "PL"})  # a coordinator's choice is their own
    assert other_state.status_code == 422
    nul = client.get("/audit/", {"user": "a\x00b"})  # refused before the view (config.middleware)
    assert nul.status_code == 400 and b"query parameter user" in nul.content
    for cursor in ("²", "-1", "9" * 40, "x"):  # not an entry number: the first page
        assert client.get("/audit/", {"before": cursor}).status_code == 200


def test_the_navigation_links_the_trail_for_its_readers_only(
    coordinator_lt: User,
    frontex: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    assert 'href="/audit/"' in client_for(coordinator_lt).get("/").content.decode()
    assert 'href="/audit/"' in client_for(frontex).get("/").content.decode()
    guard = make_user(Role.BORDER_GUARD, "LT")
    assert 'href="/audit/"' not in client_for(guard).get("/").content.decode()


def _csv(response: object) -> list[dict[str, str]]:
    body = b"".join(response).decode()  # type: ignore[call-overload]
    return list(csv.DictReader(io.StringIO(body)))


def test_the_csv_export_streams_the_filtered_scope_and_is_audited(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    _pl_reads_the_hit(world, client_for)
    client = client_for(coordinator_lt)
    response = client.get("/audit/export.csv", {"user": "w.officer.pl"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    expected = selectors.page(coordinator_lt, Filters(user="w.officer.pl"), limit=200).rows
    assert [int(r["entry"]) for r in rows] == [e.id for e in expected] and rows
    assert set(rows[0]) == {
        "entry",
        "at",
        "user",
        "user_state",
        "action",
        "kind",
        "object_type",
        "object_id",
        "member_state",
    }  # fmt: skip  (the page's columns: no old or new values)
    assert {(r["user"], r["member_state"]) for r in rows} == {("w.officer.pl", "LT")}
    (noted,) = AuditEntry.objects.filter(action=Action.AUDIT_EXPORT)
    assert (noted.actor, noted.member_state) == (coordinator_lt, "LT")
    assert noted.new_values == {"filters": {"user": "w.officer.pl"}}
    everything = _csv(client.get("/audit/export.csv"))
    assert {r["member_state"] for r in everything} == {"LT"}
    refused = client.get("/audit/export.csv", {"end": "yesterday"})
    assert refused.status_code == 422 and "To: enter a date as YYYY-MM-DD." in (
        refused.content.decode()
    )
    assert AuditEntry.objects.filter(action=Action.AUDIT_EXPORT).count() == 2


def test_an_analysts_export_is_filed_under_every_state_it_holds(
    world: World, frontex: User
) -> None:
    services.note_export(frontex, Filters())
    noted = AuditEntry.objects.filter(action=Action.AUDIT_EXPORT, actor=frontex)
    assert {e.member_state for e in noted} == {"LT", "PL"}
    rows = list(selectors.export_rows(frontex, Filters(state="PL")))
    assert rows and {r.member_state for r in rows} == {"PL"}
