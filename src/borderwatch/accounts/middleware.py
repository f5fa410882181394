"""The signed-in user's language setting wins over the browser's (LocaleMiddleware's guess);
sessions end after a time without activity and after a longest lifetime."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import ngettext


class UserLanguageMiddleware:
    """After authentication: activate `user.language` when the user chose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(getattr(request, "user", None), "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


# set on the request before a sign-out for a reason; the audit entry of the sign-out keeps it
LOGOUT_REASON = "borderwatch_logout_reason"


class SessionTimeoutMiddleware:
    """Sign a session out after settings.SESSION_IDLE_MINUTES without a request, and after
    settings.SESSION_MAX_HOURS from sign-in whatever the activity; the next page is the sign-in
    page with a message saying why. Bearer-token requests carry no session and pass untouched.

    The last-seen time is written at most once a minute, not on every request.
    """

    SEEN_KEY = "borderwatch_seen_at"
    LOGIN_KEY = "borderwatch_login_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated and hasattr(request, "session")
        if signed_in and (expired := self._expired(request)):
            setattr(request, LOGOUT_REASON, expired)
            logout(request)  # a user_logged_out signal: audited as a logout
            messages.info(request, expired)
            if getattr(request, "htmx", False):  # a polling fragment: reload the whole page
                response = HttpResponse(status=204)
                response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                return response
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> str:
        """Why the session ended ("" while it lives); notes the request as activity."""
        now = time.time()
        session = request.session
        login_at = session.setdefault(self.LOGIN_KEY, now)
        seen_at = session.get(self.SEEN_KEY, now)
        if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
            minutes = settings.SESSION_IDLE_MINUTES
            return ngettext(
                "You were signed out after %(minutes)d minute without activity.",
                "You were signed out after %(minutes)d minutes without activity.",
                minutes,
            ) % {"minutes": minutes}
        if now - login_at > settings.SESSION_MAX_HOURS * 3600:
            hours = settings.SESSION_MAX_HOURS
            return ngettext(
                "You were signed out: a session lasts at most %(hours)d hour.",
                "You were signed out: a session lasts at most %(hours)d hours.",
                hours,
            ) % {"hours": hours}
        if self.SEEN_KEY not in session or now - seen_at >= 60:
            session[self.SEEN_KEY] = now
        return ""
