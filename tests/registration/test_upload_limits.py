"""Uploads that would hold a worker or enrol nothing useful are refused, naming the finger and the
limit, and nothing is saved: oversized files and images, blank and noise images, quality 0."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from borderwatch.accounts.models import User
from borderwatch.engines.fingerprint import FingerImage, Template, synthetic, write_nist
from borderwatch.registration import capture, gallery, services
from borderwatch.registration.capture import CapturedFinger
from borderwatch.registration.models import CaptureJob, Finger, FingerprintSet
from borderwatch.registration.services.fingerprints import store_set
from tests.registration.conftest import new_person, png
from tests.registration.test_capture import nothing_saved

pytestmark = pytest.mark.django_db
EIGHT_MISSING = {p: "amputated" for p in range(3, 11)}
API = "/api/registration"


def blank() -> bytes:
    return png(np.full((300, 300), 230, np.uint8))


def noise() -> bytes:
    return png(np.random.default_rng(5).integers(0, 256, (400, 400), np.uint8))


def bomb(side: int = 6000) -> bytes:
    """A PNG of zeros declaring side x side pixels, in a few KB (never decoded here)."""
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(bytes(side + 1)) for _ in range(side)) + z.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- services: capture, NIST, recapture --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (blank, "no usable ridge area: the image is blank"),
        (noise, "no usable ridge area: clear ridges cover"),
        (bomb, "image is 6000x6000 px; at most 4000x4000 px"),
    ],
)
def test_capture_refuses_naming_the_finger_and_saves_nothing(
    officer_lt: User, ridge_png: Callable[[int], bytes], data: Callable[[], bytes], problem: str
) -> None:
    person = new_person(officer_lt, "LT")
    files = {1: ("thumb.png", ridge_png(1)), 2: ("index.png", data())}
    with pytest.raises(ValidationError) as caught:
        services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    assert list(caught.value.message_dict) == ["finger_2"]
    (text,) = caught.value.message_dict["finger_2"]
    assert text.startswith("Right index") and problem in text
    assert nothing_saved()


def test_an_image_larger_than_a_finger_names_the_limit_in_inches(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    wide = png(np.full((600, 1100), 200, np.uint8))  # 2.2 x 1.2 in at 500 ppi
    with pytest.raises(ValidationError) as caught:
        services.capture_images(officer_lt, person.pk, {1: ("slap.png", wide)}, {
            p: "bandaged" for p in range(2, 11)
        })  # fmt: skip
    text = caught.value.message_dict["finger_1"][0]
    assert "Right thumb (slap.png)" in text and "at most 2 x 2 in" in text
    assert nothing_saved()


def test_nist_gets_the_same_caps_and_ridge_check(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    missing = {p: "unable" for p in range(3, 11)}
    from tests.engines.fingerprint.ridge_pattern import ridge_image

    flat = write_nist(
        [
            FingerImage(1, ridge_image(seed=1), 500.0),
            FingerImage(2, np.full((300, 300), 200, np.uint8), 500.0),
        ]
    )
    with pytest.raises(ValidationError) as caught:
        services.capture_nist(officer_lt, person.pk, "arrest.an2", flat, missing)
    assert "Right index: no usable ridge area" in caught.value.message_dict["finger_2"][0]
    wide = write_nist([FingerImage(2, np.full((600, 1100), 200, np.uint8), 500.0)])
    with pytest.raises(ValidationError) as caught:
        services.capture_nist(officer_lt, person.pk, "arrest.an2", wide, missing)
    text = caught.value.message_dict["nist"][0]
    assert "arrest.an2" in text and "finger position 2" in text and "at most 2 x 2 in" in text
    assert nothing_saved()


def test_nist_file_above_its_byte_cap_is_refused_unparsed(
    officer_lt: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = new_person(officer_lt, "LT")
    monkeypatch.setattr(capture, "read_nist", lambda data: pytest.fail("parsed"))
    big = b"1.001:" + bytes(capture.MAX_NIST_BYTES)
    with pytest.raises(ValidationError, match=r"arrest\.an2: file is larger than 64 MB"):
        services.capture_nist(officer_lt, person.pk, "arrest.an2", big, EIGHT_MISSING)
    assert nothing_saved()


def test_recapture_gets_the_same_checks(
    officer_lt: User, ridge_png: Callable[[int], bytes]
) -> None:
    person = new_person(officer_lt, "LT")
    files = {1: ("thumb.png", ridge_png(1)), 2: ("index.png", ridge_png(2))}
    fs = services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    before = Finger.objects.get(fingerprint_set=fs, position=2)
    for data in (blank(), noise(), bomb()):
        with pytest.raises(ValidationError, match="Right index"):
            services.recapture_finger(officer_lt, fs.pk, 2, "again.png", data)
    after = Finger.objects.get(fingerprint_set=fs, position=2)
    assert (after.quality, after.template, after.image.name) == (
        before.quality, before.template, before.image.name,
    )  # fmt: skip


# --- no path enrols a template of quality 0 ---------------------------------------------------


def _quality_zero(position: int) -> Template:
    t = synthetic.impression(3, 1, position, 0)
    return Template(t.x, t.y, t.angle, t.kind, t.minutia_quality, t.width, t.height, 0, position)


def test_store_set_refuses_quality_zero(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    finger = CapturedFinger(2, b"", _quality_zero(2))
    with pytest.raises(ValidationError, match="Right index: quality 0"):
        store_set(officer_lt, person.pk, [finger], {}, "images")
    assert nothing_saved()


def test_synthetic_enrolment_refuses_quality_zero(officer_lt: User) -> None:
    person = new_person(officer_lt, "LT")
    from django.utils import timezone

    with pytest.raises(ValidationError, match="quality 0"):
        services.bulk_enrol_synthetic([(person.pk, {2: _quality_zero(2)}, timezone.now())])
    assert not FingerprintSet.objects.exists()


def test_the_gallery_never_enrols_quality_zero() -> None:
    good = synthetic.impression(3, 2, 1, 0)
    gallery.enrol(1, {2: _quality_zero(2)})
    assert gallery.size() == 0
    found, searched = gallery.search_and_enrol(2, {2: _quality_zero(2)})
    assert (found, searched, gallery.size()) == ([], 0, 0)
    gallery.enrol(3, {1: good, 2: _quality_zero(2)})
    assert gallery.size() == 1 and gallery.finger_count() == 1
    assert gallery.rebuild([(4, {2: _quality_zero(2)}), (5, {1: good})]) == 1


# --- the capture form and the API -------------------------------------------------------------


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _post(files: dict[int, bytes]) -> dict[str, Any]:
    data: dict[str, Any] = {f"finger_{p}": _upload(f"f{p}.png", b) for p, b in files.items()}
    data.update({f"missing_{p}": "bandaged" for p in range(1, 11) if p not in files})
    return data


def test_capture_form_names_a_blank_finger_after_extraction_and_saves_no_set(
    officer_lt: User, client_for: Callable[[User], Client], ridge_png: Callable[[int], bytes]
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    url = f"/registration/persons/{person.pk}/fingerprints/"
    response = client.post(url, _post({1: ridge_png(1), 2: blank()}))
    assert response.status_code == 302  # decoding passed: extraction is the background task's
    job = CaptureJob.objects.get()
    assert services.run_capture(job.pk).status == "failed"
    job.refresh_from_db()
    assert "Right index: no usable ridge area" in job.errors["finger_2"]
    assert sorted(job.kept()) == [1] and not FingerprintSet.objects.exists()


def test_capture_form_refuses_a_file_above_the_byte_cap_without_reading_it(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(capture, "MAX_UPLOAD_BYTES", 2**20)
    person = new_person(officer_lt, "LT")
    big = np.random.default_rng(0).bytes(2**20 + 1)
    response = client_for(officer_lt).post(
        f"/registration/persons/{person.pk}/fingerprints/", _post({1: ridge_png(1), 2: big})
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Right index (f2.png): file is larger than 1 MB." in body
    job = CaptureJob.objects.get()  # a draft: the accepted thumb is held, the index named
    assert job.status == "draft" and sorted(job.kept()) == [1]
    assert job.errors["finger_2"] == "Right index (f2.png): file is larger than 1 MB."
    assert not FingerprintSet.objects.exists()


@override_settings(UPLOAD_MAX_FILE_BYTES=100_000)
def test_a_file_beyond_the_upload_cap_is_not_stored_and_is_named(
    officer_lt: User, client_for: Callable[[User], Client], ridge_png: Callable[[int], bytes]
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    huge = bytes(300_000)
    response = client.post(f"/registration/persons/{person.pk}/fingerprints/", _post({2: huge}))
    assert response.status_code == 422
    body = response.content.decode()
    assert (
        "Right index (f2.png): file is larger than 16 MB." in body and "Nothing was saved" in body
    )
    api = client.post(
        f"{API}/persons/{person.pk}/fingerprints",
        {**_post({1: ridge_png(1), 2: huge})},
    )
    assert api.status_code == 422
    assert api.json()["detail"] == {
        "finger_2": ["Right index (f2.png): file is larger than 16 MB."]
    }
    assert not CaptureJob.objects.exists() and nothing_saved()


def test_the_upload_handler_keeps_nothing_beyond_its_cap() -> None:
    from django.core.files.uploadhandler import MemoryFileUploadHandler
    from django.http.multipartparser import MultiPartParser
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from borderwatch.core.uploads import CappedUploadHandler, OversizedUpload

    body = encode_multipart(BOUNDARY, {"finger_1": _upload("a.png", bytes(300_000))})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    with override_settings(UPLOAD_MAX_FILE_BYTES=100_000):
        handlers = [CappedUploadHandler(), MemoryFileUploadHandler()]
        _, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    upload = files["finger_1"]
    assert isinstance(upload, OversizedUpload) and upload.read() == b""
    assert upload.size > 100_000


def test_api_capture_of_a_noise_finger_fails_naming_it(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            f"{API}/persons/{person.pk}/fingerprints", _post({1: ridge_png(1), 2: noise()})
        )
    assert queued.status_code == 202  # it decodes: only extraction finds no ridges
    capture = client.get(f"{API}/captures/{queued.json()['id']}").json()
    assert capture["status"] == "failed" and capture["fingerprint_set_id"] is None
    assert capture["errors"]["finger_2"].startswith("Right index: no usable ridge area")
    assert not FingerprintSet.objects.exists()


def test_genuine_fvc_fingers_are_captured(
    officer_lt: User, fvc: Callable[[int, int], tuple[str, bytes]]
) -> None:
    person = new_person(officer_lt, "LT")
    files = {1: fvc(101, 1), 2: fvc(108, 8)}
    fs = services.capture_images(officer_lt, person.pk, files, EIGHT_MISSING)
    assert all(f.quality > 0 for f in fs.fingers.exclude(template=None))
