"""Border pages: events (list, report, import, correct, delete) and sections with impact levels.

Thin: parse the form, call a service or selector, render. Time fields of the report form are
read in the member state's own time zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.accounts.models import User
from borderwatch.border import imports, selectors, services
from borderwatch.border.dates import long_date
from borderwatch.border.forms import (
    ConfirmLevelForm,
    CorrectionForm,
    EventForm,
    ImportForm,
    ReasonForm,
    RejectLevelForm,
)
from borderwatch.border.models import Event, ImpactLevel, ImportJob
from borderwatch.core import pagination
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.uploads import data_format
from borderwatch.core.web import errors_into, found


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def event_list(request: HttpRequest) -> HttpResponse:
    """Newest first, 50 a page, walked by keyset (`after`/`before` cursors): the last page of
    millions of events comes as fast as the first; the total is read from the rollups."""
    user = current_user(request)
    country = request.GET.get("country") or None
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    event_type = request.GET.get("type") or None
    try:
        page = pagination.window(
            selectors.events(user, country=country, start=start, end=end, event_type=event_type),
            name="border.event_list",
            order=("-occurred_at", "-id"),
            after=request.GET.get("after") or None,
            before=request.GET.get("before") or None,
        )
    except pagination.InvalidCursor:
        return redirect(f"{request.path}?{_without(request.GET, 'after', 'before')}")
    total = selectors.count_events(
        user, country=country, start=start, end=end, event_type=event_type
    )
    return render(
        request,
        "border/event_list.html",
        {
            "page": page,
            "total": total,
            "query": _without(request.GET, "after", "before"),
            "countries": selectors.member_states(user),
            "types": selectors.EventType.choices,
            "filters": request.GET,
            "can_report": can(user, Capability.REPORT_EVENTS),
            "can_register": can(user, Capability.REGISTER_PERSONS),
        },
    )


def _without(params: QueryDict, *names: str) -> str:
    """The query string of `params` without `names` (the filters a page link keeps)."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@require_http_methods(["GET", "POST"])
def event_report(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.REPORT_EVENTS)
    zone = selectors.country_zones().get(user.member_state, "UTC")
    form = EventForm(request.POST or None, zone=zone)
    if request.method == "POST" and form.is_valid():
        try:  # the form's time is naive: the service reads it in the member state's zone
            event = services.report_event(user, form.to_input())
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request,
                _("Event %(ref)s reported on section %(section)s.")
                % {"ref": event.ref, "section": event.section.name},
            )
            return redirect("border:event", event_id=event.pk)
    return render(request, "border/event_form.html", {"form": form, "title": _("Report an event")})


def _visible_event(request: HttpRequest, event_id: int) -> Event:
    return found(selectors.event, current_user(request), event_id)


def _detail(
    request: HttpRequest, event: Event, correction: CorrectionForm | None = None, status: int = 200
) -> HttpResponse:
    """The event page: every time on it is shown in the event's country zone, named."""
    user: User = current_user(request)
    zone = event.country.timezone
    mine = user.member_state == event.country_id and event.is_live
    if correction is None:
        local = timezone.localtime(event.occurred_at, ZoneInfo(zone))
        initial = {
            "ref": event.ref, "occurred_at": local.replace(tzinfo=None),
            "event_type": event.event_type, "latitude": event.latitude,
            "longitude": event.longitude, "persons": event.persons,
            "nationalities": ";".join(
                f"{n.nationality}:{n.persons}" for n in event.nationalities.all()
            ),
            "source": event.source, "reporting_unit": event.reporting_unit,
            "description": event.description,
        }  # fmt: skip
        correction = CorrectionForm(initial=initial, zone=zone)
    context = {
        "event": event,
        "zone": zone,
        "can_edit": can(user, Capability.REPORT_EVENTS) and mine,
        "can_register": can(user, Capability.REGISTER_PERSONS) and mine,
        "correction": correction,
        "deletion": ReasonForm(),
    }
    return render(request, "border/event_detail.html", context, status=status)


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    return _detail(request, _visible_event(request, event_id))


@require_POST
def event_correct(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _visible_event(request, event_id)
    user = current_user(request)
    form = CorrectionForm(request.POST, zone=event.country.timezone)
    if form.is_valid():
        try:
            services.correct_event(user, event.pk, form.to_input(), form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Event corrected."))
            return redirect("border:event", event_id=event.pk)
    return _detail(request, event, correction=form, status=422)


@require_POST
def event_delete(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _visible_event(request, event_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the event is deleted."))
        return redirect("border:event", event_id=event.pk)
    services.delete_event(current_user(request), event.pk, form.cleaned_data["reason"])
    messages.success(
        request,
        _("Event %(ref)s deleted; it no longer counts in any figure.") % {"ref": event.ref},
    )
    return redirect("border:events")


@require_http_methods(["GET", "POST"])
def event_import(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.IMPORT_EVENTS)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fmt = data_format(upload.name)
        try:
            job = imports.submit_import(
                user, user.member_state, upload.read(), file_name=upload.name, fmt=fmt
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("border:import_job", job_id=job.pk)
    return render(
        request,
        "border/event_import.html",
        {
            "form": form,
            "errors": errors,
            "columns": imports.column_guide(),
            "zone": selectors.country_zones().get(user.member_state, "UTC"),
        },
        status=422 if errors else 200,
    )


def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """An import on its way: progress while the worker reads the file, then the outcome."""
    job = found(selectors.import_job, current_user(request), job_id)
    return render(request, "border/import_job.html", _job_context(job))


def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The htmx poll of an import: every second until it is done or refused."""
    job = found(selectors.import_job, current_user(request), job_id)
    return render(request, "border/_import_progress.html", _job_context(job))


def _job_context(job: ImportJob) -> dict[str, object]:
    return {"job": job, "note": imports.job_note(job)}


def _proposal_day(user: User) -> tuple[dt.date, str, bool]:
    """The day "Propose levels" counts pressure up to by default: the latest day with events in
    the user's member state, or today when it has none; with the state's name and whether
    there were events."""
    states = [user.member_state] if user.member_state else None
    name = selectors.country_names().get(user.member_state) or _("your member state")
    latest = selectors.latest_event_day(user, states)
    return latest or timezone.localdate(), name, latest is not None


def section_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    levels = selectors.current_levels(user)
    sections = [
        (s, level, ImpactLevel(level).label)
        for s in selectors.sections(user)
        for level in [levels.get(s.pk, ImpactLevel.LOW.value)]
    ]
    proposals = selectors.assessments(user, open_only=True)
    history = selectors.confirmed_history(user)[:30]
    can_confirm = can(user, Capability.CONFIRM_IMPACT_LEVEL)
    proposal = _proposal_day(user) if can_confirm else None
    return render(
        request,
        "border/section_list.html",
        {
            "sections": sections,
            "proposals": proposals,
            "history": history,
            "can_confirm": can_confirm,
            "proposal": proposal,
            "confirm_form": ConfirmLevelForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
def propose_levels(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.CONFIRM_IMPACT_LEVEL, user.member_state)
    as_of = _date(request.POST.get("as_of"))
    which = ""
    if as_of is None:
        as_of, name, had_events = _proposal_day(user)
        if had_events:
            which = " " + _("(the latest day with events in %(name)s)") % {"name": name}
        else:
            which = " " + _("(today)")
    proposals = services.propose_impact_levels(user, user.member_state, as_of)
    # The English text keeps "proposal(s)" in both forms; the other languages decline the noun.
    text = ngettext(
        "%(n)d new proposal(s) as of %(day)s%(which)s.",
        "%(n)d new proposal(s) as of %(day)s%(which)s.",
        len(proposals),
    )
    messages.success(request, text % {"n": len(proposals), "day": long_date(as_of), "which": which})
    return redirect("border:sections")


@require_POST
def confirm_level(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = current_user(request)
    if not selectors.assessments(user, open_only=True).filter(pk=assessment_id).exists():
        raise Http404(_("No such proposal."))
    form = ConfirmLevelForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_impact_level(
                user, assessment_id, form.cleaned_data["level"], form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Impact level confirmed."))
    else:
        messages.error(request, _("Choose a level."))
    return redirect("border:sections")


@require_POST
def reject_level(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = current_user(request)
    if not selectors.assessments(user, open_only=True).filter(pk=assessment_id).exists():
        raise Http404(_("No such proposal."))
    form = RejectLevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the proposal is rejected."))
        return redirect("border:sections")
    try:
        services.reject_impact_level(user, assessment_id, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Proposal rejected; the level in force stays."))
    return redirect("border:sections")
