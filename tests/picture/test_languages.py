"""The picture in Lithuanian, Latvian and Polish: headings, refusals, country names, days, numbers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection
from borderwatch.picture import l10n
from tests.picture.data import add_event, confirm_level, lithuania_july_2021

Sections = dict[str, BorderSection]
ClientFor = Callable[[User], Client]
REVERSED = {"start": "2021-07-31", "end": "2021-07-01"}
NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Requests leave their language active in this thread; the next tests read English."""
    yield
    translation.deactivate()


@pytest.fixture
def july(sections: Sections) -> Sections:
    lithuania_july_2021(sections)
    add_event(sections["LT"], dt.date(2021, 7, 29), {"IQ": 1200})  # a four-digit year to date
    return sections


@pytest.mark.parametrize(
    ("language", "heading", "refusal", "poland", "iraq"),
    [
        ("lt", "Situacijos vaizdas", "Pabaigos data yra ankstesnė už pradžios datą.", "Lenkija", "Irakas"),
        ("lv", "Situācijas aina", "Beigu datums ir agrāks par sākuma datumu.", "Polija", "Irāka"),
        ("pl", "Obraz sytuacji", "Data końcowa jest wcześniejsza niż data początkowa.", "Polska", "Irak"),
    ],
)  # fmt: skip
def test_the_situation_page_speaks_the_readers_language(
    client_for: ClientFor,
    frontex: User,
    july: Sections,
    language: str,
    heading: str,
    refusal: str,
    poland: str,
    iraq: str,
) -> None:
    client = client_for(frontex)
    html = client.get(
        "/", {"start": "2021-07-01", "end": "2021-07-31"}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f'<h1 class="page-title">{heading}</h1>' in html
    assert "Largest single day this year" not in html and "Period total" not in html
    assert poland in html and iraq in html  # country and nationality names in the language
    assert 'data-day="2021-07-27"' in html and 'value="2021-07-01"' in html  # ISO stays ISO
    text = json.loads(
        html.split('id="picture-text" type="application/json">')[1].split("</script>")[0]
    )
    assert text["locale"] == language and text["levels"]["high"] != "high"
    refused = client.get("/", REVERSED, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert refusal in refused


def test_lithuanian_days_and_numbers(client_for: ClientFor, frontex: User, july: Sections) -> None:
    html = client_for(frontex).get(
        "/", {"start": "2021-07-01", "end": "2021-07-31"}, HTTP_ACCEPT_LANGUAGE="lt"
    )
    page = html.content.decode()
    assert "2021 m. liepos 1 d." in page  # the period in the heading
    assert "1.576" in page  # Lithuania's year to date on 29 July, Django's Lithuanian grouping
    chart = html.context["chart"]
    assert chart["labels"][0] == "liepos 1 d." and chart["dates"][0] == "2021-07-01"


def test_polish_bulletin(client_for: ClientFor, guard_lt: User, july: Sections) -> None:
    confirm_level(july["LT"], dt.date(2021, 7, 29), "high")
    response = client_for(guard_lt).get(
        "/bulletin/", {"day": "2021-07-29"}, HTTP_ACCEPT_LANGUAGE="pl"
    )
    html = response.content.decode()
    assert "Biuletyn dzienny" in html and "Czwartek, 29 lipca 2021" in html
    assert "Litwa" in html and f"Irak: 1{NBSP}200" in html
    assert f"1{NBSP}576" in html  # year to date
    assert 'level-high">wysoki' in html
    assert 'value="2021-07-29"' in html and "?day=2021-07-28" in html


def test_latvian_bulletin_refuses_nothing_and_names_days(
    client_for: ClientFor, guard_lt: User, july: Sections
) -> None:
    html = (
        client_for(guard_lt)
        .get("/bulletin/", {"day": "2021-07-27"}, HTTP_ACCEPT_LANGUAGE="lv")
        .content.decode()
    )
    assert "Dienas biļetens" in html and "2021. gada 27. jūlijs" in html
    assert "Lielākais skaits vienā dienā šogad" in html and "Lietuva" in html


def test_names_and_numbers_follow_the_active_language() -> None:
    with translation.override("en"):
        assert l10n.country_name("BY", "Belarus") == "Belarus"
        assert l10n.number(3027) == "3,027" and l10n.day(dt.date(2021, 7, 27)) == "27 Jul 2021"
    with translation.override("pl"):
        assert l10n.country_name("BY", "Belarus") == "Białoruś"
        assert l10n.country_name("LV", "Latvia") == "Łotwa"
        assert l10n.number(3027) == f"3{NBSP}027" and l10n.number(7.5) == "7,5"
        assert l10n.level_label("critical") == "krytyczny"
    with translation.override("lv"):
        assert l10n.country_name("LT", "Lithuania") == "Lietuva"
    with translation.override("lt"):
        assert l10n.country_name("PL", "Poland") == "Lenkija"
        assert l10n.country_name("ZZ", "Nowhere") == "Nowhere"
