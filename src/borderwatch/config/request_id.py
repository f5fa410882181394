"""A request id on every request, response, API error body and log record; JSON errors under /api/.

`RequestIdMiddleware` runs first (outermost). It takes the caller's `X-Request-ID` when it is a
plain token (letters, digits, `.`, `_`, `-`; at most 64), else makes one, and:

- puts it in the response's `X-Request-ID` header, and in the body of every API error;
- sets it for the log records of the request (`RequestIdFilter` adds `request_id` to each);
- logs an unhandled exception with its traceback and the request id, but without personal data:
  the method, the path without its query string (which can carry a searched name), the type of
  the exception and its stack, never its message (a database error quotes the row's values),
  the request's body or its headers;
- under /api/ answers every error as JSON, `{"detail": ..., "request_id": ...}`: an unknown path
  (404), a method the path does not take (405), a body too large (413), a CSRF failure (403) and
  an unhandled exception (500) included, where Django would otherwise send an HTML page.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
import uuid
from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger("borderwatch.request")

HEADER = "X-Request-ID"
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record ("-" outside a request, e.g. in the task worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class WithoutExceptionText(logging.Filter):
    """Drops the exception (and with it its message) from Django's own "Internal Server Error"
    records: the middleware has logged the stack without the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


def request_id(request: HttpRequest) -> str:
    """The id of this request (set by the middleware)."""
    return getattr(request, "request_id", None) or current_request_id.get()


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


# Exceptions Django or the domain-error mapping turn into a 4xx: not server errors.
EXPECTED = (
    Http404,
    PermissionDenied,
    BadRequest,
    SuspiciousOperation,
    ObjectDoesNotExist,
    ValidationError,
)


def _too_large(exc: Exception) -> bool:
    return isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)


def log_unhandled(request: HttpRequest, exc: BaseException) -> None:
    """The traceback of an unhandled exception, with the request id and no personal data."""
    chain: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 5:
        stack = "".join(traceback.format_tb(seen.__traceback__))
        chain.append(f"{type(seen).__module__}.{type(seen).__qualname__}\n{stack}")
        seen = seen.__cause__ or seen.__context__
    log.error(
        "unhandled %s in %s %s [request %s]\n%s",
        type(exc).__qualname__,
        request.method,
        request.path,
        request_id(request),
        "caused by ".join(reversed(chain)),
    )


def json_error(request: HttpRequest, status: int, detail: object) -> JsonResponse:
    return JsonResponse({"detail": detail, "request_id": request_id(request)}, status=status)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        rid = given if VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        token = current_request_id.set(rid)
        try:
            response = self.get_response(request)
            if _is_api(request) and response.status_code >= 400:
                response = self._as_json(request, response)
            response[HEADER] = rid
            return response
        finally:
            current_request_id.reset(token)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """Last of the exception hooks (ninja's and the domain errors' come first)."""
        if _too_large(exc):
            if _is_api(request):
                return json_error(request, 413, str(HTTPStatus(413).phrase))
            return None  # Django's 400 page
        if isinstance(exc, EXPECTED):
            return None
        log_unhandled(request, exc)
        if _is_api(request):
            return json_error(request, 500, str(HTTPStatus(500).phrase))
        return None  # the 500 page

    @staticmethod
    def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """An API error as JSON with the request id: a JSON object gains `request_id`, any other
        body (Django's HTML 404, an empty 405) becomes {"detail": <the status's phrase>}."""
        if getattr(response, "streaming", False):
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/json"):
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            if isinstance(body, dict):
                if "request_id" not in body:
                    body["request_id"] = request_id(request)
                    response.content = json.dumps(body).encode()
                return response
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = "Error"
        replaced = json_error(request, response.status_code, phrase)
        for name in ("Allow", "WWW-Authenticate", "Retry-After"):
            if name in response:
                replaced[name] = response[name]
        return replaced
