"""Reception pages: facilities with occupancy, a facility, the day's arrivals, the chart.

Thin: parse, call a selector or service, render. The proposal page posts the officer's
choice (the proposal as accepted or edited) to services.place_many, which checks every rule.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.reception import selectors, services
from borderwatch.reception.models import Facility, PlaceCategory
from borderwatch.reception.proposal import propose_for_day


def _day(request: HttpRequest) -> dt.date:
    value = request.GET.get("day") or request.POST.get("day")
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


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
    """Release or transfer one placement (with the household for a transfer)."""
    user = current_user(request)
    day = _day(request)
    back = request.POST.get("next") or reverse("reception:facilities")
    try:
        if request.POST.get("to_facility"):
            services.transfer(
                user,
                placement_id=placement_id,
                to_facility_id=int(request.POST["to_facility"]),
                on_date=day,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "Transferred.")
        else:
            services.release(
                user, placement_id=placement_id, on_date=day, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Released.")
    except (ValidationError, ValueError) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
    return redirect(back if back.startswith("/") else reverse("reception:facilities"))


@require_http_methods(["GET", "POST"])
def arrivals(request: HttpRequest) -> HttpResponse:
    """The day's arrivals with the optimiser's proposal; the officer accepts or edits it."""
    user = current_user(request)
    check(user, Capability.MANAGE_RECEPTION)
    check(user, Capability.VIEW_PERSONS)
    day = _day(request)
    if request.method == "POST":
        try:
            requests = _accepted(request, day)
        except ValueError:
            messages.error(request, "The form was not understood; nothing was placed.")
            requests = []
        if requests:
            try:
                created = services.place_many(user, requests)
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
            else:
                messages.success(request, f"{len(created)} persons placed.")
                return redirect(f"{reverse('reception:arrivals')}?day={day.isoformat()}")
        elif not messages.get_messages(request):
            messages.error(request, "No facility was chosen; nothing was placed.")
    proposal = propose_for_day(user, day, user.member_state)
    return render(
        request,
        "reception/arrivals.html",
        {
            "day": day,
            "proposal": proposal,
            "single_categories": [PlaceCategory.SINGLE_MEN, PlaceCategory.SINGLE_WOMEN],
        },
    )


def _accepted(request: HttpRequest, day: dt.date) -> list[services.PlacementRequest]:
    """The rows the officer kept: a facility chosen (the proposed one or another)."""
    result = []
    for key in request.POST.getlist("group"):
        chosen = request.POST.get(f"facility_{key}", "")
        if not chosen:
            continue
        proposed = request.POST.get(f"proposed_{key}", "")
        reason = (
            "Accepted the optimiser's proposal."
            if chosen == proposed
            else "Officer's choice (edited proposal)."
        )
        category = request.POST.get(f"category_{key}") or None
        for pid in request.POST.get(f"persons_{key}", "").split(","):
            result.append(services.PlacementRequest(int(pid), int(chosen), day, reason, category))
    return result


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
