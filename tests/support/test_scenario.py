"""The scenario's support stage holds the reported facts (shared/SCENARIO.md) for any seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

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
