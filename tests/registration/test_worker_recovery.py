"""A search or capture whose task worker stopped is queued again once (the next worker finishes
it), then failed visibly; the pages say when no worker is alive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from borderwatch.accounts.models import User
from borderwatch.core import workers
from borderwatch.core.models import AuditEntry
from borderwatch.registration import services
from borderwatch.registration.models import CaptureJob, IdentificationRequest
from tests.core.task_rows import LONG_AGO, heartbeat, task_row
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IDENTIFY = "borderwatch.registration.tasks.identify"
EXTRACT = "borderwatch.registration.tasks.extract_capture"


@pytest.fixture
def running_search(officer_lt: User, officer_pl: User) -> IdentificationRequest:
    """PL searches subject 1's other impression; a worker claimed the search and died."""
    synthetic_set(new_person(officer_lt, "LT"), subject=1, impression=0)
    services.rebuild_gallery()
    fs = synthetic_set(new_person(officer_pl, "PL"), subject=1, impression=1)
    req = services.system_identification(fs.pk, enqueue=False)
    row = task_row(IDENTIFY, req.pk, workers=["killed"])
    heartbeat("killed", ago=dt.timedelta(minutes=5))
    IdentificationRequest.objects.filter(pk=req.pk).update(
        status="running", task_id=str(row.pk), started_at=timezone.now() - LONG_AGO, progress=30
    )
    req.refresh_from_db()
    return req


def _run_worker(worker_id: str) -> None:
    """What `borderwatch worker` does with the queue: every ready task, then stop."""
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    ).run()  # fmt: skip


@pytest.mark.django_db(
    transaction=True
)  # the worker's loop closes a connection held in a transaction
def test_a_search_whose_worker_died_is_requeued_and_the_next_worker_finishes_it(
    running_search: IdentificationRequest,
    officer_pl: User,
    client_for: Callable[[User], Client],
    settings: Any,
) -> None:
    settings.TASKS = DB_BACKEND
    assert workers.recover().requeued == 1
    req = IdentificationRequest.objects.get(pk=running_search.pk)
    assert (req.status, req.progress, req.started_at) == ("queued", 0, None)
    assert req.stage == "The worker stopped during this search; it was started again"
    entry = AuditEntry.objects.get(action="registration.identification.requeue")
    assert entry.actor_username == "system" and entry.object_id == str(req.pk)
    assert entry.member_state == "PL" and entry.reason == "the task worker stopped"
    page = client_for(officer_pl).get(f"/registration/identifications/{req.pk}/progress/")
    assert "The worker stopped during this search; it was started again" in page.content.decode()
    assert "No task worker is running" in page.content.decode()  # the killed one is silent

    _run_worker("next")
    req.refresh_from_db()
    assert req.status == "done" and req.hits.count() == 1
    row = DBTaskResult.objects.get(pk=req.task_id)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.worker_ids == ["killed", "next"]


def test_a_search_whose_worker_died_twice_fails_visibly(
    running_search: IdentificationRequest,
    officer_pl: User,
    client_for: Callable[[User], Client],
) -> None:
    DBTaskResult.objects.filter(pk=running_search.task_id).update(worker_ids=["first", "killed"])
    found = workers.recover()
    assert (found.requeued, found.failed, found.jobs) == (0, 1, 1)
    req = IdentificationRequest.objects.get(pk=running_search.pk)
    assert req.status == "failed" and req.error == "the task worker stopped" and req.finished_at
    assert AuditEntry.objects.filter(
        action="registration.identification.failed", object_id=str(req.pk), actor=None
    ).exists()
    client = client_for(officer_pl)
    page = client.get(
        f"/registration/identifications/{req.pk}/progress/", HTTP_ACCEPT_LANGUAGE="pl"
    ).content.decode()
    assert "(zatrzymał się proces roboczy zadań)" in page  # the reason, in the user's language
    assert not workers.recover()  # failed once, not again


def test_a_search_left_running_by_an_ended_task_fails_visibly(
    running_search: IdentificationRequest,
) -> None:
    """The worker ended the task (stopped by force mid-search) without finishing the search."""
    DBTaskResult.objects.filter(pk=running_search.task_id).update(status=TaskResultStatus.FAILED)
    IdentificationRequest.objects.filter(pk=running_search.pk).update(
        requested_at=timezone.now() - LONG_AGO
    )
    assert workers.recover().jobs == 1
    assert IdentificationRequest.objects.get(pk=running_search.pk).status == "failed"


def test_a_search_run_by_a_live_worker_or_in_process_is_left_alone(
    running_search: IdentificationRequest,
) -> None:
    heartbeat("alive", ago=dt.timedelta(seconds=2))
    DBTaskResult.objects.filter(pk=running_search.task_id).update(worker_ids=["alive"])
    IdentificationRequest.objects.filter(pk=running_search.pk).update(
        requested_at=timezone.now() - LONG_AGO
    )
    inline = IdentificationRequest.objects.create(
        fingerprint_set=running_search.fingerprint_set,
        member_state="PL",
        status="running",
        started_at=timezone.now() - LONG_AGO,
    )  # fmt: skip  (the scenario loader runs searches in-process: no task id)
    assert not workers.recover()
    assert IdentificationRequest.objects.get(pk=running_search.pk).status == "running"
    assert IdentificationRequest.objects.get(pk=inline.pk).status == "running"


@pytest.fixture
def running_capture(officer_lt: User) -> CaptureJob:
    person = new_person(officer_lt, "LT")
    row = task_row(EXTRACT, 0, workers=["killed"])
    return CaptureJob.objects.create(
        person=person, member_state="LT", created_by=officer_lt, status="running", progress=40,
        files={"1": {"name": "f1.png", "stored": "capture-uploads/capture-f1.png"}},
        task_id=str(row.pk), started_at=timezone.now() - LONG_AGO,
    )  # fmt: skip


def test_a_capture_whose_worker_died_is_requeued_then_refused_keeping_its_files(
    running_capture: CaptureJob, officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    workers.recover()
    job = CaptureJob.objects.get(pk=running_capture.pk)
    assert (job.status, job.progress) == ("queued", 0)
    assert job.stage == "The worker stopped during this extraction; it was started again"
    assert AuditEntry.objects.filter(action="registration.capture.requeue").count() == 1

    DBTaskResult.objects.filter(pk=job.task_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - LONG_AGO,
        worker_ids=["killed", "killed-again"],
    )
    CaptureJob.objects.filter(pk=job.pk).update(status="running")
    workers.recover()
    job.refresh_from_db()
    assert job.status == "failed" and job.files == running_capture.files  # still held
    assert job.errors == {
        "capture": "The extraction failed after the task worker stopped: submit the files again."
    }
    assert AuditEntry.objects.filter(action="registration.capture.failed", actor=None).exists()
    page = client_for(officer_lt).get(f"/registration/captures/{job.pk}/progress/")
    assert "submit the files again" in page.content.decode()


def test_the_progress_pages_say_when_no_worker_is_alive(
    running_capture: CaptureJob,
    officer_lt: User,
    client_for: Callable[[User], Client],
    settings: Any,
) -> None:
    client = client_for(officer_lt)
    url = f"/registration/captures/{running_capture.pk}/progress/"
    assert "no-worker" not in client.get(url).content.decode()  # in-process tasks: no worker
    settings.TASKS = DB_BACKEND
    assert "No task worker is running: searches and captures wait." in (
        client.get(url).content.decode()
    )
    heartbeat("alive")
    assert "no-worker" not in client.get(url).content.decode()
