"""Retention and erasure (recast Eurodac): who is due when, and that erasure reaches every place
the person's data were: rows of every app, files, the gallery, timelines, old audit values."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.core.roles import Role
from borderwatch.reception import services as reception
from borderwatch.reception.models import Placement
from borderwatch.registration import gallery, services
from borderwatch.registration.models import FingerprintSet, Hit, Person
from borderwatch.registration.services.retention import shift_years
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.registration.conftest import new_person, png, synthetic_set

TODAY = dt.date(2031, 6, 1)


def taken_on(person: Person, day: dt.date, subject: int) -> FingerprintSet:
    fs = synthetic_set(person, subject, 1)
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    FingerprintSet.objects.filter(pk=fs.pk).update(captured_at=when)
    return fs


def test_shift_years_keeps_the_day_and_folds_29_february() -> None:
    assert shift_years(dt.date(2021, 8, 2), 5) == dt.date(2026, 8, 2)
    assert shift_years(dt.date(2020, 2, 29), -1) == dt.date(2019, 2, 28)


def test_due_by_category_from_the_day_the_fingerprints_were_taken(officer_lt: User) -> None:
    crosser_old = new_person(officer_lt, "LT", eurodac_category=2)
    taken_on(crosser_old, TODAY - dt.timedelta(days=5 * 365 + 2), 1)
    crosser_recent = new_person(officer_lt, "LT", eurodac_category=2)
    taken_on(crosser_recent, TODAY - dt.timedelta(days=4 * 365), 2)
    applicant = new_person(officer_lt, "LT", eurodac_category=1)
    taken_on(applicant, TODAY - dt.timedelta(days=6 * 365), 3)
    old_applicant = new_person(officer_lt, "LT", eurodac_category=1)
    taken_on(old_applicant, TODAY - dt.timedelta(days=10 * 365 + 3), 4)

    assert services.due_for_erasure(TODAY) == sorted([crosser_old.pk, old_applicant.pk])
    assert services.erasure_due_on(applicant) == shift_years(TODAY - dt.timedelta(days=6 * 365), 10)


def test_a_person_without_fingerprints_counts_from_registration(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT", eurodac_category=2)
    assert services.due_for_erasure(timezone.localdate()) == []
    later = shift_years(timezone.localdate(person.created_at), 5)
    assert services.due_for_erasure(later) == [person.pk]


def test_the_periods_are_settings(officer_lt: User, settings) -> None:  # type: ignore[no-untyped-def]
    person = new_person(officer_lt, "LT", eurodac_category=2)
    taken_on(person, TODAY - dt.timedelta(days=3 * 365), 1)
    assert services.due_for_erasure(TODAY) == []
    settings.RETENTION_YEARS = {1: 10, 2: 2, 3: 5}
    assert services.due_for_erasure(TODAY) == [person.pk]


@pytest.mark.django_db(transaction=True)
def test_erasure_reaches_every_place_and_keeps_only_who_did_what(
    make_user: Callable[..., User], officer_lt: User
) -> None:
    manager = make_user(Role.RECEPTION_MANAGER, "LT")
    person = new_person(officer_lt, "LT", eurodac_category=2)
    other = new_person(None, "PL", eurodac_category=2)
    fs = taken_on(person, TODAY - dt.timedelta(days=6 * 365), 1)
    taken_on(other, timezone.localdate(), 2)
    services.set_photo(officer_lt, person.pk, "face.png", _png_bytes())
    photo = Person.objects.get(pk=person.pk).photo.name
    assert default_storage.exists(photo)
    facility = reception.save_facility(
        None, "lt-retention", member_state="LT", name="Retention test centre",
        kind="reception_centre", latitude=54.9, longitude=25.3, capacity_single_men=5,
        capacity_single_women=5, capacity_families=5, capacity_unaccompanied_minors=1,
        medical=False, interpreters=True, capacity_is_estimate=True, source_note="test",
    )  # fmt: skip
    placement = reception.place(
        manager, person_id=person.pk, facility_id=facility.pk, start_date=TODAY
    )
    search = services.system_identification(fs.pk)
    in_gallery = gallery.size()  # the search enrolled the person
    assert in_gallery >= 1

    assert services.erase_due(TODAY) == 1

    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.objects.filter(pk=other.pk).exists()
    assert not FingerprintSet.objects.filter(pk=fs.pk).exists()
    assert not Hit.objects.filter(request_id=search.pk).exists()
    assert not Placement.objects.filter(pk=placement.pk).exists()
    assert not TransitionRecord.objects.filter(
        object_type="reception.Placement", object_id=str(placement.pk)
    ).exists()
    assert not default_storage.exists(photo)
    gallery._cache.clear()
    assert gallery.size() == in_gallery - 1
    entry = AuditEntry.objects.get(action="registration.person.erase")
    assert entry.object_id == str(person.pk) and entry.actor_username == "system"
    assert entry.old_values["reason"] == "retention_period_ended"
    assert entry.old_values["counts"]["reception.placements"] == 1
    assert "Ali" not in str(entry.old_values)
    created = AuditEntry.objects.get(action="registration.person.create", object_id=str(person.pk))
    assert created.new_values == {"erased": True} and created.actor_username == officer_lt.username


def test_citizenship_erases_at_once_for_the_owning_state_only(
    officer_lt: User, officer_pl: User
) -> None:
    person = new_person(officer_lt, "LT", eurodac_category=1)
    with pytest.raises(Person.DoesNotExist):
        services.erase_on_citizenship(officer_pl, person.pk, acquired_on=timezone.localdate())
    with pytest.raises(ValidationError, match="future"):
        services.erase_on_citizenship(
            officer_lt, person.pk, acquired_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action="registration.person.erase").exists()

    services.erase_on_citizenship(officer_lt, person.pk, acquired_on=timezone.localdate())
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action="registration.person.erase")
    assert entry.old_values["reason"] == "citizenship_acquired"
    assert entry.actor_username == officer_lt.username


def test_the_api_erases_on_citizenship_and_hides_other_states(
    officer_lt: User, officer_pl: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT", eurodac_category=1)
    url = f"/api/registration/persons/{person.pk}/erasure"
    body = {"acquired_on": timezone.localdate().isoformat()}
    other = client_for(officer_pl).post(url, body, content_type="application/json")
    missing = client_for(officer_pl).post(
        "/api/registration/persons/999999/erasure", body, content_type="application/json"
    )
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"].replace(str(person.pk), "N") == missing.json()["detail"].replace(
        "999999", "N"
    )
    done = client_for(officer_lt).post(url, body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["person_id"] == person.pk
    assert not Person.objects.filter(pk=person.pk).exists()


def test_the_command_reports_and_erases_what_is_due(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT", eurodac_category=2)
    taken_on(person, TODAY - dt.timedelta(days=6 * 365), 1)
    out = io.StringIO()
    call_command("retention", "due", "--today", TODAY.isoformat(), stdout=out)
    assert "1 person(s) due" in out.getvalue()
    assert Person.objects.filter(pk=person.pk).exists()
    call_command("retention", "erase-due", "--today", TODAY.isoformat(), stdout=out)
    assert "Erased 1 person(s)" in out.getvalue()
    assert not Person.objects.filter(pk=person.pk).exists()


def _png_bytes() -> bytes:
    return png(ridge_image(seed=1))


def test_the_erase_page_asks_for_confirmation_and_hides_other_states(
    officer_lt: User, officer_pl: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT", eurodac_category=1)
    url = f"/registration/persons/{person.pk}/erase/"
    page = client_for(officer_lt).get(f"/registration/persons/{person.pk}/")
    assert url in page.content.decode() and "Kept until" in page.content.decode()
    assert client_for(officer_pl).get(url).status_code == 404
    today = timezone.localdate().isoformat()
    unconfirmed = client_for(officer_lt).post(url, {"acquired_on": today})
    assert unconfirmed.status_code == 422
    assert Person.objects.filter(pk=person.pk).exists()
    done = client_for(officer_lt).post(url, {"acquired_on": today, "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/registration/"
    assert not Person.objects.filter(pk=person.pk).exists()
