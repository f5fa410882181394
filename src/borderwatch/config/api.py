"""The JSON API root: every router under /api, authenticated by bearer token or session.

A request with `Authorization: Bearer …` is authenticated by that token alone: a bad, revoked
or expired token is 401 and never falls back to the session, and no CSRF check applies (no cookie
carries the credential). Without a bearer header the session authenticates, and every write then
needs the CSRF token (ninja's SessionAuth checks it).

OpenAPI 3 is served at /api/docs to a signed-in user, and at /api/openapi.json to a signed-in
user or a bearer token (a client generator has no session).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from borderwatch.accounts.models import User
from borderwatch.accounts.selectors import user_for_token
from borderwatch.config.request_id import request_id
from borderwatch.core.api import ErrorOut
from borderwatch.core.pagination import InvalidCursor
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


# No request body of ours nests deeper than a few levels; thousands of levels would exhaust the
# parser's stack (a 500) before any schema could refuse them.
MAX_JSON_DEPTH = 32


def json_depth_exceeded(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON `text` opens more than `limit` arrays/objects inside each other
    (brackets inside strings are not counted)."""
    depth, in_string, escaped = 0, False, False
    for ch in text.decode("utf-8", "replace") if isinstance(text, bytes) else text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class BoundedParser(Parser):
    """JSON bodies, refused with 400 when nested deeper than MAX_JSON_DEPTH."""

    def parse_body(self, request: HttpRequest) -> Any:
        if json_depth_exceeded(request.body):
            raise HttpError(
                400,
                _("The JSON is nested more than %(depth)d levels deep.")
                % {"depth": MAX_JSON_DEPTH},
            )
        return json.loads(request.body)


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


ERROR_REF = "#/components/schemas/Error"
ERROR_TEXTS = {
    "400": "Bad request: a malformed body (JSON nested too deep) or parameter (a cursor)",
    "401": "Not signed in, or a bad, revoked or expired bearer token",
    "403": "Your role or member state may not do this (or a session write without CSRF token)",
    "404": "No such object, or not one you may see (the two are not told apart)",
    "413": "The request body is too large",
    "422": "Invalid input: `detail` names each field and what is wrong",
}


class BorderwatchAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error responses of every operation, all with
    the shared error body (`Error`: detail and request_id)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ErrorOut.model_json_schema(ref_template=ERROR_REF)
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                codes = error_codes(path, operation)
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(
                        code,
                        {
                            "description": ERROR_TEXTS[code],
                            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                        },
                    )
        return schema


def error_codes(path: str, operation: dict[str, Any]) -> list[str]:
    """The 4xx an operation can answer: 401/403 always (every operation is authenticated and
    scoped), 404 with an id in the path, 422 with input, 400 for a JSON body or a cursor, 413
    for an upload."""
    codes = ["401", "403"]
    params = {p.get("name") for p in operation.get("parameters", [])}
    body = operation.get("requestBody", {}).get("content", {})
    if "{" in path:
        codes.append("404")
    if params or body:
        codes.append("422")
    if "application/json" in body or "cursor" in params:
        codes.append("400")
    if "multipart/form-data" in body:
        codes.append("413")
    return sorted(codes)


api = BorderwatchAPI(
    title="borderwatch API",
    version="1",
    description="Border events, impact levels and the situational picture. Scoped by member state.",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    docs_decorator=signed_in_or_bearer,
    parser=BoundedParser(),
)


def domain_error(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """The one mapping of domain errors to HTTP (core.web): 422, 403 or 404 with a detail."""
    error = exc if isinstance(exc, Exception) else exc()
    return api.create_response(request, api_error_body(error), status=http_status(error) or 500)


def number_out_of_range(
    request: HttpRequest, exc: OverflowError | type[OverflowError]
) -> HttpResponse:
    """An integer beyond what the database holds (an id of 2^63 in the path): 422, not 500.
    Values of the domain (persons, counts) have their own bounds in validation."""
    detail = _("A number in the request is out of range.")
    return api.create_response(request, {"detail": detail}, status=422)


def bad_cursor(request: HttpRequest, exc: InvalidCursor | type[InvalidCursor]) -> HttpResponse:
    """A `cursor` that is not one of this list's positions: 400 naming the parameter."""
    error = exc if isinstance(exc, InvalidCursor) else exc("")
    return api.create_response(request, {"detail": {error.param: [str(error)]}}, status=400)


def too_large(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields or files): 413."""
    detail = _("The request is too large.")
    return api.create_response(
        request, {"detail": detail, "request_id": request_id(request)}, status=413
    )


api.add_exception_handler(OverflowError, number_out_of_range)
api.add_exception_handler(InvalidCursor, bad_cursor)
for _large in (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
    api.add_exception_handler(_large, too_large)

for _error in (ValidationError, PermissionDenied, ObjectDoesNotExist):
    api.add_exception_handler(_error, domain_error)


def _register_routers() -> None:
    from borderwatch.audit.api import router as audit_router
    from borderwatch.border.api import router as border_router
    from borderwatch.intelligence.api import router as intelligence_router
    from borderwatch.linkage.api import router as linkage_router
    from borderwatch.news.api import router as news_router
    from borderwatch.picture.api import router as picture_router
    from borderwatch.procedures.api import router as procedures_router
    from borderwatch.reception.api import router as reception_router
    from borderwatch.registration.api import router as registration_router
    from borderwatch.search.api import router as search_router
    from borderwatch.support.api import router as support_router

    api.add_router("/border", border_router)
    api.add_router("/picture", picture_router)
    api.add_router("/procedures", procedures_router)
    api.add_router("/reception", reception_router)
    api.add_router("/registration", registration_router)
    api.add_router("/search", search_router)
    api.add_router("/audit", audit_router)
    api.add_router("/support", support_router)
    api.add_router("/news", news_router)
    api.add_router("/linkage", linkage_router)
    api.add_router("/intelligence", intelligence_router)


_register_routers()
