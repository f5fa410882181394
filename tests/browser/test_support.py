"""The main path of Frontex support in the browser: Lithuania's coordinator asks for patrol
cars, Frontex assesses, agrees the plan (a refused plan says why), deploys, and the fill rate
shows; the funding statement draws its chart and the overview prints; each page passes axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.roles import Role
from borderwatch.support import services
from borderwatch.support.models import AssistanceRequest
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
D = dt.date


def test_request_plan_deploy_fill_rate(
    logged_in_page: Callable[[User], Any], live_server: Any, make_user: Callable[..., User]
) -> None:
    ensure_reference_data()
    coordinator = make_user(Role.NATIONAL_COORDINATOR, "LT")
    frontex = make_user(Role.FRONTEX_ANALYST)
    commission = make_user(Role.COMMISSION_VIEWER)
    services.offer_resources(frontex, contributing_state="DE", resource_type="patrol_car",
                             number=4, available_from=D(2021, 7, 1), available_to=D(2021, 12, 31))  # fmt: skip
    fund = services.offer_funding(commission, beneficiary_state="LT", instrument="amif_ea",
                                  title="Urgent needs", amount="12000000.00",
                                  offered_on=D(2021, 7, 28))  # fmt: skip
    services.award_funding(commission, fund.pk, amount="36700000.00", awarded_on=D(2021, 8, 11))
    base = live_server.url
    page = logged_in_page(coordinator)
    page.click("text=Frontex support and EU funding")
    assert_accessible(page)
    page.fill("input[name=title]", "Patrol cars for the Belarus border")
    page.fill("input[name=submitted_on]", "2021-07-20")
    page.fill("input[name=period_from]", "2021-07-30")
    page.fill("input[name=period_to]", "2021-11-30")
    page.select_option("select[name=resource_type]", "patrol_car")
    page.fill("input[name=number]", "4")
    page.click("#submit-request")
    page.wait_for_selector("#fill-rate")
    assert_accessible(page)
    req = AssistanceRequest.objects.get()
    page.context.clear_cookies()
    page = logged_in_page(frontex)
    page.goto(f"{base}/support/{req.pk}/")
    page.click("#step-assessed")
    page.wait_for_selector("#step-plan_agreed")
    page.fill("input[name=plan_reference]", "RBI-LT-2021")
    page.fill("input[name=plan_from]", "2021-07-30")
    page.fill("input[name=plan_to]", "2021-07-01")
    page.click("#step-plan_agreed")
    assert "before it starts" in page.content()
    assert_accessible(page)
    page.fill("input[name=plan_to]", "2021-11-30")
    page.click("#step-plan_agreed")
    page.wait_for_selector("#deploy")
    page.select_option("#deploy select[name=resource_type]", "patrol_car")
    page.fill("#deploy input[name=number]", "3")
    page.click("#deploy-go")
    page.wait_for_selector("#step-deployed")
    assert_accessible(page)
    page.goto(f"{base}/support/{req.pk}/?day=2021-08-10")
    assert "75.0 %" in page.inner_text("#fill-rate")
    assert page.locator("#deployments tbody tr").count() == 3
    page.goto(f"{base}/support/funding/")
    page.wait_for_function("() => window.Chart && Chart.getChart('funding-chart') !== undefined")
    assert "36700000.00" in page.inner_text("#funding")
    assert_accessible(page)
    page.goto(f"{base}/support/overview/?day=2021-08-10")
    assert "Patrol car" in page.inner_text("#overview")
    assert_accessible(page)
