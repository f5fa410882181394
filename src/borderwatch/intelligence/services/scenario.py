"""The demo scenario's flights into Minsk (shared/SCENARIO.md), loaded through the import.

Facts: in July 2021 four flights a week flew from Iraq to Minsk with up to 500 passengers each;
Iraqi Airways paused its Minsk flights from 5 August 2021; from 6 August Iraq's civil aviation
authority suspended every flight to Minsk except empty aircraft for repatriation; the first
repatriation flight from Minsk to Iraq flew on 18 November 2021 with 431 passengers. The single
flights of July (which airport, which day of the week, how many passengers) are generated from
the seed and marked synthetic; the rows that state a fact name their source.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from django.db import transaction

from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.intelligence.models import Flight, Schedule, Suspension
from borderwatch.intelligence.services.flights import import_flights

PREFIX = "SCN-"
SOURCE_FLIGHTS = (
    "EU press reports, July 2021 (shared/SCENARIO.md): four flights a week, up to 500 passengers"
)
SOURCE_PAUSE = "Iraqi Airways, 5 August 2021 (shared/SCENARIO.md)"
SOURCE_SUSPENSION = "Iraq's civil aviation authority, 6 August 2021 (shared/SCENARIO.md)"
SOURCE_REPATRIATION = (
    "First repatriation flight Minsk-Iraq, 18 November 2021, 431 passengers (shared/SCENARIO.md)"
)
AIRLINE = "Iraqi Airways"
# Routes into Minsk in 2021 (origin airports; which of them carried whom is not fixed here).
ROUTES = [
    ("BGW-MSQ", "BGW", "Baghdad", "IQ"),
    ("BSR-MSQ", "BSR", "Basra", "IQ"),
    ("EBL-MSQ", "EBL", "Erbil", "IQ"),
    ("ISU-MSQ", "ISU", "Sulaymaniyah", "IQ"),
    ("IST-MSQ", "IST", "Istanbul", "TR"),
    ("DXB-MSQ", "DXB", "Dubai", "AE"),
    ("DAM-MSQ", "DAM", "Damascus", "SY"),
    ("BEY-MSQ", "BEY", "Beirut", "LB"),
]
JULY = (dt.date(2021, 7, 1), dt.date(2021, 7, 31))
PAUSED = dt.date(2021, 8, 5)
SUSPENDED = dt.date(2021, 8, 6)
REPATRIATION_DAY, REPATRIATED = dt.date(2021, 11, 18), 431
WEEKLY, SEATS = 4, 500
IRAQ_ROUTES = ("BGW-MSQ", "BSR-MSQ", "EBL-MSQ", "ISU-MSQ")


def _import(kind: str, rows: list[dict[str, Any]], *, synthetic: bool) -> int:
    content = json.dumps(rows).encode()
    return import_flights(
        None, kind, content, file_name=f"scenario-{kind}.json", fmt="json", synthetic=synthetic
    ).created


def _generated_flights(seed: int) -> list[dict[str, Any]]:
    """Four flights a week from Iraq from 1 July until Iraqi Airways paused on 5 August: the
    days of the week, the airport and the passengers (up to 500) drawn from the seed."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    week = JULY[0] - dt.timedelta(days=JULY[0].weekday())
    while week < PAUSED:
        for offset in sorted(rng.sample(range(7), WEEKLY)):
            day = week + dt.timedelta(days=offset)
            if not JULY[0] <= day < PAUSED:
                continue
            route = rng.choice(IRAQ_ROUTES)
            rows.append(
                {
                    "ref": f"{PREFIX}IA-{day:%Y%m%d}-{route[:3]}",
                    "route": route,
                    "airline": AIRLINE,
                    "flight_number": f"IA{rng.randint(200, 299)}",
                    "day": day.isoformat(),
                    "direction": "inbound",
                    "kind": "scheduled",
                    "seats": SEATS,
                    "passengers": rng.randint(380, SEATS),
                    "source": "generated (belarus-2021 scenario)",
                }
            )
        week += dt.timedelta(days=7)
    return rows


@transaction.atomic
def load_scenario_flights(seed: int) -> dict[str, int]:
    """Routes, the July schedule, the two suspensions, the generated July flights and the first
    repatriation flight; idempotent (the same seed again changes nothing)."""
    created = {
        "routes": _import(
            "routes",
            [
                {"code": c, "origin_airport": a, "origin_city": city, "origin_country": cc}
                for c, a, city, cc in ROUTES
            ],
            synthetic=False,
        )
    }
    created["schedules"] = _import(
        "schedules",
        [
            {
                "ref": f"{PREFIX}IQ-MSQ-2021-07",
                "route": "BGW-MSQ",
                "airline": AIRLINE,
                "valid_from": JULY[0].isoformat(),
                "valid_to": "2021-08-31",
                "weekly_frequency": WEEKLY,
                "seats_per_flight": SEATS,
                "source": SOURCE_FLIGHTS,
            }
        ],
        synthetic=False,
    )
    created["suspensions"] = _import(
        "suspensions",
        [
            {
                "ref": f"{PREFIX}IA-PAUSE-2021-08-05",
                "scope": "airline",
                "origin_country": "IQ",
                "airline": AIRLINE,
                "starts": PAUSED.isoformat(),
                "title": "Iraqi Airways pauses its Minsk flights",
                "source": SOURCE_PAUSE,
            },
            {
                "ref": f"{PREFIX}IQ-ALL-2021-08-06",
                "scope": "country",
                "origin_country": "IQ",
                "starts": SUSPENDED.isoformat(),
                "except_repatriation": "yes",
                "title": "Iraq suspends all flights to Minsk (empty aircraft for repatriation excepted)",
                "source": SOURCE_SUSPENSION,
            },
        ],
        synthetic=False,
    )
    created["flights"] = _import("flights", _generated_flights(seed), synthetic=True)
    created["flights"] += _import(
        "flights",
        [
            {
                "ref": f"{PREFIX}REPATRIATION-2021-11-18",
                "route": "BGW-MSQ",
                "airline": AIRLINE,
                "day": REPATRIATION_DAY.isoformat(),
                "direction": "outbound",
                "kind": "repatriation",
                # the seats were not reported: the aircraft is counted full
                "seats": REPATRIATED,
                "passengers": REPATRIATED,
                "source": SOURCE_REPATRIATION,
            }
        ],
        synthetic=False,
    )
    if any(created.values()):
        audit.record(None, Action.FLIGHTS_SCENARIO, None, new={"seed": seed, **created})
    return created


@transaction.atomic
def remove_synthetic_flights() -> int:
    """The scenario's flights, schedules and suspensions (by their ref); routes stay."""
    removed = 0
    for model in (Flight, Suspension, Schedule):
        count, _ = model.objects.filter(ref__startswith=PREFIX).delete()
        removed += count
    if removed:
        audit.record(None, Action.FLIGHTS_REMOVE_SYNTHETIC, None, new={"removed": removed})
    return removed
