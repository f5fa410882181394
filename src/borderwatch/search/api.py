"""Search API: GET /api/search?q= — persons (own state, national roles) and events (in scope)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from borderwatch.core.permissions import current_user
from borderwatch.search import selectors

router = Router(tags=["search"])


class PersonHit(Schema):
    id: int
    reference: str
    member_state: str
    name_transliterated: str
    name_as_written: str
    date_of_birth: dt.date | None
    sex: str
    nationality: str
    matched: str
    detail: str
    url: str


class EventHit(Schema):
    id: int
    ref: str
    country: str
    event_type: str
    local_date: dt.date
    persons: int
    url: str


class SearchOut(Schema):
    query: str
    persons: list[PersonHit]
    events: list[EventHit]


@router.get("", response=SearchOut)
def search(request: HttpRequest, q: str) -> SearchOut:
    """Persons by reference, document number or name (any script; accents, case and common
    transliterations ignored; each word matches the start of a name word) and events by
    reference. 422 when the query is shorter than 2 or longer than 100 characters."""
    user = current_user(request)
    wrong = selectors.problem(q)
    if wrong:
        raise ValidationError({"q": wrong})
    found = selectors.search(user, q)
    return SearchOut(
        query=found.query,
        persons=[
            PersonHit(
                id=m.person.pk, reference=m.person.reference, member_state=m.person.member_state,
                name_transliterated=m.person.name_transliterated,
                name_as_written=m.person.name_as_written, date_of_birth=m.person.date_of_birth,
                sex=m.person.sex, nationality=m.person.nationality, matched=m.matched,
                detail=m.detail, url=f"/registration/persons/{m.person.pk}/",
            )
            for m in found.persons
        ],
        events=[
            EventHit(
                id=e.pk, ref=e.ref, country=e.country_id, event_type=e.event_type,
                local_date=e.local_date, persons=e.persons, url=f"/border/events/{e.pk}/",
            )
            for e in found.events
        ],
    )  # fmt: skip
