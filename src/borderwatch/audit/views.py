"""The audit trail's pages: the filtered trail and its CSV export, a person's access log, the
data-subject access document (printable page and JSON download)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from borderwatch.audit import selectors, services
from borderwatch.audit.forms import FilterForm
from borderwatch.core.codes import member_state_name
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import found

CSV_COLUMNS = [
    "entry", "at", "user", "user_state", "action", "kind", "object_type", "object_id",
    "member_state",
]  # fmt: skip


def _cursor(value: str | None) -> int | None:
    """A page cursor (an entry number); anything else is the first page."""
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _scope_name(user: object) -> str:
    state = getattr(user, "member_state", "")
    return member_state_name(state) if state else ""


def entries(request: HttpRequest) -> HttpResponse:
    """Who read or changed the records of the user's state (every state's for EU-level
    roles), filtered, newest first, a page at a time."""
    user = current_user(request)
    check(user, Capability.VIEW_AUDIT)
    form = FilterForm(request.GET or None, user=user)
    bound = form.is_bound
    if bound and not form.is_valid():
        context = {"form": form, "page": None, "state_name": _scope_name(user)}
        return render(request, "audit/entries.html", context, status=422)
    filters = form.filters() if bound else selectors.Filters()
    page = selectors.page(
        user,
        filters,
        before=_cursor(request.GET.get("before")),
        after=_cursor(request.GET.get("after")),
    )
    query = filters.query()
    return render(
        request,
        "audit/entries.html",
        {
            "form": form if bound else FilterForm(None, user=user),
            "page": page,
            "query": urlencode(query),
            "filtered": bool(query),
            "state_name": _scope_name(user),
            "sees_persons": can(user, Capability.VIEW_PERSONS),
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_lines(rows: Iterable[selectors.EntryRow]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for r in rows:
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    r.id, r.at.isoformat(), r.user, r.user_state, r.action, r.kind,
                    r.object_type, r.object_id, r.member_state,
                )
            ]
        )  # fmt: skip


def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered trail as CSV, streamed: the page's columns, filters and scope, every
    matching entry. Audited before it streams (services.note_export)."""
    user = current_user(request)
    check(user, Capability.VIEW_AUDIT)
    form = FilterForm(request.GET, user=user)
    if not form.is_valid():
        context = {"form": form, "page": None, "state_name": _scope_name(user)}
        return render(request, "audit/entries.html", context, status=422)
    filters = form.filters()
    services.note_export(user, filters)
    response = StreamingHttpResponse(
        _csv_lines(selectors.export_rows(user, filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response


def person_log(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person's access log: who read or changed their records (the owning state's
    coordinator; another state's person is not found)."""
    user = current_user(request)
    person, page = found(
        selectors.person_log,
        user,
        person_id,
        before=_cursor(request.GET.get("before")),
        after=_cursor(request.GET.get("after")),
    )
    summary = selectors.person_access_summary(user, person.pk)
    return render(
        request,
        "audit/person_log.html",
        {"person": person, "page": page, "summary": summary, "sees_persons": True},
    )


def subject_record(request: HttpRequest, person_id: int) -> HttpResponse:
    """The data-subject access document as a printable page (audited)."""
    user = current_user(request)
    record = found(services.produce_subject_access, user, person_id, "html")
    return render(request, "audit/subject_record.html", {"record": record})


def subject_record_json(request: HttpRequest, person_id: int) -> HttpResponse:
    """The data-subject access document as a JSON download (audited)."""
    user = current_user(request)
    record = found(services.produce_subject_access, user, person_id, "json")
    body = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"subject-access-{record.person.reference}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
