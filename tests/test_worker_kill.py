"""The kill test: a real task worker is killed (SIGKILL) in the middle of a search.

`borderwatch worker --supervise` runs against a real database file (SQLite: a copy of the test
database; PostgreSQL: the test database itself); the search waits in its gallery step
(tests/stalled_tasks.py) until the test kills the worker. The supervisor starts another worker,
which finds the task of the dead one and runs it again: the search finishes, never left
running. (Killed on every attempt it fails visibly: tests/registration/test_worker_recovery.py,
in-process, to keep this test short.) Generous polling, no timing asserted.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.db import connection, models
from django_tasks_db.models import DBTaskResult, get_date_max

import borderwatch
from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry, WorkerHeartbeat
from borderwatch.core.roles import Role
from borderwatch.registration import services
from borderwatch.registration.models import Hit, IdentificationRequest
from tests.registration.conftest import new_person, synthetic_set

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

SRC = Path(borderwatch.__file__).resolve().parents[1]
ROOT = SRC.parent
WAIT = 90.0  # seconds: generous for a loaded two-core machine; a pass takes a few
TASK_PATH = "tests.stalled_tasks.stalled_identify"
PENDING = ("READY", "RUNNING")


@dataclass
class SharedDatabase:
    """The database the test and the worker processes share, read with plain SQL."""

    url: str
    sqlite_file: Path | None

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file, timeout=30) as conn:
                return list(conn.execute(sql.replace("%s", "?"), params).fetchall())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def select(
        self, model: type[models.Model], columns: str, where: str = "", *params: Any
    ) -> list[tuple[Any, ...]]:
        """Rows of the model's table; `where` holds placeholders (%s) for `params` only."""
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"SELECT {columns} FROM {table}" + (f" WHERE {where}" if where else "")  # noqa: S608 (names from the models)
        return self.rows(sql + " ORDER BY 1", *params)

    def one(
        self, model: type[models.Model], columns: str, where: str = "", *params: Any
    ) -> tuple[Any, ...] | None:
        found = self.select(model, columns, where, *params)
        return found[0] if found else None


@pytest.fixture
def shared_database(tmp_path: Path) -> Callable[[], SharedDatabase]:
    """Called once the test's data is written: SQLite's in-memory test database is copied to a
    file; PostgreSQL's test database is used as it is (transaction=True commits the data)."""

    def share() -> SharedDatabase:
        if connection.vendor == "sqlite":
            path = tmp_path / "shared.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)
            return SharedDatabase(f"sqlite:///{path}", path)
        url = dj_database_url.parse(os.environ["DATABASE_URL"])
        name = connection.settings_dict["NAME"]
        user, host, port = url["USER"], url["HOST"], url["PORT"] or 5432
        password = f":{url['PASSWORD']}" if url.get("PASSWORD") else ""
        return SharedDatabase(f"postgres://{user}{password}@{host}:{port}/{name}", None)

    return share


@dataclass
class Search:
    request_id: int
    stall: Path


@pytest.fixture
def stalled_search(make_user: Callable[..., User], tmp_path: Path) -> Search:
    """PL searches subject 1's other impression (subject 1 is enrolled in LT); the task row is
    queued for a worker, and the search will wait at its gallery step while `stall` exists."""
    officer_lt = make_user(Role.REGISTRATION_OFFICER, "LT")
    officer_pl = make_user(Role.REGISTRATION_OFFICER, "PL")
    synthetic_set(new_person(officer_lt, "LT"), subject=1, impression=0)
    services.rebuild_gallery()
    fs = synthetic_set(new_person(officer_pl, "PL"), subject=1, impression=1)
    req = services.system_identification(fs.pk, enqueue=False)
    stall = tmp_path / "stall"
    stall.touch()
    row = DBTaskResult.objects.create(
        task_path=TASK_PATH, args_kwargs={"args": [req.pk, str(stall)], "kwargs": {}},
        backend_name="default", queue_name="default", run_after=get_date_max(),
    )  # fmt: skip
    req.task_id = str(row.pk)
    req.save(update_fields=["task_id"])
    return Search(req.pk, stall)


@pytest.fixture
def supervisor(tmp_path: Path, settings: Any) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """Starts `borderwatch worker --supervise` against a database; stops it afterwards (and,
    should it not stop, kills it and the workers it started: only our own processes)."""
    started: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "worker.log"

    def start(database_url: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT)]),
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": "kill-test",
            "BORDERWATCH_VAR_DIR": str(tmp_path / "var"),
            "BORDERWATCH_GALLERY_DIR": str(settings.GALLERY_DIR),
            "BORDERWATCH_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "BORDERWATCH_WORKER_HEARTBEAT": "0.2",
            "BORDERWATCH_WORKER_STALE": "2",
            "BORDERWATCH_TASK_RETRIES": "1",
        }
        command = [sys.executable, "-m", "borderwatch.cli", "worker", "--supervise"]
        command += ["--interval", "0.2", "--no-startup-delay", "--stop-grace", "10"]
        with log.open("ab") as out:
            proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for(what: str, found: Callable[[], Any], log: Path) -> Any:
    """Poll until `found()` is truthy; on timeout fail with the workers' log."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_search_whose_worker_is_killed_is_run_again_and_finishes(
    stalled_search: Search,
    shared_database: Callable[[], SharedDatabase],
    supervisor: Callable[[str], subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    db = shared_database()
    proc = supervisor(db.url)
    log = tmp_path / "worker.log"

    def request() -> tuple[Any, ...] | None:
        return db.one(IdentificationRequest, "status", "id = %s", stalled_search.request_id)

    def task() -> tuple[Any, ...] | None:
        return db.one(DBTaskResult, "status, worker_ids", "task_path = %s", TASK_PATH)

    def heartbeats() -> set[int]:
        return {p for (p,) in db.select(WorkerHeartbeat, "pid")}

    def searching() -> str | None:
        """The worker running the search, once the search has started."""
        row = task()
        ids = _json(row[1]) if row else []
        running = request() == ("running",)
        return ids[-1] if running and ids else None

    worker = wait_for("the search to start", searching, log)
    (pid,) = wait_for(
        "its heartbeat", lambda: db.one(WorkerHeartbeat, "pid", "worker_id = %s", worker), log
    )
    assert pid != proc.pid  # a worker process of the supervisor's, not the supervisor
    os.kill(pid, signal.SIGKILL)
    stalled_search.stall.unlink()  # the next attempt runs through

    def ended() -> tuple[Any, ...] | None:
        """The search's status and its task row's, once both have ended (in that order)."""
        row, task_row = request(), task()
        if row and task_row and row[0] in ("done", "failed") and task_row[0] not in PENDING:
            return (row[0], task_row[0], task_row[1])
        return None

    status, task_status, worker_ids = wait_for("the search to end", ended, log)
    assert status == "done"
    assert task_status == "SUCCESSFUL"
    assert _json(worker_ids)[0] == worker and len(_json(worker_ids)) == 2  # killed, then next
    assert db.one(Hit, "count(*)") == (1,)
    actions = [a for (a,) in db.select(AuditEntry, "action")]
    assert actions.count("core.task.requeue") == 1
    assert actions.count("registration.identification.requeue") == 1
    assert "registration.identification.done" in actions
    assert not alive(pid)

    # the worker the supervisor started instead is alive; stopping the supervisor stops it
    # cleanly (its heartbeat goes), and the killed worker's heartbeat is left, silent
    live = heartbeats() - {pid}
    assert len(live) == 1 and all(alive(p) for p in live)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=WAIT) == 0
    assert not any(alive(p) for p in live)
    assert heartbeats() == {pid}


def _json(value: Any) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value)
