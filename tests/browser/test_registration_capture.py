"""The capture page in the browser: a refused file leaves every other chosen file chosen (and held
on the server), the officer replaces only the refused one, the set opens for review, and the
search is a separate step. Each page passes axe-core (WCAG 2 A/AA)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.registration.models import CaptureJob, FingerprintSet, IdentificationRequest
from tests.browser.axe import assert_accessible
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.registration.conftest import new_person, png

pytestmark = pytest.mark.browser


def test_refused_file_keeps_the_others_chosen_then_review_then_search(
    logged_in_page: Callable[[User], Any],
    make_user: Callable[..., User],
    live_server: Any,
    tmp_path: Path,
) -> None:
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    person = new_person(officer, "LT")
    paths = {}
    for p in range(1, 11):
        paths[p] = tmp_path / f"finger-{p}.png"
        paths[p].write_bytes(png(ridge_image(tilt=0.1 * p, seed=p)))
    bad = tmp_path / "finger-3.pdf"
    bad.write_bytes(b"%PDF-1.4 not a fingerprint")

    page = logged_in_page(officer)
    page.goto(f"{live_server.url}/registration/persons/{person.pk}/")
    assert_accessible(page)
    page.click("#capture-link")
    assert_accessible(page)
    for p, path in paths.items():
        page.set_input_files(f"input[name=finger_{p}]", str(bad if p == 3 else path))
    page.click("#capture-submit")
    errors = page.locator("#capture-errors")
    errors.wait_for()
    assert "Right middle (finger-3.pdf)" in errors.inner_text()
    assert "Nothing was saved" not in errors.inner_text()
    # the browser kept what the officer chose, except the refused file; the server holds the rest
    chosen = page.evaluate(
        "[...document.querySelectorAll('input[type=file][name^=finger_]')]"
        ".map(i => [i.name, i.files.length])"
    )
    assert dict(chosen) == {f"finger_{p}": 0 if p == 3 else 1 for p in range(1, 11)}
    assert page.locator("#held-1").inner_text() == "held: finger-1.png"
    assert CaptureJob.objects.get().status == "draft"
    assert_accessible(page)

    page.set_input_files("input[name=finger_3]", str(paths[3]))
    page.click("#capture-submit")
    _wait_for_the_set_page(page)
    assert FingerprintSet.objects.filter(person=person).count() == 1
    assert page.locator("#finger-quality tr[data-position]").count() == 10
    assert not IdentificationRequest.objects.exists()
    assert_accessible(page)
    page.click("#start-identification")
    page.wait_for_url("**/registration/identifications/*/")
    page.locator(".progress-panel[data-status=done]").wait_for()
    assert_accessible(page)


def _wait_for_the_set_page(page: Any) -> None:
    """The capture's page hands over to the set's page once extraction is done; a loaded machine
    may take a while, and a refused capture stays on the capture's page: say which it was."""
    try:
        page.wait_for_url("**/registration/sets/*/", timeout=90_000)
    except Exception as exc:
        job = CaptureJob.objects.order_by("-pk").first()
        state = (job.status, job.stage, job.errors, job.progress) if job else None
        raise AssertionError(f"no set page at {page.url}; the capture: {state}") from exc


def test_capture_progress_page_polls_and_is_accessible(
    logged_in_page: Callable[[User], Any],
    make_user: Callable[..., User],
    live_server: Any,
) -> None:
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    person = new_person(officer, "LT")
    job = CaptureJob.objects.create(
        person=person, member_state="LT", status="running", progress=40, created_by=officer,
        stage="Extracting features: Right ring (4 of 10)",
    )  # fmt: skip
    page = logged_in_page(officer)
    page.goto(f"{live_server.url}/registration/captures/{job.pk}/")
    panel = page.locator("#capture-progress[data-status=running]")
    assert (
        "Extracting · 40 %" in panel.inner_text() and "Right ring (4 of 10)" in panel.inner_text()
    )
    assert page.locator("#capture-progress progress").get_attribute("value") == "40"
    assert_accessible(page)
    CaptureJob.objects.filter(pk=job.pk).update(
        status="failed", errors={"finger_4": "Right ring: too few ridges to extract."}
    )
    page.locator("#capture-progress[data-status=failed]").wait_for(timeout=5_000)
    assert "Right ring: too few ridges" in page.locator("#capture-refused").inner_text()
    assert_accessible(page)
