"""A candidate pair's review: who may decide what (docs/linkage.md, "Who decides").

- Those who register persons (REGISTER_PERSONS: border guards, registration officers, national
  coordinators) decide a biographic candidate of their own state: same person, or different
  persons; or refer it to the fingerprint expert.
- Fingerprint evidence is the expert's to judge: a pair whose outcome is *corroborated* or
  *conflict*, or whose other record is another state's, cannot be decided from `proposed`; it is
  referred (the system refers those when it proposes them) and a fingerprint expert of the state
  (VERIFY_HITS) decides it.
- Every move needs a reason. A decided pair stays decided (no move out of it).

Deciding "same person" records the judgement for the registers; it merges nothing: a
biographic match alone never links two records (engines.linkage.assess).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.linkage.models import Outcome, PairStatus


def _officer_may_decide(pair: Any) -> str:
    """A plain biographic candidate of one state only; the rest goes to the expert."""
    if pair.outcome != Outcome.CANDIDATE or pair.other_state != pair.member_state:
        return _("Fingerprint evidence is for the fingerprint expert: refer this pair.")
    return ""


PAIR = Workflow(
    "linkage.pair",
    field="status",
    transitions=(
        Transition(
            PairStatus.PROPOSED, PairStatus.SAME_PERSON, Capability.REGISTER_PERSONS,
            Action.PAIR_SAME, needs_reason=True, label=gettext_noop("Same person"),
            guard=_officer_may_decide,
        ),
        Transition(
            PairStatus.PROPOSED, PairStatus.DIFFERENT_PERSONS, Capability.REGISTER_PERSONS,
            Action.PAIR_DIFFERENT, needs_reason=True, label=gettext_noop("Different persons"),
            guard=_officer_may_decide,
        ),
        Transition(
            PairStatus.PROPOSED, PairStatus.REFERRED, Capability.REGISTER_PERSONS,
            Action.PAIR_REFER, needs_reason=True, label=gettext_noop("Refer to the fingerprint expert"),
        ),
        Transition(
            PairStatus.REFERRED, PairStatus.SAME_PERSON, Capability.VERIFY_HITS,
            Action.PAIR_SAME, needs_reason=True, label=gettext_noop("Same person"),
        ),
        Transition(
            PairStatus.REFERRED, PairStatus.DIFFERENT_PERSONS, Capability.VERIFY_HITS,
            Action.PAIR_DIFFERENT, needs_reason=True, label=gettext_noop("Different persons"),
        ),
    ),
)  # fmt: skip
