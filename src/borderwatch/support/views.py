"""Support pages: the requests with their workflow, deployments and fill rate; the funding
statement (table, chart, CSV) with aid in kind; a printable deployment overview with coverage.

Thin: parse, call a selector or service, render. Scope and rules live below.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.support import selectors, services
from borderwatch.support.forms import DeployForm, PlanForm, ReasonForm, RequestForm
from borderwatch.support.models import Measure, RequestStatus
from borderwatch.support.workflow import REQUEST, label

PER_PAGE = 50


def _viewer(request: HttpRequest) -> User:
    user = current_user(request)
    check(user, Capability.VIEW_SUPPORT)
    return user


def _section_choices(user: User, state: str | None = None) -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} · {s.name}") for s in border_selectors.sections(user, state)]


def _day(request: HttpRequest, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return default


@require_http_methods(["GET", "POST"])
def request_list(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    may_ask = can(user, Capability.REQUEST_SUPPORT)
    form = None
    if may_ask:
        form = RequestForm(request.POST or None, section_choices=_section_choices(user))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                created = services.submit_request(
                    user, host_state=user.member_state, title=d["title"],
                    submitted_on=d["submitted_on"], period_from=d["period_from"],
                    period_to=d["period_to"], items={d["resource_type"]: d["number"]},
                    sections=d["sections"],
                )  # fmt: skip
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(
                    request, _("Request %(ref)s submitted.") % {"ref": created.reference}
                )
                return redirect("support:request", created.pk)
    elif request.method == "POST":
        check(user, Capability.REQUEST_SUPPORT)
    status = request.GET.get("status", "")
    status = status if status in RequestStatus.values else ""
    page = Paginator(selectors.requests_qs(user, status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    selectors.record_requests_read(user, list(page))
    return render(request, "support/request_list.html", {
        "page": page, "form": form, "statuses": RequestStatus.choices, "status": status,
    })  # fmt: skip


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _viewer(request)
    req = found(selectors.request, user, request_id)
    day = _day(request, selectors.fill_day(req, timezone.localdate()))
    deploy_form = None
    if req.status in (RequestStatus.PLAN_AGREED, RequestStatus.DEPLOYED) and user.sees_all_states \
            and can(user, Capability.MANAGE_SUPPORT):  # fmt: skip
        deploy_form = DeployForm(
            initial={"starts_on": req.plan_from, "ends_on": req.plan_to},
            section_choices=_section_choices(user, req.host_state),
        )
    may_step = can(user, Capability.MANAGE_SUPPORT)
    moves = [(t.target, label(t)) for t in REQUEST.from_state(req.status)] if may_step else []
    return render(request, "support/request_detail.html", {
        "req": req, "day": day, "fill": selectors.fill_rate(req, day),
        "deployments": selectors.deployments(req), "moves": moves,
        "deploy_form": deploy_form, "plan_form": PlanForm(), "reason_form": ReasonForm(),
    })  # fmt: skip


@require_POST
def request_step(request: HttpRequest, request_id: int, target: str) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.MANAGE_SUPPORT)
    req = found(selectors.request, user, request_id)
    if target not in RequestStatus.values:
        raise Http404
    plan = PlanForm(request.POST) if target == RequestStatus.PLAN_AGREED else None
    reason = ReasonForm(request.POST)
    reason.is_valid()
    kwargs: dict[str, object] = {"reason": reason.cleaned_data.get("reason", "")}
    if plan is not None:
        if not plan.is_valid():
            return _detail_again(request, user, req.pk, plan_form=plan)
        kwargs.update(plan.cleaned_data)
    try:
        services.advance_request(user, req.pk, target, **kwargs)  # type: ignore[arg-type]
    except ValidationError as exc:
        form = plan or reason
        errors_into(form, exc)
        return _detail_again(
            request, user, req.pk, **{"plan_form" if plan else "reason_form": form}
        )
    messages.success(request, _("Request %(ref)s: %(status)s.") % {
        "ref": req.reference, "status": RequestStatus(target).label})  # fmt: skip
    return redirect("support:request", req.pk)


def _detail_again(
    request: HttpRequest, user: User, request_id: int, **forms: object
) -> HttpResponse:
    """The request's page again with the refused form and its errors (400)."""
    req = selectors.request(user, request_id)
    day = selectors.fill_day(req, timezone.localdate())
    may_step = can(user, Capability.MANAGE_SUPPORT)
    context = {
        "req": req, "day": day, "fill": selectors.fill_rate(req, day),
        "deployments": selectors.deployments(req),
        "moves": [(t.target, label(t)) for t in REQUEST.from_state(req.status)] if may_step else [],
        "deploy_form": None, "plan_form": PlanForm(), "reason_form": ReasonForm(), **forms,
    }  # fmt: skip
    return render(request, "support/request_detail.html", context, status=400)


@require_POST
def request_deploy(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.MANAGE_SUPPORT)
    req = found(selectors.request, user, request_id)
    form = DeployForm(request.POST, section_choices=_section_choices(user, req.host_state))
    if form.is_valid():
        d = form.cleaned_data
        try:
            done = services.deploy_number(
                user, req.pk, resource_type=d["resource_type"], number=d["number"],
                starts_on=d["starts_on"], ends_on=d["ends_on"], section=d["section"] or None,
            )  # fmt: skip
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("%(n)d deployed.") % {"n": len(done)})
            return redirect("support:request", req.pk)
    return _detail_again(request, user, req.pk, deploy_form=form)


def _statement_rows(user: User) -> list[selectors.StatementRow]:
    return selectors.funding_statement(user)


def funding(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    rows = _statement_rows(user)
    chart = {
        "labels": [f"{r.decision.beneficiary_state} · {r.decision.title}" for r in rows],
        "series": [
            {"label": _("Offered"), "data": [str(r.decision.offered) for r in rows]},
            {"label": _("Awarded"), "data": [str(r.awarded) for r in rows]},
            {"label": _("Allocated"), "data": [str(r.allocated_total) for r in rows]},
            {"label": _("Spent"), "data": [str(r.spent_total) for r in rows]},
        ],
    }
    measures = [(m.value, m.label) for m in Measure]
    table = [
        (r, [(r.allocated.get(m, 0), r.spent.get(m, 0)) for m, _label in measures]) for r in rows
    ]
    return render(request, "support/funding.html", {
        "table": table, "measures": measures, "chart": chart, "aid": selectors.aid(user),
    })  # fmt: skip


def funding_csv(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding-statement.csv"'
    writer = csv.writer(response)
    measures = [m.value for m in Measure]
    writer.writerow(["member_state", "instrument", "title", "currency", "offered", "offered_on",
                     "awarded", "awarded_on", *[f"allocated_{m}" for m in measures],
                     *[f"spent_{m}" for m in measures], "allocated", "spent", "unallocated",
                     "balance"])  # fmt: skip
    for r in _statement_rows(user):
        d = r.decision
        writer.writerow([d.beneficiary_state, d.instrument, d.title, d.currency, d.offered,
                         d.offered_on, d.awarded or "", d.awarded_on or "",
                         *[r.allocated.get(m, "0.00") for m in measures],
                         *[r.spent.get(m, "0.00") for m in measures],
                         r.allocated_total, r.spent_total, r.unallocated, r.balance])  # fmt: skip
    return response


def overview(request: HttpRequest) -> HttpResponse:
    """The printable deployment overview on a day, with coverage against pressure."""
    user = _viewer(request)
    day = _day(request, timezone.localdate())
    return render(request, "support/overview.html", {
        "day": day, "rows": selectors.deployed_on(user, day),
        "coverage": [c for c in selectors.coverage(user, day) if c.officers or c.pressure],
    })  # fmt: skip
