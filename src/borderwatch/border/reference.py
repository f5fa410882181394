"""Reference data: the countries the system knows and the nationality codes."""

from __future__ import annotations

from functools import cache

import pycountry

UNKNOWN_NATIONALITY = "XX"

# Countries of the borders we map, with the time zone their daily figures are counted in.
COUNTRIES: list[tuple[str, str, bool, str]] = [
    ("LT", "Lithuania", True, "Europe/Vilnius"),
    ("LV", "Latvia", True, "Europe/Riga"),
    ("PL", "Poland", True, "Europe/Warsaw"),
    ("BY", "Belarus", False, "Europe/Minsk"),
]


@cache
def nationality_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (from pycountry) plus XX for an undeclared nationality."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | {UNKNOWN_NATIONALITY}


def nationality_name(code: str) -> str:
    if code == UNKNOWN_NATIONALITY:
        return "Unknown"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)
