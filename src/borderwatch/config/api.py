"""The JSON API root: every router under /api, authenticated by bearer token or session.

A request with `Authorization: Bearer …` is authenticated by that token alone: a bad, revoked
or expired token is 401 and never falls back to the session, and no CSRF check applies (no cookie
carries the credential). Without a bearer header the session authenticates, and every write then
needs the CSRF token (ninja's SessionAuth checks it).

OpenAPI 3 is served at /api/docs to a signed-in user, and at /api/openapi.json to a signed-in
user or a bearer token (a client generator has no session).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from borderwatch.accounts.models import User
from borderwatch.accounts.selectors import user_for_token
from borderwatch.core.web import api_error_body, http_status


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer …` header; None when the request has none."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class BearerToken(HttpBearer):
    """`Authorization: Bearer bw_…` with a token issued by `borderwatch token create` or the
    tokens page. Runs first: a bearer header decides alone (401 when it is not a live token)."""

    def __call__(self, request: HttpRequest) -> Any:
        token = bearer_token(request)
        if token is None:
            return None  # no bearer header: the session may authenticate
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError()  # ends the chain: never the session instead
        request.user = user
        return user


def signed_in_or_bearer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API schema (and docs): a live bearer token, or else a signed-in session. A bad token
    is 401; no token and no session goes to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = bearer_token(request)
        if token is not None:
            user = user_for_token(token)
            if user is None:
                return JsonResponse({"detail": "Unauthorized"}, status=401)
            request.user = user
        elif not (isinstance(request.user, User) and request.user.is_authenticated):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="borderwatch API",
    version="1",
    description="Border events, impact levels and the situational picture. Scoped by member state.",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    docs_decorator=signed_in_or_bearer,
)


def domain_error(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """The one mapping of domain errors to HTTP (core.web): 422, 403 or 404 with a detail."""
    error = exc if isinstance(exc, Exception) else exc()
    return api.create_response(request, api_error_body(error), status=http_status(error) or 500)


for _error in (ValidationError, PermissionDenied, ObjectDoesNotExist):
    api.add_exception_handler(_error, domain_error)


def _register_routers() -> None:
    from borderwatch.border.api import router as border_router
    from borderwatch.picture.api import router as picture_router
    from borderwatch.reception.api import router as reception_router
    from borderwatch.registration.api import router as registration_router
    from borderwatch.search.api import router as search_router

    api.add_router("/border", border_router)
    api.add_router("/picture", picture_router)
    api.add_router("/reception", reception_router)
    api.add_router("/registration", registration_router)
    api.add_router("/search", search_router)


_register_routers()
