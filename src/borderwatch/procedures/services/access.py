"""Who may work on a procedure's row: the one check every write of the app starts with.

A caseworker's role must run procedures; the row (an application, a return case, a flight, a
person) must be of a member state they see, else it answers exactly like a missing one (nothing
tells whether it exists in another state); then the role must run procedures in that state.
The system (actor None: the scenario loader, tasks) may work on any row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core.permissions import check, visible_states
from borderwatch.core.roles import Capability
from borderwatch.registration.selectors import persons_for_services

if TYPE_CHECKING:  # a type only: procedures reads persons through registration.selectors
    from borderwatch.registration.models import Person

R = TypeVar("R")


def in_reach(
    actor: User | None,
    fetch: Callable[[], R | None],
    state_of: Callable[[R], str],
    missing: Callable[[], ValidationError],
) -> R:
    """The row `fetch` finds if the actor may work on it; `missing()` is raised for a row that
    does not exist or is of a state the actor does not see. The role is checked before `fetch`
    runs, so a refused role locks and reads nothing."""
    if actor is not None:
        check(actor, Capability.RUN_PROCEDURES)
    row = fetch()
    states = visible_states(actor) if actor is not None else None
    if row is None or (states is not None and state_of(row) not in states):
        raise missing()
    if actor is not None:
        check(actor, Capability.RUN_PROCEDURES, state_of(row))
    return row


def person_in_reach(actor: User | None, person_id: int) -> Person:
    """The registered person a new application or return decision is for."""
    return in_reach(
        actor,
        lambda: persons_for_services([person_id]).get(person_id),
        lambda person: person.member_state,
        lambda: ValidationError(
            {"person_id": _("Person #%(id)s does not exist.") % {"id": person_id}}
        ),
    )
