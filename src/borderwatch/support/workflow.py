"""The assistance request's workflow (core.workflow): submitted -> assessed -> operational plan
agreed -> deployed -> ended, or declined with a reason (from submitted or assessed).

Frontex assesses, declines, records the deployment and ends it; the operational plan is agreed
between Frontex and the host state, so either may record it. Every move holds MANAGE_SUPPORT;
the service checks the member state (Frontex acts for any state, a coordinator for their own).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.support.models import RequestStatus as S


def _has_plan(request: Any) -> str:
    if not (request.plan_reference and request.plan_from and request.plan_to):
        return _("Give the operational plan's reference and period.")
    return ""


def _has_deployments(request: Any) -> str:
    if not request.deployments.exists():
        return _("Deploy at least one officer or item under the plan first.")
    return ""


def _t(
    source: str, target: str, action: Action, label: str, *, reason: bool = False, guard: Any = None
) -> Transition:
    return Transition(
        source, target, Capability.MANAGE_SUPPORT, action, needs_reason=reason, label=label,
        guard=guard, scope_checked=True,
    )  # fmt: skip


REQUEST = Workflow(
    "support.request",
    field="status",
    transitions=(
        _t(S.SUBMITTED, S.ASSESSED, Action.ASSISTANCE_ASSESS, "Assess"),
        _t(S.SUBMITTED, S.DECLINED, Action.ASSISTANCE_DECLINE, "Decline", reason=True),
        _t(S.ASSESSED, S.DECLINED, Action.ASSISTANCE_DECLINE, "Decline", reason=True),
        _t(S.ASSESSED, S.PLAN_AGREED, Action.ASSISTANCE_PLAN, "Agree operational plan",
           guard=_has_plan),
        _t(S.PLAN_AGREED, S.DEPLOYED, Action.ASSISTANCE_DEPLOYED, "Deployed",
           guard=_has_deployments),
        _t(S.DEPLOYED, S.ENDED, Action.ASSISTANCE_END, "End"),
    ),
)  # fmt: skip

# Moves only Frontex makes (the plan's agreement is the host state's as much as Frontex's).
FRONTEX_ONLY = frozenset({S.ASSESSED, S.DECLINED, S.DEPLOYED, S.ENDED})

# Deployments may be made while the plan is in force.
DEPLOYABLE = frozenset({S.PLAN_AGREED, S.DEPLOYED})

LABELS = {
    "Assess": gettext_lazy("Assess"),
    "Decline": gettext_lazy("Decline"),
    "Agree operational plan": gettext_lazy("Agree operational plan"),
    "Deployed": gettext_lazy("Deployed"),
    "End": gettext_lazy("End"),
}


def label(transition: Transition) -> str:
    return str(LABELS.get(transition.label, transition.label))
