"""The review queue's pages: the queue, the side-by-side page with the decision, the check
the registration form asks while a name is typed. Thin: scope and rules are below."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.linkage import selectors, services
from borderwatch.linkage.forms import PairDecisionForm
from borderwatch.linkage.models import PairStatus

STATUSES = [s for s in PairStatus]


def _reviewer(request: HttpRequest) -> User:
    user = current_user(request)
    if not selectors.may_review(user):
        raise PermissionDenied(_("Your role may not review possible duplicates."))
    return user


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    status = request.GET.get("status", "")
    if status not in PairStatus.values:
        status = ""
    rows = selectors.queue(user, status)
    shown = status or (
        PairStatus.REFERRED if can(user, Capability.VERIFY_HITS) else PairStatus.PROPOSED
    )
    return render(
        request,
        "linkage/queue.html",
        {
            "rows": rows,
            "status": shown,
            "statuses": STATUSES,
            "run": selectors.latest_run(user),
            "expert": can(user, Capability.VERIFY_HITS),
        },
    )


@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    services.request_run(user)
    messages.success(request, _("The search for possible duplicates has started."))
    return redirect("linkage:queue")


def _pair_page(
    request: HttpRequest, pair_id: int, form: PairDecisionForm | None = None
) -> HttpResponse:
    user = _reviewer(request)
    detail = found(selectors.pair, user, pair_id)
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": detail.view,
            "decisions": detail.decisions,
            "moves": detail.moves,
            "form": form or PairDecisionForm(),
        },
        status=422 if form is not None else 200,
    )


@require_GET
def pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    return _pair_page(request, pair_id)


@require_POST
def decide(request: HttpRequest, pair_id: int) -> HttpResponse:
    user = _reviewer(request)
    form = PairDecisionForm(request.POST)
    if form.is_valid():
        try:
            done = found(
                services.decide,
                user,
                pair_id,
                form.cleaned_data["decision"],
                form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request,
                _("Decided: %(decision)s.") % {"decision": PairStatus(done.status).label},
            )
            return redirect("linkage:pair", pair_id=pair_id)
    return _pair_page(request, pair_id, form)


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    """The registration form's check of one row while it is typed (an HTML fragment)."""
    user = current_user(request)
    name = request.GET.get("name", "").strip()
    written = request.GET.get("name_as_written", "").strip()
    born: dt.date | None
    try:
        born = dt.date.fromisoformat(request.GET.get("date_of_birth", ""))
    except ValueError:
        born = None
    found_rows: list[selectors.Duplicate] = []
    if 2 <= len(name or written) <= 200 and len(written) <= 200:
        found_rows = selectors.possible_duplicates(
            user,
            name_transliterated=name or written,
            name_as_written=written,
            date_of_birth=born,
            dob_is_estimated=request.GET.get("dob_is_estimated") in ("on", "true", "1"),
            sex=request.GET.get("sex", "")[:1],
            nationality=request.GET.get("nationality", "")[:2].upper(),
            limit=5,
        )
    return render(
        request,
        "linkage/_check.html",
        {"rows": found_rows, "row": request.GET.get("row", "")[:4], "asked": bool(name or written)},
    )
