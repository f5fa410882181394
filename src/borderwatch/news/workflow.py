"""A news claim's review (core.workflow): pending -> accepted, corrected (then accepted) or
rejected. A review is final: a second look at a claim is a new article or an event's correction.

Every move holds REVIEW_NEWS; the service checks the member state itself (a national
coordinator reviews their own state's claims, a Frontex analyst any, and a claim the engine
could not place has no state yet), so the moves are scope-checked.
"""

from __future__ import annotations

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.news.models import ClaimStatus as S


def _t(source: str, target: str, action: Action, label: str, *, reason: bool) -> Transition:
    return Transition(
        source, target, Capability.REVIEW_NEWS, action, needs_reason=reason, label=label,
        scope_checked=True,
    )  # fmt: skip


CLAIM = Workflow(
    "news.claim",
    field="status",
    transitions=(
        _t(S.PENDING, S.ACCEPTED, Action.NEWS_CLAIM_ACCEPT, "Accept", reason=False),
        _t(S.PENDING, S.CORRECTED, Action.NEWS_CLAIM_CORRECT, "Correct and accept", reason=True),
        _t(S.PENDING, S.REJECTED, Action.NEWS_CLAIM_REJECT, "Reject", reason=True),
    ),
)  # fmt: skip

#: The review form's decisions and the status each leads to.
DECISIONS = {"accept": S.ACCEPTED, "correct": S.CORRECTED, "reject": S.REJECTED}
