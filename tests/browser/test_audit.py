"""The coordinator's audit path in Chromium: filter the trail (a bad date is named), open a
person's access log from the person's page, produce the data-subject access document; every
page state passes axe-core (WCAG 2 A/AA)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from tests.browser.axe import assert_accessible
from tests.test_personal_data_matrix import build_world

pytestmark = pytest.mark.browser


def test_a_coordinator_filters_the_trail_and_answers_a_subject_access_request(
    logged_in_page: Callable[[User], Any], make_user: Callable[..., User], live_server: Any
) -> None:
    world = build_world(make_user)
    pl_officer = User.objects.get(username="w.officer.pl")
    client = Client()
    client.force_login(pl_officer)
    assert client.get(f"/api/registration/hits/{world.hit}").status_code == 200
    coordinator = make_user(Role.NATIONAL_COORDINATOR, "LT")
    page = logged_in_page(coordinator)

    page.click("nav >> text=Audit trail")
    page.wait_for_url("**/audit/")
    assert "w.officer.pl" in page.locator("#audit-entries").inner_text()
    assert_accessible(page)

    # a date typed by hand where the browser has no date picker
    page.evaluate("document.getElementById('id_start').type = 'text'")
    page.fill("#id_start", "2021-13-40")
    page.click("#audit-filters button[type=submit]")
    assert "From: enter a date as YYYY-MM-DD." in page.locator("#audit-filters").inner_text()
    assert page.locator("#audit-entries").count() == 0
    assert_accessible(page)

    page.goto(f"{live_server.url}/audit/")
    page.fill("#id_user", "w.officer.pl")
    page.select_option("#id_action", Action.HIT_VIEW.value)
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url("**/audit/?*user=w.officer.pl*")
    rows = page.locator("#audit-entries tbody tr")
    assert rows.count() == 1 and "registration.hit.view" in rows.first.inner_text()
    assert "user=w.officer.pl" in (page.locator("#export-csv").get_attribute("href") or "")
    assert_accessible(page)

    page.goto(f"{live_server.url}/registration/persons/{world.lt_person}/")
    assert "Read by 1 user outside the member state" in page.locator("#access-log").inner_text()
    page.click("#access-log-link")
    page.wait_for_url(f"**/audit/persons/{world.lt_person}/")
    assert "w.officer.pl" in page.locator("#recipients").inner_text()
    assert_accessible(page)

    page.click("#subject-access")
    page.wait_for_url(f"**/audit/persons/{world.lt_person}/record/")
    document = page.locator("#subject-record").inner_text()
    assert world.lt_reference in document and "A1234567" in document
    assert "Matrix centre" in document and "w.officer.pl" in document
    assert_accessible(page)
    produced = AuditEntry.objects.get(action=Action.AUDIT_SUBJECT_ACCESS)
    assert (produced.actor, produced.new_values) == (coordinator, {"format": "html"})
