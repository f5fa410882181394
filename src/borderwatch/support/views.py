"""Support pages: the requests with their workflow, deployments (with rotations) and fill
rate; the funding statement (table, chart, CSV) with its steps (offer, award, allocation to a
measure, spending) and aid in kind (offers, deliveries); a printable deployment overview with
coverage.

Every form posts to its own URL (POST only, CSRF-checked by the middleware); a refused write
shows the page again (400) with the service's words on the form and changes nothing; a
successful one redirects.

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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.support import selectors, services
from borderwatch.support.forms import (
    AidForm,
    AllocationForm,
    AwardForm,
    DeliveryForm,
    DeployForm,
    FundingOfferForm,
    PaymentForm,
    PlanForm,
    ReasonForm,
    RequestForm,
    RotationForm,
)
from borderwatch.support.models import ZERO, Deployment, InKindAid, Measure, RequestStatus
from borderwatch.support.services.funding import CENT
from borderwatch.support.services.requests import check_manage
from borderwatch.support.workflow import DEPLOYABLE, REQUEST, label

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
        "may_rotate": _may_rotate(user, req.status),
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
        "deploy_form": None, "plan_form": PlanForm(), "reason_form": ReasonForm(),
        "may_rotate": _may_rotate(user, req.status), **forms,
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


# ---- deployments: rotations -----------------------------------------------------------------


def _may_rotate(user: User, status: str) -> bool:
    """Whether to offer rotations: Frontex's step (the service decides), while the plan runs."""
    return status in DEPLOYABLE and user.sees_all_states and can(user, Capability.MANAGE_SUPPORT)


def _resource_choices(user: User, deployment: Deployment) -> list[tuple[int, str]]:
    return [(r.pk, f"{r.tag} · {r.get_contributing_state_display()}")
            for r in selectors.rotation_candidates(user, deployment)]  # fmt: skip


def _deployment_page(
    request: HttpRequest, user: User, deployment: Deployment, form: RotationForm | None = None
) -> HttpResponse:
    may_rotate = _may_rotate(user, deployment.request.status) and (
        deployment.starts_on < deployment.ends_on
    )
    if may_rotate and form is None:
        form = RotationForm(
            initial={"on": max(deployment.starts_on + dt.timedelta(days=1),
                               min(timezone.localdate(), deployment.ends_on))},
            resource_choices=_resource_choices(user, deployment),
        )  # fmt: skip
    return render(
        request, "support/deployment.html",
        {"d": deployment, "req": deployment.request, "form": form if may_rotate else None,
         "rotations": list(deployment.rotations.all())},
        status=400 if form is not None and form.is_bound else 200,
    )  # fmt: skip


@require_http_methods(["GET"])
def deployment_detail(request: HttpRequest, deployment_id: int) -> HttpResponse:
    """One deployment: where, when, what it replaced or was replaced by; Frontex rotates here."""
    user = _viewer(request)
    return _deployment_page(request, user, found(selectors.deployment, user, deployment_id))


@require_POST
def deployment_rotate(request: HttpRequest, deployment_id: int) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.MANAGE_SUPPORT)
    deployment = found(selectors.deployment, user, deployment_id)
    # the service's own rule, before the form: whose resources are offered depends on who asks
    check_manage(user, deployment.host_state, frontex_only=True)
    form = RotationForm(request.POST, resource_choices=_resource_choices(user, deployment))
    if form.is_valid():
        try:
            new = services.rotate(user, deployment.pk, resource_id=form.cleaned_data["resource"],
                                  on=form.cleaned_data["on"])  # fmt: skip
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("%(tag)s rotates in from %(day)s.") % {
                "tag": new.resource.tag, "day": new.starts_on.isoformat()})  # fmt: skip
            return redirect("support:request", deployment.request_id)
    return _deployment_page(request, user, deployment, form)


# ---- funding and aid in kind -------------------------------------------------------------------


def _statement_rows(user: User) -> list[selectors.StatementRow]:
    return selectors.funding_statement(user)


def _aid_choices(rows: list[InKindAid]) -> list[tuple[int, str]]:
    """Offers with something left to deliver, named by what and by whom."""
    return [
        (a.pk, _("%(item)s from %(from)s to %(to)s: %(left)d of %(offered)d left") % {
            "item": a.get_item_display(), "from": a.get_contributing_state_display(),
            "to": a.beneficiary_state, "left": a.quantity_offered - a.quantity_delivered,
            "offered": a.quantity_offered})
        for a in rows
        if a.quantity_delivered < a.quantity_offered
    ]  # fmt: skip


def _funding_page(request: HttpRequest, user: User, **forms: object) -> HttpResponse:
    """The funding statement; the Commission's forms (offer, aid, delivery) below it. A bound
    form passed in is one that was refused: the page answers 400 with its errors."""
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
    aid = selectors.aid(user)
    context: dict[str, object] = {
        "table": table, "measures": measures, "chart": chart, "aid": aid,
    }  # fmt: skip
    if can(user, Capability.MANAGE_FUNDING):
        context.update({
            "offer_form": FundingOfferForm(prefix="offer"),
            "aid_form": AidForm(prefix="aid"),
            "delivery_form": DeliveryForm(prefix="delivery", aid_choices=_aid_choices(aid)),
            **forms,
        })  # fmt: skip
    return render(request, "support/funding.html", context, status=400 if forms else 200)


@require_http_methods(["GET"])
def funding(request: HttpRequest) -> HttpResponse:
    return _funding_page(request, _viewer(request))


def _manager(request: HttpRequest) -> User:
    """The user, if they may manage funding (the Commission); 403 otherwise."""
    user = current_user(request)
    check(user, Capability.MANAGE_FUNDING)
    return user


@require_POST
def funding_offer(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = FundingOfferForm(request.POST, prefix="offer")
    if form.is_valid():
        try:
            decision = services.offer_funding(user, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Funding offered: %(title)s.") % {"title": decision.title})
            return redirect("support:funding_decision", decision.pk)
    return _funding_page(request, user, offer_form=form)


@require_POST
def aid_offer(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = AidForm(request.POST, prefix="aid")
    if form.is_valid():
        d = form.cleaned_data
        try:
            aid = services.offer_aid(user, **d)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Aid in kind recorded: %(n)d %(item)s from %(state)s.") % {
                "n": aid.quantity_offered, "item": aid.get_item_display(),
                "state": aid.get_contributing_state_display()})  # fmt: skip
            return redirect(f"{reverse('support:funding')}#aid-heading")
    return _funding_page(request, user, aid_form=form)


@require_POST
def aid_deliver(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = DeliveryForm(request.POST, prefix="delivery",
                        aid_choices=_aid_choices(list(selectors.aid_qs(user))))  # fmt: skip
    if form.is_valid():
        d = form.cleaned_data
        try:
            aid = services.deliver_aid(user, d["aid"], quantity=d["quantity"], on=d["on"])
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Delivery recorded: %(n)d of %(offered)d delivered.") % {
                "n": aid.quantity_delivered, "offered": aid.quantity_offered})  # fmt: skip
            return redirect(f"{reverse('support:funding')}#aid-heading")
    return _funding_page(request, user, delivery_form=form)


FUNDING_FORMS = {"award": AwardForm, "allocate": AllocationForm, "pay": PaymentForm}


def _decision_page(
    request: HttpRequest, user: User, funding_id: int, refused: tuple[str, object] | None = None
) -> HttpResponse:
    row = found(selectors.funding_row, user, funding_id)
    cells = []
    for code, name in Measure.choices:
        allocated, spent = row.allocated.get(code, ZERO), row.spent.get(code, ZERO)
        cells.append(
            (code, name, *(v.quantize(CENT) for v in (allocated, spent, allocated - spent)))
        )
    context: dict[str, object] = {"row": row, "d": row.decision, "cells": cells}
    if can(user, Capability.MANAGE_FUNDING):
        context.update({f"{step}_form": form(prefix=step) for step, form in FUNDING_FORMS.items()})
        if refused is not None:
            context[f"{refused[0]}_form"] = refused[1]
    return render(request, "support/funding_decision.html", context,
                  status=400 if refused else 200)  # fmt: skip


@require_http_methods(["GET"])
def funding_decision(request: HttpRequest, funding_id: int) -> HttpResponse:
    """One funding decision: offered, awarded, allocated and spent per measure; the Commission
    records the award, allocations and spending here."""
    return _decision_page(request, _viewer(request), funding_id)


@require_POST
def funding_step(request: HttpRequest, funding_id: int, step: str) -> HttpResponse:
    user = _manager(request)
    if step not in FUNDING_FORMS:
        raise Http404
    form = FUNDING_FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if step == "award":
                services.award_funding(user, funding_id, amount=d["amount"],
                                       awarded_on=d["awarded_on"], currency=d["currency"])  # fmt: skip
                done = _("Award recorded.")
            elif step == "allocate":
                services.allocate(user, funding_id, measure=d["measure"], amount=d["amount"],
                                  on=d["on"], currency=d["currency"])  # fmt: skip
                done = _("Allocation recorded.")
            else:
                services.pay(user, funding_id, measure=d["measure"], amount=d["amount"],
                             on=d["on"], currency=d["currency"], note=d["note"])  # fmt: skip
                done = _("Spending recorded.")
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, done)
            return redirect("support:funding_decision", funding_id)
    return _decision_page(request, user, funding_id, (step, form))


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
