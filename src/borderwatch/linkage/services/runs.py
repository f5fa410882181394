"""Proposing candidate pairs for a state's persons: a saved run computed by a background task.

A state's registers grow to tens of thousands of persons, so a run leaves the request: the
request saves it, the task stores its progress as it goes and the new pairs when done.

How pairs are found (docs/linkage.md, "Review queue"):
- biographic candidates within the state: persons are blocked on a name part's consonant
  skeleton with the year of birth, and on two name parts' skeletons together (blocks larger
  than MAX_BLOCK are too common to tell anyone apart and are skipped); each person is ranked
  against its block-mates by the engine's `rank`, and a pair scoring at least the candidate
  threshold is assessed;
- fingerprint hits of the state's searches (pending, confirmed or rejected), in the state or
  with another state's record, are assessed with their biographic score, so that a hit whose
  sex or age disagree is flagged for the expert;
- the fingerprint evidence of a pair: its hit if any; else "no match" when both have a
  fingerprint set and one of them was searched to the end; else "not compared".
A pair is proposed once; one the engine calls *corroborated* or *conflict*, or with another
state's record, is referred to the fingerprint expert by the system at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.accounts.models import User
from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.engines.linkage import (
    Fingerprints,
    Outcome,
    PersonRecord,
    Policy,
    assess,
    disagreement,
    name_keys,
    rank,
    skeleton,
)
from borderwatch.linkage.models import CandidatePair, DuplicateRun, PairStatus, RunStatus
from borderwatch.linkage.selectors import may_review
from borderwatch.linkage.services.decisions import move
from borderwatch.registration import selectors as registration

log = logging.getLogger(__name__)
MAX_BLOCK = 300
POLICY = Policy()
FIELDS = (
    "pk", "member_state", "name_transliterated", "name_as_written", "date_of_birth",
    "dob_is_estimated", "sex", "nationality",
)  # fmt: skip
HIT_EVIDENCE = {
    "pending": Fingerprints.HIT,
    "confirmed": Fingerprints.CONFIRMED,
    "rejected": Fingerprints.REJECTED,
}
SYSTEM_REFERRAL = {
    Outcome.CONFLICT: "conflict: fingerprints and biography disagree",
    Outcome.CORROBORATED: "fingerprint hit: for the fingerprint expert",
}


@transaction.atomic
def request_run(actor: User) -> DuplicateRun:
    """Save a run for the actor's state; the task that computes it starts on commit."""
    if not may_review(actor):
        raise PermissionDenied(_("Your role may not review possible duplicates."))
    run = DuplicateRun.objects.create(
        member_state=actor.member_state,
        requested_by=actor,
        stage=gettext_noop("Waiting for a worker"),
    )
    audit.record(actor, Action.DUPLICATES_REQUEST, run, member_state=run.member_state)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from borderwatch.linkage.tasks import find_duplicates

    result = find_duplicates.enqueue(run_id)
    DuplicateRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


def _progress(run_id: int, percent: int, stage: str) -> None:
    """Saved at once (autocommit) so that a polling page sees it while the task runs."""
    DuplicateRun.objects.filter(pk=run_id).update(progress=percent, stage=stage[:80])


def _record(row: tuple[object, ...]) -> PersonRecord:
    pk, state, latin, written, born, estimated, sex, nationality = row
    return PersonRecord(
        uid=str(pk),
        state=str(state),
        given_name="",
        family_name=str(latin or written),
        date_of_birth=born if isinstance(born, dt.date) else None,
        birth_year_only=bool(estimated),
        sex=str(sex),
        nationality=str(nationality),
    )


def _blocks(records: list[PersonRecord]) -> dict[str, list[int]]:
    """Block keys -> record indexes: a skeleton with the year of birth; two skeletons."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        skels = sorted({skeleton(p) for p in name_keys("", r.family_name).parts} - {""})
        year = r.date_of_birth.year if r.date_of_birth else None
        keys = {f"{s}|{year}" for s in skels} if year else set()
        keys |= {f"{a}+{b}" for a, b in combinations(skels, 2)}
        for key in keys:
            blocks[key].append(i)
    return blocks


@dataclass(frozen=True)
class Found:
    person_id: int
    other_id: int
    other_state: str
    score: float
    reasons: tuple[str, ...]
    fingerprints: Fingerprints


def _score(a: PersonRecord, b: PersonRecord) -> tuple[float, tuple[str, ...]]:
    found = rank(a, [b], limit=1, min_score=0.0)
    return (found[0].score, found[0].reasons) if found else (0.0, ())


def find_pairs(
    member_state: str,
    rows: list[tuple[object, ...]],
    hits: Iterable[tuple[int, int, str]],
    others: dict[int, PersonRecord],
    coverage: tuple[set[int], set[int]],
    progress: Callable[[int, str], None] = lambda percent, stage: None,
) -> tuple[list[Found], int]:
    """The pairs worth a look among one state's persons (`rows`, FIELDS) and its searches'
    hits (`others`: the records of hit candidates not in `rows`); and how many were scored."""
    records = [_record(r) for r in rows]
    by_id = {int(r.uid): r for r in records}
    links: dict[tuple[int, int], str] = {}
    for a, b, status in hits:
        links[(min(a, b), max(a, b))] = status
    enrolled, searched = coverage
    found: dict[tuple[int, int], Found] = {}
    compared = 0
    blocks = _blocks(records)
    mates: dict[int, set[int]] = defaultdict(set)
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            for i in members:
                mates[i].update(members)
    for n, (i, js) in enumerate(mates.items()):
        query = records[i]
        later = [records[j] for j in js if int(records[j].uid) > int(query.uid)]
        compared += len(later)
        for c in rank(query, later, limit=20, min_score=POLICY.candidate):
            a, b = int(query.uid), int(c.uid)
            hit = links.get((a, b))
            if hit:
                evidence = HIT_EVIDENCE.get(hit, Fingerprints.NOT_COMPARED)
            elif a in enrolled and b in enrolled and (a in searched or b in searched):
                evidence = Fingerprints.NO_MATCH
            else:
                evidence = Fingerprints.NOT_COMPARED
            found[(a, b)] = Found(a, b, member_state, c.score, c.reasons, evidence)
        if n % 500 == 0:
            progress(20 + int(60 * n / max(len(mates), 1)), f"Scored {n} of {len(mates)} persons")
    for a, b, status in hits:
        ours, theirs = (a, b) if a in by_id else (b, a)
        other = by_id.get(theirs) or others.get(theirs)
        if ours not in by_id or other is None:
            continue
        key = (min(a, b), max(a, b)) if other.state == member_state else (ours, theirs)
        if key in found:
            continue
        compared += 1
        score, reasons = _score(by_id[ours], other)
        evidence = HIT_EVIDENCE.get(status, Fingerprints.NOT_COMPARED)
        found[key] = Found(key[0], key[1], other.state, score, reasons, evidence)
    return list(found.values()), compared


def _store(
    run: DuplicateRun, records: dict[int, PersonRecord], pairs: list[Found]
) -> list[CandidatePair]:
    """New pairs (those already proposed are left as they are), assessed; the system refers
    fingerprint evidence and other states' records to the expert."""
    existing = set(
        CandidatePair.objects.filter(person_id__in=[p.person_id for p in pairs]).values_list(
            "person_id", "other_id"
        )
    )
    created = []
    for p in pairs:
        if (p.person_id, p.other_id) in existing:
            continue
        sex_differs, gap = disagreement(records[p.person_id], records[p.other_id])
        assessment = assess(p.score, p.fingerprints, sex_differs=sex_differs, age_gap=gap)
        if assessment.outcome == Outcome.NONE:
            continue
        pair = CandidatePair.objects.create(
            member_state=run.member_state, person_id=p.person_id, other_id=p.other_id,
            other_state=p.other_state, score=p.score, reasons=list(p.reasons),
            fingerprints=str(p.fingerprints), outcome=str(assessment.outcome),
            confidence=round(assessment.confidence, 4),
            outcome_reasons=list(assessment.reasons), run=run,
        )  # fmt: skip
        if assessment.outcome != Outcome.CANDIDATE or p.other_state != run.member_state:
            why = SYSTEM_REFERRAL.get(assessment.outcome, "another state's record")
            move(None, pair, PairStatus.REFERRED, why)
        created.append(pair)
    return created


def run_duplicates(run_id: int) -> DuplicateRun:
    """The task's body: find, assess and store the state's new pairs, or record the failure.

    Claims the run first (queued -> running in one UPDATE) so a duplicated task is a no-op.
    Logs ids only, never personal data.
    """
    claimed = DuplicateRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=5,
        stage=gettext_noop("Reading persons"),
    )
    run = DuplicateRun.objects.select_related("requested_by").get(pk=run_id)
    if not claimed:
        return run
    try:
        actor = run.requested_by
        if actor is None or not may_review(actor) or actor.member_state != run.member_state:
            raise PermissionDenied("the requester may no longer review this state's persons")
        scope = registration.persons(actor, member_state=run.member_state)
        rows = list(scope.values_list(*FIELDS))
        hits = registration.fingerprint_links(run.member_state)
        ids = {int(str(r[0])) for r in rows}
        outside = {x for a, b, _s in hits for x in (a, b)} - ids
        others = {
            pk: PersonRecord(
                uid=str(pk), state=p.member_state, given_name="",
                family_name=p.name_transliterated or p.name_as_written,
                date_of_birth=p.date_of_birth, birth_year_only=p.dob_is_estimated,
                sex=p.sex, nationality=p.nationality,
            )
            for pk, p in registration.persons_for_services(outside).items()
        }  # fmt: skip
        coverage = registration.fingerprint_coverage(ids)
        _progress(run_id, 20, gettext_noop("Comparing persons"))
        pairs, compared = find_pairs(
            run.member_state, rows, hits, others, coverage,
            progress=lambda percent, stage: _progress(run_id, percent, stage),
        )  # fmt: skip
        _progress(run_id, 85, f"Saving {len(pairs)} pairs")
        records = {int(r.uid): r for r in (_record(row) for row in rows)} | others
        with transaction.atomic():
            created = _store(run, records, pairs)
            run.persons, run.compared, run.proposed = len(rows), compared, len(created)
            run.status, run.progress, run.stage = RunStatus.DONE, 100, gettext_noop("Done")
            run.finished_at = timezone.now()
            run.save()
            audit.record(
                None, Action.DUPLICATES_DONE, run, member_state=run.member_state,
                new={"persons": run.persons, "compared": compared, "proposed": len(created)},
            )  # fmt: skip
    except Exception as exc:
        log.exception("duplicate run %s failed", run_id)
        _fail(run, type(exc).__name__)
    return run


def _fail(run: DuplicateRun, error: str, reason: str = "") -> None:
    run.refresh_from_db()
    workers.mark_failed(run, failed=RunStatus.FAILED, error=error)
    audit.record(
        None, Action.DUPLICATES_FAILED, run, member_state=run.member_state,
        new={"error": run.error}, reason=reason,
    )  # fmt: skip


def recover_runs(lost: workers.Lost) -> int:
    """Runs whose task worker stopped: queued again when their task is, failed visibly when it
    was given up or ended without finishing. Called by core.workers.recover, inside its
    transaction; audited as the system."""
    active = DuplicateRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    return workers.recover_jobs(
        lost,
        active,
        since="requested_at",
        requeue=lambda run: workers.requeue_job(
            run,
            queued=RunStatus.QUEUED,
            stage=gettext_noop("The worker stopped during this search; it was started again"),
            action=Action.DUPLICATES_REQUEUE,
            member_state=run.member_state,
        ),
        fail=lambda run: _fail(
            run, gettext_noop("the task worker stopped"), reason=workers.WORKER_STOPPED
        ),
    )
