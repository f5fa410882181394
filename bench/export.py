"""Analytics export rate (border.export): events written to Parquet per second, on SQLite.

Not wired into bench/run.py yet. `measure(n)` runs in a configured, migrated Django process;
`main` makes one (a temporary SQLite file) and prints the result as JSON:

    PYTHONPATH=src .venv/bin/python bench/export.py --events 100000

Events are inserted with the services' bulk path (`create_events`: rollups kept, no
validation), spread over 2021 and the LT, PL and LV sections; then the events table and the two
rollup tables are exported as the command does (hive folders), as the system, timed apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 2021
STATES = ("LT", "PL", "LV")
NATIONALITIES = ("IQ", "SY", "AF", "CM", "XX")
CHUNK = 20_000


def fill(n: int) -> None:
    """n events over 2021 through `create_events` (one transaction per chunk)."""
    from django.db import transaction

    from borderwatch.border.models import BorderSection
    from borderwatch.border.services import create_events
    from borderwatch.border.validation import ValidEvent

    rng = random.Random(SEED)
    sections = {
        s: list(BorderSection.objects.filter(country_id=s).values_list("id", "code", "geometry"))
        for s in STATES
    }
    first = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    for offset in range(0, n, CHUNK):
        per_state: dict[str, list[ValidEvent]] = {s: [] for s in STATES}
        for i in range(offset, min(n, offset + CHUNK)):
            state = rng.choice(STATES)
            section_id, code, geometry = rng.choice(sections[state])
            lon, lat = geometry["coordinates"][0]
            when = first + dt.timedelta(seconds=rng.randrange(365 * 86400))
            persons = rng.randint(1, 40)
            split = rng.randint(0, persons)
            shares = {rng.choice(NATIONALITIES[:3]): split, "XX": persons - split}
            per_state[state].append(
                ValidEvent(
                    ref=f"BX-{i}", occurred_at=when, local_date=when.date(),
                    event_type="apprehension", latitude=lat, longitude=lon, persons=persons,
                    nationalities={k: v for k, v in shares.items() if v}, source="patrol",
                    reporting_unit="bench", description="", section_id=section_id,
                    section_code=code,
                )
            )  # fmt: skip
        with transaction.atomic():
            for state, events in per_state.items():
                if events:
                    create_events(None, state, events, synthetic=True)


def measure(n: int) -> dict[str, Any]:
    """Fill n events, export each table to a temporary folder; rows, seconds, rows/s."""
    from borderwatch.border import export

    started = time.perf_counter()
    fill(n)
    result: dict[str, Any] = {"n_events": n, "fill_s": round(time.perf_counter() - started, 1)}
    request = export.Request(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    with tempfile.TemporaryDirectory(prefix="bench_export_") as out:
        for table in export.Table:
            started = time.perf_counter()
            written = export.export_folder(None, request, Path(out), [table])
            seconds = time.perf_counter() - started
            size = sum(p.stat().st_size for p in (Path(out) / table).rglob("*.parquet"))
            result[str(table)] = {
                "rows": written.total(),
                "seconds": round(seconds, 2),
                "rows_per_s": round(written.total() / seconds) if seconds else None,
                "mib": round(size / 2**20, 1),
            }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench_export_db_") as var:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(var) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderwatch.config.settings")
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        from borderwatch.border.services import ensure_reference_data

        call_command("migrate", verbosity=0)
        ensure_reference_data()
        print(json.dumps(measure(args.events), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
