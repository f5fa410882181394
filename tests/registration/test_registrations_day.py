"""The Registrations page opens on the latest day with registrations in the user's state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.services import report_event
from borderwatch.core.roles import Role
from tests.border.conftest import event_input
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db


def test_registrations_default_to_the_latest_day_of_the_users_state(
    border_data: None,
    guard_lt: User,
    officer_lt: User,
    officer_pl: User,
    client_for: Callable[[User], Client],
) -> None:
    event = report_event(guard_lt, event_input(persons=1, nationalities={"IQ": 1}))
    person = new_person(officer_lt, "LT", apprehension_event_id=event.pk)
    page = client_for(officer_lt).get("/registration/").content.decode()
    day = f"{event.local_date:%Y-%m-%d}"
    assert f"Registrations of {day}" in page and person.reference in page
    assert "latest day with registrations in Lithuania" in page
    # another state's latest day is not ours: Poland has none and sees today, said so
    other = client_for(officer_pl).get("/registration/").content.decode()
    assert person.reference not in other and "No registration yet in Poland" in other
    # a chosen day is shown as chosen
    chosen = client_for(officer_lt).get("/registration/?day=2021-07-01").content.decode()
    assert "Registrations of 2021-07-01" in chosen and "latest day" not in chosen


def test_latest_registration_day_counts_registration_day_without_event(
    officer_lt: User, make_user: Callable[..., User]
) -> None:
    from django.utils import timezone

    from borderwatch.registration import selectors

    new_person(officer_lt, "LT")
    assert selectors.latest_registration_day(officer_lt) == timezone.localdate()
    assert selectors.latest_registration_day(make_user(Role.FRONTEX_ANALYST)) is None
    assert isinstance(timezone.localdate(), dt.date)
