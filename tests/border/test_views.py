from __future__ import annotations

from collections.abc import Callable

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
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    bad = b"ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\nX,yesterday,apprehension,54,25,1,IQ:1,patrol,U\n"
    response = client_for(guard_lt).post(
        "/border/events/import/", {"file": SimpleUploadedFile("x.csv", bad)}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported" in page and "line 2: occurred_at" in page
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
