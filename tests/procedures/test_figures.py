"""The case counts behind the backlog: kept step by step by the services, they must equal a
recount after any sequence of writes (refused ones included), and the backlog read from them
must equal the same figures counted case by case in Python."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.procedures import services
from borderwatch.procedures.models import PENDING, AsylumApplication, CaseCount, Status
from borderwatch.procedures.selectors import AGE_BUCKETS, backlog
from borderwatch.procedures.services import figures
from borderwatch.procedures.services.applications import last_step_day
from borderwatch.procedures.services.erasure import erase_person_data
from borderwatch.procedures.workflow import APPLICATION
from tests.registration.conftest import new_person

STATES = ("LT", "LV", "PL")
FIRST_DAY = dt.date(2021, 6, 1)
TODAY = dt.date(2021, 12, 31)
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["make", "make", "advance", "advance", "advance", "extend", "erase"]),
        st.integers(0, 200),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=14,
)


@pytest.fixture
def officers(make_user: Callable[..., User]) -> dict[str, User]:
    services.seed_national_rules()
    return {state: make_user(Role.CASE_OFFICER, state) for state in STATES}


def _apply(op: str, a: int, b: int, officers: dict[str, User], people: list[int]) -> None:
    """One write through the services; a refused one must leave everything as it was."""
    cases = list(AsylumApplication.objects.order_by("pk"))
    if op == "make" or not cases:
        state = STATES[b % 3]
        person = new_person(None, state)
        people.append(person.pk)
        services.make_application(
            officers[state], person_id=person.pk, made_on=FIRST_DAY + dt.timedelta(days=a % 150),
            at_border_crossing_point=True, today=TODAY,
        )  # fmt: skip
        return
    case = cases[b % len(cases)]
    officer = officers[case.member_state]
    if op == "advance":  # one to seven steps of one case, each on a later day
        for step in range(1 + a % 7):
            moves = APPLICATION.from_state(case.status)
            if not moves:
                return
            forward = [m for m in moves if m.target != Status.IMPLICITLY_WITHDRAWN] or moves
            pool = moves if a % 5 == 0 else forward  # withdrawal ends most walks otherwise
            target = pool[(a * 7 + b + step * 13) % len(pool)].target
            day = min(last_step_day(case) + dt.timedelta(days=(a + step) % 25), TODAY)
            case = services.advance(
                officer, case.pk, target, on=day, reason="Reasoned decision.",
                interview_record="Interview held.", today=TODAY,
            )  # fmt: skip
            event(f"reached {target}")
    elif op == "extend":  # a lodged case awaiting its decision where there is one
        waiting = [c for c in cases if c.lodged_on and c.status in PENDING] or [case]
        case = waiting[b % len(waiting)]
        services.extend_decision_period(
            officers[case.member_state], case.pk, months=1 + a % 9, reason="More time."
        )
    else:
        with transaction.atomic():
            erase_person_data(case.person_id)


def _oracle(day: dt.date) -> tuple[dict[str, list[int]], int, int, dict[str, Counter[str]]]:
    """The backlog's figures for every state, counted case by case."""
    pending = {str(s): [0] * len(AGE_BUCKETS) for s in PENDING}
    appeals = overdue = 0
    outcomes: dict[str, Counter[str]] = {}
    for case in AsylumApplication.objects.all():
        if case.made_on > day:
            continue
        age = (day - case.made_on).days
        if case.status in pending:
            for i, (low, high) in enumerate(AGE_BUCKETS):
                if age >= low and (high is None or age <= high):
                    pending[case.status][i] += 1
        appeals += case.status == Status.APPEALED
        overdue += case.due_on is not None and case.due_on < day
        if case.decided_on is not None and case.decided_on <= day:
            row = outcomes.setdefault(case.nationality, Counter())
            row["decisions"] += 1
            row[case.decision] += 1
            row["appeals"] += case.appealed_on is not None and case.appealed_on <= day
    return pending, appeals, overdue, outcomes


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS, day_offset=st.integers(0, 214))
def test_counts_kept_by_the_services_equal_a_recount_and_a_case_by_case_count(
    officers: dict[str, User], make_user: Callable[..., User],
    operations: list[tuple[str, int, int]], day_offset: int,
) -> None:  # fmt: skip
    with transaction.atomic():  # each example starts from an empty table and leaves it so
        people: list[int] = []
        for op, a, b in operations:
            before = figures.kept_counts()
            try:
                with transaction.atomic():
                    _apply(op, a, b, officers, people)
                event(f"{op} done")
            except ValidationError:
                event(f"{op} refused")
                assert figures.kept_counts() == before  # refused: nothing changed
        assert figures.differences() == {}

        day = FIRST_DAY + dt.timedelta(days=day_offset)
        figures_read = backlog(make_user(Role.FRONTEX_ANALYST), day)
        pending, appeals, overdue, outcomes = _oracle(day)
        assert figures_read.pending == pending
        assert figures_read.appeals_pending == appeals
        assert figures_read.overdue == overdue
        read = {
            row.nationality: (row.decisions, row.refugee, row.subsidiary, row.appeals)
            for row in figures_read.outcomes
        }
        assert read == {
            nationality: (
                c["decisions"], c[Status.REFUGEE_STATUS], c[Status.SUBSIDIARY_PROTECTION],
                c["appeals"],
            )
            for nationality, c in outcomes.items()
        }  # fmt: skip
        transaction.set_rollback(True)


def test_check_names_a_wrong_count_and_rebuild_repairs_it(officers: dict[str, User]) -> None:
    person = new_person(None, "LT")
    services.make_application(
        officers["LT"], person_id=person.pk, made_on=dt.date(2021, 7, 5),
        at_border_crossing_point=True, today=TODAY,
    )  # fmt: skip
    call_command("procedure_figures", "check")  # agrees
    CaseCount.objects.filter(measure="made").update(n=5)
    with pytest.raises(CommandError, match=r"1 count\(s\) differ.*LT/made/2021-07-05/made"):
        call_command("procedure_figures", "check")
    call_command("procedure_figures", "rebuild")
    assert figures.differences() == {}
    assert CaseCount.objects.get(measure="made").n == 1


def test_taking_off_a_count_that_is_not_there_fails_loudly(db: None) -> None:
    key = ("LT", "made", dt.date(2021, 7, 5), "made", "", "")
    with pytest.raises(
        figures.CountDrift, match=r"LT/made/2021-07-05/made/.*procedure_figures rebuild"
    ):
        figures.recount([key], [])
    figures.recount([], [key])
    figures.recount([key], [])
    assert CaseCount.objects.get().n == 0
    with pytest.raises(figures.CountDrift):
        figures.recount([key], [])
