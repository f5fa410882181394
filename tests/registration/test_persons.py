from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.registration import selectors
from borderwatch.registration.models import Person
from borderwatch.registration.services import bulk_create_persons, create_person

pytestmark = pytest.mark.django_db

ROW = {
    "member_state": "LT",
    "name_as_written": "علي",
    "name_transliterated": "Ali",
    "sex": "M",
    "nationality": "iq",
    "eurodac_category": 2,
}


def test_create_person_validates_and_audits(guard_lt: User) -> None:
    person = create_person(guard_lt, **ROW)
    assert person.nationality == "IQ"
    entry = AuditEntry.objects.get(action="registration.person.create", object_id=str(person.pk))
    assert entry.actor == guard_lt
    assert entry.member_state == "LT"
    assert entry.new_values is not None and entry.new_values["nationality"] == "IQ"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nationality": "QQ"}, "nationality"),
        ({"eurodac_category": 4}, "eurodac_category"),
        ({"unaccompanied_minor": True}, "unaccompanied_minor"),
        ({"minor": True, "elderly": True}, "elderly"),
        ({"pregnancy": True}, "pregnancy"),
        ({"shoe_size": 42}, "shoe_size"),
    ],
)
def test_bad_person_is_refused_naming_the_field(
    guard_lt: User, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        create_person(guard_lt, **{**ROW, **change})
    assert field in caught.value.message_dict
    assert not Person.objects.exists()


def test_officer_cannot_register_for_another_state(guard_pl: User) -> None:
    with pytest.raises(PermissionDenied):
        create_person(guard_pl, **ROW)
    assert not Person.objects.exists()


def test_eu_roles_cannot_register(frontex: User) -> None:
    with pytest.raises(PermissionDenied):
        create_person(frontex, **ROW)


def test_bulk_create_is_all_or_nothing_and_names_the_row(guard_lt: User) -> None:
    rows = [ROW, {**ROW, "nationality": "ZZ"}, ROW]
    with pytest.raises(ValidationError) as caught:
        bulk_create_persons(guard_lt, rows)
    assert "Row 2" in str(caught.value)
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="registration.person.create").exists()


def test_bulk_create_saves_and_audits_each(guard_lt: User) -> None:
    created = bulk_create_persons(guard_lt, [ROW, {**ROW, "sex": "F"}, ROW])
    assert len(created) == 3 and all(p.pk for p in created)
    assert AuditEntry.objects.filter(action="registration.person.create").count() == 3


def test_selectors_are_scoped_by_state_and_role(
    guard_lt: User, guard_pl: User, frontex: User, make_user: Callable[..., User]
) -> None:
    lt = create_person(guard_lt, **ROW)
    pl = create_person(guard_pl, **{**ROW, "member_state": "PL"})
    assert list(selectors.persons(guard_lt)) == [lt]
    assert list(selectors.persons(guard_pl)) == [pl]
    assert not selectors.persons(frontex).exists()  # EU roles see no personal data
    with pytest.raises(Person.DoesNotExist):
        selectors.person(guard_lt, pl.pk)
    with pytest.raises(PermissionDenied):
        selectors.person(frontex, lt.pk)


def test_household_sizes_count_registered_members(guard_lt: User) -> None:
    bulk_create_persons(guard_lt, [{**ROW, "household": "H1"}] * 3 + [{**ROW, "household": "H2"}])
    assert selectors.household_sizes("LT", ["H1", "H2", "H3"]) == {"H1": 3, "H2": 1}


@pytest.mark.parametrize(
    "values",
    [
        {"unaccompanied_minor": True, "minor": False},
        {"eurodac_category": 4},
        {"eurodac_category": 4, "unaccompanied_minor": True, "minor": False},
        {"eurodac_category": "x", "unaccompanied_minor": True, "minor": False},
        {"sex": "?", "eurodac_category": 9},
    ],
)
@pytest.mark.django_db
def test_bulk_validation_names_the_same_errors_as_django_without_a_query_per_row(
    values: dict[str, object], django_assert_num_queries: Any
) -> None:
    """The check constraints are evaluated in Python (the scenario's load registers 8,000
    persons): the errors are those of Django's full_clean, which asks the database."""
    from borderwatch.registration.services import persons as person_services

    row = {"member_state": "LT", "name_transliterated": "X", "nationality": "IQ", **values}
    with pytest.raises(ValidationError) as django_says:
        Person(**row).full_clean(exclude=["apprehension_event", "created_by"])
    with django_assert_num_queries(0), pytest.raises(ValidationError) as we_say:
        person_services._build(None, row)
    assert we_say.value.message_dict == django_says.value.message_dict
    constraints = {c.name for c in Person._meta.constraints}
    assert constraints == set(person_services._CHECKS)
