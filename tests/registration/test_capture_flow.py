"""The capture as the officer lives it: files checked and held, extraction in the background with
progress, a refused file that costs only itself, and the search as a separate step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.registration import services
from borderwatch.registration.models import (
    CaptureJob,
    FingerprintSet,
    IdentificationRequest,
)
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _post(files: dict[int, bytes], missing: str = "bandaged", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"finger_{p}": _upload(f"f{p}.png", b) for p, b in files.items()}
    data.update({f"missing_{p}": missing for p in range(1, 11) if p not in files})
    data.update(extra)
    return data


def test_capture_runs_in_the_background_then_opens_the_set_without_searching(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    url = f"/registration/persons/{person.pk}/fingerprints/"
    response = client.post(url, _post({1: ridge_png(1), 2: ridge_png(2)}))
    job = CaptureJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registration/captures/{job.pk}/"
    assert job.status == "queued" and not FingerprintSet.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "every 1s" in page and "Queued · 0 %" in page and 'value="0"' in page
    # the worker reports per finger; the page shows what is happening and the bar agrees
    CaptureJob.objects.filter(pk=job.pk).update(
        status="running", progress=50, stage="Extracting features: Right index (2 of 2)"
    )
    poll = client.get(f"/registration/captures/{job.pk}/progress/").content.decode()
    assert "Extracting · 50 %" in poll and 'value="50"' in poll and "Right index (2 of 2)" in poll
    CaptureJob.objects.filter(pk=job.pk).update(status="queued", progress=0)
    done = services.run_capture(job.pk)
    assert done.status == "done" and done.files == {}
    fs = FingerprintSet.objects.get(person=person)
    poll = client.get(f"/registration/captures/{job.pk}/progress/")
    assert poll["HX-Redirect"] == f"/registration/sets/{fs.pk}/"
    assert client.get(f"/registration/captures/{job.pk}/")["Location"] == (
        f"/registration/sets/{fs.pk}/"
    )
    # the search is a separate step: nothing searched until the officer asks
    assert not IdentificationRequest.objects.exists()
    page = client.get(f"/registration/sets/{fs.pk}/").content.decode()
    assert "Search all member states" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registration/sets/{fs.pk}/identify/")
    assert IdentificationRequest.objects.get().status == "done"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"registration.capture.queue", "registration.fingerprints.capture"} <= actions


def test_a_refused_file_keeps_the_accepted_ones_on_the_server(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    url = f"/registration/persons/{person.pk}/fingerprints/"
    files: dict[int, bytes] = {p: ridge_png(p) for p in range(1, 11)}
    files[3] = b"%PDF-1.4 not a fingerprint"
    response = client.post(url, _post(files))
    assert response.status_code == 422
    page = response.content.decode()
    job = CaptureJob.objects.get()
    assert job.status == "draft" and sorted(job.kept()) == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert "Right middle (f3.png)" in page and "Nothing was saved" not in page
    assert "held: f1.png" in page and 'id="held-3"' not in page
    assert f'name="capture" value="{job.pk}"' in page
    assert not FingerprintSet.objects.exists()
    # choose only the refused file again: the capture completes with the held ones
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            url, {"capture": str(job.pk), "finger_3": _upload("new3.png", ridge_png(3))}
        )
    assert again.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"
    fs = FingerprintSet.objects.get(person=person)
    assert fs.fingers.filter(template__isnull=False).count() == 10
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "registration.capture.draft" in actions and "registration.capture.queue" in actions


def test_nothing_to_keep_saves_nothing(
    officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT")
    response = client_for(officer_lt).post(
        f"/registration/persons/{person.pk}/fingerprints/", _post({1: b"not an image"})
    )
    assert response.status_code == 422 and "Nothing was saved" in response.content.decode()
    assert not CaptureJob.objects.exists()


def test_a_finger_refused_by_extraction_is_named_and_the_rest_stay_held(
    officer_lt: User,
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.exceptions import ValidationError

    from borderwatch.registration import capture

    person = new_person(officer_lt, "LT")
    client = client_for(officer_lt)
    client.post(
        f"/registration/persons/{person.pk}/fingerprints/",
        _post({1: ridge_png(1), 2: ridge_png(2)}),
    )
    job = CaptureJob.objects.get()
    real = capture.extract

    def extract(raw: Any) -> Any:
        if raw[0].position == 2:
            raise ValidationError({"finger_2": "Right index: too few ridges to extract."})
        return real(raw)

    monkeypatch.setattr(capture, "extract", extract)
    assert services.run_capture(job.pk).status == "failed"
    job.refresh_from_db()
    assert sorted(job.kept()) == [1] and "finger_2" in job.errors
    page = client.get(f"/registration/captures/{job.pk}/").content.decode()
    assert "Right index: too few ridges" in page and 'id="choose-again"' in page
    assert "every 1s" not in page
    form = client.get(f"/registration/persons/{person.pk}/fingerprints/?capture={job.pk}")
    body = form.content.decode()
    assert "held: f1.png" in body and "Right index: too few ridges" in body
    assert not FingerprintSet.objects.exists()


def test_captures_are_scoped_to_the_persons_state(
    officer_lt: User,
    officer_pl: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    ridge_png: Callable[[int], bytes],
) -> None:
    person = new_person(officer_lt, "LT")
    client_for(officer_lt).post(
        f"/registration/persons/{person.pk}/fingerprints/", _post({1: ridge_png(1)})
    )
    job = CaptureJob.objects.get()
    for user in (officer_pl, make_user(Role.FRONTEX_ANALYST)):
        assert client_for(user).get(f"/registration/captures/{job.pk}/").status_code in {403, 404}
        progress = client_for(user).get(f"/registration/captures/{job.pk}/progress/")
        assert progress.status_code in {403, 404}
    # another state's officer cannot continue it either
    other = new_person(officer_pl, "PL")
    response = client_for(officer_pl).post(
        f"/registration/persons/{other.pk}/fingerprints/",
        {**_post({1: ridge_png(1)}), "capture": str(job.pk)},
    )
    assert response.status_code == 404


def test_set_page_shows_the_request_status_only_where_it_is_polled(
    officer_lt: User, client_for: Callable[[User], Client], ridge_png: Callable[[int], bytes]
) -> None:
    """The list said "Queued (0 %)" next to a bar saying "Done · 100 %": one rendering now."""
    person = new_person(officer_lt, "LT")
    fs = services.capture_images(
        officer_lt, person.pk, {1: ("f.png", ridge_png(1))},
        {p: "bandaged" for p in range(2, 11)},
    )  # fmt: skip
    IdentificationRequest.objects.create(fingerprint_set=fs, member_state="LT", progress=0)
    page = client_for(officer_lt).get(f"/registration/sets/{fs.pk}/").content.decode()
    assert "Queued" not in page and "0 %" not in page  # the slot loads the live status
    assert "registration/identifications/" in page and 'hx-trigger="load"' in page
