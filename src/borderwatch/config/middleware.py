"""Login for every page; the API authenticates on its own (session or bearer token, 401)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest


class LoginRequiredOutsideApi(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except under /api/ where every ninja operation
    requires `auth` itself and must answer 401 JSON rather than a redirect."""

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> Any:
        if request.path.startswith("/api/") and not request.path.startswith("/api/docs"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
