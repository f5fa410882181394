"""The reception pages and messages in Lithuanian, Latvian and Polish: headings, the unplaced
headline with its plural, refusals (the engine's rules said on reception's side), and dates and
numbers as each language writes them; English stays as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data
from borderwatch.reception import texts
from borderwatch.reception.models import Facility
from borderwatch.reception.services import place
from tests.reception.conftest import JULY
from tests.reception.test_pages import AUG31, persons
from tests.reception.test_proposal import _event, _persons

pytestmark = pytest.mark.django_db
MakeFacility = Callable[..., Facility]

# language: (heading, headline of 3 awaiting, the later shelter's opening day, 66.7 %)
EXPECTED = {
    "en": ("Reception", "3 persons awaiting a place", "2021-09-17", "66.7 %"),
    "lt": ("Priėmimas", "3 asmenys laukia vietos", "2021-09-17", "66,7 %"),
    "lv": ("Uzņemšana", "3 personas gaida vietu", "17.09.2021", "66,7 %"),
    "pl": ("Przyjęcia", "3 osoby oczekują na miejsce", "17-09-2021", "66,7 %"),
}


@pytest.fixture(autouse=True)
def reference(db: None) -> None:
    ensure_reference_data()


@pytest.fixture
def scene(make_facility: MakeFacility) -> Facility:
    """A centre with 2 of 3 single men's places taken, a shelter opening later, 3 awaiting."""
    centre = make_facility(
        name="Pabradė Centre",
        capacity_single_men=3,
        capacity_single_women=0,
        capacity_families=0,
        capacity_unaccompanied_minors=0,
    )
    make_facility(
        name="Later Shelter",
        kind="temporary_shelter",
        capacity_single_men=300,
        opened_on=dt.date(2021, 9, 17),
    )
    for p in persons(dt.date(2021, 8, 1), 2):
        place(None, person_id=p.pk, facility_id=centre.pk, start_date=dt.date(2021, 8, 1))
    persons(dt.date(2021, 8, 29), 3, sex="F")
    return centre


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_overview_and_a_facility_in_the_browsers_language(
    language: str,
    scene: Facility,
    manager_lt: User,
    client_for: Callable[[User], Client],
) -> None:
    heading, headline, opening, percent = EXPECTED[language]
    client = client_for(manager_lt)
    page = client.get("/reception/?day=2021-08-31", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<h1>{heading} · " in html
    assert headline in html
    assert opening in html  # the planned opening, in the language's short date
    assert 'value="2021-08-31"' in html  # the date input keeps ISO
    detail = client.get(
        f"/reception/facilities/{scene.pk}/?day=2021-08-31", HTTP_ACCEPT_LANGUAGE=language
    )
    assert percent in detail.content.decode()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Choose release or a facility to transfer to; nothing done."),
        ("lt", "Pasirinkite išleidimą arba įstaigą, į kurią perkelti; nieko neatlikta."),
        ("lv", "Izvēlieties atbrīvošanu vai vietu, uz kuru pārvietot; nekas netika darīts."),
        ("pl", "Wybierz zwolnienie albo ośrodek, do którego przenieść; nic nie zrobiono."),
    ],
)
def test_a_refused_action_is_said_in_the_browsers_language(
    language: str,
    said: str,
    scene: Facility,
    manager_lt: User,
    client_for: Callable[[User], Client],
) -> None:
    placement = scene.placements.first()
    assert placement is not None
    response = client_for(manager_lt).post(
        f"/reception/placements/{placement.pk}/end/",
        {"day": "2021-08-31", "to_facility": "", "reason": "x", "next": "/reception/"},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert said in response.content.decode()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "would hold 4 people in single men places on 2021-08-31; it has 3."),
        (
            "lt",
            "2021-08-31 įstaigoje Pabradė Centre vietose vienišiems vyrams asmenų skaičius būtų 4",
        ),
        ("lv", "Pabradė Centre 31.08.2021 vietās vientuļiem vīriešiem cilvēku skaits būtu 4"),
        ("pl", "w dniu 31-08-2021 liczba osób na miejscach dla samotnych mężczyzn wyniosłaby 4"),
    ],
)
def test_a_broken_rule_is_said_in_the_users_language(
    language: str, said: str, scene: Facility
) -> None:
    scene.placements.update(start_date=dt.date(2021, 8, 1))
    [extra] = persons(AUG31, 1, name_transliterated="One Too Many")
    taken = persons(AUG31, 1)
    place(None, person_id=taken[0].pk, facility_id=scene.pk, start_date=AUG31)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        place(None, person_id=extra.pk, facility_id=scene.pk, start_date=AUG31)
    assert any(said in m for m in refused.value.messages), refused.value.messages


def test_the_engines_reasons_are_said_again_in_the_users_language() -> None:
    saved = "Not enough free single men's places: 12 people in this batch need one, 3 are free."
    with translation.override("pl"):
        assert texts.reason(saved) == (
            "Za mało wolnych miejsc dla samotnych mężczyzn: w tej partii potrzebuje ich 12 os., "
            "wolnych jest 3."
        )
        assert texts.rule("capacity") == "liczba miejsc"
        assert texts.stage("Saving 12 proposed rows") == "Zapisywanie proponowanych wierszy: 12"
    with translation.override("lt"):
        assert texts.reason(
            "The household of 4 must stay together, but no suitable facility "
            "has more than 2 free family places."
        ) == (
            "4 asm. namų ūkis turi likti kartu, tačiau nė vienoje tinkamoje įstaigoje nėra "
            "daugiau nei 2 laisvų vietų šeimoms."
        )
    with translation.override("en"):
        assert texts.reason(saved) == saved  # English: as saved
    with translation.override("lv"):
        unknown = "A sentence the engine may say one day."
        assert texts.reason(unknown) == unknown


def test_a_proposal_in_the_users_language(
    manager_lt: User,
    client_for: Callable[[User], Client],
    make_facility: MakeFacility,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The proposal's page, its unplaced row's rule and reason, and the accepted message in
    Latvian, with the user's saved language."""
    make_facility(name="Men Only", capacity_single_women=0, capacity_families=0)
    man, woman = _persons(_event("E9", JULY, 54.3, 25.1, 2), [{"sex": "M"}, {"sex": "F"}])
    manager_lt.language = "lv"
    manager_lt.save(update_fields=["language"])
    client = client_for(manager_lt)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reception/proposals/", {"day": JULY.isoformat()})
    page = client.get(response["Location"]).content.decode()
    assert "Priekšlikums Nr." in page and "Pabeigts" in page
    assert "1 persona gaida izmitināšanu" not in page and "2 personas gaida izmitināšanu" in page
    row = page.split(f'data-row="p{woman.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Vientuļas sievietes" in row and "pagaidām ne" in row
    assert "Nevienā izmitināšanas vietā nav brīvas vietas vientuļām sievietēm." in row
    accepted = client.post(response["Location"] + "accept/", follow=True).content.decode()
    assert "Izmitināta 1 persona" in accepted and "Pieņēma" in accepted
    assert man.reference in accepted
