"""Audit API: the trail a page at a time (filters as query parameters, keyset pages in the
database) and one person's data-subject access document. Scoped in the selectors like the
pages; bad filters answer 422 naming the field (config.api maps domain errors once)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from borderwatch.audit import selectors, services
from borderwatch.audit.document import AccessData, SubjectRecord
from borderwatch.audit.forms import FilterForm
from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability

router = Router(tags=["audit"])

MAX_ID = 2**63 - 1


class EntryQuery(Schema):
    user: str | None = Field(None, description="A username, exactly.")
    action: str | None = Field(None, description="An action, e.g. registration.hit.view.")
    object_type: str | None = Field(None, description="A model label, e.g. registration.Person.")
    object_id: str | None = Field(None, description="The object's number (with object_type).")
    state: str | None = Field(None, description="Entries filed under this member state.")
    start: str | None = Field(None, description="From this day (YYYY-MM-DD), inclusive.")
    end: str | None = Field(None, description="To this day (YYYY-MM-DD), inclusive.")
    before: int | None = Field(
        None, ge=1, le=MAX_ID, description="Entries older than this one (`older` of a page)."
    )
    after: int | None = Field(
        None, ge=1, le=MAX_ID, description="Entries newer than this one (`newer` of a page)."
    )
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE)


class EntryPageOut(Schema):
    items: list[AccessData]
    older: int | None = Field(description="Pass as `before` for the next (older) page.")
    newer: int | None = Field(description="Pass as `after` for the previous (newer) page.")


@router.get("/entries", response=EntryPageOut)
def list_entries(request: HttpRequest, query: Query[EntryQuery]) -> EntryPageOut:
    """Who read or changed the records of the user's member state (every state's for a Frontex
    analyst; each of another state's entries read is itself audited), newest first. Needs the
    view-audit capability (403 otherwise); 422 names a bad filter."""
    user = current_user(request)
    check(user, Capability.VIEW_AUDIT)  # the role first: the same answer for any filter
    values = query.dict(exclude={"before", "after", "limit"}, exclude_none=True)
    form = FilterForm(values, user=user)
    if not form.is_valid():
        raise form.problems()
    if query.before is not None and query.after is not None:
        raise ValidationError({"after": _("Give either before or after, not both.")})
    page = selectors.page(
        user, form.filters(), before=query.before, after=query.after, limit=query.limit
    )
    return EntryPageOut(
        items=[AccessData(**r.__dict__, kind=r.kind) for r in page.rows],
        older=page.older,
        newer=page.newer,
    )


@router.get("/persons/{int:person_id}/record", response=SubjectRecord)
def subject_record(request: HttpRequest, person_id: int) -> SubjectRecord:
    """One person's data-subject access document: the data, its sources (event, registering
    officer, fingerprint sets, identifications, hits, placements) and who outside the state
    received it. For the owning state's coordinator; another state's person is 404. Audited."""
    return services.produce_subject_access(current_user(request), person_id, "api")
