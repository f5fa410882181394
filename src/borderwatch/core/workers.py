"""Task workers: their heartbeats, and the recovery of the work a dead worker held.

Each `borderwatch worker` records a heartbeat (`WorkerHeartbeat`) every WORKER_HEARTBEAT_SECONDS.
A task row of django_tasks_db that is RUNNING while the worker that claimed it has been silent
for WORKER_STALE_SECONDS was lost with its worker (killed, out of memory, host restarted):
`recover` runs it again while it has been claimed at most TASK_RETRIES times, then fails it. In
the same transaction every app whose jobs follow a task (an identification request, a capture,
a placement proposal) is told through the hook it registered here, so that its job is queued
again or failed visibly, with its own service and its own words. Workers run `recover` when
they start and every half stale-limit; `borderwatch tasks recover` runs it once.

The kernel imports no app: an app registers its hook in its AppConfig.ready (as the picture's
annotation providers do), and nothing here knows what a search is.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connection, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)
KEEP_DEAD_WORKERS = dt.timedelta(
    days=1
)  # a dead worker's heartbeat stays this long, for the record
TASK_ROW = "django_tasks_db.DBTaskResult"


class WorkerLost(Exception):
    """Recorded on a task row given up after its worker stopped (never raised)."""


def stale_limit() -> dt.timedelta:
    return dt.timedelta(seconds=float(settings.WORKER_STALE_SECONDS))


def needs_worker() -> bool:
    """Whether tasks wait for a worker process (the database backend) or run in-process."""
    path = settings.TASKS.get(DEFAULT_TASK_BACKEND_ALIAS, {}).get("BACKEND", "")
    try:
        backend = import_string(path)
    except ImportError:
        return False
    return isinstance(backend, type) and issubclass(backend, DatabaseBackend)


def live_workers(now: dt.datetime | None = None) -> models.QuerySet[WorkerHeartbeat]:
    """Workers heard from within the stale limit."""
    return WorkerHeartbeat.objects.filter(last_seen__gte=(now or timezone.now()) - stale_limit())


def no_worker_alive() -> bool:
    """True when tasks need a worker and none is alive: searches and captures wait."""
    return needs_worker() and not live_workers().exists()


# --- heartbeats ----------------------------------------------------------------------------


def beat(worker_id: str, started_at: dt.datetime) -> None:
    """Record that this worker process is alive now."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at,
                "last_seen": now,
            },
        )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly leaves no heartbeat behind (it held no task)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class Heartbeat:
    """Beats for one worker in a daemon thread, and recovers lost work now and then.

    `start` beats and recovers once before returning, so that the worker claims no task before
    its heartbeat exists. `on_beat` runs after each beat (the worker command checks there that
    its supervisor still lives). A failing beat is logged and tried again at the next one.
    """

    def __init__(self, worker_id: str, on_beat: Callable[[], None] | None = None) -> None:
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.interval = float(settings.WORKER_HEARTBEAT_SECONDS)
        self.recover_every = max(self.interval, stale_limit().total_seconds() / 2)
        self.on_beat = on_beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        beat(self.worker_id, self.started_at)
        self._recover()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)
        try:
            forget(self.worker_id)
        except Exception:
            log.exception("worker %s: could not remove its heartbeat", self.worker_id)

    def _recover(self) -> None:
        try:
            found = recover()
        except Exception:
            log.exception("worker %s: recovery of lost tasks failed", self.worker_id)
            return
        if found:
            log.warning("worker %s recovered lost work: %s", self.worker_id, found)

    def _run(self) -> None:
        last_recovery = timezone.now()
        try:
            while not self._stop.wait(self.interval):
                close_old_connections()
                try:
                    beat(self.worker_id, self.started_at)
                except Exception:
                    log.exception("worker %s: heartbeat failed", self.worker_id)
                if (timezone.now() - last_recovery).total_seconds() >= self.recover_every:
                    self._recover()
                    last_recovery = timezone.now()
                if self.on_beat is not None:
                    self.on_beat()
        finally:
            connection.close()


# --- recovery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lost:
    """What a recovery decided about task rows whose worker stopped, told to every app's hook.

    `requeued`: task ids queued again (their jobs wait for a worker again); `failed`: task ids
    given up (their jobs fail visibly). `stranded` finds the jobs an app still holds as active
    whose task row has ended or vanished without finishing them.
    """

    requeued: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def stale_before(self) -> dt.datetime:
        return self.now - stale_limit()

    def stranded(self, active: models.QuerySet[M], task_field: str = "task_id") -> list[M]:
        """Of these active jobs (queued or running, older than the stale limit), those whose task
        row is no longer queued or running, or is gone; not those given up or queued again now."""
        jobs = [
            job
            for job in active.exclude(**{task_field: ""})
            if getattr(job, task_field) not in self.requeued | self.failed
        ]
        ended = settled_tasks(str(getattr(job, task_field)) for job in jobs)
        return [job for job in jobs if getattr(job, task_field) in ended]


def settled_tasks(task_ids: Iterable[str]) -> set[str]:
    """Of these task ids, those whose row has finished or does not exist (ids of another
    backend, not UUIDs, are never counted: they are not this queue's)."""
    parsed: dict[uuid.UUID, str] = {}
    for task_id in task_ids:
        try:
            parsed[uuid.UUID(task_id)] = task_id
        except ValueError:
            continue
    pending = set(
        DBTaskResult.objects.filter(
            pk__in=list(parsed),
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("pk", flat=True)
    )
    return {text for key, text in parsed.items() if key not in pending}


WORKER_STOPPED = "the task worker stopped"  # the reason audited for what a recovery changes


def recover_jobs(
    lost: Lost,
    active: models.QuerySet[M],
    *,
    since: str,
    requeue: Callable[[M], object],
    fail: Callable[[M], object],
) -> int:
    """The one decision every app's recovery hook makes over its active (queued or running)
    jobs, locked: `requeue` those whose task is queued again, `fail` those whose task was given
    up and those stranded (their task ended without them) that were started before the stale
    limit (`since`: the job's field holding when it was asked for). Returns how many changed."""
    changed = 0
    for job in active.select_for_update().filter(task_id__in=lost.requeued):
        requeue(job)
        changed += 1
    given_up = list(active.select_for_update().filter(task_id__in=lost.failed))
    given_up += lost.stranded(active.filter(**{f"{since}__lt": lost.stale_before}))
    for job in given_up:
        fail(job)
        changed += 1
    return changed


def requeue_job(
    job: models.Model,
    *,
    queued: str,
    stage: str,
    action: Action,
    member_state: str,
    new: dict[str, Any] | None = None,
) -> None:
    """A job whose task runs again: back in the queue at 0 % with a stage that says why (a
    `gettext_noop` text, translated where shown), audited as the system."""
    job.status, job.progress, job.started_at, job.stage = queued, 0, None, stage  # type: ignore[attr-defined]
    job.save(update_fields=["status", "progress", "started_at", "stage"])
    audit.record(None, action, job, member_state=member_state, new=new, reason=WORKER_STOPPED)


def mark_failed(job: models.Model, *, failed: str, error: str) -> None:
    """Save a job as failed now with its error (cut to the 300 characters kept) and the stage
    "Failed"; the caller audits it in its own words."""
    job.status, job.error = failed, error[:300]  # type: ignore[attr-defined]
    job.stage, job.finished_at = gettext_noop("Failed"), timezone.now()  # type: ignore[attr-defined]
    job.save(update_fields=["status", "error", "stage", "finished_at"])


RecoverHook = Callable[[Lost], int]

_hooks: dict[str, RecoverHook] = {}


def register(owner_app: str, hook: RecoverHook) -> None:
    """Add (or replace) an app's recovery hook: it requeues or fails the app's jobs of `Lost`
    through the app's services and returns how many jobs it changed."""
    _hooks[owner_app] = hook


def unregister(owner_app: str) -> None:
    _hooks.pop(owner_app, None)


def hooks() -> list[str]:
    return sorted(_hooks)


@dataclass(frozen=True)
class Recovery:
    """What one recovery did: task rows queued again and given up, app jobs changed."""

    requeued: int = 0
    failed: int = 0
    jobs: int = 0

    def __bool__(self) -> bool:
        return bool(self.requeued or self.failed or self.jobs)

    def __str__(self) -> str:
        return (
            f"{self.requeued} task(s) queued again, {self.failed} failed, "
            f"{self.jobs} job(s) updated"
        )


def lost_task_rows(now: dt.datetime) -> list[DBTaskResult[Any, Any]]:
    """RUNNING task rows claimed by a worker silent for the stale limit (or never heard of),
    started before the stale limit too. Locked, skipping rows another recovery holds."""
    since = now - stale_limit()
    live = set(live_workers(now).values_list("worker_id", flat=True))
    rows = (
        DBTaskResult.objects.select_for_update(skip_locked=True)
        .filter(status=TaskResultStatus.RUNNING, started_at__lt=since)
        .order_by("started_at")
    )
    return [row for row in rows if not (row.worker_ids and row.worker_ids[-1] in live)]


def recover(now: dt.datetime | None = None) -> Recovery:
    """Queue again, or fail, the task rows whose worker stopped, and let every app requeue or
    fail its jobs that followed them; one transaction, audited as the system."""
    now = now or timezone.now()
    retries = int(settings.TASK_RETRIES)
    with transaction.atomic():
        requeued: list[str] = []
        failed: list[str] = []
        for row in lost_task_rows(now):
            attempts = len(row.worker_ids)
            detail = {"task": row.task_path, "attempts": attempts, "worker": _last(row.worker_ids)}
            if attempts <= retries:
                DBTaskResult.objects.filter(pk=row.pk).update(
                    status=TaskResultStatus.READY, started_at=None
                )
                requeued.append(str(row.pk))
                action = Action.TASK_REQUEUE
            else:
                _give_up(row, now, attempts)
                failed.append(str(row.pk))
                action = Action.TASK_FAIL
            audit.record(
                None, action, object_type=TASK_ROW, object_id=str(row.pk), new=detail,
                reason="the task worker stopped",
            )  # fmt: skip
        lost = Lost(requeued=frozenset(requeued), failed=frozenset(failed), now=now)
        jobs = sum(hook(lost) for hook in list(_hooks.values()))
        WorkerHeartbeat.objects.filter(last_seen__lt=now - KEEP_DEAD_WORKERS).delete()
    return Recovery(requeued=len(requeued), failed=len(failed), jobs=jobs)


def _last(worker_ids: Collection[str]) -> str:
    return list(worker_ids)[-1] if worker_ids else ""


def _give_up(row: DBTaskResult[Any, Any], now: dt.datetime, attempts: int) -> None:
    row.status = TaskResultStatus.FAILED
    row.finished_at = now
    row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
    row.traceback = (
        f"{row.exception_class_path}: the task worker stopped during each of {attempts} "
        "attempts; start the work again.\n"
    )
    row.return_value = None
    row.save(
        update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"]
    )
