"""The audit trail in Lithuanian, Latvian and Polish: the heading, the navigation's link and a
refused filter named in the user's language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User

pytestmark = pytest.mark.django_db

TEXTS = {
    "lt": ("Audito žurnalas", "Nuo: įveskite datą formatu YYYY-MM-DD."),
    "lv": ("Audita žurnāls", "No: ievadiet datumu formātā YYYY-MM-DD."),
    "pl": ("Dziennik audytu", "Od: wpisz datę w formacie RRRR-MM-DD (YYYY-MM-DD)."),
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_the_audit_trail_in_the_users_language(
    lang: str, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    heading, bad_date = TEXTS[lang]
    client = client_for(coordinator_lt)
    page = client.get("/audit/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f"<h1>{heading}</h1>" in page and f'href="/audit/">{heading}</a>' in page
    refused = client.get("/audit/", {"start": "1.8.2021"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert refused.status_code == 422 and bad_date in refused.content.decode()
