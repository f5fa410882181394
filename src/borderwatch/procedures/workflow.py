"""The asylum application's workflow (core.workflow): made -> registered -> lodged ->
admissibility -> personal interview -> first-instance decision -> appeal -> final decision.

Every move is a case officer's of the application's state (RUN_PROCEDURES). A decision needs its
reasons (the reasoned decision text is the transition's reason); the interview record must be on
the case before the move to interviewed. A refusal before the interview is an inadmissibility
decision; an applicant who stops co-operating is an implicit withdrawal at any pending stage.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.procedures.models import NEGATIVE, Status


def _has_interview_record(application: Any) -> str:
    if not str(application.interview_record or "").strip():
        return _("Record the personal interview first (the interview record is empty).")
    return ""


RUN = Capability.RUN_PROCEDURES
S = Status


def _t(
    source: str,
    target: str,
    action: Action,
    label: str,
    *,
    reason: bool = False,
    guard: Any = None,
) -> Transition:
    return Transition(source, target, RUN, action, needs_reason=reason, label=label, guard=guard)


_WITHDRAW = [
    _t(s, S.IMPLICITLY_WITHDRAWN, Action.APPLICATION_WITHDRAWN, "Implicitly withdrawn", reason=True)
    for s in (S.REGISTERED, S.LODGED, S.ADMISSIBLE, S.INTERVIEWED)
]
_DECIDE = [
    _t(S.INTERVIEWED, target, Action.APPLICATION_DECIDE, label, reason=True)
    for target, label in (
        (S.REFUGEE_STATUS, "Grant refugee status"),
        (S.SUBSIDIARY_PROTECTION, "Grant subsidiary protection"),
        (S.REJECTED_UNFOUNDED, "Reject as unfounded"),
        (S.REJECTED_MANIFESTLY_UNFOUNDED, "Reject as manifestly unfounded"),
    )
]
_AFTER_NEGATIVE = [
    move
    for s in NEGATIVE
    for move in (
        _t(s, S.APPEALED, Action.APPLICATION_APPEAL, "Appeal lodged", reason=True),
        _t(s, S.FINAL_REJECTED, Action.APPLICATION_FINAL, "Final: no appeal", reason=True),
    )
]

APPLICATION = Workflow(
    "procedures.application",
    field="status",
    transitions=(
        _t(S.MADE, S.REGISTERED, Action.APPLICATION_REGISTER, "Register"),
        _t(S.REGISTERED, S.LODGED, Action.APPLICATION_LODGE, "Lodge"),
        _t(S.LODGED, S.ADMISSIBLE, Action.APPLICATION_ADMISSIBLE, "Admissible"),
        _t(S.LODGED, S.INADMISSIBLE, Action.APPLICATION_DECIDE, "Inadmissible", reason=True),
        _t(
            S.ADMISSIBLE, S.INTERVIEWED, Action.APPLICATION_INTERVIEW, "Personal interview",
            guard=_has_interview_record,
        ),
        *_DECIDE,
        *_WITHDRAW,
        *_AFTER_NEGATIVE,
        _t(S.APPEALED, S.FINAL_PROTECTION, Action.APPLICATION_FINAL, "Appeal upheld",
           reason=True),
        _t(S.APPEALED, S.FINAL_REJECTED, Action.APPLICATION_FINAL, "Appeal dismissed",
           reason=True),
    ),
)  # fmt: skip

# Labels of the moves in the user's language (the table's labels are the English keys).
LABELS = {
    "Register": gettext_lazy("Register"),
    "Lodge": gettext_lazy("Lodge"),
    "Admissible": gettext_lazy("Admissible"),
    "Inadmissible": gettext_lazy("Inadmissible"),
    "Personal interview": gettext_lazy("Personal interview"),
    "Grant refugee status": gettext_lazy("Grant refugee status"),
    "Grant subsidiary protection": gettext_lazy("Grant subsidiary protection"),
    "Reject as unfounded": gettext_lazy("Reject as unfounded"),
    "Reject as manifestly unfounded": gettext_lazy("Reject as manifestly unfounded"),
    "Implicitly withdrawn": gettext_lazy("Implicitly withdrawn"),
    "Appeal lodged": gettext_lazy("Appeal lodged"),
    "Final: no appeal": gettext_lazy("Final: no appeal"),
    "Appeal upheld": gettext_lazy("Appeal upheld"),
    "Appeal dismissed": gettext_lazy("Appeal dismissed"),
}


def label(transition: Transition) -> str:
    return str(LABELS.get(transition.label, transition.label))


# The day each move takes effect is kept in this column of the application.
DAY_FIELD = {
    S.REGISTERED: "registered_on",
    S.LODGED: "lodged_on",
    S.ADMISSIBLE: "admissible_on",
    S.INADMISSIBLE: "decided_on",
    S.INTERVIEWED: "interviewed_on",
    S.REFUGEE_STATUS: "decided_on",
    S.SUBSIDIARY_PROTECTION: "decided_on",
    S.REJECTED_UNFOUNDED: "decided_on",
    S.REJECTED_MANIFESTLY_UNFOUNDED: "decided_on",
    S.IMPLICITLY_WITHDRAWN: "decided_on",
    S.APPEALED: "appealed_on",
    S.FINAL_PROTECTION: "final_on",
    S.FINAL_REJECTED: "final_on",
}
