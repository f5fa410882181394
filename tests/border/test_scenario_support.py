"""What the scenario loader needs from border, through its services and selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.border.models import Event, ImpactAssessment
from borderwatch.border.sections import SectionFinder
from borderwatch.border.validation import validate_event
from borderwatch.core.models import AuditEntry
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")


def _synthetic(ref: str) -> Event:
    valid, errors = validate_event(
        event_input("LT-BY-09", ref=ref), tz=services.country_tz("LT"), finder=SectionFinder("LT")
    )
    assert valid is not None and not errors
    return services.create_events(None, "LT", [valid], synthetic=True)[0]


def test_selectors_for_system_callers(guard_lt: User) -> None:
    by_code = selectors.sections_by_code()
    assert by_code["LT-BY-16"].country_id == "LT" and "PL-BY-02" in by_code
    made = _synthetic("S-1")
    reported = services.report_event(guard_lt, event_input("LT-BY-09", ref="R-1"))
    assert {e.ref for e in selectors.events_by_ids([made.pk, reported.pk])} == {"S-1", "R-1"}


def test_remove_synthetic_events_keeps_reported_ones_and_is_audited(
    guard_lt: User, coordinator_lt: User
) -> None:
    _synthetic("S-1")
    _synthetic("S-2")
    reported = services.report_event(guard_lt, event_input("LT-BY-09", ref="R-1"))
    with pytest.raises(PermissionDenied):
        services.remove_synthetic_events(coordinator_lt)
    assert services.remove_synthetic_events() == 2
    assert list(Event.objects.values_list("pk", flat=True)) == [reported.pk]
    entry = AuditEntry.objects.get(action="border.events.remove_synthetic")
    assert entry.old_values == {"events": 2} and entry.actor_username == "system"
    assert services.remove_synthetic_events() == 0


def test_remove_scenario_assessments(guard_lt: User, coordinator_lt: User) -> None:
    services.report_event(
        guard_lt, event_input("LT-BY-09", persons=2000, nationalities={"IQ": 2000})
    )
    (scenario,) = services.propose_impact_levels(None, "LT", dt.date(2021, 7, 28))
    services.confirm_impact_level(coordinator_lt, scenario.pk, reason="Scenario: as proposed")
    kept = ImpactAssessment.objects.create(
        section=scenario.section, as_of=dt.date(2021, 8, 1), pressure_per_km=0,
        persons_in_window=0, proposed_level="low",
    )  # fmt: skip
    assert services.remove_scenario_assessments() == 1
    assert list(ImpactAssessment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert AuditEntry.objects.filter(action="border.impact.remove_scenario").count() == 1
