"""The search page in Lithuanian, Latvian and Polish, with the event's day in the user's locale."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import formats, translation

from borderwatch.accounts.models import User
from borderwatch.border.services import report_event
from borderwatch.core.roles import Role
from tests.border.conftest import event_input

pytestmark = pytest.mark.django_db

TEXTS = {
    "lt": ("Paieška", "Paieškai įveskite bent 2 simbolius.", "Įvykiai (1)"),
    "lv": ("Meklēt", "Lai meklētu, ievadiet vismaz 2 rakstzīmes.", "Notikumi (1)"),
    "pl": ("Szukaj", "Aby wyszukać, wpisz co najmniej 2 znaki.", "Zdarzenia (1)"),
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_the_search_page_in_the_users_language(
    lang: str,
    border_data: None,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    guard = make_user(Role.BORDER_GUARD, "LT")
    event = report_event(guard, event_input(persons=2, nationalities={"IQ": 2}))
    heading, too_short, events = TEXTS[lang]
    client = client_for(make_user(Role.REGISTRATION_OFFICER, "LT"))
    refused = client.get("/search/", {"q": "a"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert f"<h1>{heading}</h1>" in html and too_short in html
    found = client.get("/search/", {"q": event.ref}, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert events in found
    with translation.override(lang):
        day = formats.date_format(event.local_date, "SHORT_DATE_FORMAT")
    assert day in found
