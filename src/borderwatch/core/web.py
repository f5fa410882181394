"""Web helpers for pages and API alike: one mapping of domain errors to HTTP, scoped lookups.

Selectors raise `ObjectDoesNotExist` for records the user may not see as well as for missing ones,
so a page or endpoint answers 404 without telling which; services raise `ValidationError` (bad
input, 422 in the API and the form again on a page) and `PermissionDenied` (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

T = TypeVar("T")

NOT_FOUND = gettext_lazy("Not found.")


def found(getter: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A selector's object, or Http404 (never saying whether it exists in another state)."""
    try:
        return getter(*args, **kwargs)
    except ObjectDoesNotExist:
        raise Http404(NOT_FOUND) from None


def safe_next(request: HttpRequest, url: str | None, fallback: str) -> str:
    """A `next=` or return URL from the request when it stays on this site, else `fallback`:
    never an open redirect to another host or scheme (`//evil.example`, `https://…`)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def error_detail(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]} ("__all__" for errors without a field)."""
    if hasattr(exc, "error_dict"):
        return {k: list(v) for k, v in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def errors_into(form: BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    for name, texts in error_detail(exc).items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


def http_status(exc: BaseException) -> int | None:
    """The HTTP status a domain error answers with, or None for an unexpected error."""
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, ValidationError):
        return 422
    return None


def api_error_body(exc: BaseException) -> dict[str, Any]:
    """The JSON body of an API error: `detail` names the problem (by field for bad input)."""
    if isinstance(exc, ValidationError):
        return {"detail": error_detail(exc) if hasattr(exc, "error_dict") else exc.messages}
    if isinstance(exc, ObjectDoesNotExist):
        return {"detail": str(NOT_FOUND)}
    return {"detail": str(exc) or str(gettext_lazy("Permission denied."))}


class DomainErrorMiddleware:
    """Pages: a selector's DoesNotExist is a 404 and a service's stray ValidationError a 400 page
    naming the problem, instead of a 500 (views still catch ValidationError to redisplay forms)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # ninja's handlers answer JSON
        if isinstance(exc, ObjectDoesNotExist):
            raise Http404(NOT_FOUND) from None
        if isinstance(exc, ValidationError):
            messages = [m for texts in error_detail(exc).values() for m in texts]
            return render(request, "400.html", {"problems": messages}, status=400)
        return None
