"""Frontex coverage on the picture's map and the support forms in the browser: Frontex sees the
officers and equipment per section (a section where pressure rises and coverage is thin stands
out), switches the layer off and on, and rotates an officer through the deployment's form (a
refused date says why); Lithuania's coordinator sees only Lithuania's coverage and may not
rotate; the Commission records an award on the funding decision's page and aid in kind on the
funding page. Each page passes axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.support import services
from borderwatch.support.models import Deployment, InKindAid
from tests.browser.axe import assert_accessible
from tests.picture.data import add_event, make_border
from tests.support.conftest import deployed_to

pytestmark = pytest.mark.browser
D = dt.date


def _filter(page: Any, countries: list[str], start: str, end: str) -> None:
    for box in page.locator("input[name=country]").all():
        box.set_checked(box.get_attribute("value") in countries)
    page.fill("input[name=start]", start)
    page.fill("input[name=end]", end)
    page.click("form.filters button[type=submit]")
    # each change of the filters swaps the figures and reloads the map layers: let them all
    # answer (the live server serves one request at a time) before the test moves on
    page.wait_for_load_state("networkidle")


def test_coverage_layer_rotation_and_aid_forms(
    logged_in_page: Callable[[User], Any], live_server: Any, make_user: Callable[..., User]
) -> None:
    sections = make_border()
    frontex = make_user(Role.FRONTEX_ANALYST)
    coordinator = make_user(Role.NATIONAL_COORDINATOR, "LT")
    commission = make_user(Role.COMMISSION_VIEWER)
    req = deployed_to(frontex, coordinator, "LT-BY-01", border_surveillance=10, patrol_car=1)
    services.offer_resources(frontex, contributing_state="PL", resource_type="border_surveillance",
                             number=1, available_from=D(2021, 8, 1), available_to=D(2021, 12, 31))  # fmt: skip
    for state in ("LT", "PL"):
        add_event(sections[state], D(2021, 7, 30), {"IQ": 5})
        add_event(sections[state], D(2021, 8, 9), {"IQ": 40})
    base = live_server.url

    page = logged_in_page(frontex)
    _filter(page, ["LT", "LV", "PL"], "2021-08-01", "2021-08-10")
    map_box = page.locator("#map")
    expect(map_box).to_have_attribute("data-extra", "coverage:2")
    expect(page.locator(".map-badge")).to_have_count(2)
    expect(page.locator(".map-badge:not(.alert)")).to_have_text("10 · 1")  # LT: 10 per 100 km
    expect(page.locator(".map-badge.alert.empty")).to_have_count(1)  # PL: rising, none there
    expect(page.locator(".map-badge.alert")).to_have_attribute(
        "title", "PL-BY-01: officers 0, equipment 0; pressure rising, coverage thin"
    )
    legend = page.locator("#legend-extra")
    expect(legend).to_contain_text("Frontex coverage on")
    expect(legend).to_contain_text("pressure rising, coverage thin")
    assert_accessible(page)
    toggle = page.locator("input[name=layer][value=coverage]")
    toggle.uncheck()
    expect(page.locator(".map-badge")).to_have_count(0)
    expect(map_box).not_to_have_attribute("data-extra", "coverage:2")
    _filter(page, ["LT", "PL"], "2021-08-01", "2021-08-10")  # stays off across a new period
    expect(page.locator("input[name=layer][value=coverage]")).not_to_be_checked()
    expect(page.locator(".map-badge")).to_have_count(0)
    page.locator("input[name=layer][value=coverage]").check()
    expect(page.locator(".map-badge")).to_have_count(2)

    # the rotation form, reached from the request's deployments
    page.goto(f"{base}/support/{req.pk}/")
    page.locator("#deployments a.rotate-link").first.click()
    page.wait_for_selector("#rotate")
    assert_accessible(page)
    page.fill("#rotate input[name=on]", "2021-12-15")
    page.click("#rotate-go")
    expect(page.locator("#rotate")).to_contain_text("A rotation falls after the deployment starts")
    assert_accessible(page)
    before = Deployment.objects.count()
    page.fill("#rotate input[name=on]", "2021-09-01")
    page.click("#rotate-go")
    page.wait_for_url(f"{base}/support/{req.pk}/")
    expect(page.locator("#deployments")).to_contain_text("PL-BORD-0001 (rotation)")
    assert Deployment.objects.count() == before + 1
    page.context.clear_cookies()

    # Lithuania's coordinator: Lithuania's coverage only, and no rotation to make
    page = logged_in_page(coordinator)
    _filter(page, ["LT"], "2021-08-01", "2021-08-10")
    expect(page.locator("#map")).to_have_attribute("data-extra", "coverage:1")
    page.goto(f"{base}/support/{req.pk}/")
    expect(page.locator("#deployments a.rotate-link")).to_have_count(0)
    page.context.clear_cookies()

    # the Commission awards money on the decision's page (a negative amount is refused), then
    # records aid in kind on the funding page
    services.offer_funding(
        commission,
        beneficiary_state="LT",
        instrument="amif_ea",
        title="Urgent needs",
        amount="12000000.00",
        offered_on=D(2021, 7, 28),
    )
    page = logged_in_page(commission)
    page.goto(f"{base}/support/funding/")
    page.click("#funding >> text=Urgent needs")
    page.wait_for_selector("#award")
    page.fill("#award input[name=award-amount]", "-36700000")
    page.fill("#award input[name=award-awarded_on]", "2021-08-11")
    page.click("#award-go")
    expect(page.locator("#award")).to_contain_text("An amount cannot be negative.")
    assert_accessible(page)
    page.fill("#award input[name=award-amount]", "36700000.00")
    page.click("#award-go")
    expect(page.locator("#awarded")).to_contain_text("36700000.00")
    page.goto(f"{base}/support/funding/")
    form = page.locator("#aid-offer")
    form.locator("select[name=aid-beneficiary_state]").select_option("LT")
    form.locator("select[name=aid-contributing_state]").select_option("EE")
    form.locator("select[name=aid-item]").select_option("tents")
    form.locator("input[name=aid-quantity]").fill("0")
    form.locator("input[name=aid-offered_on]").fill("2021-07-15")
    page.click("#aid-offer-go")
    expect(page.locator("#aid-offer")).to_contain_text("Offer between 1 and")
    assert not InKindAid.objects.exists()
    page.locator("#aid-offer input[name=aid-quantity]").fill("20")
    page.click("#aid-offer-go")
    expect(page.locator("#aid")).to_contain_text("Tents")
    delivery = page.locator("#delivery")
    delivery.locator("input[name=delivery-quantity]").fill("15")
    delivery.locator("input[name=delivery-on]").fill("2021-07-20")
    page.click("#delivery-go")
    expect(page.locator("#aid tbody")).to_contain_text("15")
    assert_accessible(page)
    assert InKindAid.objects.get().quantity_delivered == 15
