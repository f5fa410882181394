"""A pair's review: one service applies the transition table (workflow.PAIR)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can
from borderwatch.core.roles import Capability
from borderwatch.linkage.models import CandidatePair, Decision, PairStatus
from borderwatch.linkage.selectors import may_review
from borderwatch.linkage.workflow import PAIR


def move(actor: User | None, pair: CandidatePair, target: str, reason: str) -> CandidatePair:
    """Apply one move to a locked pair (actor None: the system), with its `Decision` row."""
    source = pair.status
    final = target in (PairStatus.SAME_PERSON, PairStatus.DIFFERENT_PERSONS)
    also: dict[str, object] = {"reason": reason.strip()}
    if final:
        also |= {"decided_by": actor if actor is not None and actor.pk else None}
        also |= {"decided_at": timezone.now()}
    PAIR.apply(actor, pair, target, member_state=pair.member_state, reason=reason, also=also)
    Decision.objects.create(
        pair=pair,
        source=source,
        target=pair.status,
        reason=reason.strip(),
        decided_by=actor if actor is not None and actor.pk else None,
    )
    return pair


@transaction.atomic
def decide(actor: User, pair_id: int, target: str, reason: str) -> CandidatePair:
    """Same person, different persons, or referred to the fingerprint expert, with a reason.

    A pair the actor may not see (another state's, or another state's record for a non-expert)
    answers exactly like a missing one; the table says who may make the move and what it needs.
    """
    if not may_review(actor):
        raise PermissionDenied(_("Your role may not review possible duplicates."))
    qs = CandidatePair.objects.select_for_update().filter(
        pk=pair_id, member_state=actor.member_state or "--"
    )
    if not can(actor, Capability.VERIFY_HITS):
        qs = qs.filter(other_state=actor.member_state)
    pair = qs.first()
    if pair is None:
        raise CandidatePair.DoesNotExist("No such pair.")
    return move(actor, pair, target, reason)
