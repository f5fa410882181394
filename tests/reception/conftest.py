"""Facilities, persons and managers for the reception tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.reception.models import Facility
from borderwatch.reception.services import save_facility
from borderwatch.registration.models import Person
from borderwatch.registration.services import create_person

JULY = dt.date(2021, 7, 6)


@pytest.fixture
def manager_lt(make_user: Callable[..., User]) -> User:
    return make_user(Role.RECEPTION_MANAGER, "LT")


@pytest.fixture
def manager_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.RECEPTION_MANAGER, "PL")


@pytest.fixture
def make_facility(db: None) -> Callable[..., Facility]:
    counter = iter(range(1, 1000))

    def make(state: str = "LT", **values: Any) -> Facility:
        n = next(counter)
        defaults: dict[str, Any] = {
            "member_state": state,
            "name": f"Facility {state} {n}",
            "kind": "reception_centre",
            "latitude": 54.9,
            "longitude": 25.3,
            "capacity_single_men": 2,
            "capacity_single_women": 2,
            "capacity_families": 4,
            "capacity_unaccompanied_minors": 1,
            "medical": False,
            "interpreters": True,
            "capacity_is_estimate": True,
            "source_note": "test",
        }
        defaults.update(values)
        return save_facility(None, f"{state.lower()}-test-{n}", **defaults)

    return make


@pytest.fixture
def make_person(db: None) -> Callable[..., Person]:
    def make(state: str = "LT", **values: Any) -> Person:
        defaults: dict[str, Any] = {
            "member_state": state,
            "name_transliterated": "Test Person",
            "sex": "M",
            "nationality": "IQ",
            "eurodac_category": 2,
            "synthetic": True,
        }
        defaults.update(values)
        return create_person(None, **defaults)

    return make
