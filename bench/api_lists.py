"""API lists at 21,000 events, and a 100,000-row import as a background job (SQLite).

Issue 12 item 7: `/api/border/events?limit=1` took 5.6-8 s with 21,000 events, because the list
was built whole before it was paginated. This benchmark runs in a child process (this file
re-invoked with `--child`) on a fresh SQLite database with the app's settings, fills it with
BENCH_API_EVENTS synthetic events (bench/events.py's generator, through `create_events`) and
times, through Django's test client and the whole middleware and ninja stack:

- `GET /api/border/events` with limit=1 and limit=100 (first page, with its count), a page
  after a cursor taken half-way down the list, and offset=20,000 (the slow way to go deep);
- the peer measured in the same run: the old endpoint's work, every event of the user built as
  an EventOut before a slice of one is taken;
- the import of a BENCH_API_IMPORT_ROWS-row CSV file: the request (store the file, queue the
  job) and the job's task body (`imports.run_import`, what the worker runs).

    .venv/bin/python bench/run.py --only api_lists
    BENCH_API_EVENTS=21000 BENCH_API_IMPORT_ROWS=100000 (defaults; 0 rows skips the import)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ".venv/bin/python bench/run.py --only api_lists"
RUNS = 10


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").replace("_", "").strip()
    return int(value) if value else default


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def child(total: int, import_rows: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.events import STATES, Generator, to_csv
    from borderwatch.accounts.services import create_user
    from borderwatch.border import imports, selectors
    from borderwatch.border.api import EventOut
    from borderwatch.border.models import BorderSection, Event, ImportJob
    from borderwatch.border.services import country_tz, create_events, ensure_reference_data
    from borderwatch.border.validation import ValidEvent
    from borderwatch.core.roles import Role

    def log(message: str) -> None:
        print(f"  [api_lists] {message}", file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    ensure_reference_data()
    analyst = create_user(
        None, username="bench_analyst", password="x" * 20, role=Role.FRONTEX_ANALYST
    )
    guard = create_user(
        None,
        username="bench_guard_lv",
        password="x" * 20,
        role=Role.BORDER_GUARD,
        member_state="LV",
    )
    section_ids = dict(BorderSection.objects.values_list("code", "id"))
    gen = Generator(2021)
    t0 = time.perf_counter()
    per_state = [total // len(STATES)] * len(STATES)
    per_state[0] += total - sum(per_state)
    for state, n in zip(STATES, per_state, strict=True):
        tz = country_tz(state)
        valid = [
            ValidEvent(
                ref=r.ref, occurred_at=r.occurred_at,
                local_date=r.occurred_at.astimezone(tz).date(), event_type=r.event_type,
                latitude=r.latitude, longitude=r.longitude, persons=r.persons,
                nationalities=r.nationalities, source=r.source, reporting_unit=r.reporting_unit,
                description=r.description, section_id=section_ids[r.section_code],
                section_code=r.section_code,
            )
            for r in gen.rows(state, f"API{state}", n)
        ]  # fmt: skip
        with transaction.atomic():
            create_events(None, state, valid)
    log(f"{Event.objects.count():,} events in {time.perf_counter() - t0:.1f} s")

    client = Client()
    client.force_login(analyst)
    url = "/api/border/events"
    half = None
    for _ in range(total // 2000):  # half-way down, a thousand a page
        half = client.get(url, {"limit": 1000, **({"cursor": half} if half else {})}).json()[
            "next_cursor"
        ]
    cases = {
        "limit=1 (first page, with count)": {"limit": 1},
        "limit=100 (first page, with count)": {"limit": 100},
        "limit=100 after a cursor half-way down": {"limit": 100, "cursor": half},
        "limit=100, offset=20,000": {"limit": 100, "offset": 20_000},
    }
    api: dict[str, Any] = {}
    for label, params in cases.items():
        client.get(url, params)  # warm-up
        samples = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                s0 = time.perf_counter()
                response = client.get(url, params)
                samples.append(time.perf_counter() - s0)
            assert response.status_code == 200, response.content[:200]
        api[label] = {**_stats(samples), "queries": len(queries), "bytes": len(response.content)}
        log(f"{label}: {api[label]}")

    def old_way() -> list[EventOut]:
        """The endpoint before: every event built, then the page of one sliced off."""
        return [EventOut.of(e) for e in selectors.events(analyst)][:1]

    old_way()
    samples = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            s0 = time.perf_counter()
            old_way()
            samples.append(time.perf_counter() - s0)
    peer = {**_stats(samples), "queries": len(queries), "runs": len(samples)}
    log(f"old way: {peer}")

    imported: dict[str, Any] = {}
    if import_rows:
        rows = Generator(2022).rows("LV", "IMP", import_rows)
        content = to_csv(rows)
        del rows
        importer = Client()
        importer.force_login(guard)
        s0 = time.perf_counter()
        response = importer.post(url + "/import", {"file": SimpleUploadedFile("big.csv", content)})
        request_s = time.perf_counter() - s0
        assert response.status_code == 202, response.content[:300]
        job_id = response.json()["id"]
        s0 = time.perf_counter()
        job = imports.run_import(job_id)
        task_s = time.perf_counter() - s0
        assert job.status == "done" and job.created == import_rows, (job.status, job.errors[:3])
        s0 = time.perf_counter()
        again = importer.post(url + "/import", {"file": SimpleUploadedFile("big.csv", content)})
        second = imports.run_import(again.json()["id"])
        again_s = time.perf_counter() - s0
        imported = {
            "rows": import_rows,
            "megabytes": len(content) / 2**20,
            "request_s": request_s,
            "task_s": task_s,
            "status": job.status,
            "created": job.created,
            "again_s": again_s,
            "again_created": second.created,
            "again_unchanged": second.unchanged,
            "jobs": ImportJob.objects.count(),
        }
        log(f"import: {imported}")
    return {
        "events": total,
        "sqlite": connection.Database.sqlite_version,
        "api": api,
        "peer": peer,
        "import": imported,
    }


def _measure(total: int, import_rows: int) -> dict[str, Any]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "borderwatch.config.settings"
    env["DJANGO_DEBUG"] = "0"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    with tempfile.TemporaryDirectory(prefix="bench_api_lists_") as var:
        env["BORDERWATCH_VAR_DIR"] = var
        env["DATABASE_URL"] = f"sqlite:///{Path(var) / 'bench.sqlite3'}"
        args = [str(Path(__file__).resolve()), "--child", "--events", str(total)]
        args += ["--import-rows", str(import_rows)]
        done = subprocess.run(  # noqa: S603 - this interpreter and file, our own arguments
            [sys.executable, *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "## API lists at 21,000 events, and a 100,000-row import in the background",
        "",
        f"Command: `{COMMAND}` (sizes: BENCH_API_EVENTS={r['events']:,}, "
        f"BENCH_API_IMPORT_ROWS={r['import'].get('rows', 0):,}).",
        "",
        f"A fresh SQLite {r['sqlite']} database with the app's settings (WAL), filled with"
        f" {r['events']:,} synthetic events (bench/events.py's generator, LT/PL/LV) through"
        " `create_events`. Requests go through Django's test client and the whole middleware and"
        f" ninja stack as a signed-in Frontex analyst (all states); each timed {RUNS} times after"
        " one warm-up, p95 the nearest of those runs. Queries counted per request (session and"
        " user included).",
        "",
        "| `GET /api/border/events` | median ms | p95 ms | queries | bytes |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, a in r["api"].items():
        lines.append(
            f"| {label} | {a['median_ms']:,.1f} | {a['p95_ms']:,.1f} | {a['queries']} |"
            f" {a['bytes']:,} |"
        )
    p = r["peer"]
    lines += [
        f"| peer, same run: the old endpoint's work for limit=1 (every event built, then"
        f" sliced; {p['runs']} runs, in-process, no HTTP) | {p['median_ms']:,.1f} |"
        f" {p['p95_ms']:,.1f} | {p['queries']} | - |",
        "",
    ]
    i = r["import"]
    if i:
        lines += [
            f"Import of a {i['rows']:,}-row CSV file ({i['megabytes']:.1f} MB) for LV by a border"
            " guard, `POST /api/border/events/import`:",
            "",
            "| step | s |",
            "|---|---:|",
            f"| the request: store the file, queue the job (202) | {i['request_s']:.2f} |",
            f"| the job (`imports.run_import`, what the worker runs): parse, validate, nearest"
            f" section, insert in one transaction | {i['task_s']:.1f} |",
            f"| the same file again, request and job (created {i['again_created']}, unchanged"
            f" {i['again_unchanged']:,}) | {i['again_s']:.1f} |",
            "",
            f"The job ended {i['status']} with {i['created']:,} events created. The request no"
            " longer waits for the rows, so no worker timeout (gunicorn's 30 s) is reached at"
            " any size; the page and `GET /api/border/imports/{id}` show the job's progress.",
            "",
        ]
    lines.append("The machine has 2 cores shared with other work.")
    return "\n".join(lines) + "\n"


def run() -> str:
    total = _env_int("BENCH_API_EVENTS", 21_000)
    import_rows = _env_int("BENCH_API_IMPORT_ROWS", 100_000)
    return markdown(_measure(total, import_rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="child process of bench/api_lists.py")
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--import-rows", type=int, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(child(args.events, args.import_rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
