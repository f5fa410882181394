"""Return pages: the case list with limit badges, a case with its timeline (readmission and
flight included), one form per move, flights with their passengers, and country policies.

Thin: parse, call a selector or service, render. Case files, requests and passenger lists are
for case officers of the owning state (RUN_PROCEDURES); policies are public national data, set
by the state's coordinator (DECLARE_MEASURES).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from borderwatch.accounts.models import User
from borderwatch.core.codes import nationality_name
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.procedures import return_forms as f
from borderwatch.procedures import return_selectors as selectors
from borderwatch.procedures import services
from borderwatch.procedures.models import ReturnKind, ReturnStatus
from borderwatch.procedures.return_workflow import READMISSION, RETURN_CASE, label
from borderwatch.procedures.views import DUE_FILTERS
from borderwatch.reception import selectors as reception_selectors
from borderwatch.registration import selectors as registration_selectors

PER_PAGE = 50


def _data(request: HttpRequest) -> Any:
    """The POST data of a submitted form (even an empty one), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _day(request: HttpRequest, user: User) -> tuple[dt.date, str]:
    value = (request.GET.get("day") or "").strip()
    fallback = selectors.latest_return_day(user) or timezone.localdate()
    if value:
        try:
            return dt.date.fromisoformat(value), ""
        except ValueError:
            return fallback, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:20]}
    return fallback, ""


def return_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    day, error = _day(request, user)
    flt = {k: request.GET.get(k, "").strip() for k in ("status", "kind", "nationality", "due")}
    flt["status"] = flt["status"] if flt["status"] in ReturnStatus.values else ""
    flt["kind"] = flt["kind"] if flt["kind"] in ReturnKind.values else ""
    flt["due"] = flt["due"] if flt["due"] in DUE_FILTERS else ""
    reminder = request.GET.get("reminder") == "1"
    qs = selectors.return_cases(user, day=day, reminder=reminder, **flt)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    people = registration_selectors.persons_by_ids(user, [c.person_id for c in page]).in_bulk()
    query = "&".join(f"{k}={v}" for k, v in {**flt, "day": day.isoformat()}.items() if v)
    return render(
        request,
        "procedures/returns/list.html",
        {
            "day": day, "error": error, "filters": flt, "reminder": reminder, "page": page,
            "rows": [(c, people.get(c.person_id), selectors.return_standing(c, day)) for c in page],
            "statuses": ReturnStatus.choices, "kinds": ReturnKind.choices,
            "due_filters": DUE_FILTERS, "counts": selectors.return_deadline_counts(user, day),
            "pager_query": f"{query}&{'reminder=1&' if reminder else ''}",
        },
    )  # fmt: skip


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    done: str,
    back: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """One form: on a valid POST call the service; its refusal goes back onto the form (422)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, done)
            return redirect(result if isinstance(result, str) else back)
    return render(
        request,
        "procedures/returns/form.html",
        {"form": form, "title": title, "back": back, **(context or {})},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def return_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    form = f.ReturnDecisionForm(
        request.POST or None,
        initial={"person_id": request.GET.get("person"), "application_id": request.GET.get("application")},
    )  # fmt: skip

    def act(data: dict[str, Any]) -> str:
        case = services.decide_return(user, **data)
        return f"/procedures/returns/{case.pk}/"

    return _form_page(
        request, form, act, title=_("New return decision"), done=_("Return decision recorded."),
        back="/procedures/returns/",
    )  # fmt: skip


def _case(user: User, case_id: int) -> dict[str, Any]:
    case = found(selectors.return_case, user, case_id)
    return {"case": case, "person": found(registration_selectors.person, user, case.person_id)}


def return_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = current_user(request)
    context = _case(user, case_id)
    case = context["case"]
    day, _error = _day(request, user)
    requests = selectors.readmission_requests(case)
    current = next((r for r in requests if r.status not in ("returned", "refused")), None)
    placements = reception_selectors.placements(user).filter(person_id=case.person_id)
    return render(
        request,
        "procedures/returns/detail.html",
        {
            **context,
            "nationality": nationality_name(case.nationality),
            "country": nationality_name(case.country),
            "standing": selectors.return_standing(case, day),
            "timeline": selectors.return_timeline(case),
            "moves": [(t.target, label(t)) for t in RETURN_CASE.from_state(case.status)],
            "requests": requests,
            "current": current,
            "request_moves": [(t.target, label(t)) for t in READMISSION.from_state(current.status)]
            if current is not None else [],
            "placements": placements.order_by("-start_date", "-id")[:5],
            "open": case.status == ReturnStatus.DECIDED,
        },
    )  # fmt: skip


def _back(case_id: int) -> str:
    return f"/procedures/returns/{case_id}/"


@require_http_methods(["GET", "POST"])
def return_step(request: HttpRequest, case_id: int, target: str) -> HttpResponse:
    user = current_user(request)
    context = _case(user, case_id)
    moves = {t.target: t for t in RETURN_CASE.from_state(context["case"].status)}
    if target not in moves:
        raise Http404(_("This step is not open for the case."))
    step = label(moves[target])
    form = f.DayReasonForm(_data(request), initial={"on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.advance_return(user, case_id, target, **d),
        title=step, done=_("%(step)s: recorded.") % {"step": step}, back=_back(case_id),
        context=context,
    )  # fmt: skip


ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], Any]] = {
    "departure": (f.DepartureForm, services.extend_departure,
                  _("Extend the voluntary departure period")),
    "detention-start": (f.DetentionStartForm, services.start_detention,
                        _("Order detention for return")),
    "detention-extend": (f.DetentionExtendForm, services.extend_detention, _("Extend detention")),
    "detention-end": (f.DetentionEndForm, services.end_detention, _("End detention")),
    "readmission": (f.DayForm, services.send_readmission, _("Send a readmission request")),
}  # fmt: skip


@require_http_methods(["GET", "POST"])
def return_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """The case's other forms: departure period, detention, a new readmission request."""
    user = current_user(request)
    context = _case(user, case_id)
    if action not in ACTIONS:
        raise Http404(_("No such form."))
    form_class, service, title = ACTIONS[action]
    initial = {"on": timezone.localdate(), "months": 6} if action != "detention-extend" else {}
    form = form_class(_data(request), initial=initial)
    return _form_page(
        request, form, lambda d: service(user, case_id, **d), title=str(title),
        done=_("%(step)s: recorded.") % {"step": title}, back=_back(case_id), context=context,
    )  # fmt: skip


def _request_context(user: User, request_id: int) -> tuple[Any, dict[str, Any]]:
    readmission = found(selectors.readmission_request, user, request_id)
    return readmission, _case(user, readmission.return_case_id)


@require_http_methods(["GET", "POST"])
def readmission_step(request: HttpRequest, request_id: int, target: str) -> HttpResponse:
    user = current_user(request)
    readmission, context = _request_context(user, request_id)
    moves = {t.target: t for t in READMISSION.from_state(readmission.status)}
    if target not in moves:
        raise Http404(_("This step is not open for the request."))
    step = label(moves[target])
    form = f.DayReasonForm(_data(request), initial={"on": timezone.localdate()})
    return _form_page(
        request, form,
        lambda d: services.advance_readmission(user, request_id, target, **d),
        title=f"{readmission.reference}: {step}", done=_("%(step)s: recorded.") % {"step": step},
        back=_back(readmission.return_case_id), context=context,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def readmission_remind(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    readmission, context = _request_context(user, request_id)
    form = f.DayForm(_data(request), initial={"on": timezone.localdate()})
    return _form_page(
        request, form, lambda d: services.remind_readmission(user, request_id, **d),
        title=_("Reminder for %(ref)s") % {"ref": readmission.reference},
        done=_("Reminder recorded."), back=_back(readmission.return_case_id), context=context,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def flight_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    form = f.FlightForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            flight = services.plan_flight(user, member_state=user.member_state, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Flight %(ref)s planned.") % {"ref": flight.reference})
            return redirect("procedures:flight", flight_id=flight.pk)
    page = Paginator(selectors.flights(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "procedures/returns/flights.html", {"page": page, "form": form},
        status=422 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def flight_detail(request: HttpRequest, flight_id: int) -> HttpResponse:
    """A flight with its passengers; the boarding form puts one more person on it."""
    user = current_user(request)
    flight = found(selectors.flight, user, flight_id)
    form = f.BoardForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.board(user, flight.pk, form.cleaned_data["case_id"])
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("On board."))
            return redirect("procedures:flight", flight_id=flight.pk)
    passengers = list(selectors.on_board(flight))
    ids = [c.person_id for c in passengers]
    found_people = registration_selectors.persons_by_ids(user, ids).in_bulk()
    return render(
        request,
        "procedures/returns/flight.html",
        {
            "flight": flight, "form": form,
            "passengers": [(c, found_people.get(c.person_id)) for c in passengers], "boardable": selectors.boardable(flight)[:200],
            "free": flight.seats - len(passengers),
        },
        status=422 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def flight_depart(request: HttpRequest, flight_id: int) -> HttpResponse:
    user = current_user(request)
    flight = found(selectors.flight, user, flight_id)
    form = forms.Form(_data(request))
    back = f"/procedures/returns/flights/{flight.pk}/"
    return _form_page(
        request, form, lambda d: services.depart(user, flight.pk),
        title=_("Record the departure of %(ref)s") % {"ref": flight.reference},
        done=_("Departure recorded: everyone on board is returned."), back=back,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def flight_cancel(request: HttpRequest, flight_id: int) -> HttpResponse:
    user = current_user(request)
    flight = found(selectors.flight, user, flight_id)
    form = f.CancelForm(_data(request))
    back = f"/procedures/returns/flights/{flight.pk}/"
    return _form_page(
        request, form, lambda d: services.cancel_flight(user, flight.pk, **d),
        title=_("Cancel %(ref)s") % {"ref": flight.reference}, done=_("Flight cancelled."),
        back=back,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def policies(request: HttpRequest) -> HttpResponse:
    """Country policies and reintegration offers; a coordinator adds their state's policies."""
    user = current_user(request)
    if not (can(user, Capability.RUN_PROCEDURES) or can(user, Capability.VIEW_PROCEDURE_FIGURES)
            or can(user, Capability.DECLARE_MEASURES)):  # fmt: skip
        check(user, Capability.VIEW_PROCEDURE_FIGURES)
    may_set = can(user, Capability.DECLARE_MEASURES) and bool(user.member_state)
    form = f.PolicyForm(_data(request)) if may_set else None
    if request.method == "POST":
        check(user, Capability.DECLARE_MEASURES, user.member_state or "")
        if form is not None and form.is_valid():
            try:
                services.set_country_policy(
                    user, member_state=user.member_state, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, _("Policy recorded."))
                return redirect("procedures:policies")
    country = (request.GET.get("country") or "").strip().upper()[:2]
    qs = selectors.country_policies(country=country)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "procedures/returns/policies.html",
        {"page": page, "form": form, "country": country, "offers": selectors.reintegration_offers()},
        status=422 if form is not None and form.errors else 200,
    )  # fmt: skip
