"""Nationality codes: ISO 3166-1 alpha-2 from pycountry, plus XX for an undeclared nationality."""

from __future__ import annotations

from functools import cache

import pycountry

UNDECLARED = "XX"


@cache
def nationality_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | {UNDECLARED}


def is_nationality_code(code: str) -> bool:
    return code in nationality_codes()
