"""A registration officer registers a person from an event and uploads ten fingerprint images;
the search finds the person Poland enrolled before; a Lithuanian fingerprint expert compares the
prints side by side and confirms; the person page then shows the link."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data, report_event
from borderwatch.core.roles import Role
from borderwatch.registration import services
from borderwatch.registration.models import Hit, IdentificationRequest, PersonLink
from tests.border.conftest import event_input
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.registration.conftest import png

pytestmark = pytest.mark.browser


def _finger(position: int, impression: int) -> bytes:
    """Deterministic synthetic print of `position`: its own ridge tilt, fresh sensor noise
    per impression (so the two captures are not byte-identical)."""
    return png(ridge_image(tilt=0.15 + 0.07 * position, seed=100 * impression + position))


def test_officer_registers_identifies_and_expert_confirms(
    logged_in_page: Callable[[User], Any],
    make_user: Callable[..., User],
    live_server: Any,
    tmp_path: Path,
) -> None:
    ensure_reference_data()
    guard = make_user(Role.BORDER_GUARD, "LT")
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    expert = make_user(Role.FINGERPRINT_EXPERT, "LT")
    officer_pl = make_user(Role.REGISTRATION_OFFICER, "PL")
    event = report_event(guard, event_input(persons=1, nationalities={"IQ": 1}))
    # Poland registered and searched the same person before (its set is in the gallery)
    enrolled = services.create_person(
        officer_pl, member_state="PL", name_transliterated="Enrolled Before", nationality="IQ",
        eurodac_category=2, sex="M",
    )  # fmt: skip
    services.capture_images(
        officer_pl,
        enrolled.pk,
        {p: (f"{p}.png", _finger(p, 1)) for p in range(1, 11)},
        {},
        identify=True,
    )
    files = []
    for p in range(1, 11):
        path = tmp_path / f"finger-{p}.png"
        path.write_bytes(_finger(p, 2))
        files.append(path)

    page = logged_in_page(officer)
    page.goto(f"{live_server.url}/border/events/{event.pk}/")
    page.click("#register-persons")
    page.fill("[aria-label='Name as written (original script), row 1']", "علي حسن")
    page.fill("[aria-label='Name in Latin letters, row 1']", "Ali Hassan")
    page.fill("[aria-label='Date of birth, row 1']", "1994")
    page.select_option("[aria-label='Sex, row 1']", "M")
    page.fill("[aria-label='Claimed nationality, row 1']", "IQ")
    page.press("[aria-label='Claimed nationality, row 1']", "Enter")
    page.locator(".messages li").wait_for()
    assert "1 person(s) registered" in page.locator(".messages").inner_text()

    page.click("text=Capture fingerprints")
    for p, path in enumerate(files, start=1):
        page.set_input_files(f"input[name=finger_{p}]", str(path))
    page.click("#capture-submit")
    page.wait_for_url("**/registration/sets/*/")  # extracted in the background, then the set
    assert page.locator("#finger-quality tr[data-position]").count() == 10
    assert not IdentificationRequest.objects.filter(fingerprint_set__person__member_state="LT")
    page.click("#start-identification")  # the search is its own step, after the review
    page.wait_for_url("**/registration/identifications/*/")
    panel = page.locator(".progress-panel[data-status=done]")
    panel.wait_for()
    assert "100 %" in panel.inner_text()
    # a pending hit is the fingerprint expert's to see: the officer learns only that one waits
    assert page.locator("#hits .hit-row").count() == 0
    assert "1 hit awaits verification" in page.locator("#awaiting-verification").inner_text()
    assert enrolled.reference not in page.content()
    assert "Enrolled Before" not in page.content()
    # the tests' task backend ran the search during the upload; replay a running search to see
    # the page poll (htmx, every second) until the worker reports it done
    req = IdentificationRequest.objects.get(fingerprint_set__person__member_state="LT")
    IdentificationRequest.objects.filter(pk=req.pk).update(status="running", progress=30)
    page.goto(f"{live_server.url}/registration/identifications/{req.pk}/")
    assert "30 %" in page.locator(".progress-panel[data-status=running]").inner_text()
    IdentificationRequest.objects.filter(pk=req.pk).update(status="done", progress=100)
    page.locator(".progress-panel[data-status=done] #awaiting-verification").wait_for(timeout=5_000)
    page.click("text=Sign out")

    page = logged_in_page(expert)
    page.click("nav >> text=Hits to verify")
    page.click("#review-queue .open-hit")
    figure = page.locator("figure.compare").first
    figure.wait_for()
    assert page.locator("figure.compare").count() == 10
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.compare image')].length === 20"
    )
    # both prints load through the scoped image view (the browser fetches them with the session)
    for selector in ("image.query-image", "image.candidate-image"):
        href = figure.locator(selector).get_attribute("href")
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status == 200 and response.body().startswith(b"\x89PNG")
    assert figure.locator("g.pair").count() >= 4
    assert figure.locator("line.pair-line").count() == figure.locator("g.pair").count()
    page.click("#confirm-hit")
    page.locator(".messages li").wait_for()
    assert "Hit confirmed" in page.locator(".messages").inner_text()
    hit = Hit.objects.get()
    assert hit.status == "confirmed" and hit.decided_by == expert
    assert PersonLink.objects.filter(person=hit.person, other=enrolled).exists()

    page.click(f"a[href='/registration/persons/{hit.person_id}/']")
    links = page.locator("#links")
    assert "Confirmed" in links.inner_text() and enrolled.reference in links.inner_text()
