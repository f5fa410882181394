"""Reception pages: facilities with occupancy, a facility, the day's arrivals, proposals, chart.

Thin: parse, call a selector or service, render. A proposal is computed by a background task
and accepted by its id alone (services.accept_proposal places the saved rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import found
from borderwatch.reception import selectors, services
from borderwatch.reception.models import Facility, PlacementProposal, ProposalStatus

RELEASE = "release"
ROWS_PER_PAGE = 200


def _day(request: HttpRequest) -> dt.date:
    value = request.GET.get("day") or request.POST.get("day")
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def facility_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    day = _day(request)
    rows = selectors.occupancy(user, day, request.GET.get("member_state") or None)
    return render(
        request,
        "reception/facility_list.html",
        {
            "day": day,
            "rows": rows,
            "alerts": [a for o in rows for a in o.alerts],
            "can_manage": can(user, Capability.MANAGE_RECEPTION),
        },
    )


def facility_detail(request: HttpRequest, facility_id: int) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    day = _day(request)
    try:
        occupancy = selectors.facility_occupancy(user, facility_id, day)
    except Facility.DoesNotExist:
        raise Http404("No such facility.") from None
    start = day - dt.timedelta(days=60)
    series = selectors.occupancy_series(user, start, day, facility_id=facility_id)
    can_manage = can(user, Capability.MANAGE_RECEPTION)
    return render(
        request,
        "reception/facility_detail.html",
        {
            "day": day,
            "o": occupancy,
            "series": series,
            "placements": selectors.current_placements(user, facility_id, day)[:500],
            "can_manage": can_manage,
            "others": selectors.open_facilities(user, day, occupancy.facility.member_state).exclude(
                pk=facility_id
            )
            if can_manage
            else [],
        },
    )


@require_POST
def end_placement(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Release or transfer one placement (with the household for a transfer).

    The action is chosen explicitly: a blank choice does nothing, so a careless submit
    releases no one.
    """
    user = current_user(request)
    day = _day(request)
    back = request.POST.get("next") or reverse("reception:facilities")
    action = request.POST.get("to_facility", "")
    reason = request.POST.get("reason", "")
    try:
        if action == RELEASE:
            services.release(user, placement_id=placement_id, on_date=day, reason=reason)
            messages.success(request, "Released.")
        elif action.isdigit():
            services.transfer(
                user,
                placement_id=placement_id,
                to_facility_id=int(action),
                on_date=day,
                reason=reason,
            )
            messages.success(request, "Transferred.")
        else:
            messages.error(request, "Choose release or a facility to transfer to; nothing done.")
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect(back if back.startswith("/") else reverse("reception:facilities"))


@require_GET
def arrivals(request: HttpRequest) -> HttpResponse:
    """How many persons await placement on the day, and the state's recent proposals."""
    user = current_user(request)
    check(user, Capability.MANAGE_RECEPTION)
    check(user, Capability.VIEW_PERSONS)
    day = _day(request)
    return render(
        request,
        "reception/arrivals.html",
        {
            "day": day,
            "member_state": user.member_state,
            "awaiting": selectors.awaiting_count(user, day),
            "recent": selectors.proposals(user)[:10],
        },
    )


@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    """Save a proposal for the day and show its page; a background task computes it."""
    user = current_user(request)
    proposal = services.request_proposal(user, _day(request))
    return redirect("reception:proposal", proposal_id=proposal.pk)


def _proposal_context(user: User, proposal: PlacementProposal) -> dict[str, Any]:
    return {"p": proposal, "finished": proposal.finished}


@require_GET
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The proposal's progress, then its rows a page at a time, with one Accept button."""
    user = current_user(request)
    proposal = found(selectors.proposal, user, proposal_id)
    context = _proposal_context(user, proposal)
    if proposal.status == ProposalStatus.DONE:
        rows = Paginator(selectors.proposal_rows(proposal), ROWS_PER_PAGE)
        context["page"] = rows.get_page(request.GET.get("page"))
        context["summary"] = selectors.proposal_summary(proposal)
    return render(request, "reception/proposal.html", context)


@require_GET
def proposal_progress(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The htmx poll: re-rendered every second until the proposal is done or failed."""
    user = current_user(request)
    proposal = found(selectors.proposal, user, proposal_id)
    response = render(
        request, "reception/_proposal_progress.html", _proposal_context(user, proposal)
    )
    if proposal.status == ProposalStatus.DONE and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the finished page shows the rows
    return response


@require_POST
def accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Accept a proposal by its id: the rows are the saved ones, never the browser's."""
    user = current_user(request)
    try:
        created = services.accept_proposal(user, proposal_id)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"{len(created)} persons placed (proposal #{proposal_id}).")
    return redirect("reception:proposal", proposal_id=proposal_id)


def occupancy_chart(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    end = _day(request)
    try:
        days = max(7, min(366, int(request.GET.get("days", "92"))))
    except ValueError:
        days = 92
    start = end - dt.timedelta(days=days - 1)
    member_state = request.GET.get("member_state") or None
    series = selectors.occupancy_series(user, start, end, member_state)
    return render(
        request,
        "reception/chart.html",
        {"series": series, "start": start, "end": end, "member_state": member_state or ""},
    )
