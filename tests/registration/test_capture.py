"""Fingerprint capture: all ten positions accounted for, bad uploads refused, nothing half-saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.models import AuditEntry
from borderwatch.engines.fingerprint.nist import FingerImage, write_nist
from borderwatch.registration import selectors, services
from borderwatch.registration.models import Document, Finger, FingerprintSet, Person
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db
EIGHT_MISSING = {p: "amputated" for p in range(3, 11)}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_saved() -> bool:
    return (
        not FingerprintSet.objects.exists() and not Finger.objects.exists() and not stored_files()
    )


def test_capture_two_images_and_eight_reasons(
    officer_lt: User, ridge_png: Callable[[int], bytes]
) -> None:
    person = new_person(officer_lt, "LT")
    files = {1: ("thumb.png", ridge_png(1)), 2: ("index.png", ridge_png(2))}
    fs = services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    rows = selectors.set_fingers(officer_lt, fs.pk)
    assert [r.position for r in rows] == list(range(1, 11))
    captured = [r for r in rows if not r.missing_reason]
    assert [r.position for r in captured] == [1, 2]
    assert all(r.has_image and r.minutiae > 0 and r.quality is not None for r in captured)
    assert all(r.needs_recapture == (r.quality < settings.RECAPTURE_QUALITY) for r in captured)
    assert {r.missing_reason for r in rows if r.position > 2} == {"amputated"}
    assert len(stored_files()) == 2
    entry = AuditEntry.objects.get(action="registration.fingerprints.capture")
    assert entry.member_state == "LT" and "Ali" not in str(entry.new_values)


def test_not_an_image_is_refused_naming_the_finger(
    officer_lt: User, ridge_png: Callable[[int], bytes]
) -> None:
    person = new_person(officer_lt, "LT")
    files = {1: ("thumb.png", ridge_png(1)), 2: ("index.png", b"%PDF-1.4 not a fingerprint")}
    with pytest.raises(ValidationError) as caught:
        services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    assert "finger_2" in caught.value.message_dict
    assert "Right index" in str(caught.value) and "not a recognised image" in str(caught.value)
    assert nothing_saved()


def test_wrong_finger_count_is_refused(officer_lt: User, ridge_png: Callable[[int], bytes]) -> None:
    person = new_person(officer_lt, "LT")
    files = {p: (f"{p}.png", ridge_png(p)) for p in (1, 2, 3)}
    with pytest.raises(ValidationError) as caught:
        services.capture_images(officer_lt, person.pk, files, {})
    assert "all ten are needed" in str(caught.value) and "Left little" in str(caught.value)
    with pytest.raises(ValidationError, match="given an image and marked missing"):
        services.capture_images(officer_lt, person.pk, files, {p: "bandaged" for p in range(3, 11)})
    assert nothing_saved()


def test_corrupted_nist_file_is_refused(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    good = write_nist([FingerImage(1, ridge_image(seed=1), 500.0)])
    corrupted = good[: len(good) // 2]
    with pytest.raises(ValidationError) as caught:
        services.capture_nist(officer_lt, person.pk, "arrest.an2", corrupted, EIGHT_MISSING)
    assert "nist" in caught.value.message_dict
    assert str(caught.value).count("arrest.an2") == 1
    assert nothing_saved()


def test_nist_file_captures_its_fingers(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    data = write_nist([FingerImage(1, ridge_image(seed=1), 500.0)])
    missing = {p: "unable" for p in range(2, 11)}
    fs = services.capture_nist(officer_lt, person.pk, "arrest.an2", data, missing)
    assert fs.source_format == "nist"
    assert fs.fingers.exclude(template=None).count() == 1


def test_a_failure_after_files_were_written_removes_them(
    officer_lt: User, ridge_png: Callable[[int], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    person = new_person(officer_lt, "LT")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(audit, "record", broken)
    files = {1: ("thumb.png", ridge_png(1)), 2: ("index.png", ridge_png(2))}
    with pytest.raises(RuntimeError):
        services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    assert nothing_saved()


def test_another_state_cannot_capture(officer_pl: User, officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    with pytest.raises(Person.DoesNotExist):  # another state's person: as if missing
        services.capture_images(officer_pl, person.pk, {1: ("x.png", b"")}, {})
    assert nothing_saved()


def test_recapture_replaces_a_finger_until_the_set_is_searched(
    officer_lt: User,
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    person = new_person(officer_lt, "LT")
    files = {1: ("thumb.png", ridge_png(1)), 2: ("index.png", ridge_png(2))}
    fs = services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    before = set(stored_files())
    finger = services.recapture_finger(officer_lt, fs.pk, 2, "again.png", ridge_png(7))
    assert set(stored_files()) != before and len(stored_files()) == 2
    assert finger.template is not None and finger.minutiae > 0
    assert AuditEntry.objects.filter(action="registration.fingerprints.recapture").count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.request_identification(officer_lt, fs.pk)
    with pytest.raises(ValidationError, match="already searched"):
        services.recapture_finger(officer_lt, fs.pk, 2, "again.png", ridge_png(8))


def test_photo_must_be_an_image(officer_lt: User, ridge_png: Callable[[int], bytes]) -> None:
    person = new_person(officer_lt, "LT")
    with pytest.raises(ValidationError, match="not a JPEG or PNG"):
        services.set_photo(officer_lt, person.pk, "face.png", b"GIF89a-nope")
    assert not stored_files()
    person = services.set_photo(officer_lt, person.pk, "face.png", ridge_png(3))
    assert person.photo.name.endswith(".png") and len(stored_files()) == 1


def test_document_added_then_removed_with_a_reason(officer_lt: User, officer_pl: User) -> None:
    person = new_person(officer_lt, "LT")
    doc = services.add_document(
        officer_lt, person.pk, doc_type="passport", number=" A1 ", issuing_country="iq"
    )
    assert (doc.number, doc.issuing_country) == ("A1", "IQ")
    with pytest.raises(ValidationError):
        services.add_document(
            officer_lt, person.pk, doc_type="passport", number="B2", issuing_country="XX"
        )
    with pytest.raises(Document.DoesNotExist):  # another state's document: as if missing
        services.delete_document(officer_pl, doc.pk, reason="mistake")
    with pytest.raises(ValidationError):
        services.delete_document(officer_lt, doc.pk, reason=" ")
    services.delete_document(officer_lt, doc.pk, reason="Typed on the wrong person")
    assert not selectors.documents(officer_lt, person.pk).exists()
    assert AuditEntry.objects.get(action="registration.document.delete").reason
