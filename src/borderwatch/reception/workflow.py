"""The placement's status changes as a transition table (core.workflow): an open placement is
released or transferred, each with a reason; nothing reopens it (a new stay is a new placement)."""

from __future__ import annotations

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.reception.models import PlacementStatus

PLACEMENT = Workflow(
    "reception.placement",
    field="status",
    transitions=(
        Transition(
            PlacementStatus.OPEN,
            PlacementStatus.RELEASED,
            Capability.MANAGE_RECEPTION,
            Action.PLACEMENT_RELEASE,
            needs_reason=True,
            label="Release",
        ),
        Transition(
            PlacementStatus.OPEN,
            PlacementStatus.TRANSFERRED,
            Capability.MANAGE_RECEPTION,
            Action.PLACEMENT_TRANSFER,
            needs_reason=True,
            label="Transfer",
        ),
    ),
)
