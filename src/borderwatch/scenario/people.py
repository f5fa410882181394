"""Synthetic persons for the scenario's apprehensions: names, ages, families, vulnerabilities.

Nothing here is a real person. Names are drawn from short lists of common names, written in
Arabic script with a transliteration where the nationality writes Arabic, Latin otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

ARABIC_SCRIPT = frozenset({"IQ", "SY"})
# (transliteration, Arabic script)
GIVEN_MALE = [
    ("Ahmed", "أحمد"), ("Mohammed", "محمد"), ("Ali", "علي"), ("Hussein", "حسين"),
    ("Omar", "عمر"), ("Mustafa", "مصطفى"), ("Karim", "كريم"), ("Yousef", "يوسف"),
    ("Hassan", "حسن"), ("Abbas", "عباس"), ("Haidar", "حيدر"), ("Zaid", "زيد"),
]  # fmt: skip
GIVEN_FEMALE = [
    ("Fatima", "فاطمة"), ("Zainab", "زينب"), ("Maryam", "مريم"), ("Noor", "نور"),
    ("Sara", "سارة"), ("Huda", "هدى"), ("Layla", "ليلى"), ("Amal", "أمل"),
]  # fmt: skip
FAMILY = [
    ("Al-Tamimi", "التميمي"), ("Al-Jubouri", "الجبوري"), ("Al-Obaidi", "العبيدي"),
    ("Al-Zubaidi", "الزبيدي"), ("Kareem", "كريم"), ("Saleh", "صالح"), ("Hamad", "حمد"),
    ("Barzani", "بارزاني"), ("Mahmoud", "محمود"), ("Khalil", "خليل"),
]  # fmt: skip
LATIN_MALE = ["Jean", "Paul", "Ibrahim", "Moussa", "Samuel", "Ivan", "Reza", "Ahmad", "Emmanuel"]
LATIN_FEMALE = ["Marie", "Grace", "Aminata", "Olga", "Mariam", "Fatoumata", "Esther"]
LATIN_FAMILY = ["Mbemba", "Nkoulou", "Diallo", "Traoré", "Petrov", "Karimi", "Okafor", "Koné"]

FAMILY_SHARE = 0.22  # of persons who travel in a family
UNACCOMPANIED_MINOR_SHARE = 0.02


@dataclass(frozen=True)
class Apprehension:
    event_id: int
    member_state: str
    day: dt.date
    nationalities: dict[str, int]


def _name(
    nationality: str, female: bool, family: str | None, rng: np.random.Generator
) -> tuple[str, str, str]:
    """(name as written, transliterated, family name used)."""
    if nationality in ARABIC_SCRIPT:
        given = GIVEN_FEMALE if female else GIVEN_MALE
        g_latin, g_arabic = given[int(rng.integers(len(given)))]
        f_latin, f_arabic = next(
            ((lat, ar) for lat, ar in FAMILY if lat == family),
            FAMILY[int(rng.integers(len(FAMILY)))],
        )
        return f"{g_arabic} {f_arabic}", f"{g_latin} {f_latin}", f_latin
    given_latin = LATIN_FEMALE if female else LATIN_MALE
    surname = family or LATIN_FAMILY[int(rng.integers(len(LATIN_FAMILY)))]
    full = f"{given_latin[int(rng.integers(len(given_latin)))]} {surname}"
    return full, full, surname


def _birth(day: dt.date, age: int, rng: np.random.Generator) -> dt.date:
    return day - dt.timedelta(days=int(age * 365.25 + rng.integers(0, 365)))


def persons_for(apprehensions: list[Apprehension], seed: int) -> Iterator[dict[str, Any]]:
    """One person row per apprehended person, in event order (rows for bulk_create_persons)."""
    rng = np.random.default_rng(seed + 2)
    household_no = 0
    for item in apprehensions:
        for nationality, count in sorted(item.nationalities.items()):
            left = count
            while left > 0:
                if left >= 3 and rng.random() < FAMILY_SHARE:
                    size = min(left, int(rng.integers(3, 7)))
                    household_no += 1
                    yield from _family(item, nationality, size, f"SCN-H{household_no:06d}", rng)
                    left -= size
                    continue
                yield _single(item, nationality, rng)
                left -= 1


def _base(item: Apprehension, nationality: str) -> dict[str, Any]:
    return {
        "member_state": item.member_state,
        "nationality": nationality,
        "eurodac_category": 2,
        "apprehension_event_id": item.event_id,
        "dob_is_estimated": True,
        "synthetic": True,
    }


def _single(item: Apprehension, nationality: str, rng: np.random.Generator) -> dict[str, Any]:
    female = rng.random() < 0.12
    unaccompanied = rng.random() < UNACCOMPANIED_MINOR_SHARE
    age = int(rng.integers(15, 18)) if unaccompanied else int(rng.integers(18, 62))
    written, latin, _ = _name(nationality, female, None, rng)
    return _base(item, nationality) | {
        "name_as_written": written,
        "name_transliterated": latin,
        "sex": "F" if female else "M",
        "date_of_birth": _birth(item.day, age, rng),
        "minor": unaccompanied,
        "unaccompanied_minor": unaccompanied,
        "elderly": age >= 60,
        "trafficking_victim": bool(rng.random() < 0.005),
    }


def _family(
    item: Apprehension, nationality: str, size: int, household: str, rng: np.random.Generator
) -> Iterator[dict[str, Any]]:
    family_name: str | None = None
    for member in range(size):
        female = member == 1 or (member >= 2 and rng.random() < 0.5)
        age = int(rng.integers(25, 50)) if member < 2 else int(rng.integers(0, 17))
        written, latin, family_name = _name(nationality, female, family_name, rng)
        yield _base(item, nationality) | {
            "name_as_written": written,
            "name_transliterated": latin,
            "sex": "F" if female else "M",
            "date_of_birth": _birth(item.day, age, rng),
            "minor": age < 18,
            "pregnancy": bool(member == 1 and rng.random() < 0.08),
            "disability": bool(rng.random() < 0.02),
            "household": household,
        }
