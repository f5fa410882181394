"""Registration pages through the Django test client: role and state checks, all-or-nothing
forms, the expert's decision and what another member state's page leaves out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.models import Event
from borderwatch.border.services import report_event
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.registration import services
from borderwatch.registration.models import (
    Document,
    Finger,
    FingerprintSet,
    Hit,
    IdentificationRequest,
    Person,
    PersonLink,
)
from tests.border.conftest import event_input
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(border_data: None, guard_lt: User) -> Event:
    return report_event(guard_lt, event_input(persons=3, nationalities={"IQ": 3}))


def _row(i: int, **values: str) -> dict[str, str]:
    base = {
        "name_as_written": "",
        "name_transliterated": "",
        "date_of_birth": "",
        "sex": "X",
        "nationality": "XX",
        "household": "",
    }
    return {f"p-{i}-{k}": v for k, v in {**base, **values}.items()}


def _group_post(*rows: dict[str, str], total: int | None = None) -> dict[str, str]:
    data = {
        "p-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "200",
    }
    for row in rows:
        data.update(row)
    return data


# ---- group registration ------------------------------------------------------------------------


def test_group_form_starts_with_a_row_per_reported_person(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(officer_lt).get(f"/registration/events/{event.pk}/persons/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="person-row') == 3 + 1  # three rows and the add-row template
    assert 'aria-label="Name in Latin letters, row 3"' in html


def test_group_registers_filled_rows_and_skips_blank_ones(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    data = _group_post(
        _row(0, name_transliterated="Ali", name_as_written="علي", sex="M", nationality="iq",
             date_of_birth="1990"),
        _row(1, name_transliterated="Sara", sex="F", nationality="SY", date_of_birth="2012-05-01",
             minor="on", unaccompanied_minor="on"),
        _row(2),
    )  # fmt: skip
    response = client_for(officer_lt).post(f"/registration/events/{event.pk}/persons/", data)
    assert response.status_code == 302
    ali, sara = Person.objects.order_by("id")
    assert (ali.nationality, ali.dob_is_estimated, ali.date_of_birth.year) == ("IQ", True, 1990)
    assert ali.apprehension_event_id == event.pk and ali.eurodac_category == 2
    assert sara.unaccompanied_minor and sara.minor and not sara.dob_is_estimated
    assert ali.created_by == officer_lt


def test_one_bad_row_saves_nothing_and_marks_that_row(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    data = _group_post(
        _row(0, name_transliterated="Ali", nationality="IQ"),
        _row(1, name_transliterated="Omar", nationality="QQ"),
        _row(2, name_transliterated="", nationality="SY", date_of_birth="31.12.1990"),
    )
    response = client_for(officer_lt).post(f"/registration/events/{event.pk}/persons/", data)
    assert response.status_code == 422
    assert not Person.objects.exists()
    formset = response.context["formset"]
    # the form's own parsing names row 3; nothing reached the service
    assert "date_of_birth" in formset.forms[2].errors
    assert "name_transliterated" in formset.forms[2].errors
    assert not formset.forms[0].errors
    # fix row 3: the service now refuses row 2's nationality, still saving nothing
    data.update(_row(2, name_transliterated="Lina", nationality="SY", date_of_birth="1990-12-31"))
    response = client_for(officer_lt).post(f"/registration/events/{event.pk}/persons/", data)
    assert response.status_code == 422
    assert not Person.objects.exists()
    formset = response.context["formset"]
    assert "not an ISO 3166-1" in formset.forms[1].errors["nationality"][0]
    assert not formset.forms[0].errors and not formset.forms[2].errors
    assert "Nothing was saved" in response.content.decode()


def test_a_date_of_birth_in_the_future_marks_its_row(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = _group_post(
        _row(0, name_transliterated="Ali", nationality="IQ"),
        _row(1, name_transliterated="Omar", nationality="IQ", date_of_birth=future),
    )
    response = client_for(officer_lt).post(f"/registration/events/{event.pk}/persons/", data)
    assert response.status_code == 422
    assert not Person.objects.exists()
    formset = response.context["formset"]
    assert formset.forms[1].errors["date_of_birth"] == [f"Date of birth {future} is in the future."]
    assert not formset.forms[0].errors


def test_an_empty_group_is_refused(
    event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(officer_lt).post(
        f"/registration/events/{event.pk}/persons/", _group_post(_row(0))
    )
    assert response.status_code == 422
    assert "no person" in response.content.decode()


def test_group_form_is_for_registering_roles_of_the_event_state(
    event: Event,
    officer_pl: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    url = f"/registration/events/{event.pk}/persons/"
    assert client_for(make_user(Role.RECEPTION_MANAGER, "LT")).get(url).status_code == 403
    assert client_for(officer_pl).post(
        url, _group_post(_row(0, name_transliterated="X"))
    ).status_code in {403, 404}
    assert not Person.objects.exists()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_event_page_links_to_group_registration_for_registering_roles(
    event: Event,
    officer_lt: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    link = f"/registration/events/{event.pk}/persons/"
    assert link in client_for(officer_lt).get(f"/border/events/{event.pk}/").content.decode()
    lt_viewer = client_for(make_user(Role.CASE_OFFICER, "LT"))
    assert link not in lt_viewer.get(f"/border/events/{event.pk}/").content.decode()


# ---- person page -------------------------------------------------------------------------------


def test_person_page_is_scoped_by_role_and_state(
    officer_lt: User, officer_pl: User, frontex: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT")
    url = f"/registration/persons/{person.pk}/"
    page = client_for(officer_lt).get(url)
    assert page.status_code == 200 and "Ali Hassan" in page.content.decode()
    assert client_for(officer_pl).get(url).status_code == 404
    assert client_for(frontex).get(url).status_code == 403


def test_documents_are_added_through_the_service(
    officer_lt: User, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT")
    url = f"/registration/persons/{person.pk}/documents/"
    bad = client_for(officer_lt).post(
        url, {"doc_type": "passport", "number": "A1", "issuing_country": "ZZ"}
    )
    assert bad.status_code == 422 and not Document.objects.exists()
    ok = client_for(officer_lt).post(
        url, {"doc_type": "passport", "number": "A1", "issuing_country": "iq"}
    )
    assert ok.status_code == 302
    assert Document.objects.get().issuing_country == "IQ"
    case_officer = make_user(Role.CASE_OFFICER, "LT")  # sees persons, may not register them
    denied = client_for(case_officer).post(
        url, {"doc_type": "visa", "number": "B", "issuing_country": "IQ"}
    )
    assert denied.status_code == 403 and Document.objects.count() == 1


# ---- capture -----------------------------------------------------------------------------------


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _capture_data(files: dict[int, bytes], reason: str = "bandaged") -> dict[str, Any]:
    data: dict[str, Any] = {f"finger_{p}": _upload(f"f{p}.png", b) for p, b in files.items()}
    data.update({f"missing_{p}": reason for p in range(1, 11) if p not in files})
    return data


def test_capture_shows_quality_and_starts_identification(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    data = _capture_data({1: ridge_png(1), 2: ridge_png(2)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/registration/persons/{person.pk}/fingerprints/", data)
    assert response.status_code == 302
    fs = FingerprintSet.objects.get(person=person)  # the immediate backend extracted on commit
    response = client.get(response["Location"])
    assert response["Location"] == f"/registration/sets/{fs.pk}/"
    assert not IdentificationRequest.objects.exists()  # the search is the next, separate step
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registration/sets/{fs.pk}/identify/")
    req = IdentificationRequest.objects.get(fingerprint_set=fs)
    assert req.status == "done"  # the immediate backend ran it on commit
    page = client.get(response["Location"]).content.decode()
    assert "Right thumb" in page and "Not captured: bandaged" in page
    progress = client.get(f"/registration/identifications/{req.pk}/progress/").content.decode()
    assert "every 1s" not in progress and "hit(s) above the threshold" in progress
    thumb = Finger.objects.get(fingerprint_set=fs, position=1)
    image = client.get(f"/registration/fingers/{thumb.pk}/image.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_low_quality_fingers_are_prompted_for_recapture(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.RECAPTURE_QUALITY = 101  # every finger is below it
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    data = _capture_data({1: ridge_png(1)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/registration/persons/{person.pk}/fingerprints/", data)
    response = client.get(response["Location"])  # the capture, done: on to its set
    page = client.get(response["Location"]).content.decode()
    assert 'id="recapture-prompt"' in page and "Right thumb (quality" in page
    assert 'id="start-identification"' in page and 'id="recapture-1"' in page
    settings.RECAPTURE_QUALITY = 0
    page = client.get(response["Location"]).content.decode()
    assert 'id="recapture-prompt"' not in page and 'id="quality-ok"' in page


@pytest.mark.parametrize(
    ("files", "extra", "message"),
    [
        ({1: b"%PDF-1.4 not a fingerprint"}, {}, "Right thumb"),
        ({1: None, 2: None}, {"missing_3": ""}, "all ten are needed"),
    ],
)
def test_bad_captures_rerender_with_the_message_and_save_nothing(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    files: dict[int, bytes | None],
    extra: dict[str, str],
    message: str,
) -> None:
    person = new_person(officer_lt, "LT")
    data = _capture_data({p: b if b is not None else ridge_png(p) for p, b in files.items()})
    data.update(extra)
    response = client_for(officer_lt).post(f"/registration/persons/{person.pk}/fingerprints/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not FingerprintSet.objects.exists() and not Finger.objects.exists()
    # a bad file saves nothing; files accepted beside an incomplete count are held (a draft)
    held = "Nothing was saved" not in response.content.decode()
    assert held == (message == "all ten are needed")


def test_a_corrupted_nist_file_is_refused(
    officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT")
    data = {"nist": _upload("prints.an2", b"1.001:999\x1d1.002:0300\x1cgarbage")}
    response = client_for(officer_lt).post(f"/registration/persons/{person.pk}/fingerprints/", data)
    assert response.status_code == 422 and "prints.an2" in response.content.decode()
    assert not FingerprintSet.objects.exists()


def test_capture_of_another_state_person_is_refused(
    officer_lt: User,
    officer_pl: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    person = new_person(officer_lt, "LT")
    url = f"/registration/persons/{person.pk}/fingerprints/"
    assert client_for(officer_pl).get(url).status_code == 404
    viewer = client_for(make_user(Role.CASE_OFFICER, "LT"))
    assert viewer.get(url).status_code == 403


# ---- identification, expert review, the other state's view -------------------------------------


@pytest.fixture
def hit(
    officer_lt: User, officer_pl: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> Hit:
    """An LT person enrolled; the same (synthetic) fingers captured again in PL and searched."""
    lt = new_person(officer_lt, "LT", household="H-7")
    services.add_document(
        officer_lt, lt.pk, doc_type="passport", number="A1234567", issuing_country="IQ"
    )
    synthetic_set(lt, subject=1, impression=0)
    services.rebuild_gallery()
    pl = new_person(officer_pl, "PL", name_transliterated="Ali Hasan")
    fs = synthetic_set(pl, subject=1, impression=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_identification(officer_pl, fs.pk)
    return Hit.objects.get()


def test_identification_page_polls_then_lists_hits(
    hit: Hit, officer_pl: User, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    req = hit.request
    url = f"/registration/identifications/{req.pk}/"
    IdentificationRequest.objects.filter(pk=req.pk).update(status="running", progress=30)
    running = client_for(officer_pl).get(url + "progress/").content.decode()
    assert 'hx-trigger="every 1s"' in running and "30 %" in running
    IdentificationRequest.objects.filter(pk=req.pk).update(status="done", progress=100)
    done = client_for(officer_pl).get(url).content.decode()
    # a pending hit: the officer does not see the candidate, the expert does
    assert "every 1s" not in done and hit.candidate.reference not in done
    Hit.objects.filter(pk=hit.pk).update(status="confirmed")
    done = client_for(officer_pl).get(url).content.decode()
    assert hit.candidate.reference in done
    assert "Ali Hassan" not in done  # the LT candidate appears as a Eurodac record only
    assert client_for(officer_lt).get(url).status_code == 404


def test_expert_queue_hit_page_and_decision(
    hit: Hit,
    expert_pl: User,
    expert_lt: User,
    officer_pl: User,
    client_for: Callable[[User], Client],
) -> None:
    expert = client_for(expert_pl)
    queue = expert.get("/registration/hits/review/").content.decode()
    assert f"/registration/hits/{hit.pk}/" in queue
    page = expert.get(f"/registration/hits/{hit.pk}/")
    assert page.status_code == 200 and "Confirm: same person" in page.content.decode()
    # the look at LT's record is audited for LT
    assert AuditEntry.objects.filter(action="registration.hit.view", member_state="LT").exists()
    assert client_for(officer_pl).get(f"/registration/hits/{hit.pk}/").status_code == 403
    assert client_for(expert_lt).get(f"/registration/hits/{hit.pk}/").status_code == 404
    assert (
        client_for(expert_lt)
        .post(f"/registration/hits/{hit.pk}/decide/", {"decision": "confirm"})
        .status_code
        == 404
    )
    # rejecting needs a reason
    no_reason = expert.post(
        f"/registration/hits/{hit.pk}/decide/", {"decision": "reject", "reason": " "}
    )
    assert no_reason.status_code == 422 and "Say why" in no_reason.content.decode()
    assert Hit.objects.get().status == "pending"
    done = expert.post(f"/registration/hits/{hit.pk}/decide/", {"decision": "confirm"})
    assert done.status_code == 302
    assert Hit.objects.get().status == "confirmed"
    assert PersonLink.objects.filter(person=hit.person, other=hit.candidate).exists()
    # the PL person page now shows the link to the LT record (as a Eurodac record)
    person_page = (
        client_for(officer_pl).get(f"/registration/persons/{hit.person_id}/").content.decode()
    )
    assert hit.candidate.reference in person_page and "Confirmed" in person_page


def test_other_state_page_shows_the_confirmed_hit_without_personal_data(
    hit: Hit, expert_pl: User, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    lt_user = client_for(make_user(Role.CASE_OFFICER, "LT"))
    assert hit.person.reference not in lt_user.get("/registration/hits/shared/").content.decode()
    services.decide_hit(expert_pl, hit.pk, confirm=True)
    page = lt_user.get("/registration/hits/shared/").content.decode()
    assert hit.person.reference in page and "PL" in page
    for private in ("Ali Hasan", "علي", "IQ", "H-7", "A1234567"):
        assert private not in page.split('id="shared-hits"')[1]
    assert AuditEntry.objects.filter(action="registration.hit.view", member_state="PL").exists()
    # and the PL record itself stays out of reach
    assert lt_user.get(f"/registration/persons/{hit.person_id}/").status_code == 404
    assert (
        client_for(make_user(Role.FRONTEX_ANALYST)).get("/registration/hits/shared/").status_code
        == 403
    )


def _lt_thumb_with_image(officer_lt: User, ridge_png: Callable[[int], bytes]) -> Finger:
    """A Lithuanian person's set with only the right thumb captured (as an image)."""
    person = new_person(officer_lt, "LT")
    fs = services.capture_images(officer_lt, person.pk, {1: ("f.png", ridge_png(1))},
                                 {p: "unable" for p in range(2, 11)})  # fmt: skip
    return fs.fingers.get(position=1)


def test_finger_images_are_served_only_within_scope(
    officer_lt: User,
    officer_pl: User,
    expert_pl: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
) -> None:
    finger = _lt_thumb_with_image(officer_lt, ridge_png)
    url = f"/registration/fingers/{finger.pk}/image.png"
    assert client_for(officer_lt).get(url).status_code == 200
    assert client_for(officer_pl).get(url).status_code == 404
    assert client_for(expert_pl).get(url).status_code == 404  # no PL hit on this set
    assert Client().get(url).status_code == 302
    assert not AuditEntry.objects.filter(action="registration.finger.view").exists()


def test_an_expert_fetching_another_states_finger_is_audited_to_that_state(
    officer_lt: User,
    officer_pl: User,
    expert_pl: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
) -> None:
    finger = _lt_thumb_with_image(officer_lt, ridge_png)
    person = finger.fingerprint_set.person
    probe = synthetic_set(new_person(officer_pl, "PL"), subject=1, impression=0)
    req = IdentificationRequest.objects.create(
        fingerprint_set=probe, member_state="PL", threshold=0.02
    )
    Hit.objects.create(
        request=req, person=probe.person, candidate=person,
        candidate_set=finger.fingerprint_set, rank=1,
        score=0.5, fmr=1e-6,
    )  # fmt: skip
    expert = client_for(expert_pl)
    for url in (
        f"/registration/fingers/{finger.pk}/image.png",
        f"/api/registration/fingers/{finger.pk}/image",
    ):
        assert expert.get(url).status_code == 200
    looks = AuditEntry.objects.filter(action="registration.finger.view")
    assert looks.count() == 2
    assert {(e.actor_id, e.member_state, e.new_values["person"]) for e in looks} == {
        (expert_pl.pk, "LT", person.pk)
    }
    client_for(officer_lt).get(f"/registration/fingers/{finger.pk}/image.png")
    assert looks.count() == 2  # the owner's own look is not a cross-state look


def test_navigation_shows_the_links_a_role_can_use(
    officer_lt: User, expert_lt: User, frontex: User, client_for: Callable[[User], Client]
) -> None:
    officer = client_for(officer_lt).get("/registration/").content.decode()
    assert "Registrations" in officer and "Hits to verify" not in officer
    assert "/api/registration/export.csv?day=" in officer
    assert "Hits to verify" in client_for(expert_lt).get("/registration/").content.decode()
    assert client_for(frontex).get("/registration/").status_code == 403


def test_recapture_then_start_identification(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = new_person(officer_lt, "LT")
    fs = services.capture_images(officer_lt, person.pk, {1: ("f.png", ridge_png(1))},
                                 {p: "unable" for p in range(2, 11)})  # fmt: skip
    client = client_for(officer_lt)
    thumb = Finger.objects.get(fingerprint_set=fs, position=1)
    old_image = thumb.image.name
    bad = client.post(f"/registration/sets/{fs.pk}/recapture/",
                      {"position": "1", "image": _upload("x.png", b"not an image")})  # fmt: skip
    assert bad.status_code == 302
    assert Finger.objects.get(pk=thumb.pk).image.name == old_image  # refused: unchanged
    ok = client.post(f"/registration/sets/{fs.pk}/recapture/",
                     {"position": "1", "image": _upload("y.png", ridge_png(7))})  # fmt: skip
    assert ok.status_code == 302
    assert Finger.objects.get(pk=thumb.pk).image.name != old_image
    assert AuditEntry.objects.filter(action="registration.fingerprints.recapture").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/registration/sets/{fs.pk}/identify/")
    req = IdentificationRequest.objects.get(fingerprint_set=fs)
    assert started["Location"] == f"/registration/identifications/{req.pk}/"
    # a searched set is evidence: the page offers a new capture instead of a recapture
    page = client.get(f"/registration/sets/{fs.pk}/").content.decode()
    assert 'id="recapture-1"' not in page and 'id="start-identification"' not in page
    again = client.post(f"/registration/sets/{fs.pk}/recapture/",
                        {"position": "1", "image": _upload("z.png", ridge_png(8))})  # fmt: skip
    assert again.status_code == 302
    assert "already searched" in client.get(f"/registration/sets/{fs.pk}/").content.decode()


def test_event_list_links_own_apprehensions_to_group_registration(
    event: Event, officer_lt: User, officer_pl: User, client_for: Callable[[User], Client]
) -> None:
    link = f"/registration/events/{event.pk}/persons/"
    assert link in client_for(officer_lt).get("/border/events/").content.decode()
    assert link not in client_for(officer_pl).get("/border/events/").content.decode()
