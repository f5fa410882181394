"""Task workers: heartbeats say who is alive; a task whose worker stopped is run again once,
then failed visibly; the supervisor's pause grows while a worker keeps dying."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from borderwatch.core import workers
from borderwatch.core.models import AuditEntry, WorkerHeartbeat
from borderwatch.core.supervisor import next_pause
from tests.core.task_rows import heartbeat, task_row

pytestmark = pytest.mark.django_db

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
COMPACT = "borderwatch.registration.tasks.compact_gallery"


@pytest.fixture(autouse=True)
def limits(settings: Any) -> None:
    settings.WORKER_STALE_SECONDS = 60
    settings.TASK_RETRIES = 1


def test_a_beat_records_the_worker_and_forget_removes_it() -> None:
    started = dt.datetime(2021, 8, 1, tzinfo=dt.UTC)
    workers.beat("w1", started)
    workers.beat("w1", started)
    (hb,) = WorkerHeartbeat.objects.all()
    assert hb.worker_id == "w1" and hb.pid > 0 and hb.host and hb.started_at == started
    assert list(workers.live_workers()) == [hb]
    workers.forget("w1")
    assert not WorkerHeartbeat.objects.exists()


def test_the_pages_warn_only_when_tasks_need_a_worker_and_none_is_alive(settings: Any) -> None:
    assert not workers.no_worker_alive()  # in-process tasks (the tests' backend) need none
    settings.TASKS = DB_BACKEND
    assert workers.no_worker_alive()
    heartbeat("silent", ago=dt.timedelta(seconds=61))
    assert workers.no_worker_alive()
    heartbeat("alive", ago=dt.timedelta(seconds=5))
    assert not workers.no_worker_alive()


def test_a_task_of_a_dead_worker_runs_again_once_then_fails_visibly() -> None:
    heartbeat("dead-worker", ago=dt.timedelta(minutes=5))
    row = task_row(COMPACT)

    first = workers.recover()
    row.refresh_from_db()
    assert (first.requeued, first.failed) == (1, 0)
    assert row.status == TaskResultStatus.READY and row.started_at is None
    entry = AuditEntry.objects.get(action="core.task.requeue")
    assert entry.actor_username == "system" and entry.object_id == str(row.pk)
    assert entry.new_values == {"task": COMPACT, "attempts": 1, "worker": "dead-worker"}

    # the next worker claimed it and died too: given up, with a reason on the row
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=row.enqueued_at - dt.timedelta(minutes=10),
        worker_ids=["dead-worker", "second-dead"],
    )
    second = workers.recover()
    row.refresh_from_db()
    assert (second.requeued, second.failed) == (0, 1)
    assert row.status == TaskResultStatus.FAILED and row.finished_at
    assert row.exception_class_path == "borderwatch.core.workers.WorkerLost"
    assert "the task worker stopped" in row.traceback
    assert AuditEntry.objects.filter(action="core.task.fail", object_id=str(row.pk)).count() == 1
    assert not workers.recover()  # nothing left to do


def test_the_task_of_a_live_worker_is_left_alone() -> None:
    heartbeat("busy", ago=dt.timedelta(seconds=3))
    row = task_row(COMPACT, workers=["busy"])
    assert not workers.recover()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_task_claimed_moments_ago_is_left_alone() -> None:
    """Within the stale limit a worker without a heartbeat (yet) is not taken for dead."""
    row = task_row(COMPACT, workers=["unknown"], started=dt.timedelta(seconds=5))
    assert not workers.recover()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_worker_never_heard_of_is_dead_after_the_stale_limit() -> None:
    row = task_row(COMPACT, workers=["plain-db-worker"])
    assert workers.recover().requeued == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY


def test_hooks_hear_what_was_requeued_and_failed() -> None:
    heard: list[workers.Lost] = []
    workers.register("test", lambda lost: heard.append(lost) or 0)
    try:
        again = task_row(COMPACT)
        given_up = task_row(COMPACT, workers=["a", "b"])
        workers.recover()
    finally:
        workers.unregister("test")
    assert heard[0].requeued == {str(again.pk)} and heard[0].failed == {str(given_up.pk)}


def test_old_heartbeats_of_dead_workers_are_pruned() -> None:
    heartbeat("long-dead", ago=dt.timedelta(days=2))
    heartbeat("recent", ago=dt.timedelta(minutes=5))
    workers.recover()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]


def test_settled_tasks_are_ended_or_missing_rows_of_this_queue() -> None:
    running = task_row(COMPACT)
    done = task_row(COMPACT, status=TaskResultStatus.SUCCESSFUL)
    missing = "00000000-0000-4000-8000-000000000000"
    ids = [str(running.pk), str(done.pk), missing, "not-a-uuid"]
    assert workers.settled_tasks(ids) == {str(done.pk), missing}


def test_the_tasks_command_recovers_and_lists_workers(settings: Any) -> None:
    settings.TASKS = DB_BACKEND
    task_row(COMPACT)
    heartbeat("silent-one", ago=dt.timedelta(minutes=5))
    out = io.StringIO()
    call_command("tasks", "recover", stdout=out)
    assert "1 task(s) queued again, 0 failed" in out.getvalue()
    out = io.StringIO()
    call_command("tasks", "workers", stdout=out)
    assert "silent-one test pid 1: silent" in out.getvalue()
    assert "No task worker is running" in out.getvalue()


def test_the_supervisors_pause_doubles_while_the_worker_keeps_dying() -> None:
    limits = {"first": 1.0, "most": 8.0, "healthy": 60.0}
    pauses = [0.0]
    for _ in range(5):
        pauses.append(next_pause(pauses[-1], 2.0, **limits))
    assert pauses[1:] == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert next_pause(8.0, 61.0, **limits) == 1.0  # after a healthy run: from the start
