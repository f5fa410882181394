"""Status changes as transition tables (the django-oscar pattern), applied by one service.

An app declares its workflow in `<app>/workflow.py`:

    HIT = Workflow("registration.hit", field="status", transitions=(
        Transition("pending", "confirmed", Capability.VERIFY_HITS, Action.HIT_CONFIRMED),
        Transition("pending", "rejected", Capability.VERIFY_HITS, Action.HIT_REJECTED,
                   needs_reason=True),
    ))

and its service, inside its transaction and holding the row lock, calls
`HIT.apply(actor, hit, "confirmed", member_state=..., reason=...)`: the table says whether the
move is allowed, who may make it and what it needs; `apply` sets the field, saves it, writes the
timeline row and the audit entry. Nothing else changes a status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import TransitionRecord
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability

if TYPE_CHECKING:
    from borderwatch.accounts.models import User

MAX_REASON = 1000


@dataclass(frozen=True)
class Transition:
    """One allowed move: from `source` to `target`, by a holder of `capability`.

    `needs_reason`: the actor must say why (kept on the timeline and in the audit trail).
    `guard`: a further rule on the object; returns an error text, or "" when the move may go on.
    """

    source: str
    target: str
    capability: Capability
    action: Action
    needs_reason: bool = False
    label: str = ""
    guard: Callable[[Any], str] | None = None
    # The service has checked the actor's member state itself (EU-level roles such as Frontex
    # act for any state); `apply` then checks the capability only.
    scope_checked: bool = False


@dataclass(frozen=True)
class Workflow:
    name: str
    field: str
    transitions: tuple[Transition, ...]

    def states(self) -> set[str]:
        return {t.source for t in self.transitions} | {t.target for t in self.transitions}

    def from_state(self, source: str) -> tuple[Transition, ...]:
        """The moves open from `source` (what a page offers)."""
        return tuple(t for t in self.transitions if t.source == source)

    def find(self, source: str, target: str) -> Transition:
        """The transition, or a ValidationError that names what is possible instead."""
        for t in self.transitions:
            if t.source == source and t.target == target:
                return t
        open_ = sorted(t.target for t in self.from_state(source))
        message = _("Cannot go from %(source)s to %(target)s.") % {
            "source": source,
            "target": target,
        }
        if open_:
            message += " " + _("From %(source)s it may go to %(targets)s.") % {
                "source": source,
                "targets": ", ".join(open_),
            }
        raise ValidationError({self.field: message})

    def apply(
        self,
        actor: User | None,
        obj: models.Model,
        target: str,
        *,
        member_state: str,
        reason: str = "",
        also: Mapping[str, Any] | None = None,
        before: Mapping[str, Any] | None = None,
    ) -> Transition:
        """Move `obj` to `target`: check, set, save, timeline row, audit entry.

        `actor` None is the system (loader, tasks), which skips the role check only.
        `also`: further fields set and saved with the status (who decided, when).
        `before`: the old values of fields the service changed before the move (a reviewer's
        correction), kept in the audit entry beside the old status.
        """
        source = str(getattr(obj, self.field))
        transition = self.find(source, str(target))
        if actor is not None:
            check(actor, transition.capability, None if transition.scope_checked else member_state)
        reason = reason.strip()
        if transition.needs_reason and not reason:
            raise ValidationError({"reason": _("Give a reason for this change.")})
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_REASON}})
        if transition.guard is not None and (problem := transition.guard(obj)):
            raise ValidationError({self.field: problem})
        setattr(obj, self.field, transition.target)
        for name, value in (also or {}).items():
            setattr(obj, name, value)
        obj.save(update_fields=[self.field, *(also or {})])
        who = actor if actor is not None and actor.pk else None
        TransitionRecord.objects.create(
            workflow=self.name,
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            member_state=member_state,
            source=source,
            target=transition.target,
            actor=who,
            actor_username=actor.get_username() if actor is not None else "system",
            reason=reason,
        )
        audit.record(
            actor,
            transition.action,
            obj,
            member_state=member_state,
            old={**dict(before or {}), self.field: source},
            new={self.field: transition.target, **dict(also or {})},
            reason=reason,
        )
        return transition


def timeline(obj: models.Model) -> list[TransitionRecord]:
    """An object's transitions, oldest first (callers have checked the viewer may see it)."""
    return list(TransitionRecord.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)))
