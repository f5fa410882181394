"""Writes of flight data: imports (in the request or as a background job), audited."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.accounts.models import User
from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.core.csvfile import line_error
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.intelligence import imports
from borderwatch.intelligence.imports import ImportRejected, ImportResult, Progress
from borderwatch.intelligence.models import FlightImportJob, JobStatus, Route

log = logging.getLogger(__name__)


def _no_progress(percent: int, stage: str) -> None:
    return None


def import_flights(
    user: User | None,
    kind: str,
    content: bytes,
    *,
    file_name: str,
    fmt: str,
    synthetic: bool = False,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Import one file of routes, schedules, flights or suspensions: every row or none.

    A ref already there with the same values is unchanged (re-importing changes nothing); with
    other values it is an error naming the line. `user` None is the scenario loader."""
    if user is not None:
        check(user, Capability.IMPORT_FLIGHTS)
    digest = hashlib.sha256(content).hexdigest()
    progress(5, gettext_noop("Reading the file"))
    parsed = imports.read(kind, content, fmt)
    if not parsed:
        raise ValidationError(_("The file has no rows."))
    result = ImportResult(kind=kind, rows=len(parsed))
    key = imports.key_of(kind)
    model = imports.MODELS[kind]
    with transaction.atomic():
        routes = {r.code: r for r in Route.objects.all()}
        valid: list[tuple[int, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        progress(20, gettext_noop("Checking the rows"))
        for line, item in parsed:
            if isinstance(item, str):
                result.errors.append(line_error(line, item))
                continue
            fields, problems = imports.validate(kind, item, routes)
            result.errors += [line_error(line, p) for p in problems]
            if fields is None:
                continue
            ref = fields[key]
            if ref in seen:
                problem = _("%(key)s %(ref)s repeats line %(first)d") % {
                    "key": key,
                    "ref": ref,
                    "first": seen[ref],
                }
                result.errors.append(line_error(line, problem))
                continue
            seen[ref] = line
            valid.append((line, fields))
            if len(result.errors) >= imports.MAX_ERRORS:
                break
        if result.errors:
            raise ImportRejected(_truncated(result))
        progress(60, gettext_noop("Comparing with the rows already there"))
        existing = {
            getattr(o, key): imports.comparable(kind, o)
            for o in model.objects.filter(**{f"{key}__in": list(seen)})
        }
        new = []
        for line, fields in valid:
            old = existing.get(fields[key])
            if old is None:
                new.append(model(**fields, synthetic=synthetic))
            elif old == imports.comparable_fields(kind, fields):
                result.unchanged += 1
            else:
                problem = _("%(key)s %(ref)s exists with different values") % {
                    "key": key,
                    "ref": fields[key],
                }
                result.errors.append(line_error(line, problem))
        if result.errors:
            raise ImportRejected(_truncated(result))
        if new:
            progress(80, gettext_noop("Saving the rows"))
            model.objects.bulk_create(new, batch_size=1000)  # type: ignore[arg-type]
            audit.record(
                user,
                Action.FLIGHTS_IMPORT,
                None,
                new={
                    "kind": kind,
                    "file": file_name,
                    "sha256": digest,
                    "rows": result.rows,
                    "created": len(new),
                    "unchanged": result.unchanged,
                    "synthetic": synthetic,
                },
            )
        result.created = len(new)
    return result


def _truncated(result: ImportResult) -> ImportResult:
    if len(result.errors) >= imports.MAX_ERRORS:
        more = _("... more errors not shown; fix these first")
        result.errors = [*result.errors[: imports.MAX_ERRORS], more]
    return result


# --- in the background: a job per file ----------------------------------------------------------


def submit_import(
    user: User, kind: str, content: bytes, *, file_name: str, fmt: str
) -> FlightImportJob:
    """Keep the file and queue its import; refuses at once only the role, the kind, the format
    and an empty file."""
    check(user, Capability.IMPORT_FLIGHTS)
    if kind not in imports.KINDS:
        raise ValidationError(_("Unknown kind '%(kind)s'.") % {"kind": kind})
    if fmt not in ("csv", "json"):
        raise ValidationError(_("Unknown format '%(format)s': use csv or json.") % {"format": fmt})
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        job = FlightImportJob.objects.create(
            kind=kind,
            file_name=file_name[:255],
            format=fmt,
            content=content,
            sha256=digest,
            created_by=user,
            language=translation.get_language() or "",
            stage=gettext_noop("Waiting for a worker"),
        )
        audit.record(
            user,
            Action.FLIGHTS_IMPORT_QUEUE,
            job,
            new={"kind": kind, "file": file_name, "sha256": digest, "bytes": len(content)},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from borderwatch.intelligence.tasks import import_flights_file

    result = import_flights_file.enqueue(job_id)
    FlightImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def run_import(job_id: int) -> FlightImportJob:
    """The task's body: claims the job (queued -> running in one UPDATE, so a duplicated task
    is a no-op), imports the kept file, and ends done with the counts or failed with every
    error by line (nothing saved)."""
    claimed = FlightImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    job = FlightImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job

    def save(percent: int, stage: str) -> None:
        FlightImportJob.objects.filter(pk=job_id).update(progress=percent, stage=stage[:120])

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if job.created_by is None:
                raise ValueError("an import without a user")
            result = import_flights(
                job.created_by,
                job.kind,
                bytes(job.content),
                file_name=job.file_name,
                fmt=job.format,
                progress=save,
            )
        except ImportRejected as exc:
            _failed(job, exc.result.errors, exc.result.rows)
        except ValidationError as exc:
            _failed(job, list(exc.messages))
        except Exception as exc:
            log.exception("flight import job %s failed", job.pk)
            _failed(job, [_("The import failed (%(error)s).") % {"error": type(exc).__name__}])
        else:
            job.status, job.progress, job.stage = JobStatus.DONE, 100, gettext_noop("Done")
            job.rows, job.created, job.unchanged = result.rows, result.created, result.unchanged
    job.finished_at = timezone.now()
    job.content = b""
    job.save()
    return job


def _failed(job: FlightImportJob, errors: list[str], rows: int = 0) -> None:
    job.status, job.stage, job.errors, job.rows = (
        JobStatus.FAILED,
        gettext_noop("Refused"),
        errors,
        rows,
    )
    audit.record(
        job.created_by,
        Action.FLIGHTS_IMPORT_FAILED,
        job,
        new={"kind": job.kind, "file": job.file_name, "errors": len(errors)},
    )


def recover_imports(lost: workers.Lost) -> int:
    """Import jobs whose worker stopped: queued again with their task, or failed visibly."""
    active = FlightImportJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    changed = 0
    for job in active.select_for_update().filter(task_id__in=lost.requeued):
        job.status, job.progress = JobStatus.QUEUED, 0
        job.stage = gettext_noop("The worker stopped during this import; it was started again")
        job.save(update_fields=["status", "progress", "stage"])
        changed += 1
    given_up = list(active.select_for_update().filter(task_id__in=lost.failed))
    given_up += lost.stranded(active.filter(created_at__lt=lost.stale_before))
    for job in given_up:
        job.finished_at = timezone.now()
        _failed(job, [gettext_noop("the task worker stopped")])
        job.save()
        changed += 1
    return changed
