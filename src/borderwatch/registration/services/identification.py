"""Writes of a 1:N identification: queue the search, run it (the task's body), record the hits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines.fingerprint import (
    Candidate,
    Template,
    fmr_for_score,
    template_from_bytes,
    threshold_for_fmr,
)
from borderwatch.registration import gallery
from borderwatch.registration.models import (
    FingerprintSet,
    Hit,
    IdentificationRequest,
    Person,
    RequestStatus,
)
from borderwatch.registration.services.persons import hidden_from

if TYPE_CHECKING:
    from borderwatch.accounts.models import User

log = logging.getLogger(__name__)


def set_templates(fs: FingerprintSet) -> dict[int, Template]:
    """A set's captured templates by finger position (the probe of a search)."""
    rows = fs.fingers.filter(template__isnull=False).values_list("position", "template")
    return {pos: template_from_bytes(bytes(data or b""), f"finger {pos}") for pos, data in rows}


def queue_identification(
    actor: User | None, fs: FingerprintSet, member_state: str, enqueue: bool = True
) -> IdentificationRequest:
    """A queued request for a set with at least one captured finger; the task starts on commit.

    Called inside the caller's transaction (capture with identify=True, request_identification).
    """
    if not fs.fingers.filter(template__isnull=False).exists():
        raise ValidationError({"fingers": _("The set has no captured finger to search with.")})
    req = IdentificationRequest.objects.create(
        fingerprint_set=fs, member_state=member_state, requested_by=actor,
        threshold=threshold_for_fmr(settings.IDENTIFICATION_FMR, gallery.params()),
        stage=gettext_noop("Waiting for a worker"),
    )  # fmt: skip
    audit.record(actor, Action.IDENTIFICATION_REQUEST, req, member_state=member_state)
    if enqueue:
        transaction.on_commit(lambda: _enqueue(req.pk))
    return req


def _enqueue(request_id: int) -> None:
    from borderwatch.registration.tasks import identify  # the task module imports services

    result = identify.enqueue(request_id)
    IdentificationRequest.objects.filter(pk=request_id).update(task_id=str(result.id)[:64])


@transaction.atomic
def request_identification(actor: User, set_id: int) -> IdentificationRequest:
    """Queue a 1:N search of a set against every member state; the task starts on commit."""
    check(actor, Capability.REGISTER_PERSONS)  # the role first: the same answer for any id
    fs = FingerprintSet.objects.select_related("person").filter(pk=set_id).first()
    if fs is None or hidden_from(actor, fs.person.member_state):
        raise FingerprintSet.DoesNotExist(f"Fingerprint set {set_id} not found.")
    check(actor, Capability.REGISTER_PERSONS, fs.person.member_state)
    return queue_identification(actor, fs, fs.person.member_state)


def system_identification(set_id: int, *, enqueue: bool = True) -> IdentificationRequest:
    """A search without a user (scenario loader). enqueue=False leaves running it to the
    caller (run_identification), for a loader that needs the hits at once."""
    fs = FingerprintSet.objects.select_related("person").get(pk=set_id)
    with transaction.atomic():
        return queue_identification(None, fs, fs.person.member_state, enqueue)


def _progress(request_id: int, percent: int, stage: str) -> None:
    """Saved at once (autocommit) so that a polling page sees it while the task runs."""
    IdentificationRequest.objects.filter(pk=request_id).update(progress=percent, stage=stage)


def run_identification(request_id: int, k: int = 10) -> IdentificationRequest:
    """The task's body: search all states, record hits above threshold, enrol the set.

    Claims the request first (queued -> running in one UPDATE) so a duplicated task is a no-op.
    Logs ids only, never personal data.
    """
    claimed = IdentificationRequest.objects.filter(
        pk=request_id, status=RequestStatus.QUEUED
    ).update(
        status=RequestStatus.RUNNING, started_at=timezone.now(), progress=10,
        stage=gettext_noop("Loading templates"),
    )  # fmt: skip
    req = IdentificationRequest.objects.select_related("fingerprint_set").get(pk=request_id)
    if not claimed:
        return req
    fs = req.fingerprint_set
    try:
        probe = set_templates(fs)
        _progress(req.pk, 30, gettext_noop("Searching the gallery of all member states"))
        found, searched = gallery.search_and_enrol(fs.person_id, probe, k=k)
        _progress(req.pk, 80, gettext_noop("Recording hits"))
        with transaction.atomic():
            hits = _record_hits(req, found)
            req.gallery_size, req.status = searched, RequestStatus.DONE
            req.progress, req.stage, req.finished_at = 100, gettext_noop("Done"), timezone.now()
            req.save(update_fields=["gallery_size", "status", "progress", "stage", "finished_at"])
            audit.record(
                None, Action.IDENTIFICATION_DONE, req, member_state=req.member_state,
                new={"hits": hits, "gallery_size": searched},
            )  # fmt: skip
    except Exception as exc:
        log.exception("identification request %s failed", req.pk)
        workers.mark_failed(req, failed=RequestStatus.FAILED, error=type(exc).__name__)
        audit.record(None, Action.IDENTIFICATION_FAILED, req, member_state=req.member_state)
    return req


def _record_hits(req: IdentificationRequest, found: Sequence[Candidate]) -> int:
    """The candidates above threshold as pending hits, once per (set, candidate): searching the
    same set again records no second hit for a candidate it already found (the set's row is
    locked, so two searches of one set finishing together cannot both record it)."""
    FingerprintSet.objects.select_for_update().filter(pk=req.fingerprint_set_id).first()
    already = set(
        Hit.objects.filter(request__fingerprint_set_id=req.fingerprint_set_id).values_list(
            "candidate_id", flat=True
        )
    )
    above = [c for c in found if c.score >= req.threshold and int(c.subject_id) not in already]
    ids = [int(c.subject_id) for c in above]
    people = Person.objects.in_bulk(ids)
    latest: dict[int, FingerprintSet] = {}
    for fs in FingerprintSet.objects.filter(person_id__in=ids).order_by("captured_at", "id"):
        latest[fs.person_id] = fs
    hits = [
        Hit(
            request=req,
            person_id=req.fingerprint_set.person_id,
            candidate=people[int(c.subject_id)],
            candidate_set=latest.get(int(c.subject_id)),
            rank=rank,
            score=c.score,
            finger_scores={str(p): s for p, s in c.finger_scores.items()},
            fmr=fmr_for_score(c.score, gallery.params()),
        )
        for rank, c in enumerate(above, start=1)
        if int(c.subject_id) in people  # erased since the gallery was saved
    ]
    Hit.objects.bulk_create(hits)
    return len(hits)


def recover_identifications(lost: workers.Lost) -> int:
    """Searches whose task worker stopped: queued again when their task is (the next worker
    runs them), failed visibly when it was given up or ended without finishing the search.
    Called by core.workers.recover, inside its transaction; audited as the system."""

    def fail(req: IdentificationRequest) -> None:
        workers.mark_failed(
            req, failed=RequestStatus.FAILED, error=gettext_noop("the task worker stopped")
        )
        audit.record(
            None, Action.IDENTIFICATION_FAILED, req, member_state=req.member_state,
            reason=workers.WORKER_STOPPED,
        )  # fmt: skip

    active = IdentificationRequest.objects.filter(
        status__in=[RequestStatus.QUEUED, RequestStatus.RUNNING]
    )
    return workers.recover_jobs(
        lost,
        active,
        since="requested_at",
        requeue=lambda req: workers.requeue_job(
            req,
            queued=RequestStatus.QUEUED,
            stage=gettext_noop("The worker stopped during this search; it was started again"),
            action=Action.IDENTIFICATION_REQUEUE,
            member_state=req.member_state,
        ),
        fail=fail,
    )
