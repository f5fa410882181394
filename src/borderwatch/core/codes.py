"""Reference codes defined once: member states, nationalities, sex."""

from __future__ import annotations

from functools import cache

import pycountry
from django.db import models

# EU member states by ISO 3166-1 alpha-2 code (Greece as GR, not Eurostat's EL).
MEMBER_STATES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia",
    "ES": "Spain", "SE": "Sweden",
}  # fmt: skip
MEMBER_STATE_CHOICES = [(code, name) for code, name in sorted(MEMBER_STATES.items())]

UNKNOWN_NATIONALITY = "XX"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "X", "Not recorded"


def member_state_name(code: str) -> str:
    return MEMBER_STATES.get(code, code)


@cache
def nationality_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (from pycountry) plus XX for an undeclared nationality."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | {UNKNOWN_NATIONALITY}


def is_nationality_code(code: str) -> bool:
    return code in nationality_codes()


def nationality_name(code: str) -> str:
    if code == UNKNOWN_NATIONALITY:
        return "Unknown"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
