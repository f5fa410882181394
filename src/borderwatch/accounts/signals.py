"""Every sign-in, failed sign-in, lockout and sign-out goes into the audit trail.

Django and django-axes announce them as signals; the receivers here write one entry each with
the username tried and the client address, never the password (Django hands receivers the
credentials with the password already masked, and only the username is read from them).
"""

from __future__ import annotations

import time
from typing import Any

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from borderwatch.accounts.middleware import LOGOUT_REASON, SessionTimeoutMiddleware
from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action


def _address(request: HttpRequest | None) -> str:
    return (get_client_ip_address(request) or "") if request is not None else ""


def _attempt(action: Action, username: str, request: HttpRequest | None) -> None:
    """An attempt in the name of `username`: filed under that user when one exists (the actor is
    the system: nobody is signed in), else under the username alone."""
    username = (username or "")[: User._meta.get_field("username").max_length]
    user = User.objects.filter(username=username).first()
    audit.record(
        None,
        action,
        user,
        object_type=None if user else User._meta.label,
        member_state=user.member_state if user else "",
        new={"username": username, "address": _address(request)},
    )


@receiver(user_logged_in, dispatch_uid="borderwatch.audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SessionTimeoutMiddleware.LOGIN_KEY] = time.time()
        request.session[SessionTimeoutMiddleware.SEEN_KEY] = time.time()
    audit.record(
        user, Action.USER_LOGIN, user, member_state=user.member_state,
        new={"address": _address(request)},
    )  # fmt: skip


@receiver(user_login_failed, dispatch_uid="borderwatch.audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    _attempt(Action.USER_LOGIN_FAILED, str(credentials.get("username", "")), request)


@receiver(user_locked_out, dispatch_uid="borderwatch.audit.locked_out")
def _locked_out(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    _attempt(Action.USER_LOCKED_OUT, username or "", request)


@receiver(user_logged_out, dispatch_uid="borderwatch.audit.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:  # signing out without a session: nothing happened
        return
    audit.record(
        user, Action.USER_LOGOUT, user, member_state=user.member_state,
        new={"address": _address(request)},
        reason=getattr(request, LOGOUT_REASON, ""),
    )  # fmt: skip
