"""Load test: the main pages and API lists under concurrent users, on loopback only.

A fresh database in a temporary folder (SQLite by default, BENCH_LOAD_DATABASE_URL for another)
is set up as `make run` does: migrate, the demo scenario, the demo users, collectstatic. Then
gunicorn serves it on a free loopback port and locust (bench/locustfile.py) runs headless with
BENCH_LOAD_USERS users (default 50, spawned 10 a second) for BENCH_LOAD_SECONDS (default 60).
Reported per request kind: count, failures, p50/p95/p99 and requests per second, with the login
page (no data read) as the peer measured in the same run. Aim (issue 12): p95 under 300 ms on
SQLite for the main pages and API lists.

    BENCH_LOAD_USERS=20 BENCH_LOAD_SECONDS=30 .venv/bin/python bench/run.py --only load
"""

from __future__ import annotations

import csv
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
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
AIM_P95_MS = 300


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


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL built here
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer at {url}")


def _stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


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

        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own executable, fixed arguments
            [str(BIN / "gunicorn"), "borderwatch.config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS), "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            _wait_until_up(f"{host}/accounts/login/")
            prefix = Path(tmp) / "locust"
            locust_env = {
                **env, "BENCH_LOAD_PASSWORD": "borderwatch-demo", "BENCH_LOAD_TOKEN": token,
            }  # fmt: skip
            subprocess.run(  # noqa: S603 - our own executable, fixed arguments
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "--users", str(USERS), "--spawn-rate", "10", "--run-time", f"{SECONDS}s",
                 "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                 "--stop-timeout", "5"],
                env=locust_env, cwd=ROOT, check=False, capture_output=True, text=True,
            )  # fmt: skip
            rows = _stats(prefix)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return _report(rows, setup_s, database.split(":", 1)[0])


def _report(rows: list[dict[str, str]], setup_s: float, backend: str) -> str:
    lines = [
        "## Load test (`bench/load.py`, locust on loopback)\n",
        f"{USERS} users (3 border guards : 2 registration officers : 2 API clients, each waiting"
        f" 0.5-2 s between requests) for {SECONDS} s against gunicorn with {WORKERS} workers on"
        f" {backend} holding the demo scenario (set up in {setup_s:.0f} s). The load generator"
        " runs on the same machine and takes CPU from the server. The peer is the login page,"
        " which reads no data. Aim: p95 under"
        f" {AIM_P95_MS} ms for the pages and API lists.\n",
        "| request | count | failures | p50 ms | p95 ms | p99 ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} |"
            f" {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
