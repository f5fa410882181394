"""Reception pages: facilities with occupancy, a facility, the day's arrivals, proposals, chart.

Thin: parse, call a selector or service, render. A proposal is computed by a background task
and accepted by its id alone (services.accept_proposal places the saved rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from borderwatch.accounts.models import User
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import found, safe_next
from borderwatch.reception import selectors, services
from borderwatch.reception.models import Facility, PlacementProposal, ProposalStatus

RELEASE = "release"
ROWS_PER_PAGE = 200
PERSONS_PER_PAGE = 100


@dataclass(frozen=True)
class DayShown:
    """The day a page shows: asked for, or the latest day with data (`latest`); `error` names
    a value that was not a date."""

    day: dt.date
    latest: bool = False
    error: str = ""


def _shown_day(request: HttpRequest, user: User, member_state: str | None = None) -> DayShown:
    """The `day` asked for, else the latest day with arrivals or placements the user sees
    (of `member_state` if given), else today."""
    value = (request.GET.get("day") or "").strip()
    error = ""
    if value:
        try:
            return DayShown(dt.date.fromisoformat(value))
        except ValueError:
            error = _("“%(value)s” is not a date (YYYY-MM-DD): nothing else changed.") % {
                "value": value[:20]
            }
    latest = selectors.latest_day(user, member_state)
    return DayShown(latest or timezone.localdate(), latest is not None, error)


def _day(request: HttpRequest) -> dt.date:
    """A posted day (forms carry the day shown); today when absent or not a date."""
    value = request.POST.get("day") or request.GET.get("day")
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def facility_list(request: HttpRequest) -> HttpResponse:
    """The overview: who awaits a place and what could open first, then facilities' alerts
    (one line per facility) and occupancy."""
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    shown = _shown_day(request, user)
    rows = selectors.occupancy(user, shown.day, request.GET.get("member_state") or None)
    return render(
        request,
        "reception/facility_list.html",
        {
            "day": shown.day,
            "shown": shown,
            "rows": rows,
            "unplaced": selectors.unplaced(user, shown.day, rows),
            "alerting": [o for o in rows if o.alert_line],
            "can_manage": can(user, Capability.MANAGE_RECEPTION),
        },
    )


def facility_detail(request: HttpRequest, facility_id: int) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    try:
        state = selectors.facility(user, facility_id).member_state
    except Facility.DoesNotExist:
        raise Http404(_("No such facility.")) from None
    shown = _shown_day(request, user, state)
    day = shown.day
    occupancy = selectors.facility_occupancy(user, facility_id, day)
    start = day - dt.timedelta(days=60)
    series = selectors.occupancy_series(user, start, day, facility_id=facility_id)
    can_manage = can(user, Capability.MANAGE_RECEPTION)
    page = Paginator(selectors.current_placements(user, facility_id, day), PERSONS_PER_PAGE)
    placed = page.get_page(request.GET.get("page"))
    who = selectors.persons_by_id(user, [p.person_id for p in placed], day)
    return render(
        request,
        "reception/facility_detail.html",
        {
            "day": day,
            "shown": shown,
            "o": occupancy,
            "series": series,
            "placed": placed,
            "pager_query": f"day={day.isoformat()}&",
            "placements": [(p, who.get(p.person_id), (day - p.start_date).days) for p in placed],
            "can_manage": can_manage,
            "others": list(
                selectors.open_facilities(user, day, occupancy.facility.member_state).exclude(
                    pk=facility_id
                )
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
    back = safe_next(request, request.POST.get("next"), reverse("reception:facilities"))
    action = request.POST.get("to_facility", "")
    reason = request.POST.get("reason", "")
    try:
        if action == RELEASE:
            services.release(user, placement_id=placement_id, on_date=day, reason=reason)
            messages.success(request, _("Released."))
        elif action.isdigit():
            services.transfer(
                user,
                placement_id=placement_id,
                to_facility_id=int(action),
                on_date=day,
                reason=reason,
            )
            messages.success(request, _("Transferred."))
        else:
            messages.error(request, _("Choose release or a facility to transfer to; nothing done."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect(back)


@require_GET
def arrivals(request: HttpRequest) -> HttpResponse:
    """The state's persons awaiting placement on the day, a page at a time (vulnerable or
    longest waiting first), the headline figures, and the state's recent proposals."""
    user = current_user(request)
    check(user, Capability.MANAGE_RECEPTION)
    check(user, Capability.VIEW_PERSONS)
    shown = _shown_day(request, user, user.member_state or None)
    day = shown.day
    order = request.GET.get("order", "")
    if order not in selectors.AWAITING_ORDERS:
        order = "vulnerable"
    page = Paginator(selectors.awaiting(user, day, order), PERSONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    occupancy = selectors.occupancy(user, day, user.member_state or None)
    return render(
        request,
        "reception/arrivals.html",
        {
            "day": day,
            "shown": shown,
            "member_state": user.member_state,
            "order": order,
            "order_label": selectors.AWAITING_ORDERS[order],
            "orders": selectors.AWAITING_ORDERS,
            "pager_query": f"day={day.isoformat()}&order={order}&",
            "page": page,
            "persons": selectors.person_rows(page.object_list, day),
            "awaiting": page.paginator.count,
            "unplaced": selectors.unplaced(user, day, occupancy),
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
        page = Paginator(selectors.proposal_rows(proposal), ROWS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        ids = [int(pid) for r in page for pid in r.person_ids]
        who = selectors.persons_by_id(user, ids, proposal.day)
        context["page"] = page
        context["rows"] = [(r, [who.get(int(pid), pid) for pid in r.person_ids]) for r in page]
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
        messages.success(
            request,
            ngettext(
                "%(n)s person placed (proposal #%(id)s).",
                "%(n)s persons placed (proposal #%(id)s).",
                len(created),
            )
            % {"n": len(created), "id": proposal_id},
        )
    return redirect("reception:proposal", proposal_id=proposal_id)


def occupancy_chart(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VIEW_RECEPTION)
    shown = _shown_day(request, user, request.GET.get("member_state") or None)
    end = shown.day
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
        {
            "series": series,
            "start": start,
            "end": end,
            "shown": shown,
            "member_state": member_state or "",
        },
    )
