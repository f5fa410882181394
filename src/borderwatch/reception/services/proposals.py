"""The optimiser's proposals: requested by a manager, computed by a background task, accepted
by reference.

The solver may run for up to 30 s and a busy day has thousands of rows, so the proposal is a
saved record: the request returns at once, the task stores progress as it goes and the rows
when done, and accepting places the saved rows (the browser sends only the proposal's id),
all or nothing, with every rule checked again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.accounts.models import User
from borderwatch.core import audit, workers
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.reception.formats import moment
from borderwatch.reception.models import (
    Placement,
    PlacementProposal,
    ProposalStatus,
    ProposedPlacement,
)
from borderwatch.reception.proposal import DayProposal, compute
from borderwatch.reception.services.checks import PlacementRequest
from borderwatch.reception.services.placements import place_many

log = logging.getLogger(__name__)
BATCH_SIZE = 500
STALE_NAMED = 5


@transaction.atomic
def request_proposal(actor: User, day: dt.date) -> PlacementProposal:
    """Save a proposal for the actor's state and day; the task that computes it starts on commit."""
    if not actor.member_state:
        raise PermissionDenied(_("Proposals are made for one member state."))
    check(actor, Capability.MANAGE_RECEPTION, actor.member_state)
    check(actor, Capability.VIEW_PERSONS)
    proposal = PlacementProposal.objects.create(
        member_state=actor.member_state,
        day=day,
        requested_by=actor,
        stage=gettext_noop("Waiting for a worker"),
    )
    audit.record(
        actor,
        Action.PROPOSAL_REQUEST,
        proposal,
        member_state=proposal.member_state,
        new={"day": day},
    )
    transaction.on_commit(lambda: _enqueue(proposal.pk))
    return proposal


def _enqueue(proposal_id: int) -> None:
    from borderwatch.reception.tasks import propose

    result = propose.enqueue(proposal_id)
    PlacementProposal.objects.filter(pk=proposal_id).update(task_id=str(result.id)[:64])


def _progress(proposal_id: int, percent: int, stage: str) -> None:
    """Saved at once (autocommit) so that a polling page sees it while the task runs."""
    PlacementProposal.objects.filter(pk=proposal_id).update(progress=percent, stage=stage[:80])


def _save_rows(proposal: PlacementProposal, result: DayProposal) -> None:
    rows = [
        ProposedPlacement(
            proposal=proposal,
            key=g.key[:60],
            person_ids=[int(p.pk) for p in g.persons],
            category=g.category or "",
            needs=list(g.needs),
            facility_id=g.facility_id,
            rule=str(g.rule),
            reason=g.reason,
        )
        for g in result.groups
    ]
    ProposedPlacement.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def run_proposal(proposal_id: int) -> PlacementProposal:
    """The task's body: compute the proposal and save its rows, or record the failure.

    Claims the proposal first (queued -> running in one UPDATE) so a duplicated task is a no-op.
    Logs ids only, never personal data.
    """
    claimed = PlacementProposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.RUNNING,
        started_at=timezone.now(),
        progress=10,
        stage=gettext_noop("Reading arrivals and facilities"),
    )
    proposal = PlacementProposal.objects.get(pk=proposal_id)
    if not claimed:
        return proposal
    try:
        result = compute(
            proposal.member_state,
            proposal.day,
            progress=lambda percent, stage: _progress(proposal_id, percent, stage),
        )
        _progress(proposal_id, 80, f"Saving {len(result.groups)} proposed rows")
        with transaction.atomic():
            _save_rows(proposal, result)
            proposal.inputs = result.inputs
            proposal.solver_status = result.status[:40]
            proposal.objective = result.objective
            proposal.seconds = result.seconds
            proposal.persons, proposal.placed = result.persons, result.placed
            proposal.status, proposal.progress, proposal.stage = (
                ProposalStatus.DONE,
                100,
                gettext_noop("Done"),
            )
            proposal.finished_at = timezone.now()
            proposal.save()
            audit.record(
                None,
                Action.PROPOSAL_DONE,
                proposal,
                member_state=proposal.member_state,
                new={"persons": result.persons, "placed": result.placed, "status": result.status},
            )
    except Exception as exc:
        log.exception("placement proposal %s failed", proposal_id)
        proposal.refresh_from_db()
        workers.mark_failed(proposal, failed=ProposalStatus.FAILED, error=type(exc).__name__)
        audit.record(
            None,
            Action.PROPOSAL_FAILED,
            proposal,
            member_state=proposal.member_state,
            new={"error": proposal.error},
        )
    return proposal


def _locked(actor: User, proposal_id: int) -> PlacementProposal:
    """The proposal, locked; another state's answers exactly like a missing one."""
    check(actor, Capability.MANAGE_RECEPTION)  # the role first: the same for any id
    proposal = PlacementProposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None or (
        not actor.sees_all_states and proposal.member_state != actor.member_state
    ):
        raise PlacementProposal.DoesNotExist(f"Proposal {proposal_id} not found.")
    check(actor, Capability.MANAGE_RECEPTION, proposal.member_state)
    return proposal


def _refuse_if_stale(proposal: PlacementProposal, person_ids: list[int]) -> None:
    """Someone placed one of the proposal's persons since it was computed: refuse it whole."""
    placed = sorted(
        set(Placement.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True))
    )
    if not placed:
        return
    named = ", ".join(f"#{pk}" for pk in placed[:STALE_NAMED])
    if len(placed) > STALE_NAMED:
        named = _("%(named)s and %(more)s more") % {
            "named": named,
            "more": len(placed) - STALE_NAMED,
        }
    raise ValidationError(
        _(
            "Proposal #%(id)s is out of date: person %(named)s was placed meanwhile. "
            "Nothing was placed; request a new proposal."
        )
        % {"id": proposal.pk, "named": named}
    )


@transaction.atomic
def accept_proposal(actor: User, proposal_id: int) -> list[Placement]:
    """Place every row of a finished proposal that has a facility, as saved: all or nothing.

    Refused when the proposal is not done, already accepted, or stale; every placement rule is
    checked again (capacity may have changed since the proposal was computed).
    """
    proposal = _locked(actor, proposal_id)
    if proposal.status != ProposalStatus.DONE:
        raise ValidationError(
            _("Proposal #%(id)s is %(status)s.")
            % {"id": proposal.pk, "status": proposal.get_status_display().lower()}
        )
    if proposal.accepted_at is not None:
        who = proposal.accepted_by.get_username() if proposal.accepted_by else _("someone")
        raise ValidationError(
            _("Proposal #%(id)s was already accepted by %(who)s on %(when)s.")
            % {"id": proposal.pk, "who": who, "when": moment(proposal.accepted_at)}
        )
    reason = f"Accepted the optimiser's proposal #{proposal.pk}."
    requests = [
        PlacementRequest(int(pid), int(facility_id), proposal.day, reason, category or None)
        for facility_id, category, ids in proposal.rows.filter(facility__isnull=False)
        .order_by("id")
        .values_list("facility_id", "category", "person_ids")
        for pid in ids
    ]
    if not requests:
        raise ValidationError(_("Proposal #%(id)s places nobody.") % {"id": proposal.pk})
    _refuse_if_stale(proposal, [r.person_id for r in requests])
    created = place_many(actor, requests)
    proposal.accepted_by, proposal.accepted_at = actor, timezone.now()
    proposal.save(update_fields=["accepted_by", "accepted_at"])
    audit.record(
        actor,
        Action.PROPOSAL_ACCEPT,
        proposal,
        member_state=proposal.member_state,
        new={"proposal": proposal.pk, "placements": len(created), "day": proposal.day},
    )
    return created


def recover_proposals(lost: workers.Lost) -> int:
    """Proposals whose task worker stopped: queued again when their task is, failed visibly
    when it was given up or ended without finishing. Called by core.workers.recover, inside its
    transaction; audited as the system."""

    def fail(proposal: PlacementProposal) -> None:
        workers.mark_failed(
            proposal, failed=ProposalStatus.FAILED, error=gettext_noop("the task worker stopped")
        )
        audit.record(
            None, Action.PROPOSAL_FAILED, proposal, member_state=proposal.member_state,
            new={"error": proposal.error}, reason=workers.WORKER_STOPPED,
        )  # fmt: skip

    active = PlacementProposal.objects.filter(
        status__in=[ProposalStatus.QUEUED, ProposalStatus.RUNNING]
    )
    return workers.recover_jobs(
        lost,
        active,
        since="requested_at",
        requeue=lambda proposal: workers.requeue_job(
            proposal,
            queued=ProposalStatus.QUEUED,
            stage=gettext_noop(
                "The worker stopped while computing this proposal; it was started again"
            ),
            action=Action.PROPOSAL_REQUEUE,
            member_state=proposal.member_state,
        ),
        fail=fail,
    )
