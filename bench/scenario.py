"""The demo scenario's load (`make run`'s `scenario load belarus-2021 --seed 2021`), SQLite
against PostgreSQL, with the time of each of the loader's stages and of `migrate`.

Each backend runs in a child process (this file re-invoked with `--backend`) with the app's
settings on a fresh database: a temporary BORDERWATCH_VAR_DIR with an SQLite file, or a
PostgreSQL database `bench_scenario_<pid>` created for the run and dropped afterwards. The child
times `migrate`, then `borderwatch.scenario.loader.load` with a progress callback that stamps
each stage (the stages the command's progress bar shows), and reports what was loaded. The two
backends load the same scenario (same seed), so their summaries must be equal.

    .venv/bin/python bench/run.py --only scenario
    BENCH_SCENARIO_BACKENDS=sqlite .venv/bin/python bench/run.py --only scenario
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COMMAND = "cd /work/main && .venv/bin/python bench/run.py --only scenario"
SCENARIO, SEED = "belarus-2021", 2021
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def child(backend: str) -> dict[str, Any]:
    import django

    started = time.perf_counter()
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from borderwatch.scenario.loader import load

    setup_seconds = time.perf_counter() - started

    def log(message: str) -> None:
        print(f"  [{backend}] {message}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - t0
    log(f"migrate {migrate_seconds:.1f} s")
    stages: list[list[Any]] = []  # [stage, seconds]
    last = [time.perf_counter(), ""]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1]:
            stages.append([last[1], now - float(last[0])])
            log(f"{last[1]}: {now - float(last[0]):.1f} s")
        last[:] = [now, stage if done < total else ""]

    t0 = time.perf_counter()
    result = load(SCENARIO, SEED, progress=progress)
    load_seconds = time.perf_counter() - t0
    assert result.loaded
    before = sum(s for _, s in stages)
    stages.insert(0, ["reference data and demo users", load_seconds - before])
    if connection.vendor == "sqlite":
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"
    else:
        number = int(getattr(connection, "pg_version", 0))
        server = f"PostgreSQL {number // 10000}.{number % 10000}"
    connection.close()
    return {
        "backend": backend,
        "server": server,
        "setup_seconds": setup_seconds,
        "migrate_seconds": migrate_seconds,
        "load_seconds": load_seconds,
        "stages": stages,
        "summary": result.run.summary,
    }


def _pg_admin(sql: str, name: str) -> None:
    import psycopg
    from psycopg import sql as pgsql

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(pgsql.SQL(sql).format(pgsql.Identifier(name)))


def _measure(backend: str) -> dict[str, Any]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "borderwatch.config.settings"
    env["DJANGO_DEBUG"] = "0"
    env["BORDERWATCH_ENV"] = "local"  # as `make run`
    with tempfile.TemporaryDirectory(prefix=f"bench_scenario_{backend}_") as var:
        env["BORDERWATCH_VAR_DIR"] = var
        name = f"bench_scenario_{os.getpid()}"
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{Path(var) / 'bench.sqlite3'}"
        else:
            _pg_admin("CREATE DATABASE {}", name)
            env["DATABASE_URL"] = PG_URL.format(name=name)
        try:
            t0 = time.perf_counter()
            done = subprocess.run(  # noqa: S603 - this interpreter and file, our own arguments
                [sys.executable, str(Path(__file__).resolve()), "--backend", backend],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
            wall = time.perf_counter() - t0
        finally:
            if backend != "sqlite":
                _pg_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    return result


def markdown(results: list[dict[str, Any]], cached: bool) -> str:
    names = [r["server"] for r in results]
    head = "| | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names) + "\n"

    def line(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |\n"

    out = [
        "## Scenario: the demo's load, SQLite vs PostgreSQL\n\n",
        f"Command: `{COMMAND}`.\n\n",
        f"`scenario load {SCENARIO} --seed {SEED}` as `make run` does it, on a fresh database "
        "per backend, each in its own process with the app's settings (a temporary "
        "BORDERWATCH_VAR_DIR and SQLite file: WAL, synchronous=NORMAL; a new PostgreSQL "
        "database on 127.0.0.1, dropped afterwards), one after the other on the same machine. "
        "`migrate` is timed apart; the stages are those the command's progress bar shows, "
        "timed by the loader's progress callback.\n\n",
        head,
        line("**migrate**, s", [f"**{r['migrate_seconds']:.1f}**" for r in results]),
    ]
    for i, (stage, _) in enumerate(results[0]["stages"]):
        out.append(line(f"{stage}, s", [f"{r['stages'][i][1]:.1f}" for r in results]))
    out.append(
        line("**scenario load in all**, s", [f"**{r['load_seconds']:.1f}**" for r in results])
    )
    out.append(
        line(
            "child process wall time (Python and Django start, migrate, load), s",
            [f"{r['wall_seconds']:.1f}" for r in results],
        )
    )
    summary = results[0]["summary"]
    same = all(r["summary"] == summary for r in results)
    loaded = ", ".join(f"{k} {v:,}" for k, v in summary.items())
    out.append(
        f"\nLoaded ({'the same on both backends' if same else 'DIFFERENT between backends'}): "
        f"{loaded}.\n"
    )
    out.append(
        "\nThe fingerprint stage compiles the matcher's numba kernels on a checkout's first "
        "load (cached on disk afterwards, beside the source); in this run they "
        + ("were already cached" if cached else "were compiled by the first backend")
        + ". The machine has 2 cores shared with other work (other sessions' tests and benchmarks "
        "ran at the same time), so figures of the two backends may be affected differently.\n"
    )
    return "".join(out)


def _numba_cached() -> bool:
    """Whether the fingerprint matcher's compiled kernels are already cached on disk."""
    folder = ROOT / "src" / "borderwatch" / "engines" / "fingerprint" / "__pycache__"
    return any(folder.glob("mcc.*.nbi"))


def run() -> str:
    backends = os.environ.get("BENCH_SCENARIO_BACKENDS", "sqlite,postgresql").split(",")
    cached = _numba_cached()
    results = []
    for backend in backends:
        print(f"  scenario: {backend}", flush=True)
        results.append(_measure(backend))
    return markdown(results, cached)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="child process of bench/scenario.py")
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    print(json.dumps(child(args.backend)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
