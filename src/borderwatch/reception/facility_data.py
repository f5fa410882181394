"""Facilities of the demo: real Lithuanian sites of summer 2021, and some in Latvia and Poland.

Names and places are public. Where a capacity was published (IFRC DREF operation MDRLT001,
July 2021) the total is that figure and only its split by category is ours; everything else is
an estimate from press reports and marked as such.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

IFRC = (
    "Total from IFRC Emergency Plan of Action, Lithuania population movement, DREF MDRLT001 "
    "(July 2021); split by category estimated."
)
LRT_SEPT = "Estimated from LRT/BNS reports of September 2021 (over 700 men moved there)."
RUDNINKAI = (
    "Estimated: press reports of July-September 2021 give 380 on opening (29 July) and "
    "about 740-800 single men in tents later."
)
NAUJININKAI = "Estimated: LRT/BNS, 24 September 2021 (hostel for vulnerable people, opening)."
PL_SG = "Estimated: Polish Border Guard guarded centre for foreigners; capacity not published here."
PL_UDSC = "Estimated: Office for Foreigners' open reception centre; capacity not published here."
LV_SG = "Estimated: Latvian State Border Guard accommodation centre; capacity not published here."
LV_PMLP = "Estimated: asylum seekers' accommodation centre; capacity not published here."

D, R, T = "detention_centre", "reception_centre", "temporary_shelter"


def _f(
    code: str,
    state: str,
    name: str,
    kind: str,
    lat: float,
    lon: float,
    places: tuple[int, int, int, int],
    *,
    medical: bool,
    interpreters: bool,
    note: str,
    address: str = "",
    opened_on: dt.date | None = None,
    closed_on: dt.date | None = None,
) -> dict[str, Any]:
    men, women, families, minors = places
    return {
        "code": code,
        "member_state": state,
        "name": name,
        "kind": kind,
        "latitude": lat,
        "longitude": lon,
        "address": address,
        "capacity_single_men": men,
        "capacity_single_women": women,
        "capacity_families": families,
        "capacity_unaccompanied_minors": minors,
        "medical": medical,
        "interpreters": interpreters,
        "capacity_is_estimate": True,
        "source_note": note,
        "opened_on": opened_on,
        "closed_on": closed_on,
    }


FACILITIES: list[dict[str, Any]] = [
    # Lithuania
    _f("lt-pabrade-frc", "LT", "Foreigners' Registration Centre, Pabradė", D, 54.983, 25.741,
       (150, 40, 60, 0), medical=True, interpreters=True, note=IFRC, address="Pabradė"),
    _f("lt-pabrade-tents", "LT", "Pabradė tent camp (Foreigners' Registration Centre)", T,
       54.987, 25.752, (350, 0, 0, 0), medical=False, interpreters=True,
       note="Total (350) from IFRC DREF MDRLT001 and press reports of June 2021.",
       address="Pabradė", opened_on=dt.date(2021, 6, 15), closed_on=dt.date(2021, 10, 1)),
    _f("lt-rukla-rrc", "LT", "Refugees Reception Centre, Rukla", R, 55.030, 24.383,
       (30, 40, 110, 32), medical=True, interpreters=True, note=IFRC, address="Rukla, Jonava"),
    _f("lt-jieznas-fsc", "LT", "Family Support Centre, Jieznas", R, 54.603, 24.173,
       (0, 0, 40, 0), medical=False, interpreters=False, note=IFRC, address="Jieznas, Prienai"),
    _f("lt-medininkai-bgs", "LT", "Border Guard School, Medininkai", D, 54.537, 25.650,
       (0, 0, 130, 0), medical=False, interpreters=True,
       note="Total (130, families) from IFRC DREF MDRLT001 (July 2021).",
       address="Medininkai, Vilnius district"),
    _f("lt-rudninkai", "LT", "Rūdninkai military training area tent camp", T, 54.393, 25.053,
       (800, 0, 0, 0), medical=False, interpreters=False, note=RUDNINKAI,
       address="Rūdninkai, Šalčininkai district",
       opened_on=dt.date(2021, 7, 29), closed_on=dt.date(2021, 9, 25)),
    _f("lt-kybartai", "LT", "Kybartai former correctional facility", D, 54.637, 22.762,
       (900, 0, 0, 0), medical=True, interpreters=True, note=LRT_SEPT,
       address="Kybartai, Vilkaviškis district", opened_on=dt.date(2021, 9, 17)),
    _f("lt-naujininkai", "LT", "Naujininkai temporary hostel, Vilnius", T, 54.664, 25.289,
       (0, 60, 200, 40), medical=True, interpreters=True, note=NAUJININKAI,
       address="Naujininkai, Vilnius", opened_on=dt.date(2021, 9, 27)),
    # Latvia
    _f("lv-daugavpils", "LV", "Daugavpils Accommodation Centre for Detained Foreigners", D,
       55.871, 26.536, (60, 20, 40, 0), medical=True, interpreters=True, note=LV_SG,
       address="Daugavpils"),
    _f("lv-mucenieki", "LV", "Mucenieki Accommodation Centre for Asylum Seekers", R,
       56.998, 24.360, (80, 40, 80, 20), medical=True, interpreters=True, note=LV_PMLP,
       address="Mucenieki, Ropaži"),
    # Poland
    _f("pl-biala-podlaska-sg", "PL", "Guarded Centre for Foreigners, Biała Podlaska", D,
       52.032, 23.116, (100, 20, 40, 0), medical=True, interpreters=True, note=PL_SG,
       address="Biała Podlaska"),
    _f("pl-bialystok-sg", "PL", "Guarded Centre for Foreigners, Białystok", D, 53.133, 23.159,
       (40, 20, 60, 0), medical=True, interpreters=True, note=PL_SG, address="Białystok"),
    _f("pl-ketrzyn-sg", "PL", "Guarded Centre for Foreigners, Kętrzyn", D, 54.076, 21.375,
       (60, 20, 60, 0), medical=True, interpreters=True, note=PL_SG, address="Kętrzyn"),
    _f("pl-przemysl-sg", "PL", "Guarded Centre for Foreigners, Przemyśl", D, 49.784, 22.768,
       (40, 20, 60, 0), medical=True, interpreters=True, note=PL_SG, address="Przemyśl"),
    _f("pl-krosno-sg", "PL", "Guarded Centre for Foreigners, Krosno Odrzańskie", D, 52.055,
       15.099, (80, 20, 0, 0), medical=False, interpreters=True, note=PL_SG,
       address="Krosno Odrzańskie"),
    _f("pl-lesznowola-sg", "PL", "Guarded Centre for Foreigners, Lesznowola", D, 52.060,
       20.930, (80, 20, 0, 0), medical=False, interpreters=True, note=PL_SG,
       address="Lesznowola"),
    _f("pl-debak", "PL", "Reception Centre for Foreigners, Podkowa Leśna-Dębak", R, 52.127,
       20.705, (40, 40, 100, 30), medical=True, interpreters=True, note=PL_UDSC,
       address="Podkowa Leśna-Dębak"),
    _f("pl-biala-podlaska-udsc", "PL", "Reception Centre for Foreigners, Biała Podlaska", R,
       52.040, 23.140, (60, 40, 100, 0), medical=True, interpreters=True, note=PL_UDSC,
       address="Biała Podlaska"),
]  # fmt: skip
