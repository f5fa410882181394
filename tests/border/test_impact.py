from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.border.models import BorderSection, ImpactLevel
from borderwatch.core.models import AuditEntry, TransitionRecord
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")


def _persons_on(guard: User, section: str, persons: int, day: dt.date, ref: str) -> None:
    when = dt.datetime.combine(day, dt.time(22, 0), tzinfo=dt.UTC)
    services.report_event(
        guard,
        event_input(
            section, ref=ref, persons=persons, nationalities={"IQ": persons}, occurred_at=when
        ),
    )


@pytest.mark.parametrize(
    ("per_km", "level"),
    [
        (0.0, "low"),
        (0.99, "low"),
        (1.0, "medium"),
        (4.0, "high"),
        (12.0, "critical"),
        (50.0, "critical"),
    ],
)
def test_threshold_table(settings, per_km: float, level: str) -> None:  # type: ignore[no-untyped-def]
    settings.IMPACT_THRESHOLDS_PER_KM = {"medium": 1.0, "high": 4.0, "critical": 12.0}
    assert services.level_for_pressure(per_km) == level


def test_proposal_from_last_seven_days_then_confirmation(
    settings,
    guard_lt: User,
    coordinator_lt: User,  # type: ignore[no-untyped-def]
) -> None:
    settings.IMPACT_THRESHOLDS_PER_KM = {"medium": 1.0, "high": 4.0, "critical": 12.0}
    section = BorderSection.objects.get(code="LT-BY-16")
    persons = int(section.length_km * 5) + 1  # > 4 persons/km: high
    _persons_on(guard_lt, "LT-BY-16", persons, dt.date(2021, 7, 25), "I1")
    _persons_on(guard_lt, "LT-BY-16", 500, dt.date(2021, 7, 10), "I0")  # outside the window
    proposals = services.propose_impact_levels(None, "LT", dt.date(2021, 7, 27))
    assert [(p.section.code, p.proposed_level) for p in proposals] == [("LT-BY-16", "high")]
    assert proposals[0].persons_in_window == persons
    # the same proposal is not made twice
    assert services.propose_impact_levels(None, "LT", dt.date(2021, 7, 27)) == []

    with pytest.raises(PermissionDenied):
        services.confirm_impact_level(guard_lt, proposals[0].pk)
    with pytest.raises(ValidationError, match="Say why"):
        services.confirm_impact_level(coordinator_lt, proposals[0].pk, ImpactLevel.CRITICAL)
    assert selectors.level_in_force(section, dt.date(2021, 7, 27)) == "low"  # until confirmed
    confirmed = services.confirm_impact_level(
        coordinator_lt, proposals[0].pk, ImpactLevel.CRITICAL, "groups of 40+ reported"
    )
    assert selectors.level_in_force(section, dt.date(2021, 7, 27)) == "critical"
    entry = AuditEntry.objects.get(action="border.impact.confirm")
    assert entry.old_values == {"status": "proposed"}
    assert entry.new_values["level"] == "critical" and entry.new_values["status"] == "confirmed"
    (step,) = TransitionRecord.objects.filter(object_id=str(confirmed.pk))
    assert (step.source, step.target, step.actor, step.reason) == (
        "proposed", "confirmed", coordinator_lt, "groups of 40+ reported"
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already confirmed"):
        services.confirm_impact_level(coordinator_lt, confirmed.pk)


def test_coordinator_of_another_state_cannot_confirm(
    guard_lt: User,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    from borderwatch.core.roles import Role

    _persons_on(guard_lt, "LT-BY-09", 2000, dt.date(2021, 7, 26), "I2")
    proposal = services.propose_impact_levels(None, "LT", dt.date(2021, 7, 27))[0]
    with pytest.raises(PermissionDenied):
        services.confirm_impact_level(make_user(Role.NATIONAL_COORDINATOR, "PL"), proposal.pk)


def test_an_older_assessment_applies_only_until_the_newer_one(
    settings,
    guard_lt: User,
    coordinator_lt: User,  # type: ignore[no-untyped-def]
) -> None:
    """Defect: confirming a proposal as of 28 Jul after a 29 Aug one made it the current level."""
    from borderwatch.border import selectors

    settings.IMPACT_THRESHOLDS_PER_KM = {"medium": 1.0, "high": 4.0, "critical": 12.0}
    section = BorderSection.objects.get(code="LT-BY-16")
    medium, critical = int(section.length_km * 2) + 1, int(section.length_km * 13) + 1
    _persons_on(guard_lt, "LT-BY-16", critical, dt.date(2021, 8, 27), "A-AUG")
    (august,) = services.propose_impact_levels(None, "LT", dt.date(2021, 8, 29))
    services.confirm_impact_level(coordinator_lt, august.pk)
    _persons_on(guard_lt, "LT-BY-16", medium, dt.date(2021, 7, 26), "A-JUL")
    (july,) = services.propose_impact_levels(None, "LT", dt.date(2021, 7, 28))
    assert july.proposed_level == "medium"
    services.confirm_impact_level(coordinator_lt, july.pk)

    assert selectors.current_levels(coordinator_lt)[section.pk] == "critical"
    assert selectors.level_in_force(section, dt.date(2021, 7, 27)) == "low"
    assert selectors.level_in_force(section, dt.date(2021, 7, 28)) == "medium"
    assert selectors.level_in_force(section, dt.date(2021, 8, 28)) == "medium"
    assert selectors.level_in_force(section, dt.date(2021, 8, 29)) == "critical"
    assert selectors.levels_in_force([section], dt.date(2021, 8, 1)) == {section.pk: "medium"}


def test_rejected_proposal_leaves_the_level_and_needs_a_reason(
    guard_lt: User, coordinator_lt: User
) -> None:
    _persons_on(guard_lt, "LT-BY-09", 2000, dt.date(2021, 7, 26), "R1")
    proposal = services.propose_impact_levels(None, "LT", dt.date(2021, 7, 27))[0]
    with pytest.raises(ValidationError, match="reason"):
        services.reject_impact_level(coordinator_lt, proposal.pk, "  ")
    with pytest.raises(PermissionDenied):
        services.reject_impact_level(guard_lt, proposal.pk, "not for guards")
    rejected = services.reject_impact_level(coordinator_lt, proposal.pk, "sensor double count")
    assert (rejected.status, rejected.level, rejected.reason) == (
        "rejected", "", "sensor double count"
    )  # fmt: skip
    assert selectors.level_in_force(proposal.section, dt.date(2021, 7, 27)) == "low"
    assert AuditEntry.objects.filter(action="border.impact.reject").count() == 1
    with pytest.raises(ValidationError, match="already rejected"):
        services.confirm_impact_level(coordinator_lt, proposal.pk)
    # the same pressure may be proposed again (the rejected one is not open)
    assert len(services.propose_impact_levels(None, "LT", dt.date(2021, 7, 27))) == 1


def test_workflow_table() -> None:
    from borderwatch.border.workflow import IMPACT

    moves = {(t.source, t.target, t.needs_reason) for t in IMPACT.transitions}
    assert moves == {("proposed", "confirmed", False), ("proposed", "rejected", True)}
    assert {t.target for t in IMPACT.from_state("confirmed")} == set()
