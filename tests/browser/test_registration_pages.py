"""Defects a registration officer met first, seen in the browser (issue 11): the Registrations
page opens on the latest day with registrations, a date of birth in the future is refused on its
row, a person's page names the other record of a hit (never the person itself), and a set's page
shows a search's status once, as the live progress shows it. Each page passes axe-core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data, report_event
from borderwatch.core.roles import Role
from borderwatch.registration import services
from borderwatch.registration.models import Hit, IdentificationRequest, Person
from tests.border.conftest import event_input
from tests.browser.axe import assert_accessible
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.browser


def test_registrations_open_on_the_latest_day_and_a_future_birth_is_refused(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    ensure_reference_data()
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    event = report_event(  # 27 July 2021, when the demo has data (not today)
        make_user(Role.BORDER_GUARD, "LT"), event_input(persons=2, nationalities={"IQ": 2})
    )
    known = new_person(officer, "LT", apprehension_event_id=event.pk)
    page = logged_in_page(officer)
    page.click("nav >> text=Registrations")
    main = page.locator("main").inner_text()
    assert "Registrations of 2021-07-27" in main and known.reference in main
    assert "latest day with registrations in Lithuania" in main
    assert_accessible(page)

    future = (timezone.localdate() + dt.timedelta(days=365 * 10)).isoformat()
    page.goto(f"{live_server.url}/registration/events/{event.pk}/persons/")
    if page.locator("#person-rows tr.person-row").count() < 2:
        page.click("#add-row")
    page.fill("[aria-label='Name in Latin letters, row 1']", "Ali Hassan")
    page.fill("[aria-label='Claimed nationality, row 1']", "IQ")
    page.fill("[aria-label='Name in Latin letters, row 2']", "Omar Hassan")
    page.fill("[aria-label='Date of birth, row 2']", future)
    page.fill("[aria-label='Claimed nationality, row 2']", "IQ")
    page.click("#register-group")
    page.locator("#group-errors").wait_for()
    rows = page.locator("#person-rows tr.person-row")
    assert f"Date of birth {future} is in the future." in rows.nth(1).inner_text()
    assert "has-errors" not in (rows.nth(0).get_attribute("class") or "")
    assert Person.objects.count() == 1  # nothing of the group was saved
    assert_accessible(page)


def test_a_persons_page_names_the_other_record_and_the_set_shows_one_status(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    officer = make_user(Role.REGISTRATION_OFFICER, "LT")
    expert = make_user(Role.FINGERPRINT_EXPERT, "LT")
    probe = synthetic_set(new_person(officer, "LT"), subject=1, impression=0)
    request = IdentificationRequest.objects.create(
        fingerprint_set=probe, member_state="LT", threshold=0.02, status="done", progress=100
    )
    candidate = new_person(officer, "LT")
    hit = Hit.objects.create(
        request=request, person=probe.person, candidate=candidate, rank=1, score=0.5, fmr=1e-6,
        candidate_set=synthetic_set(candidate, subject=2, impression=0),
    )  # fmt: skip
    services.decide_hit(expert, hit.pk, confirm=True)
    page = logged_in_page(officer)
    # the candidate's page: the other record is the searched person, not the candidate
    page.goto(f"{live_server.url}/registration/persons/{candidate.pk}/")
    links = page.locator("#links")
    assert probe.person.reference in links.inner_text()
    assert candidate.reference not in links.inner_text()
    assert links.locator(".person-link").get_attribute("href") == (
        f"/registration/persons/{probe.person_id}/"
    )
    # and the other way round
    page.goto(f"{live_server.url}/registration/persons/{probe.person_id}/")
    assert candidate.reference in page.locator("#links").inner_text()
    assert probe.person.reference not in page.locator("#links").inner_text()
    assert_accessible(page)

    # a search queued when the set's page opens and done while it is read: the page then says
    # "Done · 100 %" once, never "Queued (0 %)" beside it
    IdentificationRequest.objects.filter(pk=request.pk).update(status="queued", progress=0)
    page.goto(f"{live_server.url}/registration/sets/{probe.pk}/")
    page.locator(f"#progress-{request.pk}.progress-panel[data-status=queued]").wait_for()
    IdentificationRequest.objects.filter(pk=request.pk).update(status="done", progress=100)
    page.locator(f"#progress-{request.pk}.progress-panel[data-status=done]").wait_for()
    searches = page.locator("main").inner_text()
    assert "Queued" not in searches and searches.count("Done \u00b7 100 %") == 1
    assert_accessible(page)
