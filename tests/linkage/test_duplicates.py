"""Possible duplicates before a person is saved: own state only, any script, never a link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.linkage import selectors
from borderwatch.registration.models import Person
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(officer_lt: User, officer_pl: User) -> dict[str, Person]:
    return {
        "lt": new_person(officer_lt, "LT", name_transliterated="Muhammad El-Hassan",
                         name_as_written="", date_of_birth=dt.date(1990, 5, 3), sex="M"),
        "other": new_person(officer_lt, "LT", name_transliterated="Omar Haddad",
                            name_as_written="", date_of_birth=dt.date(1971, 1, 9), sex="M"),
        "pl": new_person(officer_pl, "PL", name_transliterated="Mohammed Al-Hassan",
                         name_as_written="محمد الحسن", date_of_birth=dt.date(1990, 5, 3), sex="M"),
    }  # fmt: skip


def test_a_name_in_arabic_script_finds_the_transliterated_record(
    officer_lt: User, people: dict[str, Person]
) -> None:
    found = selectors.possible_duplicates(
        officer_lt,
        name_transliterated="Mohamad Alhassan",
        name_as_written="محمد الحسن",
        date_of_birth=dt.date(1990, 1, 1),
        dob_is_estimated=True,
        sex="M",
    )
    assert [d.id for d in found] == [people["lt"].pk]  # never PL's record, nor Omar Haddad
    assert "dob_year" in found[0].reasons


def test_only_registration_roles_of_a_state(make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        selectors.possible_duplicates(
            make_user(Role.FRONTEX_ANALYST, ""), name_transliterated="Ali"
        )


def test_the_api(
    officer_lt: User,
    people: dict[str, Person],
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(officer_lt)
    body = client.get("/api/linkage/duplicates", {"name": "Mohammed Hassan"}).json()
    assert [d["id"] for d in body] == [people["lt"].pk]
    assert client.get("/api/linkage/duplicates", {"name": "x"}).status_code == 422
    manager = client_for(make_user(Role.RECEPTION_MANAGER, "LT"))
    assert manager.get("/api/linkage/duplicates", {"name": "Mohammed"}).status_code == 403
    assert Client().get("/api/linkage/duplicates", {"name": "Mohammed"}).status_code == 401
