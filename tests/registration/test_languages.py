"""Registration pages in Lithuanian, Latvian and Polish: headings, refusals, plural forms and
dates and numbers in the user's locale (the browser's language here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from borderwatch.accounts.models import User
from borderwatch.border.models import Event
from borderwatch.border.services import report_event
from borderwatch.registration.models import IdentificationRequest
from tests.border.conftest import event_input
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db

GROUP = {
    "lt": (
        "Registruoti įvykio",
        "Niekas neišsaugota: pataisykite toliau pažymėtas eilutes.",
        "Įveskite MMMM-MM-DD arba tik metus (MMMM).",
        "Vardas ir pavardė lotyniškais rašmenimis, 1 eilutė",
    ),
    "lv": (
        "Reģistrēt notikuma",
        "Nekas netika saglabāts: izlabojiet tālāk atzīmētās rindas.",
        "Ievadiet GGGG-MM-DD vai tikai gadu (GGGG).",
        "Vārds latīņu burtiem, 1. rinda",
    ),
    "pl": (
        "Rejestracja osób ze zdarzenia",
        "Nic nie zapisano: popraw oznaczone poniżej wiersze.",
        "Wpisz RRRR-MM-DD albo sam rok (RRRR).",
        "Imię i nazwisko alfabetem łacińskim, wiersz 1",
    ),
}


@pytest.fixture
def event(border_data: None, guard_lt: User) -> Event:
    return report_event(guard_lt, event_input(persons=3, nationalities={"IQ": 3}))


def _local(value: dt.date | dt.datetime, fmt: str, lang: str) -> str:
    with translation.override(lang):
        return formats.date_format(value, fmt)


@pytest.mark.parametrize("lang", sorted(GROUP))
def test_the_group_form_and_its_refusal_in_the_users_language(
    lang: str, event: Event, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    heading, refused, bad_date, aria = GROUP[lang]
    client = client_for(officer_lt)
    url = f"/registration/events/{event.pk}/persons/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'lang="{lang}"' in page and heading in page and aria in page
    assert _local(event.local_date, "SHORT_DATE_FORMAT", lang) in page  # the event's day
    data = {
        "p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "200", "p-0-name_transliterated": "Ali Hassan",
        "p-0-date_of_birth": "yesterday", "p-0-sex": "M", "p-0-nationality": "IQ",
    }  # fmt: skip
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 422
    page = response.content.decode()
    assert refused in page and bad_date in page
    assert "Nothing was saved" not in page


IDENTIFICATION = {
    # 12 345 persons: each language's plural form for it
    "lt": ("Identifikavimas #", "Patikrinti 12.345 visų valstybių narių asmenys:", "Atlikta"),
    "lv": ("Identifikācija #", "Pārbaudītas 12\xa0345 visu dalībvalstu personas:", "Pabeigts"),
    "pl": ("Identyfikacja #", "Przeszukano 12\xa0345 osób ze wszystkich państw", "Zakończono"),
}


@pytest.mark.parametrize("lang", sorted(IDENTIFICATION))
def test_an_identification_shows_numbers_and_dates_in_the_users_locale(
    lang: str, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT")
    fs = synthetic_set(person, 1, 1)
    req = IdentificationRequest.objects.create(
        fingerprint_set=fs, member_state="LT", requested_by=officer_lt, status="done",
        progress=100, stage="Done", gallery_size=12345, finished_at=timezone.now(),
    )  # fmt: skip
    page = client_for(officer_lt).get(
        f"/registration/identifications/{req.pk}/", HTTP_ACCEPT_LANGUAGE=lang
    )
    html = page.content.decode()
    heading, searched, done = IDENTIFICATION[lang]
    assert page.status_code == 200 and heading in html and done in html
    assert searched in html, html
    at = timezone.localtime(req.requested_at)
    assert _local(at, "SHORT_DATETIME_FORMAT", lang) in html
    assert "Searched" not in html and "requested" not in html


def test_a_person_page_names_fingers_and_labels_in_polish(
    officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    person = new_person(officer_lt, "LT")
    fs = synthetic_set(person, 2, 1)
    client = client_for(officer_lt)
    page = client.get(f"/registration/persons/{person.pk}/", HTTP_ACCEPT_LANGUAGE="pl")
    html = page.content.decode()
    assert "Zestawy odcisków palców" in html and "Kategoria Eurodac" in html
    assert _local(timezone.localtime(fs.captured_at), "SHORT_DATETIME_FORMAT", "pl") in html
    page = client.get(f"/registration/sets/{fs.pk}/", HTTP_ACCEPT_LANGUAGE="pl")
    assert "Kciuk prawej ręki" in page.content.decode()
