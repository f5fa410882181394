"""Defect: "Propose levels" used today's date, where the demo (2021) has no events, and proposed
nothing. It now defaults to the latest day with events in the user's member state, and says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import services
from borderwatch.border.models import ImpactAssessment
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")


def _busy_day(guard: User, section: str = "LT-BY-09", ref: str = "P-1") -> None:
    when = dt.datetime(2021, 8, 27, 20, 0, tzinfo=dt.UTC)  # 23:00 in Vilnius on 27 August
    services.report_event(
        guard,
        event_input(section, ref=ref, persons=900, nationalities={"IQ": 900}, occurred_at=when),
    )


def test_sections_page_offers_the_latest_day_with_events(
    client_for: Callable[[User], Client], guard_lt: User, guard_pl: User, coordinator_lt: User
) -> None:
    _busy_day(guard_lt)
    later = dt.datetime(2021, 9, 3, 10, 0, tzinfo=dt.UTC)  # a later day, but in Poland
    services.report_event(guard_pl, event_input("PL-BY-03", ref="PL-1", occurred_at=later))
    page = client_for(coordinator_lt).get("/border/sections/").content.decode()
    assert 'name="as_of" value="2021-08-27"' in page
    assert "Latest day with events in Lithuania: 27 Aug 2021" in page


def test_propose_without_a_date_uses_the_latest_day_and_says_which(
    client_for: Callable[[User], Client], guard_lt: User, coordinator_lt: User
) -> None:
    _busy_day(guard_lt)
    page = client_for(coordinator_lt).post("/border/sections/propose/", {"as_of": ""}, follow=True)
    (proposal,) = ImpactAssessment.objects.all()
    assert proposal.as_of == dt.date(2021, 8, 27) and proposal.section.code == "LT-BY-09"
    assert "as of 27 Aug 2021 (the latest day with events in Lithuania)" in page.content.decode()


def test_sections_page_without_events_says_today_is_used(
    client_for: Callable[[User], Client], coordinator_lt: User
) -> None:
    page = client_for(coordinator_lt).get("/border/sections/").content.decode()
    assert "No events in Lithuania yet" in page


def test_api_propose_defaults_to_the_latest_day(
    client_for: Callable[[User], Client], guard_lt: User, coordinator_lt: User
) -> None:
    _busy_day(guard_lt)
    response = client_for(coordinator_lt).post(
        "/api/border/impact-assessments/propose", {"country": "LT"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    (proposal,) = response.json()
    assert proposal["as_of"] == "2021-08-27"
