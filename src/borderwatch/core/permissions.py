"""Role and member-state checks shared by views, API and selectors: the one scoping rule.

Every query of member-state data goes through `in_scope` (or `visible_states`) in a selector; every
write checks `check(actor, capability, member_state)` in a service.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from borderwatch.core.codes import member_state_name
from borderwatch.core.roles import CAPABILITIES, CAPABILITY_ACTIONS, Capability

if TYPE_CHECKING:  # the user model lives in accounts, which builds on core
    from borderwatch.accounts.models import User

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=Model)


def can(user: Any, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in CAPABILITIES[capability]


def visible_states(user: User) -> list[str] | None:
    """Member states whose data the user may read; None means all of them."""
    if user.sees_all_states:
        return None
    return [user.member_state] if user.member_state else []


def can_act_for(user: User, member_state: str) -> bool:
    """Whether the user may write data of this member state (EU-level users never write)."""
    return not user.sees_all_states and user.member_state == member_state


def check(user: Any, capability: Capability, member_state: str | None = None) -> None:
    """Raise PermissionDenied unless the user holds the capability (for that state, if given)."""
    if not can(user, capability):
        action = CAPABILITY_ACTIONS[capability]
        raise PermissionDenied(_("Your role may not %(action)s.") % {"action": action})
    if member_state is not None and not can_act_for(user, member_state):
        name = member_state_name(member_state)
        raise PermissionDenied(_("You may not act for %(state)s.") % {"state": name})


def requires(capability: Capability) -> Callable[[F], F]:
    """View decorator: the request's user must hold the capability."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            check(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def current_user(request: Any) -> User:
    """The signed-in borderwatch user of a request (views and API are behind authentication)."""
    user = request.user
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    return user


def in_scope(queryset: QuerySet[M], user: User, field: str = "member_state") -> QuerySet[M]:
    """The rows of `queryset` whose `field` (a member-state code) the user may read."""
    states = visible_states(user)
    return queryset if states is None else queryset.filter(**{f"{field}__in": states})


def owns(user: User, member_state: str) -> bool:
    """Whether a record of `member_state` is the user's own state's (no audit needed to read it)."""
    return bool(user.member_state) and user.member_state == member_state
