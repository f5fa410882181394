"""A capture in two steps: the files are checked and held on the server (`submit_capture`, in the
request: decoding is cheap), then features are extracted in the background with progress
(`run_capture`, the task's body: ~0.3 s per finger, far more on a cold worker).

A refused file never costs the officer the files that were accepted: they stay with the capture
(a draft) and the page names only the files to choose again. The search is a separate step, from
the set's page, once the qualities are reviewed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.core.files import removed_on_failure
from borderwatch.core.roles import Capability
from borderwatch.core.web import error_detail
from borderwatch.registration import capture
from borderwatch.registration.capture import CapturedFinger, RawFinger
from borderwatch.registration.models import (
    FINGER_NAMES,
    CaptureJob,
    CaptureStatus,
    Finger,
    SourceFormat,
)
from borderwatch.registration.services.fingerprints import store_set
from borderwatch.registration.services.persons import check_may_register, locked_person

if TYPE_CHECKING:
    from django.core.files.storage import Storage

    from borderwatch.accounts.models import User

log = logging.getLogger(__name__)

UPLOAD_DIR = "capture-uploads"
NIST = "nist"
OPEN = (CaptureStatus.DRAFT, CaptureStatus.FAILED)  # the officer may still add or replace files


def _storage() -> Storage:
    return Finger._meta.get_field("image").storage


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[-60:] or "file"


def _open_capture(person_id: int, capture_id: int) -> CaptureJob:
    job = CaptureJob.objects.select_for_update().filter(pk=capture_id, person_id=person_id).first()
    if job is None:
        raise CaptureJob.DoesNotExist(f"Capture {capture_id} not found.")
    if job.status not in OPEN:
        raise ValidationError(
            {"capture": _("Capture %(number)s is %(status)s: start a new capture instead.")
             % {"number": capture_id, "status": str(job.get_status_display()).lower()}}
        )  # fmt: skip
    return job


def submit_capture(
    actor: User,
    person_id: int,
    images: Mapping[int, tuple[str, bytes]],
    missing: Mapping[int, str],
    *,
    nist: tuple[str, bytes] | None = None,
    capture_id: int | None = None,
    refused: Mapping[str, str] | None = None,
) -> CaptureJob:
    """Check the uploaded files and hold the good ones; queue the extraction once all ten
    fingers are accounted for.

    Returns the capture: queued, or a draft whose `errors` name each file to choose again (the
    accepted files stay on the server). Raises ValidationError, saving nothing, when nothing
    would be kept. `capture_id` continues a draft or a refused capture of the same person.
    `refused`: files the form refused unread (too large, capture.too_large), by field, named
    with the others.
    """
    missing = capture.check_missing(missing)
    check_may_register(actor, person_id)
    if nist is not None and images:
        raise ValidationError(
            {NIST: _("Upload ten finger files or one ANSI/NIST-ITL file, not both.")}
        )
    errors: dict[str, str] = dict(refused or {})
    accepted: dict[str, tuple[str, bytes, list[int]]] = {}
    if nist is not None:
        try:
            positions = [f.position for f in capture.decode_nist(*nist)]
        except ValidationError as exc:
            errors.update({k: "; ".join(v) for k, v in error_detail(exc).items()})
        else:
            accepted[NIST] = (nist[0], nist[1], positions)
    for pos, (name, data) in sorted(images.items()):
        try:
            capture.decode_images({pos: (name, data)})
        except ValidationError as exc:
            errors.update({k: "; ".join(v) for k, v in error_detail(exc).items()})
        else:
            accepted[str(pos)] = (name, data, [pos])
    storage = _storage()
    with removed_on_failure(storage) as written, transaction.atomic():
        person = locked_person(actor, person_id, Capability.REGISTER_PERSONS)
        job = (
            _open_capture(person_id, capture_id)
            if capture_id is not None
            else CaptureJob(person=person, member_state=person.member_state, created_by=actor)
        )
        kept, dropped = _still_kept(job.files, images, nist, missing)
        if not accepted and not kept and errors:
            raise ValidationError(errors)
        captured = _positions(kept) | {p for _, _, ps in accepted.values() for p in ps}
        try:
            capture.check_complete(captured, missing)
        except ValidationError as exc:
            errors.update({k: "; ".join(v) for k, v in error_detail(exc).items()})
        if job.pk is None:
            job.save()
        for key, (name, data, positions) in accepted.items():
            stored = storage.save(
                f"{UPLOAD_DIR}/capture{job.pk}-{key}-{_safe(name)}", ContentFile(data)
            )
            written.add(stored)
            kept[key] = {"name": name, "stored": stored, "positions": positions}
        job.files, job.missing, job.errors = kept, {str(p): r for p, r in missing.items()}, errors
        job.status = CaptureStatus.DRAFT if errors else CaptureStatus.QUEUED
        job.progress, job.finished_at = 0, None
        job.stage = (
            gettext_noop("Waiting for files") if errors else gettext_noop("Waiting for a worker")
        )
        job.save()
        detail: dict[str, Any] = {
            "person": person.pk, "files": sorted(kept), "missing": job.missing,
        }  # fmt: skip
        if errors:
            audit.record(
                actor, Action.CAPTURE_DRAFT, job, member_state=job.member_state,
                new={**detail, "refused": sorted(errors)},
            )  # fmt: skip
        else:
            audit.record(
                actor, Action.CAPTURE_QUEUE, job, member_state=job.member_state, new=detail
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
        transaction.on_commit(lambda: _delete(storage, dropped))
    return job


def _still_kept(
    files: Mapping[str, Any],
    images: Mapping[int, tuple[str, bytes]],
    nist: tuple[str, bytes] | None,
    missing: Mapping[int, str],
) -> tuple[dict[str, Any], list[str]]:
    """The held files that stay: not replaced by a new upload (good or bad), not now marked
    missing; a NIST file replaces every image and an image replaces a NIST file."""
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, entry in files.items():
        replaced = (
            (key == NIST and bool(images))
            or (key != NIST and nist is not None)
            or (key.isdigit() and (int(key) in images or int(key) in missing))
            or (key == NIST and nist is not None)
        )
        if replaced:
            dropped.append(str(entry["stored"]))
        else:
            kept[key] = dict(entry)
    return kept, dropped


def _positions(files: Mapping[str, Any]) -> set[int]:
    return {int(p) for entry in files.values() for p in entry.get("positions", [])}


def _delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _enqueue(capture_id: int) -> None:
    from borderwatch.registration.tasks import extract_capture  # the task module imports services

    result = extract_capture.enqueue(capture_id)
    CaptureJob.objects.filter(pk=capture_id).update(task_id=str(result.id)[:64])


def _progress(capture_id: int, percent: int, stage: str) -> None:
    """Saved at once (autocommit) so that a polling page sees it while the task runs."""
    CaptureJob.objects.filter(pk=capture_id).update(progress=percent, stage=stage[:120])


def _raw(job: CaptureJob) -> list[RawFinger]:
    storage = _storage()
    if NIST in job.files:
        entry = job.files[NIST]
        with storage.open(entry["stored"], "rb") as fh:
            return capture.decode_nist(str(entry["name"]), fh.read())
    files: dict[int, tuple[str, bytes]] = {}
    for key, entry in job.files.items():
        with storage.open(entry["stored"], "rb") as fh:
            files[int(key)] = (str(entry["name"]), fh.read())
    return capture.decode_images(files)


def run_capture(capture_id: int) -> CaptureJob:
    """The task's body: extract each finger (progress per finger), then save the set.

    Claims the capture first (queued -> running in one UPDATE) so a duplicated task is a no-op.
    A finger whose features cannot be extracted refuses the capture naming that finger; its file
    is dropped and the others stay held, so the officer chooses only that one again.
    """
    claimed = CaptureJob.objects.filter(pk=capture_id, status=CaptureStatus.QUEUED).update(
        status=CaptureStatus.RUNNING, started_at=timezone.now(), progress=5,
        stage=gettext_noop("Reading the files"),
    )  # fmt: skip
    job = CaptureJob.objects.select_related("created_by").get(pk=capture_id)
    if not claimed:
        return job
    try:
        raw = _raw(job)
        extracted: list[CapturedFinger] = []
        errors: dict[str, str] = {}
        for i, finger in enumerate(raw):
            _progress(
                job.pk, 10 + 80 * i // len(raw),
                f"Extracting features: {FINGER_NAMES[finger.position]} ({i + 1} of {len(raw)})",
            )  # fmt: skip
            try:
                extracted += capture.extract([finger])
            except ValidationError as exc:
                errors.update({k: "; ".join(v) for k, v in error_detail(exc).items()})
        if errors:
            return _refused(job, errors)
        _progress(job.pk, 95, gettext_noop("Saving the fingerprint set"))
        if job.created_by is None:
            raise ValueError("a capture without an officer")
        fs = store_set(
            job.created_by, job.person_id, extracted,
            {int(p): r for p, r in job.missing.items()},
            SourceFormat.NIST if NIST in job.files else SourceFormat.IMAGES,
        )  # fmt: skip
    except Exception as exc:
        log.exception("capture %s failed", job.pk)
        return _refused(
            job, {"capture": _("The extraction failed (%(error)s): submit the files again.")
                  % {"error": type(exc).__name__}}, keep=True,
        )  # fmt: skip
    stored = [str(e["stored"]) for e in job.files.values()]
    job.fingerprint_set, job.status, job.progress = fs, CaptureStatus.DONE, 100
    job.stage, job.finished_at = gettext_noop("Done"), timezone.now()
    job.files, job.errors = {}, {}
    job.save()
    _delete(_storage(), stored)
    return job


def _refused(job: CaptureJob, errors: dict[str, str], keep: bool = False) -> CaptureJob:
    """Refused: the failing fingers' files go, the others stay held for a resubmission."""
    bad = {k.removeprefix("finger_") for k in errors if k.startswith("finger_")}
    if NIST in job.files and errors:
        bad = {NIST}
    gone = [] if keep else [str(e["stored"]) for k, e in job.files.items() if k in bad]
    job.files = {k: e for k, e in job.files.items() if keep or k not in bad}
    job.status, job.errors, job.finished_at = CaptureStatus.FAILED, errors, timezone.now()
    job.stage = gettext_noop("Refused")
    job.save()
    _delete(_storage(), gone)
    audit.record(
        None, Action.CAPTURE_FAILED, job, member_state=job.member_state,
        new={"person": job.person_id, "refused": sorted(errors)},
    )  # fmt: skip
    return job


def recover_captures(lost: workers.Lost) -> int:
    """Captures whose task worker stopped: queued again when their task is, refused visibly
    (the files stay held for a resubmission) when it was given up or ended without finishing.
    Called by core.workers.recover, inside its transaction; audited as the system."""
    message = _("The extraction failed after the task worker stopped: submit the files again.")
    active = CaptureJob.objects.filter(status__in=[CaptureStatus.QUEUED, CaptureStatus.RUNNING])
    return workers.recover_jobs(
        lost,
        active,
        since="created_at",
        requeue=lambda job: workers.requeue_job(
            job,
            queued=CaptureStatus.QUEUED,
            stage=gettext_noop("The worker stopped during this extraction; it was started again"),
            action=Action.CAPTURE_REQUEUE,
            member_state=job.member_state,
            new={"person": job.person_id},
        ),
        fail=lambda job: _refused(job, {"capture": message}, keep=True),
    )
