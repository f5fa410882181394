"""Login for every page (the API authenticates on its own: session or bearer token, 401), and
no NUL character into any view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class LoginRequiredOutsideApi(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except under /api/ where every ninja operation
    requires `auth` itself and must answer 401 JSON rather than a redirect."""

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> Any:
        if request.path.startswith("/api/") and not request.path.startswith("/api/docs"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


NUL = "\x00"


class RefuseNulCharacters:
    """A NUL character in the path or a query parameter is refused with 400, naming where it
    was, before any view sees it: filters go straight into queries and PostgreSQL refuses NUL in
    text (the query would end in a 500). Values in forms and JSON bodies are checked by the
    domain's own validation, which names the field (core.text.forbidden_characters)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self._where(request)
        if where is not None:
            message = _("The request holds a NUL character (in %(where)s).") % {"where": where}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _where(request: HttpRequest) -> str | None:
        if NUL in request.path:
            return str(_("the path"))
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in v for v in values):
                return _("the query parameter %(name)s") % {"name": name.replace(NUL, "")}
        return None
