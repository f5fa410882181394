"""Fixtures: a Lithuanian and a Polish case officer, a registered person, the national rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.procedures import services
from borderwatch.procedures.models import AsylumApplication
from borderwatch.registration.models import Person
from tests.registration.conftest import new_person

MADE = dt.date(2021, 7, 2)  # a Friday; 6 July is a Lithuanian public holiday
TODAY = dt.date(2021, 12, 31)


@pytest.fixture
def officer_lt(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASE_OFFICER, "LT")


@pytest.fixture
def officer_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASE_OFFICER, "PL")


@pytest.fixture
def person_lt(db: None) -> Person:
    return new_person(None, "LT")


@pytest.fixture
def rules(db: None) -> None:
    services.seed_national_rules()


def walk(
    actor: User, case: AsylumApplication, *steps: tuple[str, dt.date], **kwargs: str
) -> AsylumApplication:
    """Take the steps in order (a decision's reason and the interview record filled in)."""
    for target, day in steps:
        case = services.advance(
            actor, case.pk, target, on=day, reason=kwargs.get("reason", "Reasoned decision."),
            interview_record="Interview held with an Arabic interpreter.", today=TODAY,
        )  # fmt: skip
    return case
