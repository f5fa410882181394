"""Identification pages: start a search, follow its progress, list its hits when done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import found
from borderwatch.registration import selectors, services
from borderwatch.registration.models import IdentificationRequest, RequestStatus

FINISHED = {RequestStatus.DONE, RequestStatus.FAILED}


@require_POST
def start_identification(request: HttpRequest, set_id: int) -> HttpResponse:
    user = current_user(request)
    fs = found(selectors.fingerprint_set, user, set_id)
    try:
        req = services.request_identification(user, fs.pk)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("registration:set", set_id=fs.pk)
    return redirect("registration:identification", request_id=req.pk)


def _progress_context(user: User, req: IdentificationRequest) -> dict[str, Any]:
    finished = req.status in FINISHED
    return {
        "req": req,
        "finished": finished,
        "hits": selectors.hits_of_request(user, req.pk) if finished else [],
        "awaiting": selectors.awaiting_verification(user, req.pk) if finished else 0,
        "is_expert": can(user, Capability.VERIFY_HITS),
    }


def identification(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    req = found(selectors.identification, user, request_id)
    fs = found(selectors.fingerprint_set, user, req.fingerprint_set_id)
    return render(
        request,
        "registration/identification.html",
        {**_progress_context(user, req), "set": fs, "person": fs.person},
    )


def identification_progress(request: HttpRequest, request_id: int) -> HttpResponse:
    """The htmx poll: re-rendered every second until the request is done or failed."""
    user = current_user(request)
    req = found(selectors.identification, user, request_id)
    return render(request, "registration/_progress.html", _progress_context(user, req))
