"""Fixtures: the reference sections, users of each support role, a request with a plan agreed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.roles import Role
from borderwatch.support import services
from borderwatch.support.models import AssistanceRequest, RequestStatus

PLAN = (dt.date(2021, 7, 30), dt.date(2021, 11, 30))


@pytest.fixture
def sections(db: None) -> None:
    ensure_reference_data()


@pytest.fixture
def coordinator_lv(make_user: Callable[..., User]) -> User:
    return make_user(Role.NATIONAL_COORDINATOR, "LV")


@pytest.fixture
def commission(make_user: Callable[..., User]) -> User:
    return make_user(Role.COMMISSION_VIEWER, "")


def deployed_to(
    frontex: User, coordinator: User, section: str, day: dt.date = PLAN[0], **numbers: int
) -> AssistanceRequest:
    """The coordinator's state asks for `numbers` (profile or type -> number) at `section`;
    Frontex plans them over PLAN and deploys as many, offered by Germany, from `day`."""
    state = coordinator.member_state
    req = services.submit_request(
        coordinator, host_state=state, title=f"Help for {state}", submitted_on=dt.date(2021, 7, 20),
        period_from=PLAN[0], period_to=PLAN[1], items=numbers, sections=[section],
    )  # fmt: skip
    services.advance_request(frontex, req.pk, RequestStatus.ASSESSED)
    services.advance_request(frontex, req.pk, RequestStatus.PLAN_AGREED,
                             plan_reference=f"OP-{state}", plan_from=PLAN[0], plan_to=PLAN[1])  # fmt: skip
    for kind, n in numbers.items():
        services.offer_resources(frontex, contributing_state="DE", resource_type=kind, number=n,
                                 available_from=dt.date(2021, 7, 1),
                                 available_to=dt.date(2021, 12, 31))  # fmt: skip
        services.deploy_number(frontex, req.pk, resource_type=kind, number=n, starts_on=day,
                               ends_on=PLAN[1], section=section)  # fmt: skip
    return req


def lt_section() -> str:
    from borderwatch.border.selectors import sections_by_code

    return sorted(c for c, s in sections_by_code().items() if s.country_id == "LT")[0]


@pytest.fixture
def planned(sections: None, coordinator_lt: User, frontex: User) -> AssistanceRequest:
    """Lithuania asks for 10 surveillance officers and 2 patrol cars; Frontex agrees a plan."""
    req = services.submit_request(
        coordinator_lt, host_state="LT", title="Rapid border intervention",
        submitted_on=dt.date(2021, 7, 20), period_from=PLAN[0], period_to=PLAN[1],
        items={"border_surveillance": 10, "patrol_car": 2}, sections=[lt_section()],
    )  # fmt: skip
    services.advance_request(frontex, req.pk, RequestStatus.ASSESSED)
    return services.advance_request(
        frontex, req.pk, RequestStatus.PLAN_AGREED, plan_reference="RBI-LT-2021",
        plan_from=PLAN[0], plan_to=PLAN[1],
    )  # fmt: skip
