from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import services
from borderwatch.border.models import Event, ImpactAssessment
from tests.border.conftest import event_input, point_on

pytestmark = pytest.mark.usefixtures("border_data")


def test_report_form_creates_event_in_local_time(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    lat, lon = point_on("LT-BY-09")
    form = {
        "ref": "F-1", "occurred_at": "2021-07-27T23:30", "event_type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 3, "nationalities": "IQ:2;XX:1",
        "source": "patrol", "reporting_unit": "Šalčininkai",
    }  # fmt: skip
    response = client_for(guard_lt).post("/border/events/new/", form)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.section.code == "LT-BY-09"
    assert event.local_date.isoformat() == "2021-07-27"  # 23:30 Vilnius, 20:30 UTC
    assert event.occurred_at.hour == 20


def test_report_form_shows_service_errors(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    form = {
        "ref": "F-2", "occurred_at": "2021-07-27T23:30", "event_type": "apprehension",
        "latitude": 54.9, "longitude": 23.9, "persons": 3, "nationalities": "IQ:3",
        "source": "patrol", "reporting_unit": "Kaunas",
    }  # fmt: skip
    response = client_for(guard_lt).post("/border/events/new/", form)
    assert response.status_code == 200
    assert "outside every section" in response.content.decode()
    assert not Event.objects.exists()


def test_commission_viewer_cannot_open_report_form(
    client_for: Callable[[User], Client], make_user
) -> None:  # type: ignore[no-untyped-def]
    from borderwatch.core.roles import Role

    assert (
        client_for(make_user(Role.COMMISSION_VIEWER)).get("/border/events/new/").status_code == 403
    )


def test_import_page_lists_line_errors(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    bad = b"ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\nX,yesterday,apprehension,54,25,1,IQ:1,patrol,U\n"
    with django_capture_on_commit_callbacks(execute=True):
        queued = client_for(guard_lt).post(
            "/border/events/import/", {"file": SimpleUploadedFile("x.csv", bad)}
        )
    assert queued.status_code == 302 and "/border/imports/" in queued["Location"]
    response = client_for(guard_lt).get(queued["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Nothing was imported" in page
        and "line 2: Time of the event: &#x27;yesterday&#x27;" in page
    )
    assert not Event.objects.exists()


def test_other_states_event_is_not_found(
    client_for: Callable[[User], Client], guard_lt: User, guard_pl: User
) -> None:
    event = services.report_event(guard_lt, event_input())
    polish = client_for(guard_pl)
    assert polish.get(f"/border/events/{event.pk}/").status_code == 404
    assert polish.post(f"/border/events/{event.pk}/delete/", {"reason": "x"}).status_code == 404
    assert client_for(guard_lt).get(f"/border/events/{event.pk}/").status_code == 200
    assert "LT-BY-16" not in polish.get("/border/events/").content.decode()


def test_confirm_level_page(
    client_for: Callable[[User], Client], guard_lt: User, coordinator_lt: User
) -> None:
    services.report_event(guard_lt, event_input("LT-BY-09", persons=900, nationalities={"IQ": 900}))
    client = client_for(coordinator_lt)
    assert client.post("/border/sections/propose/", {"as_of": "2021-07-28"}).status_code == 302
    proposal = ImpactAssessment.objects.get()
    client.post(
        f"/border/assessments/{proposal.pk}/confirm/",
        {"level": proposal.proposed_level, "reason": ""},
    )
    proposal.refresh_from_db()
    assert proposal.level == proposal.proposed_level and proposal.confirmed_by == coordinator_lt
    page = client.get("/border/sections/").content.decode()
    assert f"level-{proposal.level}" in page


def test_event_pages_show_times_in_the_sections_time_zone(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    """Defect: 23:30 in Vilnius showed as 20:30 (UTC) on the event page; 22:05 UTC on 27 Aug
    showed as 27 Aug on the page, 28 Aug in the list and 01:05 in the edit form."""
    import datetime as dt
    import re

    late = services.report_event(
        guard_lt,
        event_input(
            "LT-BY-09", ref="TZ-1", occurred_at=dt.datetime(2021, 8, 27, 22, 5, tzinfo=dt.UTC)
        ),
    )
    client = client_for(guard_lt)
    page = client.get(f"/border/events/{late.pk}/").content.decode()
    when = re.search(r"<th>When \(local\)</th><td>(.*?)</td>", page)
    assert when is not None and "2021-08-28 01:05" in when.group(1)
    assert "Europe/Vilnius" in when.group(1) and "22:05" not in page
    assert 'value="2021-08-28T01:05"' in page  # the correction form, in the same zone
    assert "Time of the event (local time, Europe/Vilnius)" in page
    listing = client.get("/border/events/").content.decode()
    row = re.search(r'<tr data-event="TZ-1">(.*?)</tr>', listing, re.S)
    assert row is not None and "2021-08-28 01:05" in row.group(1)
    assert "Europe/Vilnius" in row.group(1) and "2021-08-27" not in row.group(1)


def test_report_form_time_shown_back_in_local_time(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    lat, lon = point_on("LT-BY-09")
    form = {
        "ref": "F-9", "occurred_at": "2021-07-27T23:30", "event_type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 3, "nationalities": "IQ:3",
        "source": "patrol", "reporting_unit": "Šalčininkai",
    }  # fmt: skip
    client = client_for(guard_lt)
    assert (
        "Time of the event (local time, Europe/Vilnius)"
        in client.get("/border/events/new/").content.decode()
    )
    page = client.post("/border/events/new/", form, follow=True).content.decode()
    assert "2021-07-27 23:30" in page and "20:30" not in page
