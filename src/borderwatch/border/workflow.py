"""The impact-level workflow: a proposal is confirmed, or rejected with a reason, by a national
coordinator of the section's member state. `services.confirm_impact_level` and
`services.reject_impact_level` apply it; nothing else changes an assessment's status."""

from __future__ import annotations

from borderwatch.border.models import AssessmentStatus
from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow

IMPACT = Workflow(
    "border.impact",
    field="status",
    transitions=(
        Transition(
            AssessmentStatus.PROPOSED,
            AssessmentStatus.CONFIRMED,
            Capability.CONFIRM_IMPACT_LEVEL,
            Action.IMPACT_CONFIRM,
            label="Confirm",
        ),
        Transition(
            AssessmentStatus.PROPOSED,
            AssessmentStatus.REJECTED,
            Capability.CONFIRM_IMPACT_LEVEL,
            Action.IMPACT_REJECT,
            needs_reason=True,
            label="Reject",
        ),
    ),
)
