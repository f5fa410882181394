"""The registration fixtures (officers and experts of two states), and a small population."""

from __future__ import annotations

import datetime as dt

import pytest

from borderwatch.accounts.models import User
from borderwatch.registration.models import Person
from tests.registration.conftest import (  # noqa: F401
    border_data,
    english_afterwards,
    expert_lt,
    expert_pl,
    new_person,
    officer_lt,
    officer_pl,
)


@pytest.fixture
def lt_people(officer_lt: User) -> dict[str, Person]:  # noqa: F811
    """Lithuania's register: one person twice (respelt, estimated age) and a stranger."""

    def person(name: str, born: dt.date, sex: str = "M", **extra: object) -> Person:
        return new_person(
            officer_lt,
            "LT",
            name_transliterated=name,
            name_as_written="",
            date_of_birth=born,
            sex=sex,
            **extra,
        )

    return {
        "muhammad": person("Muhammad El-Hassan", dt.date(1990, 5, 3)),
        "mohammed": person("Mohammed Alhassan", dt.date(1990, 1, 1), dob_is_estimated=True),
        "omar": person("Omar Haddad", dt.date(1971, 1, 9)),
    }  # fmt: skip
