"""The countries whose borders we map (nationality codes are core.codes')."""

from __future__ import annotations

# Countries of the borders we map, with the time zone their daily figures are counted in.
COUNTRIES: list[tuple[str, str, bool, str]] = [
    ("LT", "Lithuania", True, "Europe/Vilnius"),
    ("LV", "Latvia", True, "Europe/Riga"),
    ("PL", "Poland", True, "Europe/Warsaw"),
    ("BY", "Belarus", False, "Europe/Minsk"),
]
