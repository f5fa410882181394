"""Flight data imports: every row or none, errors by line, idempotent, as a background job."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.intelligence import services
from borderwatch.intelligence.imports import ImportRejected
from borderwatch.intelligence.models import Flight, FlightImportJob, Route, Schedule, Suspension

pytestmark = pytest.mark.django_db

ROUTES = b"""code,origin_airport,origin_city,origin_country
BGW-MSQ,BGW,Baghdad,IQ
IST-MSQ,IST,Istanbul,TR
"""
FLIGHTS = b"""ref,route,airline,flight_number,day,direction,kind,seats,passengers,source
F1,BGW-MSQ,Iraqi Airways,IA231,2021-07-02,inbound,scheduled,500,480,press
F2,IST-MSQ,Turkish Airlines,TK1,2021-07-03,inbound,scheduled,300,,
"""


def test_routes_then_flights_import_and_again_change_nothing(coordinator_lt: User) -> None:
    result = services.import_flights(coordinator_lt, "routes", ROUTES, file_name="r.csv", fmt="csv")
    assert (result.rows, result.created) == (2, 2)
    result = services.import_flights(
        coordinator_lt, "flights", FLIGHTS, file_name="f.csv", fmt="csv"
    )
    assert result.created == 2
    again = services.import_flights(
        coordinator_lt, "flights", FLIGHTS, file_name="f.csv", fmt="csv"
    )
    assert (again.created, again.unchanged) == (0, 2)
    assert Flight.objects.get(ref="F1").passengers == 480
    assert AuditEntry.objects.filter(action="intelligence.flights.import").count() == 2


def test_bad_rows_are_named_by_line_and_nothing_is_saved(coordinator_lt: User) -> None:
    services.import_flights(coordinator_lt, "routes", ROUTES, file_name="r.csv", fmt="csv")
    bad = FLIGHTS + (
        b"F3,XXX-MSQ,A,,2021-07-04,inbound,scheduled,100,,\n"
        b"F4,BGW-MSQ,A,,2021-13-01,sideways,scheduled,100,200,\n"
        b"F1,BGW-MSQ,Iraqi Airways,IA231,2021-07-02,inbound,scheduled,500,480,press\n"
    )
    with pytest.raises(ImportRejected) as caught:
        services.import_flights(coordinator_lt, "flights", bad, file_name="f.csv", fmt="csv")
    errors = caught.value.result.errors
    assert any(e.startswith("line 4:") and "XXX-MSQ" in e for e in errors)
    assert any(e.startswith("line 5:") and "day" in e for e in errors)
    assert any(e.startswith("line 5:") and "direction" in e for e in errors)
    assert any(e.startswith("line 5:") and "passengers exceed seats" in e for e in errors)
    assert any(e.startswith("line 6:") and "repeats line 2" in e for e in errors)
    assert not Flight.objects.exists()


def test_a_changed_row_with_a_known_ref_is_refused(coordinator_lt: User) -> None:
    services.import_flights(coordinator_lt, "routes", ROUTES, file_name="r.csv", fmt="csv")
    services.import_flights(coordinator_lt, "flights", FLIGHTS, file_name="f.csv", fmt="csv")
    changed = FLIGHTS.replace(b"500,480", b"500,490")
    with pytest.raises(ImportRejected) as caught:
        services.import_flights(coordinator_lt, "flights", changed, file_name="f.csv", fmt="csv")
    assert caught.value.result.errors == ["line 2: ref F1 exists with different values"]
    assert Flight.objects.get(ref="F1").passengers == 480
    assert Flight.objects.count() == 2


def test_json_suspensions(frontex: User) -> None:
    services.import_flights(frontex, "routes", ROUTES, file_name="r.csv", fmt="csv")
    rows = [
        {"ref": "S1", "scope": "country", "origin_country": "IQ", "starts": "2021-08-06",
         "except_repatriation": True, "title": "Iraq suspends"},
        {"ref": "S2", "scope": "airline", "origin_country": "IQ", "starts": "2021-08-05",
         "title": "no airline"},
    ]  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        services.import_flights(
            frontex, "suspensions", json.dumps(rows).encode(), file_name="s.json", fmt="json"
        )
    assert caught.value.result.errors == ["line 2: an airline's suspension names the airline"]
    rows[1]["airline"] = "Iraqi Airways"
    content = json.dumps({"suspensions": rows}).encode()
    services.import_flights(frontex, "suspensions", content, file_name="s.json", fmt="json")
    assert Suspension.objects.get(ref="S1").except_repatriation is True


def test_roles_that_may_not_import(make_user: Callable[..., User]) -> None:
    for role in (Role.BORDER_GUARD, Role.COMMISSION_VIEWER):
        with pytest.raises(PermissionDenied):
            services.import_flights(make_user(role), "routes", ROUTES, file_name="r.csv", fmt="csv")
    assert not Route.objects.exists()


def test_import_page_runs_a_job_with_line_errors(
    coordinator_lt: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(coordinator_lt)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/intelligence/import/",
            {"kind": "routes", "file": SimpleUploadedFile("r.csv", ROUTES)},
        )
    job = FlightImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{job.pk}/")
    assert job.status == "done" and job.created == 2 and job.content == b""
    page = client.get(f"/intelligence/imports/{job.pk}/progress/").content.decode()
    assert "created: 2" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/intelligence/import/",
            {"kind": "schedules", "file": SimpleUploadedFile("s.csv", b"ref,route\nX,BGW-MSQ\n")},
        )
    failed = FlightImportJob.objects.first()
    assert failed is not None and failed.status == "failed"
    assert failed.errors and failed.errors[0].startswith("line 1: missing column(s)")
    assert not Schedule.objects.exists()


def test_scenario_flights_hold_the_facts(scenario_flights: dict[str, int]) -> None:
    import datetime as dt

    july = Flight.objects.filter(day__month=7, direction="inbound")
    weeks = {f.day.isocalendar()[1] for f in july}
    for week in weeks - {min(weeks)}:  # the first week of July starts on a Thursday
        assert july.filter(day__week=week).count() <= 4
    assert all(f.synthetic and f.seats == 500 and f.passengers <= 500 for f in july)
    assert not Flight.objects.filter(day__gte=dt.date(2021, 8, 5), direction="inbound").exists()
    repatriation = Flight.objects.get(kind="repatriation")
    assert (repatriation.day, repatriation.passengers, repatriation.direction) == (
        dt.date(2021, 11, 18), 431, "outbound",
    )  # fmt: skip
    assert not repatriation.synthetic
    stops = list(Suspension.objects.order_by("starts").values_list("starts", "scope"))
    assert stops == [(dt.date(2021, 8, 5), "airline"), (dt.date(2021, 8, 6), "country")]
    again = services.load_scenario_flights(seed=1)
    assert not any(again.values())
    assert services.remove_synthetic_flights() > 0
    assert not Flight.objects.exists()


def test_suspensions_annotate_the_picture(scenario_flights: dict[str, int], frontex: User) -> None:
    import datetime as dt

    from borderwatch.picture import story

    found = story.collect(frontex, dt.date(2021, 8, 1), dt.date(2021, 8, 31), ["LT"])
    mine = [a for a in found if a.owner_app == "intelligence"]
    assert [(a.day_from, a.member_state, a.kind) for a in mine] == [
        (dt.date(2021, 8, 5), "", "flight_suspension"),
        (dt.date(2021, 8, 6), "", "flight_suspension"),
    ]
    assert "Iraq suspends all flights to Minsk" in mine[1].title
