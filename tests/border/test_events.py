from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.border.models import Event, EventNationality
from borderwatch.core.models import AuditEntry
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")


def test_report_finds_section_and_local_day(guard_lt: User) -> None:
    event = services.report_event(guard_lt, event_input("LT-BY-16"))
    assert event.section.code == "LT-BY-16"
    assert event.local_date == dt.date(2021, 7, 27)
    assert dict(event.nationalities.values_list("nationality", "persons")) == {"IQ": 10, "SY": 2}
    entry = AuditEntry.objects.get(action="border.event.report")
    assert entry.actor == guard_lt and entry.object_id == str(event.pk)
    assert entry.new_values["persons"] == 12


def test_local_day_follows_the_country_time_zone(guard_lt: User) -> None:
    # 23:30 UTC on 26 July is 02:30 on 27 July in Vilnius.
    when = dt.datetime(2021, 7, 26, 23, 30, tzinfo=dt.UTC)
    event = services.report_event(guard_lt, event_input(occurred_at=when))
    assert event.local_date == dt.date(2021, 7, 27)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"latitude": 54.90, "longitude": 23.90}, "outside every section"),  # Kaunas
        ({"nationalities": {"ZZ": 12}}, "Nationalities: 'ZZ' is not an ISO 3166-1"),
        ({"nationalities": {"IQ": 11}}, "add up to 11, but Number of persons is 12"),
        ({"persons": 0, "nationalities": {"IQ": 0}}, "Number of persons: must be at least 1"),
        ({"event_type": "riot"}, "Type of event: 'riot' is not one of"),
        ({"source": "rumour"}, "Source: 'rumour' is not one of"),
        ({"occurred_at": "2021-03-28T03:15"}, "2021-03-28T03:15 does not exist in Europe/Vilnius"),
        ({"latitude": "north"}, "Latitude: 'north' is not a number"),
    ],
)
def test_bad_input_is_named_and_writes_nothing(
    guard_lt: User, overrides: dict, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.report_event(guard_lt, event_input(**overrides))
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="border.event").exists()


def test_future_timestamp_is_rejected(guard_lt: User) -> None:
    with pytest.raises(ValidationError, match="in the future"):
        services.report_event(
            guard_lt, event_input(occurred_at=timezone.now() + dt.timedelta(hours=2))
        )
    assert not Event.objects.exists()


def test_duplicate_ref_is_rejected(guard_lt: User) -> None:
    services.report_event(guard_lt, event_input())
    with pytest.raises(ValidationError, match="already exists"):
        services.report_event(guard_lt, event_input(persons=3, nationalities={"IQ": 3}))
    assert Event.objects.count() == 1


def test_roles_and_member_states(guard_lt: User, guard_pl: User, frontex: User) -> None:
    with pytest.raises(PermissionDenied):
        services.report_event(frontex, event_input(), member_state="LT")
    with pytest.raises(PermissionDenied):
        services.report_event(guard_pl, event_input(), member_state="LT")
    assert not Event.objects.exists()


def test_polish_guard_cannot_place_a_point_in_lithuania(guard_pl: User) -> None:
    with pytest.raises(ValidationError, match="outside every section"):
        services.report_event(guard_pl, event_input("LT-BY-16"))


def test_correct_keeps_old_and_new_values_with_reason(guard_lt: User) -> None:
    event = services.report_event(guard_lt, event_input())
    with pytest.raises(ValidationError, match="Say why"):
        services.correct_event(
            guard_lt, event.pk, event_input(persons=13, nationalities={"IQ": 13}), ""
        )
    corrected = services.correct_event(
        guard_lt, event.pk, event_input(persons=13, nationalities={"IQ": 13}), "recount at station"
    )
    assert corrected.persons == 13
    assert list(
        EventNationality.objects.filter(event=event).values_list("nationality", "persons")
    ) == [("IQ", 13)]
    entry = AuditEntry.objects.get(action="border.event.correct")
    assert entry.old_values["persons"] == 12 and entry.new_values["persons"] == 13
    assert entry.old_values["nationalities"] == {"IQ": 10, "SY": 2}
    assert entry.reason == "recount at station"


def test_delete_needs_reason_and_hides_event(guard_lt: User) -> None:
    event = services.report_event(guard_lt, event_input())
    with pytest.raises(ValidationError):
        services.delete_event(guard_lt, event.pk, "  ")
    services.delete_event(guard_lt, event.pk, "reported twice")
    assert not selectors.events(guard_lt).exists()
    assert selectors.events(guard_lt, include_deleted=True).get().deleted_reason == "reported twice"


def test_selectors_scope_by_member_state(guard_lt: User, guard_pl: User, frontex: User) -> None:
    services.report_event(guard_lt, event_input())
    services.report_event(guard_pl, event_input("PL-BY-02", ref="P-1"))
    assert {e.country_id for e in selectors.events(guard_lt)} == {"LT"}
    assert {e.country_id for e in selectors.events(guard_pl)} == {"PL"}
    assert {e.country_id for e in selectors.events(frontex)} == {"LT", "PL"}
    assert {s.country_id for s in selectors.sections(guard_pl)} == {"PL"}
