"""The results page of the header's search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from borderwatch.core.permissions import can, current_user
from borderwatch.core.roles import Capability
from borderwatch.search import selectors


def results(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    query = str(request.GET.get("q", ""))
    found = selectors.search(user, query) if query.strip() else None
    return render(
        request,
        "search/results.html",
        {
            "query": query.strip(),
            "results": found,
            "sees_persons": can(user, Capability.VIEW_PERSONS),
        },
        status=422 if found is not None and found.problem else 200,
    )
