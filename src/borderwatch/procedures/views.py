"""Procedure pages: the case list with deadline badges, a case with its timeline, one form per
transition, the extension form, deadlines per officer and state, and backlog figures (+ CSV).

Thin: parse, call a selector or service, render. Case files are for case officers of the
owning state (RUN_PROCEDURES); the figures for coordinators, Frontex and the Commission.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from borderwatch.accounts.models import User
from borderwatch.core.codes import MEMBER_STATES, nationality_name
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.procedures import return_selectors, selectors, services
from borderwatch.procedures.forms import ApplicationForm, ExtensionForm, StepForm
from borderwatch.procedures.models import PENDING, Status
from borderwatch.procedures.workflow import APPLICATION, label
from borderwatch.registration import selectors as registration_selectors

CASES_PER_PAGE = 50
DUE_FILTERS = {"overdue": gettext_lazy("Overdue"), "soon": gettext_lazy("Due soon")}


def _day(request: HttpRequest, user: User) -> tuple[dt.date, str]:
    """The day deadlines are judged on: asked for, else the latest step in the user's cases
    (the demo's 2021), else today; with an error text for a value that is not a date."""
    value = (request.GET.get("day") or "").strip()
    if value:
        try:
            return dt.date.fromisoformat(value), ""
        except ValueError:
            error = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:20]}
            return selectors.latest_day(user) or timezone.localdate(), error
    return selectors.latest_day(user) or timezone.localdate(), ""


def case_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    day, error = _day(request, user)
    f = {k: request.GET.get(k, "").strip() for k in ("status", "stage", "nationality", "due")}
    if f["status"] not in Status.values:
        f["status"] = ""
    if f["due"] not in DUE_FILTERS:
        f["due"] = ""
    mine = request.GET.get("mine") == "1"
    qs = selectors.applications(user, day=day, officer_id=user.pk if mine else None, **f)
    page = Paginator(qs, CASES_PER_PAGE).get_page(request.GET.get("page"))
    people = registration_selectors.persons_by_ids(user, [c.person_id for c in page]).in_bulk()
    query = "&".join(f"{k}={v}" for k, v in {**f, "day": day.isoformat()}.items() if v)
    return render(
        request,
        "procedures/case_list.html",
        {
            "day": day,
            "error": error,
            "filters": f,
            "mine": mine,
            "page": page,
            "rows": [(c, people.get(c.person_id), selectors.standing(c, day)) for c in page],
            "statuses": Status.choices,
            "stages": selectors.STAGES,
            "due_filters": DUE_FILTERS,
            "pager_query": f"{query}&{'mine=1&' if mine else ''}",
        },
    )


@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    form = ApplicationForm(request.POST or None, initial={"person_id": request.GET.get("person")})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.make_application(user, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Application %(ref)s made.") % {"ref": case.reference})
            return redirect("procedures:case", application_id=case.pk)
    status = 422 if form.errors else 200
    return render(request, "procedures/case_new.html", {"form": form}, status=status)


def _case_context(user: User, application_id: int) -> dict[str, Any]:
    case = found(selectors.application, user, application_id)
    return {
        "case": case,
        "person": found(registration_selectors.person, user, case.person_id),
        "nationality": nationality_name(case.nationality),
    }


def case_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = current_user(request)
    context = _case_context(user, application_id)
    case = context["case"]
    day, _error = _day(request, user)
    moves = [(t.target, label(t), t.needs_reason) for t in APPLICATION.from_state(case.status)]
    return render(
        request,
        "procedures/case_detail.html",
        {
            **context,
            "timeline": selectors.timeline(user, case),
            "moves": moves,
            "standing": selectors.standing(case, day),
            "day": day,
            "can_extend": case.status in PENDING and case.lodged_on is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, application_id: int, target: str) -> HttpResponse:
    """One transition's form: the day, the reasons (a decision's text), the interview record."""
    user = current_user(request)
    context = _case_context(user, application_id)
    case = context["case"]
    moves = {t.target: t for t in APPLICATION.from_state(case.status)}
    if target not in moves:
        raise Http404(_("This step is not open for the case."))
    transition = moves[target]
    form = StepForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.advance(user, case.pk, target, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("%(step)s: recorded.") % {"step": label(transition)})
            return redirect("procedures:case", application_id=case.pk)
    return render(
        request,
        "procedures/case_step.html",
        {
            **context,
            "form": form,
            "target": target,
            "step": label(transition),
            "needs_reason": transition.needs_reason,
            "needs_interview": target == Status.INTERVIEWED,
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def case_extend(request: HttpRequest, application_id: int) -> HttpResponse:
    user = current_user(request)
    context = _case_context(user, application_id)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_decision_period(user, context["case"].pk, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Decision period extended."))
            return redirect("procedures:case", application_id=context["case"].pk)
    return render(
        request,
        "procedures/case_extend.html",
        {**context, "form": form},
        status=422 if form.errors else 200,
    )


def deadlines(request: HttpRequest) -> HttpResponse:
    """Overdue and due-soon cases per officer and per state, with the national rules."""
    user = current_user(request)
    check(user, Capability.RUN_PROCEDURES)
    day, error = _day(request, user)
    per_officer, per_state = selectors.deadline_counts(user, day)
    return render(
        request,
        "procedures/deadlines.html",
        {
            "day": day,
            "error": error,
            "per_officer": per_officer,
            "per_state": per_state,
            "rules": selectors.national_rules(user),
            "periods": selectors.influx_periods(user),
        },
    )


def _figures(request: HttpRequest) -> tuple[selectors.Backlog, str]:
    user = current_user(request)
    check(user, Capability.VIEW_PROCEDURE_FIGURES)
    state = (request.GET.get("member_state") or "").strip().upper()
    if state and state not in MEMBER_STATES:
        state = ""
    day, _error = _day(request, user)
    if not can(user, Capability.RUN_PROCEDURES) and not request.GET.get("day"):
        day = _latest_figure_day(user, state) or day
    return selectors.backlog(user, day, state), state


def _latest_figure_day(user: User, state: str) -> dt.date | None:
    return selectors.latest_figure_day(user, state)


def backlog(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    figures, state = _figures(request)
    return render(
        request,
        "procedures/backlog.html",
        {
            "b": figures,
            "state": state,
            "states": sorted(MEMBER_STATES) if user.sees_all_states else [],
            "pending_rows": [
                (Status(s).label, figures.pending[s], sum(figures.pending[s]))
                for s in figures.stages
            ],
            "outcomes": [(nationality_name(r.nationality), r) for r in figures.outcomes],
            "returns": [
                (nationality_name(r.nationality), r)
                for r in return_selectors.return_figures(user, figures.day, state)
            ],
        },
    )


def backlog_csv(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    figures, state = _figures(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"procedures-{state or 'all'}-{figures.day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    out = csv.writer(response)
    out.writerow(["section", "key", "bucket", "count"])
    for stage in figures.stages:
        for bucket, n in zip(figures.buckets, figures.pending[stage], strict=True):
            out.writerow(["pending", stage, bucket, n])
    out.writerow(["appeals_pending", "", "", figures.appeals_pending])
    out.writerow(["overdue", "", "", figures.overdue])
    out.writerow([])
    out.writerow(
        ["nationality", "decisions", "refugee", "subsidiary", "rejected", "inadmissible",
         "withdrawn", "appeals", "recognition_rate_percent"]
    )  # fmt: skip
    for r in figures.outcomes:
        rate = "" if r.recognition_rate is None else r.recognition_rate
        out.writerow(
            [r.nationality, r.decisions, r.refugee, r.subsidiary, r.rejected, r.inadmissible,
             r.withdrawn, r.appeals, rate]
        )  # fmt: skip
    out.writerow([])
    out.writerow(["member_state", "nationality", "return_decisions", "returned", "voluntary",
                  "forced", "effective_rate_percent"])  # fmt: skip
    for row in return_selectors.return_figures(user, figures.day, state):
        rate = "" if row.effective_rate is None else row.effective_rate
        out.writerow([row.member_state, row.nationality, row.decisions, row.returned,
                      row.voluntary, row.forced, rate])  # fmt: skip
    return response
