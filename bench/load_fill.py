"""Fill the load test's database with synthetic events up to a total (run by bench/load.py).

Run in a child process with the load test's environment (DATABASE_URL and the rest), after the
scenario is loaded: `python bench/load_fill.py TOTAL` adds events until the database holds TOTAL
(none when it already does), drawn by bench/events.py's generator over 2019-2021 in the three
member states by its weights, and inserted through the border app's bulk service
`insert_events` (the path every import takes after validation; the daily rollups are kept)
in chunks of at most CHUNK events, one transaction each. The refs (`LOAD<chunk>-<row>`) cannot
collide with the scenario's (`SCN-...`). PostgreSQL is ANALYZEd afterwards, as autovacuum
would; SQLite is not (the app never runs ANALYZE). Prints one JSON line: the events before and after, the
events added, the seconds taken in all and those in `insert_events`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 50_000


def fill(total: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderwatch.config.settings")
    django.setup()

    from django.db import connection, transaction

    from bench.events import SEED, Generator, as_valid, files
    from borderwatch.border.models import BorderSection, Event
    from borderwatch.border.services import country_tz, insert_events

    before = Event.objects.count()
    missing = max(total - before, 0)
    started = time.perf_counter()
    inserting = 0.0
    if missing:
        gen = Generator(SEED)
        section_ids = dict(BorderSection.objects.values_list("code", "id"))
        for index, state, n, first, last in files(missing, CHUNK):
            rows = gen.rows(state, f"LOAD{index:04d}", n, first, last)
            valid = as_valid(rows, country_tz(state), section_ids)
            t0 = time.perf_counter()
            with transaction.atomic():
                insert_events(None, state, valid, synthetic=True)
            elapsed = time.perf_counter() - t0
            inserting += elapsed
            print(
                f"  fill {index}: {state} {n:,} events inserted in {elapsed:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    if missing and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk insert
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    after = Event.objects.count()
    return {
        "before": before,
        "after": after,
        "added": after - before,
        "seconds": seconds,
        "inserting": inserting,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(fill(int(sys.argv[1]))))
