"""Load test: the main pages and API lists under concurrent users, on loopback only.

A fresh database in a temporary folder (SQLite by default, BENCH_LOAD_DATABASE_URL for another)
is set up as `make run` does: migrate, the demo scenario, the demo users, collectstatic; then
synthetic events are added through the border app's bulk service until the database holds
BENCH_LOAD_EVENTS events (default 1,000,000; 0: the scenario alone; bench/load_fill.py, a
minute or two for 1 M on the 2-core machine). Then gunicorn serves it on a free
loopback port with the settings docs/operations.md recommends for production (sync workers,
2 x cores + 1 of them, BENCH_LOAD_WORKERS to change) and locust (bench/locustfile.py) runs
headless with BENCH_LOAD_USERS users (default 50, each thinking 1-5 s between requests) in one
run: the users are spawned evenly over BENCH_LOAD_WARMUP seconds (default 15), each signing in
once, and the figures are reset when the last has started (locust's --reset-stats), so the
BENCH_LOAD_SECONDS (default 60) measured are users at work, not a storm of sign-ins (a
deliberately slow password hash) that a server in service sees spread over a day. Reported per
request kind and overall: count, failures and error rate, p50/p95/p99 and requests per second,
with the login page (no data read) as the peer measured in the same run, and whether each row
meets the aim of issue 19 (p95 under 300 ms, no errors).

    BENCH_LOAD_EVENTS=20000 BENCH_LOAD_USERS=10 BENCH_LOAD_SECONDS=20 \
        PYTHONPATH=src .venv/bin/python bench/load.py          # a quick trial, prints Markdown
    .venv/bin/python bench/run.py --only load                  # full size, into docs/benchmarks.md
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WARMUP = int(os.environ.get("BENCH_LOAD_WARMUP", "15"))  # seconds, not measured
EVENTS = int(os.environ.get("BENCH_LOAD_EVENTS", "1000000").replace("_", ""))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# gunicorn as docs/operations.md recommends for production ("Web server")
GUNICORN = {
    "workers": str(WORKERS),
    "worker-class": "sync",
    "timeout": "30",
    "graceful-timeout": "30",
    "max-requests": "1000",
    "max-requests-jitter": "100",
}
AIM_P95_MS = 300
NOT_IN_AIM = ("peer: login page", "sign in")  # the peer, and the password hash once a session


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _borderwatch(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own executable, fixed arguments
        [str(BIN / "borderwatch"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"borderwatch {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _fill(env: dict[str, str], total: int) -> dict[str, float]:
    """Synthetic events up to `total` through the bulk service (bench/load_fill.py, a child
    with the same environment); returns the events before and after and the seconds taken."""
    done = subprocess.run(  # noqa: S603 - this interpreter and our own script
        [sys.executable, str(ROOT / "bench" / "load_fill.py"), str(total)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL built here
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer at {url}")


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        database = os.environ.get("BENCH_LOAD_DATABASE_URL", f"sqlite:///{tmp}/load.sqlite3")
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "BORDERWATCH_VAR_DIR": tmp,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "BORDERWATCH_LOG": "WARNING",
        }
        started = time.perf_counter()
        _borderwatch(env, "migrate", "--noinput")
        _borderwatch(env, "scenario", "load", "belarus-2021", "--seed", "2021")
        _borderwatch(env, "demo_users")
        _borderwatch(env, "collectstatic", "--noinput", "--verbosity", "0")
        token = _borderwatch(
            env, "token", "create", "--user", "coordinator.lt", "--name", "load test"
        ).strip()
        token = token.split()[-1]
        setup_s = time.perf_counter() - started
        filled = _fill(env, EVENTS)

        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        options = [f"--{name}={value}" for name, value in GUNICORN.items()]
        server = subprocess.Popen(  # noqa: S603 - our own executable, fixed arguments
            [str(BIN / "gunicorn"), "borderwatch.config.wsgi", "--bind", f"127.0.0.1:{port}",
             *options, "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            _wait_until_up(f"{host}/accounts/login/")
            prefix = Path(tmp) / "locust"
            locust_env = {
                **env, "BENCH_LOAD_PASSWORD": "borderwatch-demo", "BENCH_LOAD_TOKEN": token,
            }  # fmt: skip
            # one run: spawning (and every user's sign-in) over the warm-up, then the figures
            # reset; each worker's first requests also import what it serves
            done = _locust(host, locust_env, WARMUP + SECONDS, prefix)
            rows = _read(prefix, "stats")
            if not rows:
                raise RuntimeError(f"locust reported nothing:\n{done.stderr[-2000:]}")
            failures = _read(prefix, "failures")
            exceptions = _read(prefix, "exceptions")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    backend = database.split(":", 1)[0]
    return _report(rows, failures, exceptions, setup_s, filled, backend)


def _locust(
    host: str, env: dict[str, str], seconds: int, prefix: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own executable, fixed arguments
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--users", str(USERS), "--spawn-rate", f"{USERS / max(WARMUP, 1):.3f}",
         "--reset-stats", "--run-time", f"{seconds}s",
         "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         "--stop-timeout", "10"],
        env=env, cwd=ROOT, check=False, capture_output=True, text=True,
    )  # fmt: skip


def _read(prefix: Path, kind: str) -> list[dict[str, str]]:
    try:
        with open(f"{prefix}_{kind}.csv", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        return []


def _meets(row: dict[str, str]) -> str:
    if row["Name"] in NOT_IN_AIM:
        return "(not in the aim)"
    ok = int(row["Failure Count"]) == 0 and float(row["95%"]) < AIM_P95_MS
    return "yes" if ok else "**no**"


def _report(
    rows: list[dict[str, str]],
    failures: list[dict[str, str]],
    exceptions: list[dict[str, str]],
    setup_s: float,
    filled: dict[str, float],
    backend: str,
) -> str:
    rate = filled["added"] / filled["inserting"] if filled["inserting"] else 0.0
    settings = ", ".join(f"`--{name} {value}`" for name, value in GUNICORN.items())
    lines = [
        "## Load test (`bench/load.py`, locust on loopback)\n",
        f"{USERS} users (3 border guards : 2 registration officers : 2 API clients, each"
        " thinking 1-5 s between requests; the guards walk the event list up to 10 pages"
        " deep by its Older link, the API clients up to 20 pages by `next_cursor`) for"
        f" {SECONDS} s, measured after all had started (spawned evenly over {WARMUP} s, each"
        " signing in once; figures reset then),"
        f" against gunicorn ({settings}) on {backend} holding"
        f" **{int(filled['after']):,} events**: the demo scenario"
        f" ({int(filled['before']):,} events; set up in {setup_s:.0f} s) and"
        f" {int(filled['added']):,} synthetic events of 2019-2021 in LT, PL and LV added"
        f" by the bulk service `insert_events` in {filled['seconds']:.0f} s (generated and"
        f" inserted; {rate:,.0f} events/s in `insert_events`)."
        " The load generator runs on the same machine and takes CPU from the server. The peer"
        " is the login page, which reads no data; signing in (a deliberately slow password"
        " hash, once a session) is shown but not in the aim.\n",
        f"Aim (issue 19): p95 under {AIM_P95_MS} ms and no errors for every page and API list.\n",
        "| request | count | failures | error rate | p50 ms | p95 ms | p99 ms | req/s | meets aim |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    in_aim = [r for r in rows if r["Name"] not in NOT_IN_AIM and r["Name"] != "Aggregated"]
    for row in rows:
        total, failed = int(row["Request Count"]), int(row["Failure Count"])
        overall = row["Name"] == "Aggregated"
        name = "**all**" if overall else row["Name"]
        meets = "" if overall else _meets(row)
        lines.append(
            f"| {name} | {total:,} | {failed:,} | {failed / total if total else 0:.2%} |"
            f" {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
            f" {meets} |"
        )
    met = [r for r in in_aim if _meets(r) == "yes"]
    clean = not exceptions
    verdict = "met" if len(met) == len(in_aim) and clean else "not met"
    lines.append(
        f"\nAim {verdict}: {len(met)} of {len(in_aim)} pages and API lists have p95 under"
        f" {AIM_P95_MS} ms and no errors"
        + (
            f"; {sum(int(e['Count']) for e in exceptions)} errors in the users' code"
            if exceptions
            else ""
        )
        + "."
    )
    for f in failures:
        lines.append(
            f"- failed: {f['Method']} {f['Name']}: {f['Error']} ({f['Occurrences']} times)"
        )
    for e in exceptions:
        lines.append(f"- error in a user: {e['Message']} ({e['Count']} times)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
