"""States, nationalities and organisations: names to ISO 3166 alpha-2 codes.

pycountry supplies every country's official and common names; it has no demonyms, so the
adjectives and nouns for nationalities are a short table here (extend it as reports need).
"""

from __future__ import annotations

from functools import cache

import pycountry

#: EU member states (the states whose border guards detain, receive deployments, declare...).
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)

#: Names the press uses that pycountry does not list.
EXTRA_NAMES = {
    "Belarus": "BY",
    "Russia": "RU",
    "Syria": "SY",
    "Iran": "IR",
    "Turkey": "TR",
    "Czech Republic": "CZ",
    "the Netherlands": "NL",
    "Netherlands": "NL",
    "Congo": "CG",
    "Democratic Republic of Congo": "CD",
    "Vietnam": "VN",
    "Britain": "GB",
    "Moldova": "MD",
}

#: Cities that stand for their country in route descriptions ("flights to Minsk").
CITIES = {
    "Minsk": "BY",
    "Grodno": "BY",
    "Baghdad": "IQ",
    "Erbil": "IQ",
    "Basra": "IQ",
    "Sulaymaniyah": "IQ",
    "Istanbul": "TR",
    "Dubai": "AE",
    "Damascus": "SY",
    "Beirut": "LB",
    "Vilnius": "LT",
    "Riga": "LV",
    "Warsaw": "PL",
    "Brussels": "BE",
}

#: Demonyms: adjectives and plural nouns ("Iraqi", "Iraqis") to country codes.
DEMONYMS = {
    "Afghan": "AF",
    "Afghans": "AF",
    "Austrian": "AT",
    "Belarusian": "BY",
    "Belarusians": "BY",
    "Belgian": "BE",
    "Cameroonian": "CM",
    "Cameroonians": "CM",
    "Congolese": "CD",
    "Cuban": "CU",
    "Cubans": "CU",
    "Danish": "DK",
    "Dutch": "NL",
    "Egyptian": "EG",
    "Egyptians": "EG",
    "Eritrean": "ER",
    "Eritreans": "ER",
    "Estonian": "EE",
    "German": "DE",
    "Greek": "GR",
    "Guinean": "GN",
    "Guineans": "GN",
    "Indian": "IN",
    "Indians": "IN",
    "Iranian": "IR",
    "Iranians": "IR",
    "Iraqi": "IQ",
    "Iraqis": "IQ",
    "Kurdish": "IQ",
    "Latvian": "LV",
    "Lebanese": "LB",
    "Lithuanian": "LT",
    "Nigerian": "NG",
    "Nigerians": "NG",
    "Pakistani": "PK",
    "Pakistanis": "PK",
    "Polish": "PL",
    "Russian": "RU",
    "Somali": "SO",
    "Somalis": "SO",
    "Sri Lankan": "LK",
    "Sri Lankans": "LK",
    "Syrian": "SY",
    "Syrians": "SY",
    "Tajik": "TJ",
    "Turkish": "TR",
    "Yemeni": "YE",
    "Yemenis": "YE",
}

#: Organisations that deploy, fund, or speak for the Union.
ORGANISATIONS = {
    "Frontex": "Frontex",
    "European Border and Coast Guard Agency": "Frontex",
    "border and coast guard agency": "Frontex",
    "European Commission": "European Commission",
    "Commission": "European Commission",
    "commission": "European Commission",
    "EU": "European Union",
    "European Union": "European Union",
    "EUAA": "EUAA",
    "European Union Agency for Asylum": "EUAA",
    "EASO": "EUAA",
    "Europol": "Europol",
    "Iraqi Airways": "Iraqi Airways",
    "Belavia": "Belavia",
    "UNHCR": "UNHCR",
    "IOM": "IOM",
}


@cache
def country_names() -> dict[str, str]:
    """Every name to its alpha-2 code: pycountry's names and common names, plus the extras."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[str(value)] = code
    names.update(EXTRA_NAMES)
    return names


def country_name(code: str) -> str:
    """A short English name for a code (for notes and pages)."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)
