"""The scenario's asylum cases: every generated move is allowed by the table, decisions under
the July 2021 law fall within 10 days, Iraqi applicants are mostly refused, with appeals."""

from __future__ import annotations

import datetime as dt

import pytest

from borderwatch.core.models import TransitionRecord
from borderwatch.procedures import services
from borderwatch.procedures.models import NEGATIVE, POSITIVE, AsylumApplication, Status
from borderwatch.registration.models import Person
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db


def _applicants(n: int) -> list[services.Applicant]:
    people: list[Person] = [
        new_person(None, "LT", synthetic=True, nationality="IQ" if i % 10 else "SY")
        for i in range(n)
    ]
    return [
        services.Applicant(p.pk, "LT", p.nationality, dt.date(2021, 7, 1 + i % 31))
        for i, p in enumerate(people)
    ]


def test_scenario_cases_follow_the_law_and_are_marked_generated() -> None:
    counts = services.open_scenario_applications(_applicants(80), seed=2021)
    cases = list(AsylumApplication.objects.all())
    assert counts["applications"] == len(cases) == 80
    assert all(c.synthetic for c in cases)
    under_law = [c for c in cases if c.lodged_on and c.lodged_on >= dt.date(2021, 7, 13)]
    assert under_law and all(c.national_rule is not None for c in under_law)
    for c in under_law:
        if c.decided_on and c.decision != Status.IMPLICITLY_WITHDRAWN:
            assert (c.decided_on - c.lodged_on).days <= 10
    iraqi = [c for c in cases if c.nationality == "IQ" and c.decision]
    refused = [c for c in iraqi if c.decision in NEGATIVE]
    assert len(refused) > 0.75 * len(iraqi)
    assert any(c.appealed_on for c in refused)
    rows = TransitionRecord.objects.filter(workflow="procedures.application").count()
    assert rows >= 4 * len(cases)
    granted = [c for c in cases if c.status in POSITIVE]
    for c in granted:
        person = Person.objects.get(pk=c.person_id)
        assert person.eurodac_category == 1 and person.protection_granted_on == c.decided_on
    assert services.remove_synthetic_applications() == 80


def test_scenario_returns_charter_voluntary_and_afghan_cases() -> None:
    """Lithuania's charter of 2 January 2022 (98 on board where the cases allow), voluntary
    returns with EUR 1,000, Afghan cases under the six states' letter; all marked generated."""
    from decimal import Decimal

    from borderwatch.procedures.models import (
        CountryPolicy,
        ReadmissionRequest,
        ReturnCase,
        ReturnFlight,
    )
    from borderwatch.procedures.return_workflow import READMISSION, RETURN_CASE
    from borderwatch.procedures.services.policies import returns_policy
    from borderwatch.procedures.services.return_scenario import CHARTER_DAY

    services.open_scenario_applications(_applicants(300), seed=2021)
    counts = services.open_scenario_returns(seed=2021)
    cases = list(ReturnCase.objects.all())
    assert counts["return_cases"] == len(cases) > 0 and all(c.synthetic for c in cases)
    charter = ReturnFlight.objects.get(departs_on=CHARTER_DAY)
    aboard = list(charter.on_board.all())
    assert 0 < len(aboard) <= 98 and len(aboard) == counts["charter_on_board"]
    assert all(c.status == "returned" and c.returned_on == CHARTER_DAY for c in aboard)
    voluntary = [c for c in cases if c.kind == "voluntary" and c.status == "returned"]
    assert voluntary and all(c.assistance_amount == Decimal("1000.00") for c in voluntary)
    afghan = [c for c in cases if c.country == "AF"]
    assert {c.member_state for c in afghan} == {"DE", "AT", "NL"}
    for c in afghan:
        policy = returns_policy(c.member_state, "AF", c.decided_on)
        assert policy is not None and policy.kind == "returns_continued"
    assert CountryPolicy.objects.filter(country="AF").count() == 6
    assert ReadmissionRequest.objects.filter(reminders__gt=0).exists()
    workflows = {RETURN_CASE.name, READMISSION.name}
    assert TransitionRecord.objects.filter(workflow__in=workflows).count() >= 5 * len(aboard)
    assert services.remove_synthetic_returns() == len(cases)
    assert not ReturnCase.objects.exists()
