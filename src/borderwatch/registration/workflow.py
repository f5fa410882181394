"""The hit's workflow: a fingerprint expert of the searching state confirms or rejects it."""

from __future__ import annotations

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.registration.models import HitStatus

HIT = Workflow(
    "registration.hit",
    field="status",
    transitions=(
        Transition(
            HitStatus.PENDING, HitStatus.CONFIRMED, Capability.VERIFY_HITS,
            Action.HIT_CONFIRMED, label="Confirm: same person",
        ),
        Transition(
            HitStatus.PENDING, HitStatus.REJECTED, Capability.VERIFY_HITS,
            Action.HIT_REJECTED, needs_reason=True, label="Reject",
        ),
    ),
)  # fmt: skip
