"""Border measures: declared and ended by the state's coordinator, audited, read in scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.border.models import BorderMeasure, Country
from borderwatch.border.reference import COUNTRIES
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role

D = dt.date


@pytest.fixture(autouse=True)
def countries(db: None) -> None:
    for code, name, member, tz in COUNTRIES:
        Country.objects.create(code=code, name=name, is_member_state=member, timezone=tz)


@pytest.fixture
def coordinator_lv(make_user: Callable[..., User]) -> User:
    return make_user(Role.NATIONAL_COORDINATOR, "LV")


def _emergency(user: User | None, **overrides: object) -> BorderMeasure:
    values: dict[str, object] = {
        "member_state": "LV",
        "kind": "state_of_emergency",
        "starts": D(2021, 8, 11),
        "title": "State of emergency",
        "source": "Cabinet decision",
        "ends": D(2021, 11, 10),
    } | overrides
    return services.declare_measure(user, **values)  # type: ignore[arg-type]


def test_coordinator_declares_a_measure_audited(coordinator_lv: User) -> None:
    measure = _emergency(coordinator_lv)
    entry = AuditEntry.objects.get(action="border.measure.declare")
    assert entry.actor_id == coordinator_lv.pk and entry.member_state == "LV"
    assert entry.object_id == str(measure.pk)
    assert entry.new_values["kind"] == "state_of_emergency"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "curfew"}, "Kind 'curfew' is not one of"),
        ({"title": "  "}, "Give the measure a title"),
        ({"source": ""}, "Say where the measure comes from"),
        ({"ends": D(2021, 8, 1)}, "ends (2021-08-01) before it starts (2021-08-11)"),
    ],
)
def test_bad_input_is_refused_naming_the_problem(
    coordinator_lv: User, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _emergency(coordinator_lv, **overrides)
    assert any(message in m for m in refused.value.messages)
    assert not BorderMeasure.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="border.measure").exists()


def test_unknown_member_state_is_refused(db: None) -> None:
    with pytest.raises(ValidationError, match="Member state 'BY' is not one we map"):
        _emergency(None, member_state="BY")


@pytest.mark.parametrize(
    ("role", "state"),
    [(Role.BORDER_GUARD, "LV"), (Role.NATIONAL_COORDINATOR, "LT"), (Role.FRONTEX_ANALYST, "")],
)
def test_only_the_states_coordinator_declares(
    make_user: Callable[..., User], role: Role, state: str
) -> None:
    with pytest.raises(PermissionDenied):
        _emergency(make_user(role, state))
    assert not BorderMeasure.objects.exists()


def test_end_an_open_measure_and_a_change_needs_a_reason(
    coordinator_lv: User, coordinator_lt: User
) -> None:
    measure = _emergency(coordinator_lv, ends=None)
    with pytest.raises(PermissionDenied):
        services.end_measure(coordinator_lt, measure.pk, D(2021, 11, 10))
    with pytest.raises(ValidationError, match="before it starts"):
        services.end_measure(coordinator_lv, measure.pk, D(2021, 8, 1))
    services.end_measure(coordinator_lv, measure.pk, D(2021, 11, 10))
    with pytest.raises(ValidationError, match="say why it changes"):
        services.end_measure(coordinator_lv, measure.pk, D(2022, 2, 10))
    services.end_measure(coordinator_lv, measure.pk, D(2022, 2, 10), reason="extended")
    measure.refresh_from_db()
    assert measure.ends == D(2022, 2, 10)
    ends = AuditEntry.objects.filter(action="border.measure.end").order_by("id")
    assert [e.old_values["ends"] for e in ends] == [None, "2021-11-10"]
    assert ends.last().reason == "extended"  # type: ignore[union-attr]


def test_selector_is_scoped_and_filters_by_period(
    coordinator_lv: User, coordinator_lt: User, frontex: User, guard_pl: User
) -> None:
    _emergency(coordinator_lv)
    services.declare_measure(
        coordinator_lt, "LT", "turn_back_order", D(2021, 8, 3), "Turn-backs", "Minister's order"
    )
    assert [m.member_state for m in selectors.measures(frontex)] == ["LT", "LV"]
    assert [m.member_state for m in selectors.measures(coordinator_lt)] == ["LT"]
    assert selectors.measures(guard_pl) == []
    # in force on at least one day of the period
    assert [m.member_state for m in selectors.measures(frontex, D(2021, 8, 4), D(2021, 8, 10))] == [
        "LT"
    ]
    assert [m.kind_label for m in selectors.measures(frontex, D(2021, 12, 1), D(2021, 12, 2))] == [
        "Turn-back (pushback) order"
    ]
    assert selectors.measures(frontex, D(2021, 7, 1), D(2021, 8, 2)) == []


def test_scenario_measures_come_through_the_service_once(db: None) -> None:
    first = services.declare_scenario_measures()
    again = services.declare_scenario_measures()
    assert [m.pk for m in first] == [m.pk for m in again]
    facts = {(m.member_state_id, m.kind, m.starts, m.ends) for m in first}
    assert ("LV", "state_of_emergency", D(2021, 8, 11), D(2021, 11, 10)) in facts
    assert ("LT", "turn_back_order", D(2021, 8, 3), None) in facts
    assert AuditEntry.objects.filter(action="border.measure.declare").count() == 2
    assert services.remove_scenario_measures() == 2
    assert not BorderMeasure.objects.exists()


def test_scenario_measures_are_system_only(coordinator_lv: User) -> None:
    with pytest.raises(PermissionDenied):
        services.declare_scenario_measures(coordinator_lv)


def test_api_declare_end_and_list(
    client_for: Callable[[User], Client], coordinator_lv: User, coordinator_lt: User
) -> None:
    client = client_for(coordinator_lv)
    body = {
        "member_state": "LV", "kind": "fence", "title": "Fence announced", "starts": "2021-08-10",
        "source": "Government statement",
    }  # fmt: skip
    created = client.post("/api/border/measures", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.post(
        "/api/border/measures", body | {"kind": "wall"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "Kind 'wall'" in bad.content.decode()
    other = client_for(coordinator_lt).post(
        f"/api/border/measures/{pk}/end", {"ends": "2021-12-01"}, content_type="application/json"
    )
    assert other.status_code == 404
    ended = client.post(
        f"/api/border/measures/{pk}/end", {"ends": "2021-12-01"}, content_type="application/json"
    )
    assert ended.status_code == 200 and ended.json()["ends"] == "2021-12-01"
    listed = client.get("/api/border/measures?start=2021-11-01&end=2021-11-30").json()
    assert [m["kind_label"] for m in listed] == ["Fence"]
    assert client_for(coordinator_lt).get("/api/border/measures").json() == []
