"""Task rows and heartbeats as a worker would leave them, for the recovery tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from borderwatch.core.models import WorkerHeartbeat

LONG_AGO = dt.timedelta(minutes=10)


def heartbeat(worker_id: str, *, ago: dt.timedelta = dt.timedelta(0)) -> WorkerHeartbeat:
    """A worker last heard from `ago` before now."""
    seen = timezone.now() - ago
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="test", pid=1, started_at=seen - LONG_AGO, last_seen=seen
    )


def task_row(
    task_path: str,
    *args: Any,
    workers: list[str] | None = None,
    status: str = TaskResultStatus.RUNNING,
    started: dt.timedelta = LONG_AGO,
) -> DBTaskResult[Any, Any]:
    """A task row claimed by `workers` (the last one holds it), started `started` ago."""
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        status=status,
        worker_ids=workers if workers is not None else ["dead-worker"],
        started_at=timezone.now() - started if status != TaskResultStatus.READY else None,
    )
