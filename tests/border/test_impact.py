from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.border import services
from borderwatch.border.models import BorderSection, ImpactLevel
from borderwatch.core.models import AuditEntry
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
    confirmed = services.confirm_impact_level(
        coordinator_lt, proposals[0].pk, ImpactLevel.CRITICAL, "groups of 40+ reported"
    )
    assert services.current_level(section) == "critical"
    entry = AuditEntry.objects.get(action="border.impact.confirm")
    assert entry.old_values == {"level": "low"} and entry.new_values["level"] == "critical"
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
