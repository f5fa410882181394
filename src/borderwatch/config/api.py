"""The JSON API root: every router under /api, authenticated by session or bearer token.

OpenAPI 3 is served at /api/docs (and /api/openapi.json).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from borderwatch.accounts.selectors import user_for_token
from borderwatch.core.web import api_error_body, http_status


class BearerToken(HttpBearer):
    """`Authorization: Bearer bw_…` with a token issued by `borderwatch token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="borderwatch API",
    version="1",
    description="Border events, impact levels and the situational picture. Scoped by member state.",
    auth=[SessionAuth(), BearerToken()],
    docs_url="/docs",
    docs_decorator=login_required,
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
