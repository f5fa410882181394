"""The scenario's support stage holds the reported facts (shared/SCENARIO.md) for any seed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.support import services
from borderwatch.support.models import (
    AssistanceRequest,
    Deployment,
    FundingDecision,
    InKindAid,
    Resource,
)

pytestmark = pytest.mark.django_db
D = dt.date


def _deployed(state: str, day: dt.date, kind: str = "officer", rtype: str = "") -> int:
    qs = Deployment.objects.filter(host_state=state, starts_on__lte=day, ends_on__gte=day,
                                   resource__kind=kind)  # fmt: skip
    return qs.filter(resource_type=rtype).count() if rtype else qs.count()


@pytest.mark.parametrize("seed", [1, 2021])
def test_support_facts(sections: None, seed: int) -> None:
    counts = services.load_scenario_support(seed)
    assert _deployed("LT", D(2021, 7, 29)) == 35
    assert _deployed("LV", D(2021, 7, 29)) == 4
    assert _deployed("LT", D(2021, 7, 29), "equipment", "fingerprint_scanner") > 0
    rbi = AssistanceRequest.objects.get(title="Rapid border intervention in Lithuania")
    assert (rbi.plan_from, rbi.plan_to, rbi.status) == (D(2021, 7, 30), D(2021, 11, 30), "deployed")
    on = D(2021, 8, 10)
    assert 95 <= _deployed("LT", on) <= 100
    assert _deployed("LT", on, "equipment", "patrol_car") == 30
    assert _deployed("LT", on, "equipment", "helicopter") == 2
    fund = FundingDecision.objects.get()
    assert (fund.offered, fund.offered_on) == (Decimal("12000000.00"), D(2021, 7, 28))
    assert (fund.awarded, fund.awarded_on) == (Decimal("36700000.00"), D(2021, 8, 11))
    assert InKindAid.objects.filter(item="tents", quantity_delivered__gt=0).exists()
    assert not AssistanceRequest.objects.filter(synthetic=False).exists()
    assert not Deployment.objects.filter(synthetic=False).exists()
    assert counts["deployments"] == Deployment.objects.count()
    services.remove_synthetic_support()
    assert not Deployment.objects.exists() and not Resource.objects.exists()
    assert not FundingDecision.objects.exists() and not InKindAid.objects.exists()


def test_deployments_and_funding_annotate_the_picture(
    sections: None, make_user: Callable[..., User]
) -> None:
    """Issue 11: the picture's story is fed by the app that owns Frontex deployments and EU
    funding (the support app's provider, registered by the picture), as the facts arrive."""
    from borderwatch.picture import story

    frontex = make_user(Role.FRONTEX_ANALYST, "")
    assert not [a for a in story.collect(frontex, D(2021, 7, 1), D(2021, 8, 31)) if
                a.owner_app == "support"]  # fmt: skip
    services.load_scenario_support(1)
    found = [
        (a.kind, a.member_state, a.day_from, a.title)
        for a in story.collect(frontex, D(2021, 7, 1), D(2021, 8, 31))
        if a.owner_app == "support"
    ]
    assert ("deployment", "LT", D(2021, 7, 30), "Rapid border intervention in Lithuania") in found
    kinds = {(kind, day) for kind, _state, day, _title in found}
    assert {("funding_offer", D(2021, 7, 28)), ("funding_award", D(2021, 8, 11))} <= kinds
    # nothing outside the period
    assert not [a for a in story.collect(frontex, D(2021, 1, 1), D(2021, 1, 31))
                if a.owner_app == "support"]  # fmt: skip
