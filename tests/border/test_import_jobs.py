"""Large imports run as a background job: the request stores the file and queues it; the job
reports progress, imports every row or none (a bad row names its line and column and saves
nothing), and importing the same file again adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from borderwatch.accounts.models import User
from borderwatch.border import imports
from borderwatch.border.models import Event, EventNationality, ImportBatch, ImportJob
from borderwatch.core import workers
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from tests.border.conftest import point_on
from tests.core.task_rows import heartbeat, task_row

pytestmark = pytest.mark.usefixtures("border_data")
HEADER = "ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit\n"
ROWS = 3000


def _csv(n: int = ROWS, bad_line: int | None = None) -> bytes:
    lat, lon = point_on("LT-BY-09")
    start = dt.datetime(2021, 7, 1, tzinfo=dt.UTC)
    lines = [HEADER]
    for i in range(n):
        when = (start + dt.timedelta(minutes=7 * i)).isoformat()
        persons = "many" if bad_line is not None and i + 2 == bad_line else "3"
        lines.append(f"G{i},{when},apprehension,{lat},{lon},{persons},IQ:3,patrol,Unit {i % 7}\n")
    return "".join(lines).encode()


def _post(client: Client, content: bytes, capture: Callable[..., Any]) -> dict[str, Any]:
    with capture(execute=True):
        response = client.post(
            "/api/border/events/import", {"file": SimpleUploadedFile("big.csv", content)}
        )
    assert response.status_code == 202, response.content
    return response.json()


def test_the_request_only_stores_the_file_and_queues_the_job(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    response = client_for(guard_lt).post(
        "/api/border/events/import", {"file": SimpleUploadedFile("big.csv", _csv(50))}
    )  # the transaction is not committed here: the task is not enqueued
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["created"]) == ("queued", 0)
    job = ImportJob.objects.get(pk=body["id"])
    assert default_storage.exists(job.stored) and not Event.objects.exists()
    assert AuditEntry.objects.filter(action=Action.EVENT_IMPORT_QUEUE).count() == 1


def test_a_large_file_imports_whole_with_progress_then_adds_nothing_again(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, str]] = []
    real = imports._job_progress

    def spy(job_id: int) -> imports.Progress:
        save = real(job_id)

        def record(percent: int, stage: str) -> None:
            seen.append((percent, stage))
            save(percent, stage)

        return record

    monkeypatch.setattr(imports, "_job_progress", spy)
    client = client_for(guard_lt)
    content = _csv()
    first = client.get(_post(client, content, django_capture_on_commit_callbacks)["url"]).json()
    assert (first["status"], first["progress"], first["rows"], first["created"]) == (
        "done", 100, ROWS, ROWS,
    )  # fmt: skip
    assert Event.objects.count() == ROWS and EventNationality.objects.count() == ROWS
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and len(set(percents)) >= 4  # it moved while checking
    assert "Checking the rows" in {s for _, s in seen}
    job = ImportJob.objects.get(pk=first["id"])
    assert job.stored == "" and job.finished_at is not None  # the upload is removed

    again = client.get(_post(client, content, django_capture_on_commit_callbacks)["url"]).json()
    assert (again["status"], again["created"], again["unchanged"]) == ("done", 0, ROWS)
    assert Event.objects.count() == ROWS and ImportBatch.objects.count() == 1


def test_a_bad_row_names_line_and_column_and_saves_nothing(
    client_for: Callable[[User], Client],
    guard_lt: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(guard_lt)
    queued = _post(client, _csv(bad_line=2500), django_capture_on_commit_callbacks)
    job = client.get(queued["url"]).json()
    assert job["status"] == "failed" and job["created"] == 0
    (error,) = job["errors"]  # the line and the column's label, as on the report form
    assert error.startswith("line 2500: Number of persons:") and "many" in error
    assert not Event.objects.exists() and not ImportBatch.objects.exists()
    assert AuditEntry.objects.filter(action=Action.EVENT_IMPORT_FAILED).count() == 1
    page = client.get(f"/border/imports/{job['id']}/").content.decode()
    assert "Nothing was imported" in page and "line 2500" in page


def test_another_states_job_is_not_found(
    client_for: Callable[[User], Client],
    guard_lt: User,
    guard_pl: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    queued = _post(client_for(guard_lt), _csv(5), django_capture_on_commit_callbacks)
    polish = client_for(guard_pl)
    assert polish.get(queued["url"]).status_code == 404
    assert polish.get(f"/border/imports/{queued['id']}/").status_code == 404
    assert polish.get(f"/border/imports/{queued['id']}/progress/").status_code == 404


def test_wrong_format_or_empty_file_is_refused_at_once(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    client = client_for(guard_lt)
    empty = client.post("/api/border/events/import", {"file": SimpleUploadedFile("e.csv", b" ")})
    assert empty.status_code == 422
    odd = client.post("/api/border/events/import", {"file": SimpleUploadedFile("e.xls", b"x")})
    assert odd.status_code == 422 and "csv or json" in str(odd.json()["detail"])
    assert not ImportJob.objects.exists()


def test_a_job_whose_worker_died_is_queued_again_once_then_fails_visibly(
    guard_lt: User, settings: Any
) -> None:
    settings.WORKER_STALE_SECONDS, settings.TASK_RETRIES = 60, 1
    heartbeat("dead-worker", ago=dt.timedelta(minutes=5))
    job = imports.submit_import(guard_lt, "LT", _csv(5), file_name="late.csv", fmt="csv")
    row = task_row("borderwatch.border.tasks.import_file", job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", task_id=str(row.pk), started_at=row.started_at
    )

    workers.recover()
    job.refresh_from_db()
    assert (job.status, job.progress) == ("queued", 0)
    assert "started again" in job.stage
    assert AuditEntry.objects.filter(action=Action.EVENT_IMPORT_REQUEUE).count() == 1

    # claimed by a second worker that died too: given up, the job says so and saved nothing
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", worker_ids=["dead-worker", "second-dead"],
        started_at=row.enqueued_at - dt.timedelta(minutes=10),
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    workers.recover()
    job.refresh_from_db()
    assert job.status == "failed" and "task worker stopped" in job.errors[0]
    assert not Event.objects.exists()
