"""The border pages and messages in Lithuanian, Latvian and Polish: headings, refusals and
messages translated, dates and numbers in the language's own formats (ISO in form inputs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import services
from tests.border.conftest import event_input, point_on

pytestmark = pytest.mark.usefixtures("border_data")

LATE = dt.datetime(2021, 8, 27, 22, 5, tzinfo=dt.UTC)  # 01:05 on 28 August in Vilnius

# language -> (list heading, the event's local time, 1200 persons, the propose-levels day)
PAGES = {
    "lt": ("Pasienio įvykiai", "2021-08-28 01:05", "1.200", "2021 m. rugpjūčio 28 d."),
    "lv": ("Robežas notikumi", "28.08.2021 01:05", "1\xa0200", "2021. gada 28. augusts"),
    "pl": ("Zdarzenia na granicy", "28-08-2021  01:05", "1\xa0200", "28 sierpnia 2021"),
}


def _busy_event(guard: User) -> None:
    services.report_event(
        guard,
        event_input(
            "LT-BY-09", ref="L-1", persons=1200, nationalities={"IQ": 1200}, occurred_at=LATE
        ),
    )


@pytest.mark.parametrize("language", PAGES)
def test_event_list_is_translated_with_local_formats(
    language: str, client_for: Callable[[User], Client], guard_lt: User
) -> None:
    _busy_event(guard_lt)
    heading, when, persons, _ = PAGES[language]
    page = client_for(guard_lt).get("/border/events/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode().replace("&nbsp;", "\xa0")
    assert f'lang="{language}"' in html and heading in html
    assert when in html and persons in html
    assert 'name="start" value=""' in html  # the filter keeps ISO (type=date)


@pytest.mark.parametrize("language", PAGES)
def test_sections_page_and_proposal_message_are_translated(
    language: str, client_for: Callable[[User], Client], guard_lt: User, coordinator_lt: User
) -> None:
    _busy_event(guard_lt)
    day = PAGES[language][3]
    client = client_for(coordinator_lt)
    page = client.get("/border/sections/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert {"lt": "Sienos ruožai", "lv": "Robežas posmi", "pl": "Odcinki granicy"}[language] in page
    assert day in page and 'name="as_of" value="2021-08-28"' in page
    done = client.post(
        "/border/sections/propose/", {"as_of": ""}, HTTP_ACCEPT_LANGUAGE=language, follow=True
    ).content.decode()
    expected = {
        "lt": f"1 naujas pasiūlymas pagal {day} padėtį",
        "lv": f"1 jauns priekšlikums (datums: {day})",
        "pl": f"1 nowa propozycja na dzień {day}",
    }
    assert expected[language] in done


def test_a_refused_report_says_why_in_the_users_language(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    lat, lon = point_on("LT-BY-09")
    form = {
        "ref": "F-1", "occurred_at": "2021-07-27T23:30", "event_type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 4, "nationalities": "IQ:3",
        "source": "patrol", "reporting_unit": "Šalčininkai",
    }  # fmt: skip
    client = client_for(guard_lt)
    lt = client.post("/border/events/new/", form, HTTP_ACCEPT_LANGUAGE="lt").content.decode()
    assert "Pranešti apie įvykį" in lt
    assert "Pilietybės: skaičių suma yra 3, o Asmenų skaičius \N{EN DASH} 4" in lt
    assert "Įvykio laikas (vietos laikas, Europe/Vilnius)" in lt
    pl = client.post("/border/events/new/", form, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Obywatelstwa: suma liczb wynosi 3, a Liczba osób to 4" in pl


def test_import_errors_and_api_errors_are_translated(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = (
        b"ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\n"
        b"X,yesterday,apprehension,54,25,1,IQ:1,patrol,U\n"
    )
    client = client_for(guard_lt)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            "/border/events/import/",
            {"file": SimpleUploadedFile("x.csv", bad)},
            HTTP_ACCEPT_LANGUAGE="lv",
        )
    page = client.get(queued["Location"], HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Nekas netika importēts." in page
    assert "2. rinda: Notikuma laiks: “yesterday” nav datums un laiks" in page
    response = client.post(
        "/api/border/events",
        {"ref": "A-1", "occurred_at": "2021-08-28T01:05", "type": "riot", "latitude": 54.0,
         "longitude": 25.0, "persons": 1, "nationalities": {"IQ": 1}, "source": "patrol",
         "reporting_unit": "U"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="pl",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"]["type"][0].startswith("Rodzaj zdarzenia: „riot” nie jest")


def test_english_stays_as_it_was(client_for: Callable[[User], Client], guard_lt: User) -> None:
    _busy_event(guard_lt)
    page = client_for(guard_lt).get("/border/events/").content.decode()
    assert "Border events" in page and "2021-08-28 01:05" in page and "1,200" in page
