"""One person: the access log (who read or changed the person's records), the summary on the
person's page, the data-subject access document (page, JSON, API; audited as a write), and
rectification by the owning state only. Another state's person answers like a missing one."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import numpy as np
import pytest
from django.test import Client
from PIL import Image

from borderwatch.accounts.models import User
from borderwatch.audit import selectors, services
from borderwatch.border.services import report_event
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.registration.models import Document, Person
from borderwatch.registration.services import delete_document
from tests.border.conftest import event_input
from tests.registration.conftest import new_person
from tests.test_personal_data_matrix import World

pytestmark = pytest.mark.django_db


def _officer(state: str) -> User:
    return User.objects.get(username=f"w.officer.{state.lower()}")


def _pl_reads_the_hit(world: World, client_for: Callable[[User], Client]) -> None:
    assert client_for(_officer("PL")).get(f"/api/registration/hits/{world.hit}").status_code == 200


def _produced() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.AUDIT_SUBJECT_ACCESS).order_by("pk"))


def test_the_access_log_holds_the_persons_records_and_nobody_elses(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    _pl_reads_the_hit(world, client_for)
    doc = Document.objects.filter(person_id=world.lt_person).get()
    delete_document(_officer("LT"), doc.pk, reason="entered twice")
    person, page = selectors.person_log(coordinator_lt, world.lt_person)
    assert person.pk == world.lt_person
    seen = {(r.action, r.object_type) for r in page.rows}
    assert {
        (Action.PERSON_CREATE, "registration.Person"),
        (Action.PERSON_PHOTO, "registration.Person"),
        (Action.DOCUMENT_CREATE, "registration.Document"),
        (Action.DOCUMENT_DELETE, "registration.Document"),  # found by its old values
        (Action.PLACEMENT_CREATE, "reception.Placement"),
        (Action.HIT_VIEW, "registration.Hit"),  # Poland's read of the person's record
    } <= seen
    # the other Lithuanian person's registration is not in this person's log
    other = {r.object_id for r in page.rows if r.object_type == "registration.Person"}
    assert other == {str(world.lt_person)}
    summary = selectors.person_access_summary(coordinator_lt, world.lt_person)
    assert summary.entries == len(page.rows)
    assert [(r.user, r.state, r.reads) for r in summary.recipients] == [("w.officer.pl", "PL", 1)]


def test_the_access_log_is_the_owning_coordinators(
    world: World,
    coordinator_lt: User,
    coordinator_pl: User,
    frontex: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    url = f"/audit/persons/{world.lt_person}/"
    page = client_for(coordinator_lt).get(url)
    assert page.status_code == 200 and world.lt_reference in page.content.decode()
    assert client_for(coordinator_pl).get(url).status_code == 404
    assert client_for(coordinator_pl).get("/audit/persons/999999/").status_code == 404
    assert client_for(frontex).get(url).status_code == 403  # sees no persons, whichever
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    assert client_for(officer).get(url).status_code == 403


def test_the_persons_page_links_its_log_for_the_coordinator_only(
    world: World,
    coordinator_lt: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    _pl_reads_the_hit(world, client_for)
    url = f"/registration/persons/{world.lt_person}/"
    html = client_for(coordinator_lt).get(url).content.decode()
    assert f'href="/audit/persons/{world.lt_person}/"' in html
    assert "Read by 1 user outside the member state (states: PL)." in html
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    assert "/audit/persons/" not in client_for(officer).get(url).content.decode()


def _person_with_event(border_data: None, make_user: Callable[..., User]) -> Person:
    guard = make_user(Role.BORDER_GUARD, "LT")
    event = report_event(guard, event_input(persons=2, nationalities={"IQ": 2}))
    officer = make_user(Role.REGISTRATION_OFFICER, "LT", username="officer.druskininkai")
    return new_person(officer, "LT", apprehension_event_id=event.pk, household="H-7")


def test_the_document_holds_data_sources_and_recipients(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    _pl_reads_the_hit(world, client_for)
    record = services.produce_subject_access(coordinator_lt, world.lt_person, "html")
    assert record.person.reference == world.lt_reference
    assert record.person.name_transliterated == "Ali Hassan" and record.person.has_photo
    assert record.registration.registered_by == "w.officer.lt"
    assert record.registration.registered_by_state == "LT"
    assert [(d.doc_type, d.number) for d in record.documents] == [("passport", "A1234567")]
    (fs,) = record.fingerprint_sets
    assert fs.source_format == "synthetic" and len(fs.fingers) == 10
    (hit,) = record.hits
    assert (hit.searched_by_state, hit.other_state, hit.status) == ("PL", "PL", "confirmed")
    (placement,) = record.placements
    assert placement.facility == "Matrix centre" and placement.facility_state == "LT"
    assert [(r.user, r.state) for r in record.recipients] == [("w.officer.pl", "PL")]
    assert record.access_log_complete
    # audited as a write, before the document was built: it lists its own production
    (entry,) = _produced()
    assert (entry.actor, entry.member_state, entry.object_id) == (
        coordinator_lt, "LT", str(world.lt_person),
    )  # fmt: skip
    assert entry.new_values == {"format": "html"}
    assert record.access_log[0].id == entry.pk


def test_the_document_names_the_apprehension_event(
    border_data: None, coordinator_lt: User, make_user: Callable[..., User]
) -> None:
    person = _person_with_event(border_data, make_user)
    record = services.produce_subject_access(coordinator_lt, person.pk, "json")
    event = record.registration.event
    assert event is not None and event.ref == "E-1"
    assert event.reporting_unit == "Druskininkai frontier station"
    assert record.registration.registered_by == "officer.druskininkai"


def test_the_printable_page_and_the_json_download(
    world: World, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    page = client.get(f"/audit/persons/{world.lt_person}/record/")
    html = page.content.decode()
    assert page.status_code == 200 and "A1234567" in html and "Matrix centre" in html
    assert 'id="print-document"' in html and "<script>" not in html  # CSP: no inline script
    download = client.get(f"/audit/persons/{world.lt_person}/record.json")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="subject-access-{world.lt_reference}.json"'
    )
    body = json.loads(download.content)
    assert body["person"]["reference"] == world.lt_reference
    assert body["documents"][0]["number"] == "A1234567"
    assert [e.new_values for e in _produced()] == [{"format": "html"}, {"format": "json"}]


def test_another_states_person_answers_like_a_missing_one_and_nothing_is_recorded(
    world: World,
    coordinator_pl: User,
    frontex: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(coordinator_pl)
    for path in ("record/", "record.json"):
        theirs = client.get(f"/audit/persons/{world.lt_person}/{path}")
        missing = client.get(f"/audit/persons/999999/{path}")
        assert theirs.status_code == missing.status_code == 404
    api = client.get(f"/api/audit/persons/{world.lt_person}/record")
    assert api.status_code == 404
    assert api.json()["detail"] == client.get("/api/audit/persons/999999/record").json()["detail"]
    assert client_for(frontex).get(f"/audit/persons/{world.lt_person}/record/").status_code == 403
    guard = make_user(Role.BORDER_GUARD, "LT")  # sees the person, may not read the trail
    assert client_for(guard).get(f"/audit/persons/{world.lt_person}/record/").status_code == 403
    assert _produced() == []


def _png() -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.full((32, 32), 100, dtype=np.uint8)).save(out, "PNG")
    return out.getvalue()


def test_rectification_stays_with_the_owning_state(
    world: World,
    coordinator_lt: User,
    coordinator_pl: User,
    client_for: Callable[[User], Client],
) -> None:
    """Poland's coordinator cannot change Lithuania's person: the page's and the API's edits
    answer exactly like a missing person and change nothing; Lithuania's coordinator can."""
    before = Person.objects.get(pk=world.lt_person)
    docs = list(Document.objects.filter(person_id=world.lt_person).values_list("number"))
    pl = client_for(coordinator_pl)
    form = {"doc_type": "passport", "number": "X999", "issuing_country": "IQ"}
    page = pl.post(f"/registration/persons/{world.lt_person}/documents/", form)
    missing = pl.post("/registration/persons/999999/documents/", form)
    assert page.status_code == missing.status_code == 404
    api = pl.post(
        f"/api/registration/persons/{world.lt_person}/documents", form,
        content_type="application/json",
    )  # fmt: skip
    api_missing = pl.post(
        "/api/registration/persons/999999/documents", form, content_type="application/json"
    )
    assert api.status_code == 404 and api.json()["detail"] == api_missing.json()["detail"]
    photo = pl.post(
        f"/api/registration/persons/{world.lt_person}/photo",
        {"photo": io.BytesIO(_png())},
    )
    assert photo.status_code == 404
    after = Person.objects.get(pk=world.lt_person)
    assert (after.photo.name, after.updated_at) == (before.photo.name, before.updated_at)
    assert list(Document.objects.filter(person_id=world.lt_person).values_list("number")) == docs
    assert (
        not AuditEntry.objects.filter(actor=coordinator_pl)
        .exclude(action="accounts.user.login")
        .exists()
    )
    # the owning state rectifies
    own = client_for(coordinator_lt).post(
        f"/registration/persons/{world.lt_person}/documents/", form
    )
    assert own.status_code == 302
    assert Document.objects.filter(person_id=world.lt_person, number="X999").exists()
