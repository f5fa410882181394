"""CSV and JSON import of events: all rows or none, idempotent, errors by line number.

A file is imported for one member state. Each row's `ref` identifies the event in the
reporting system: a row whose ref exists with the same values is left unchanged (so
re-importing a file changes nothing); with different values it is an error (use a
correction, which is audited with a reason). A time without a UTC offset is read as local
time in the member state's zone (the zone of its border sections), and the result says how
many were; a local time that a clock change skipped or repeated is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from borderwatch.accounts.models import User
from borderwatch.border import ingest
from borderwatch.border.models import (
    Event,
    EventNationality,
    EventSource,
    EventType,
    ImportBatch,
    ImportJob,
    ImportStatus,
)
from borderwatch.border.sections import SectionFinder
from borderwatch.border.services import country_tz, insert_events
from borderwatch.border.validation import (
    LABELS,
    EventInput,
    ValidEvent,
    parse_nationalities,
    positions,
    validate_event,
)
from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.core.csvfile import checked_reader, line_error, utf8_text
from borderwatch.core.files import removed_on_failure
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

CSV_COLUMNS = [
    "ref",
    "occurred_at",
    "type",
    "latitude",
    "longitude",
    "persons",
    "nationalities",
    "source",
    "reporting_unit",
    "description",
]
REQUIRED_COLUMNS = set(CSV_COLUMNS) - {"description"}
COLUMN_FIELDS = {"type": "event_type"}  # the file's column -> the form's field
COLUMN_FORMATS: dict[str, StrOrPromise] = {
    "ref": gettext_lazy(
        "the reporting system's identifier; the same ref again with the same values is skipped"
    ),
    "occurred_at": gettext_lazy(
        "ISO 8601, e.g. 2021-08-27T22:05+00:00; without a UTC offset "
        "(2021-08-28T01:05) it is local time in your member state's zone"
    ),
    "type": ", ".join(EventType.values),
    "latitude": gettext_lazy("decimal degrees (WGS 84), e.g. 54.3521"),
    "longitude": gettext_lazy("decimal degrees (WGS 84), e.g. 25.3790"),
    "persons": gettext_lazy("a whole number, at least 1"),
    "nationalities": gettext_lazy(
        "CODE:COUNT;… e.g. IQ:10;SY:2 (XX: unknown); a JSON object in JSON"
    ),
    "source": ", ".join(EventSource.values),
    "reporting_unit": gettext_lazy("the unit that reports the event"),
    "description": gettext_lazy("optional free text"),
}
MAX_ERRORS = 200
UPLOAD_DIR = "event-imports"
PROGRESS_EVERY = 2000  # rows between two progress updates while validating
Progress = Callable[[int, str], None]  # (percent, stage) -> saved for the polling page

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    batch_id: int | None = None
    local_times: int = 0  # rows whose time had no UTC offset, read in `time_zone`
    time_zone: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def note(self) -> str:
        """What the user should know about how the times were read ('' when nothing)."""
        if not self.local_times:
            return ""
        return ngettext(
            "%(n)d row gave the time without a UTC offset: read as local time in %(zone)s.",
            "%(n)d rows gave the time without a UTC offset: read as local time in %(zone)s.",
            self.local_times,
        ) % {"n": self.local_times, "zone": self.time_zone}


class ImportRejected(ValidationError):
    """The file was rejected as a whole; `result.errors` names every problem by line."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(result.errors)


def column_guide() -> list[tuple[str, StrOrPromise, StrOrPromise]]:
    """(column, the label the form and the error messages use, what to write) per column."""
    return [(c, LABELS[COLUMN_FIELDS.get(c, c)], COLUMN_FORMATS[c]) for c in CSV_COLUMNS]


def read_csv(content: bytes) -> list[tuple[int, EventInput | str]]:
    """Rows as (line number, input) or (line number, error)."""
    reader = checked_reader(utf8_text(content), REQUIRED_COLUMNS, CSV_COLUMNS)
    rows: list[tuple[int, EventInput | str]] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            rows.append((line, _("more fields than columns")))
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        try:
            nationalities = parse_nationalities(values["nationalities"])
        except ValueError as exc:
            rows.append((line, f"{LABELS['nationalities']}: {exc}"))
            continue
        rows.append((line, _input(values, nationalities)))
    return rows


def read_json(content: bytes) -> list[tuple[int, EventInput | str]]:
    """A JSON array of event objects; 'line' numbers are 1-based positions in the array."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    except RecursionError:
        raise ValidationError(_("The JSON is nested too deeply to be a list of events.")) from None
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if not isinstance(data, list):
        raise ValidationError(_('The JSON must be an array of events (or {"events": [...]}).'))
    rows: list[tuple[int, EventInput | str]] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((index, _("is not an object")))
            continue
        unknown = set(item) - set(CSV_COLUMNS)
        if unknown:
            fields = ", ".join(sorted(unknown))
            rows.append((index, _("unknown field(s) %(fields)s") % {"fields": fields}))
            continue
        nationalities = item.get("nationalities") or {}
        if not isinstance(nationalities, dict):
            problem = _('must be an object like {"IQ": 3}')
            rows.append((index, f"{LABELS['nationalities']}: {problem}"))
            continue
        rows.append((index, _input(item, nationalities)))
    return rows


def _input(values: dict[str, Any], nationalities: dict[str, Any]) -> EventInput:
    return EventInput(
        ref=values.get("ref", ""),
        occurred_at=values.get("occurred_at", ""),
        event_type=values.get("type", ""),
        latitude=values.get("latitude", ""),
        longitude=values.get("longitude", ""),
        persons=values.get("persons", ""),
        nationalities={str(k).strip().upper(): v for k, v in nationalities.items()},
        source=values.get("source", ""),
        reporting_unit=values.get("reporting_unit", ""),
        description=values.get("description", "") or "",
    )


def _check_file(user: User, member_state: str, content: bytes, fmt: str) -> None:
    check(user, Capability.IMPORT_EVENTS, member_state)
    if fmt not in ("csv", "json"):
        raise ValidationError(_("Unknown format '%(format)s': use csv or json.") % {"format": fmt})
    if not content.strip():
        raise ValidationError(_("The file is empty."))


def _no_progress(percent: int, stage: str) -> None:
    return None


def import_events(
    user: User,
    member_state: str,
    content: bytes,
    *,
    file_name: str,
    fmt: str,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Import a CSV or JSON file of events for one member state: every row or none.

    Runs in the request for a small file and in the task of an `ImportJob` (`submit_import`)
    for any file, which passes `progress` to show on the job's page."""
    _check_file(user, member_state, content, fmt)
    digest = hashlib.sha256(content).hexdigest()
    progress(5, gettext_noop("Reading the file"))
    parsed = read_csv(content) if fmt == "csv" else read_json(content)
    tz, finder, now = country_tz(member_state), SectionFinder(member_state), timezone.now()
    result = ImportResult(rows=len(parsed), time_zone=tz.key)
    if not parsed:
        raise ValidationError(_("The file has no events."))
    finder.locate(positions(item for _, item in parsed if not isinstance(item, str)))

    valid: list[tuple[int, ValidEvent]] = []
    seen: dict[str, int] = {}
    for index, (line, item) in enumerate(parsed):
        if index and index % PROGRESS_EVERY == 0:
            progress(10 + 60 * index // len(parsed), gettext_noop("Checking the rows"))
        if isinstance(item, str):
            result.errors.append(line_error(line, item))
            continue
        event, problems = validate_event(item, tz=tz, finder=finder, now=now)
        result.errors.extend(line_error(line, p) for p in problems)
        if event is None:
            continue
        if event.ref in seen:
            problem = _("%(label)s %(ref)s repeats line %(first)d") % {
                "label": LABELS["ref"],
                "ref": event.ref,
                "first": seen[event.ref],
            }
            result.errors.append(line_error(line, problem))
            continue
        seen[event.ref] = line
        result.local_times += event.local_time
        valid.append((line, event))
        if len(result.errors) >= MAX_ERRORS:
            break
    if result.errors:
        raise ImportRejected(_truncated(result))

    progress(70, gettext_noop("Comparing with the events already there"))
    with transaction.atomic():
        existing = _existing(member_state, [e.ref for _, e in valid])
        new: list[ValidEvent] = []
        for line, event in valid:
            old = existing.get(event.ref)
            if old is None:
                new.append(event)
            elif old == event.comparable():
                result.unchanged += 1
            else:
                problem = _(
                    "%(label)s %(ref)s exists with different values; "
                    "correct the event instead of re-importing it"
                ) % {"label": LABELS["ref"], "ref": event.ref}
                result.errors.append(line_error(line, problem))
        if result.errors:
            raise ImportRejected(_truncated(result))
        if new:
            progress(80, gettext_noop("Saving the events"))
            batch = ImportBatch.objects.create(
                country_id=member_state,
                file_name=file_name[:255],
                sha256=digest,
                format=fmt,
                rows=result.rows,
                created=len(new),
                unchanged=result.unchanged,
                imported_by=user,
            )
            insert_events(user, member_state, new, import_batch_id=batch.pk)
            result.batch_id = batch.pk
            audit.record(
                user,
                Action.EVENT_IMPORT,
                batch,
                member_state=member_state,
                new={
                    "file": file_name,
                    "sha256": digest,
                    "rows": result.rows,
                    "created": len(new),
                    "unchanged": result.unchanged,
                    "local_times": result.local_times,
                    "time_zone": result.time_zone,
                },
            )
        result.created = len(new)
    ingest.renew_statistics(result.created)
    return result


# --- in the background: a job per file ----------------------------------------------------------


def submit_import(
    user: User, member_state: str, content: bytes, *, file_name: str, fmt: str
) -> ImportJob:
    """Store the file and queue its import (the request waits for nothing else: a file of
    100,000 rows is imported by the task, with progress on the job). Refuses at once only what
    needs no reading of the rows: the role, the format, an empty file."""
    _check_file(user, member_state, content, fmt)
    digest = hashlib.sha256(content).hexdigest()
    with removed_on_failure(default_storage) as written, transaction.atomic():
        job = ImportJob.objects.create(
            country_id=member_state,
            file_name=file_name[:255],
            format=fmt,
            sha256=digest,
            created_by=user,
            language=translation.get_language() or "",
            stage=gettext_noop("Waiting for a worker"),
        )
        job.stored = default_storage.save(
            f"{UPLOAD_DIR}/import{job.pk}.{fmt}", ContentFile(content)
        )
        written.add(job.stored)
        job.save(update_fields=["stored"])
        audit.record(
            user,
            Action.EVENT_IMPORT_QUEUE,
            job,
            member_state=member_state,
            new={"file": file_name, "sha256": digest, "bytes": len(content)},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from borderwatch.border.tasks import import_file  # the task module imports this one

    result = import_file.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def _job_progress(job_id: int) -> Progress:
    def save(percent: int, stage: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=percent, stage=stage[:120])

    return save


def run_import(job_id: int) -> ImportJob:
    """The task's body: import the stored file with progress; the job ends done (with the
    counts) or failed (with every error by line, and nothing saved). Claims the job first
    (queued -> running in one UPDATE), so a duplicated task is a no-op."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    user = job.created_by
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if user is None:
                raise ValueError("an import without a user")
            with default_storage.open(job.stored, "rb") as fh:
                content = fh.read()
            result = import_events(
                user,
                job.country_id,
                content,
                file_name=job.file_name,
                fmt=job.format,
                progress=_job_progress(job.pk),
            )
        except ImportRejected as exc:
            _failed(job, exc.result.errors, exc.result)
        except ValidationError as exc:
            _failed(job, list(exc.messages))
        except Exception as exc:
            log.exception("import job %s failed", job.pk)
            _failed(job, [_("The import failed (%(error)s).") % {"error": type(exc).__name__}])
        else:
            job.status, job.progress, job.stage = ImportStatus.DONE, 100, gettext_noop("Done")
            job.rows, job.created, job.unchanged = result.rows, result.created, result.unchanged
            job.local_times, job.time_zone = result.local_times, result.time_zone
            job.batch_id = result.batch_id
    job.finished_at = timezone.now()
    if job.stored:
        default_storage.delete(job.stored)
        job.stored = ""
    job.save()
    return job


def _failed(job: ImportJob, errors: list[str], result: ImportResult | None = None) -> None:
    """Nothing was imported: the job keeps the errors (each naming its line) for the page."""
    job.status, job.stage, job.errors = ImportStatus.FAILED, gettext_noop("Refused"), errors
    if result is not None:
        job.rows, job.time_zone = result.rows, result.time_zone
    audit.record(
        job.created_by,
        Action.EVENT_IMPORT_FAILED,
        job,
        member_state=job.country_id,
        new={"file": job.file_name, "sha256": job.sha256, "errors": len(errors)},
    )


def recover_import_jobs(lost: workers.Lost) -> int:
    """Import jobs whose task worker stopped: queued again when their task is (the import is one
    transaction, so nothing half-imported stays), failed visibly when it was given up or ended
    without finishing. Called by core.workers.recover inside its transaction; audited as the
    system."""

    def requeue(job: ImportJob) -> None:
        workers.requeue_job(
            job,
            queued=ImportStatus.QUEUED,
            stage=gettext_noop("The worker stopped during this import; it was started again"),
            action=Action.EVENT_IMPORT_REQUEUE,
            member_state=job.country_id,
        )

    def fail(job: ImportJob) -> None:
        job.status, job.stage = ImportStatus.FAILED, gettext_noop("Failed")
        with translation.override(job.language or settings.LANGUAGE_CODE):
            job.errors = [
                _("The task worker stopped: nothing was imported; import the file again.")
            ]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "stage", "errors", "finished_at"])
        audit.record(
            None, Action.EVENT_IMPORT_FAILED, job, member_state=job.country_id,
            new={"file": job.file_name, "sha256": job.sha256}, reason=workers.WORKER_STOPPED,
        )  # fmt: skip

    active = ImportJob.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
    return workers.recover_jobs(lost, active, since="created_at", requeue=requeue, fail=fail)


def job_note(job: ImportJob) -> str:
    """What the user should know about how the job's times were read ('' when nothing)."""
    return ImportResult(local_times=job.local_times, time_zone=job.time_zone).note


def _existing(member_state: str, refs: list[str]) -> dict[str, tuple[object, ...]]:
    """Comparable values of the events that already carry these refs: which refs exist is
    asked in plain SQL of the unique (country, ref) index (a new file's refs mostly do not),
    then only those events and their nationalities are read, by id, as plain values. (Asked
    for whole events by ref, SQLite's planner walked the state's time index instead: 15 s for
    a re-import of 50,000 rows at 1,000,000 events.)"""
    ids: list[int] = []
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id FROM {table} WHERE country_id = %s AND ref IN ({marks})",  # noqa: S608 - names from the model, values bound
                [member_state, *chunk],
            )
            ids.extend(pk for (pk,) in cursor.fetchall())
    found: dict[str, tuple[object, ...]] = {}
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        shares: dict[int, list[tuple[str, int]]] = {pk: [] for pk in batch}
        for event_id, nationality, persons in EventNationality.objects.filter(
            event_id__in=batch
        ).values_list("event_id", "nationality", "persons"):
            shares[event_id].append((nationality, persons))
        events = Event.objects.filter(pk__in=batch).values_list(
            "pk", "ref", "occurred_at", "event_type", "latitude", "longitude", "persons",
            "source", "reporting_unit", "description",
        )  # fmt: skip
        for pk, ref, at, kind, lat, lon, persons, source, unit, description in events:
            found[ref] = (
                at, kind, round(lat, 6), round(lon, 6), persons,
                tuple(sorted(shares[pk])), source, unit, description,
            )  # fmt: skip
    return found


def _truncated(result: ImportResult) -> ImportResult:
    if len(result.errors) >= MAX_ERRORS:
        more = _("... more errors not shown; fix these first")
        result.errors = [*result.errors[:MAX_ERRORS], more]
    return result
