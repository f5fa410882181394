"""The daily rollups behind the figures: kept step by step by border's services, they must equal a
recount and a count of the events made event by event in Python after any sequence of writes
(refused ones included), and the figures read from them must equal the same figures summed
from the events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from borderwatch.accounts.models import User
from borderwatch.border import rollups, selectors, services
from borderwatch.border.imports import CSV_COLUMNS, import_events
from borderwatch.border.models import (
    ALL_NATIONALITIES,
    BorderSection,
    Event,
    EventRollup,
    EventStateRollup,
)
from borderwatch.border.validation import EventInput
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from tests.border.conftest import event_input, point_on

SECTIONS = ("LT-BY-09", "LT-BY-16", "PL-BY-03", "LV-BY-02")
TYPES = ("apprehension", "prevention_of_entry", "smuggling")
NATIONALITIES = ("IQ", "SY", "AF", "XX")
FIRST_DAY = dt.date(2021, 7, 1)
OFFSET = dt.timezone(dt.timedelta(hours=3))
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["report", "report", "correct", "correct", "delete", "import", "synthetic", "unload"]
        ),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=12,
)
refs = iter(range(1, 10**9))


@pytest.fixture
def guards(border_data: None, make_user: Callable[..., User]) -> dict[str, User]:
    return {state: make_user(Role.BORDER_GUARD, state) for state in ("LT", "LV", "PL")}


@dataclass(frozen=True)
class Drawn:
    """An event's values drawn from two integers: section, local time across midnight, type,
    persons split over one to three nationalities."""

    section: str
    occurred_at: dt.datetime
    event_type: str
    persons: int
    nationalities: dict[str, int]

    @classmethod
    def of(cls, a: int, b: int, section: str | None = None) -> Drawn:
        persons = 1 + b % 9
        codes = NATIONALITIES[: 1 + (a // 7) % 3][:persons]
        split = dict.fromkeys(codes, 1)
        split[codes[0]] += persons - len(codes)
        day = FIRST_DAY + dt.timedelta(days=(a // 3) % 4)
        return cls(
            section=section or SECTIONS[a % len(SECTIONS)],
            occurred_at=dt.datetime.combine(day, dt.time((b // 5) % 24, 30), tzinfo=OFFSET),
            event_type=TYPES[(a + b) % len(TYPES)],
            persons=persons,
            nationalities=split,
        )

    @property
    def state(self) -> str:
        return self.section[:2]

    def input(self, ref: str, **overrides: object) -> EventInput:
        values: dict[str, object] = {
            "occurred_at": self.occurred_at,
            "event_type": self.event_type,
            "persons": self.persons,
            "nationalities": dict(self.nationalities),
        }
        return event_input(self.section, ref=ref, **{**values, **overrides})


def _apply(op: str, a: int, b: int, guards: dict[str, User]) -> None:
    """One write through border's services; a refused one must change nothing."""
    live = list(Event.objects.live().order_by("pk"))
    drawn = Drawn.of(a, b)
    if op == "report" or (op in ("correct", "delete") and not live):
        if live and b % 11 == 0:  # refused: the ref exists in that state
            first = live[0]
            section = next(s for s in SECTIONS if s[:2] == first.country_id)
            data = Drawn.of(a, b, section).input(first.ref)
            services.report_event(guards[first.country_id], data)
            return
        extra = {"persons": 0} if a % 13 == 0 else {}  # refused: no persons
        services.report_event(guards[drawn.state], drawn.input(f"R-{next(refs)}", **extra))
    elif op == "correct":
        target = live[b % len(live)]
        section = drawn.section
        if section[:2] != target.country_id:  # a correction stays in the event's state
            section = [s for s in SECTIONS if s[:2] == target.country_id][a % 2 - 1]
        reason = "" if a % 17 == 0 else "corrected count"  # refused: no reason
        data = Drawn.of(a, b, section).input(target.ref)
        services.correct_event(guards[target.country_id], target.pk, data, reason)
    elif op == "delete":
        target = live[b % len(live)]
        reason = "" if a % 19 == 0 else "duplicate report"  # refused: no reason
        services.delete_event(guards[target.country_id], target.pk, reason)
    elif op == "import":
        content = _csv(a, b, drawn.state)
        import_events(guards[drawn.state], drawn.state, content, file_name="f.csv", fmt="csv")
    elif op == "synthetic":
        services.create_synthetic_events(drawn.state, [drawn.input(f"S-{next(refs)}")])
    else:
        services.remove_synthetic_events()


def _csv(a: int, b: int, state: str) -> bytes:
    """One to three rows of one state; a bad type (a % 5 == 0) refuses the whole file."""
    lines = [",".join(CSV_COLUMNS)]
    sections = [s for s in SECTIONS if s[:2] == state]
    for i in range(1 + a % 3):
        drawn = Drawn.of(a + i * 31, b + i * 7, sections[i % len(sections)])
        lat, lon = point_on(drawn.section)
        shares = ";".join(f"{c}:{n}" for c, n in drawn.nationalities.items())
        kind = "nonsense" if a % 5 == 0 and i == 0 else drawn.event_type
        lines.append(
            f"I-{next(refs)},{drawn.occurred_at.isoformat()},{kind},{lat},{lon},"
            f"{drawn.persons},{shares},patrol,unit,"
        )
    return ("\n".join(lines) + "\n").encode()


def _oracle() -> rollups.Tally:
    """The rollups counted event by event in Python."""
    found: dict[rollups.Key, list[int]] = defaultdict(lambda: [0, 0])
    for e in Event.objects.prefetch_related("nationalities"):
        if e.deleted_at is not None:
            continue
        base = (e.country_id, e.section_id, e.local_date, e.event_type)
        for code, persons in [(ALL_NATIONALITIES, e.persons)] + [
            (n.nationality, n.persons) for n in e.nationalities.all()
        ]:
            found[(*base, code)][0] += persons
            found[(*base, code)][1] += 1
    return {key: (p, n) for key, (p, n) in found.items()}


def _states_oracle() -> dict[rollups.StateKey, rollups.Counts]:
    """The states' rollups counted event by event in Python (sections not looked at)."""
    found: dict[rollups.StateKey, list[int]] = defaultdict(lambda: [0, 0])
    for e in Event.objects.prefetch_related("nationalities"):
        if e.deleted_at is not None:
            continue
        for code, persons in [(ALL_NATIONALITIES, e.persons)] + [
            (n.nationality, n.persons) for n in e.nationalities.all()
        ]:
            found[(e.country_id, e.local_date, e.event_type, code)][0] += persons
            found[(e.country_id, e.local_date, e.event_type, code)][1] += 1
    return {key: (p, n) for key, (p, n) in found.items()}


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_rollups_kept_by_the_services_equal_a_rebuild_and_an_event_by_event_count(
    guards: dict[str, User], frontex: User, operations: list[tuple[str, int, int]]
) -> None:
    with transaction.atomic():  # each example starts from no events and leaves none
        for op, a, b in operations:
            before = (rollups.kept(), rollups.kept_states())
            try:
                with transaction.atomic():
                    _apply(op, a, b, guards)
                event(f"{op} done")
            except ValidationError as exc:
                event(f"{op} refused: {exc.messages[0][:40]}")
                assert (rollups.kept(), rollups.kept_states()) == before  # refused: no change
        expected = _oracle()
        expected_states = _states_oracle()
        assert rollups.kept() == expected
        assert rollups.kept_states() == expected_states
        assert rollups.differences() == {}
        rollups.rebuild()
        assert rollups.kept() == expected
        assert rollups.kept_states() == expected_states

        # the figures read from the rollups equal the same sums over the events
        first, last = FIRST_DAY, FIRST_DAY + dt.timedelta(days=3)  # some days fall outside
        persons: dict[tuple[str, dt.date], int] = defaultdict(int)
        shares: dict[tuple[str, dt.date, str], int] = defaultdict(int)
        for (country, _section, day, kind, code), (p, _n) in expected.items():
            if kind != "apprehension" or not first <= day <= last:
                continue
            if code == ALL_NATIONALITIES:
                persons[(country, day)] += p
            else:
                shares[(country, day, code)] += p
        per_section: dict[tuple[str, dt.date], int] = defaultdict(int)
        codes = dict(BorderSection.objects.values_list("id", "code"))
        for (_country, section, day, kind, code), (p, _n) in expected.items():
            if kind == "apprehension" and first <= day <= last and code == ALL_NATIONALITIES:
                per_section[(codes[section], day)] += p
        read_sections = selectors.section_daily_persons(
            frontex, first, last, event_types=["apprehension"]
        )
        assert {(c, d): n for c, d, n in read_sections} == dict(per_section)
        read = selectors.daily_persons(frontex, first, last, event_types=["apprehension"])
        assert {(c, d): n for c, d, n in read} == dict(persons)
        read_shares = selectors.daily_nationalities(
            frontex, first, last, event_types=["apprehension"]
        )
        assert {(c, d, code): n for c, d, code, n in read_shares} == dict(shares)
        assert selectors.latest_event_day(frontex) == max(
            (key[2] for key in expected), default=None
        )
        transaction.set_rollback(True)


def test_scope_stays_in_the_selector(guards: dict[str, User]) -> None:
    lt, pl = guards["LT"], guards["PL"]
    services.report_event(lt, event_input("LT-BY-16", ref="A"))
    services.report_event(pl, event_input("PL-BY-03", ref="B"), member_state="PL")
    day = dt.date(2021, 7, 27)
    assert [c for c, _, _ in selectors.daily_persons(lt, day, day)] == ["LT"]
    assert selectors.daily_persons(lt, day, day, countries=["PL"]) == []
    assert {c for c, *_ in selectors.daily_nationalities(pl, day, day)} == {"PL"}


def test_check_names_a_wrong_rollup_and_rebuild_repairs_it_audited(
    guards: dict[str, User],
) -> None:
    services.report_event(guards["LT"], event_input("LT-BY-16", ref="A"))
    call_command("event_rollups", "check")  # agrees
    EventRollup.objects.filter(nationality="IQ").update(persons=7)
    with pytest.raises(CommandError, match=r"1 rollup\(s\) differ.*LT/.*/2021-07-27/apprehension"):
        call_command("event_rollups", "check")
    call_command("event_rollups", "rebuild")
    assert rollups.differences() == {}
    assert EventRollup.objects.get(nationality="IQ").persons == 10
    entry = AuditEntry.objects.get(action=Action.EVENT_ROLLUPS_REBUILD)
    assert entry.new_values == {"rows": 6, "events": 1, "persons": 12}  # 3 of a section, 3 of LT


def test_check_names_a_wrong_state_rollup_too(guards: dict[str, User]) -> None:
    services.report_event(guards["LT"], event_input("LT-BY-16", ref="A"))
    EventStateRollup.objects.filter(nationality="").update(events=2)
    with pytest.raises(
        CommandError, match=r"1 rollup\(s\) differ.*LT/2021-07-27/apprehension: kept"
    ):
        call_command("event_rollups", "check")
    call_command("event_rollups", "rebuild")
    assert EventStateRollup.objects.get(nationality="").events == 1


def test_taking_off_a_rollup_that_is_not_there_fails_loudly(border_data: None) -> None:
    section = BorderSection.objects.get(code="LT-BY-16").pk
    key: rollups.Key = ("LT", section, dt.date(2021, 7, 5), "apprehension", "")
    with pytest.raises(rollups.CountDrift, match=r"LT/.*/2021-07-05/apprehension/\*.*rebuild"):
        rollups.recount({key: (3, 1)}, {})
    rollups.recount({}, {key: (3, 1)})
    rollups.recount({key: (3, 1)}, {key: (1, 1)})
    assert EventRollup.objects.values_list("persons", "events").get() == (1, 1)
    with pytest.raises(rollups.CountDrift):
        rollups.recount({key: (2, 1)}, {})
