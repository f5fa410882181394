"""News API: paste an article (its claims extracted at once), read an article with the claims
the caller may see, the review queue (paged in the database), and a decision on a claim.

Thin: parse, call a selector or service, serialise. For national coordinators (their state's
claims and the unplaced ones) and Frontex analysts; another state's claim is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from borderwatch.core import pagination
from borderwatch.core.api import PageIn
from borderwatch.core.permissions import current_user
from borderwatch.news import selectors, services
from borderwatch.news.models import Article, NewsClaim

router = Router(tags=["news"])


class ArticleIn(Schema):
    text: str = Field(description="the article text as published", max_length=200_000)
    source: str = Field(description="where it comes from (agency, outlet)", max_length=200)
    published: str = Field(
        description="publication date or date and time, ISO 8601 (2021-07-29 or "
        "2021-07-29T10:15, or with an offset); read in time_zone when it has no offset",
        max_length=40,
    )
    time_zone: str = Field("UTC", description="IANA time zone, e.g. Europe/Vilnius", max_length=64)
    language: str = Field("en", description="ISO 639-1 code", max_length=8)
    title: str = Field("", max_length=300)
    url: str = Field("", description="recorded only: never fetched", max_length=500)


class DateOut(Schema):
    phrase: str = Field(description="the date words of the text")
    rule: str = Field(description="how they were resolved against the publication date")


class ClaimOut(Schema):
    id: int
    article_id: int
    kind: str
    start: int = Field(description="character offset of the claim in the article text")
    end: int = Field(description="end offset (exclusive)")
    quote: str
    state: str = Field(description="member state code; empty when none is stated")
    day_from: dt.date | None
    day_to: dt.date | None
    date: DateOut | None
    count: int | None
    values: dict[str, object]
    notes: list[str]
    placed: bool
    unplaced_reason: str = Field(description="what is missing (never guessed); empty if placed")
    status: str
    reason: str
    event_id: int | None = Field(description="the border event an accepted count created")
    official_count: int | None = Field(
        description="official persons for the same state and day when accepted"
    )
    disagrees: bool = Field(description="the press and official figures differ")


class ArticleOut(Schema):
    id: int
    title: str
    source: str
    url: str
    published_at: dt.datetime
    time_zone: str
    language: str
    file_name: str
    text: str
    created: bool = Field(False, description="false: the same text was already stored")
    claims: list[ClaimOut]


class QueuePageOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[ClaimOut]


class QueueIn(PageIn):
    state: str = Field("", description="only this member state's claims", max_length=2)


class DecisionIn(Schema):
    decision: str = Field(description="accept, correct or reject")
    reason: str = Field("", description="required to correct or reject", max_length=2000)
    state: str | None = Field(None, description="correct: the member state", max_length=2)
    day_from: dt.date | None = Field(None, description="correct: the first day")
    day_to: dt.date | None = Field(None, description="correct: the last day")
    count: int | None = Field(None, ge=0, le=10**7, description="correct: the count")


def _claim(c: NewsClaim) -> dict[str, object]:
    return {
        **{f: getattr(c, f) for f in ClaimOut.model_fields if f not in ("date",)},
        "date": {"phrase": c.date_phrase, "rule": c.date_rule} if c.date_phrase else None,
        "unplaced_reason": c.unplaced_reason,
    }


def _article(a: Article, claims: list[NewsClaim], created: bool = False) -> dict[str, object]:
    fields = ("id", "title", "source", "url", "published_at", "time_zone", "language")
    return {
        **{f: getattr(a, f) for f in fields},
        "file_name": a.file_name,
        "text": a.text,
        "created": created,
        "claims": [_claim(c) for c in claims],
    }


@router.post("/articles", response={200: ArticleOut, 201: ArticleOut})
def ingest(request: HttpRequest, body: ArticleIn) -> Status:
    """Store a pasted article and extract its claims (201); the same text again answers the
    stored article (200). Nothing is fetched from the URL."""
    user = current_user(request)
    article, created = services.ingest_article(user, services.ArticleInput(**body.dict()))
    claims = selectors.article_claims(user, article)
    return Status(201 if created else 200, _article(article, claims, created))


@router.get("/articles/{article_id}", response=ArticleOut)
def article(request: HttpRequest, article_id: int) -> dict[str, object]:
    user = current_user(request)
    found = selectors.article(user, article_id)
    return _article(found, selectors.article_claims(user, found))


@router.get("/queue", response=QueuePageOut)
def queue(request: HttpRequest, q: Query[QueueIn]) -> dict[str, object]:
    """Pending claims the caller may decide, oldest article first, paged in the database."""
    user = current_user(request)
    page = pagination.paginate(
        selectors.queue(user, q.state.upper()),
        name="news.queue",
        order=("article_id", "start", "id"),
        limit=q.limit,
        offset=q.offset,
    )
    return {
        "count": page.count,
        "limit": q.limit,
        "offset": q.offset,
        "results": [_claim(c) for c in page.items],
    }


@router.get("/claims/{claim_id}", response=ClaimOut)
def claim(request: HttpRequest, claim_id: int) -> dict[str, object]:
    return _claim(selectors.claim(current_user(request), claim_id))


@router.post("/claims/{claim_id}/decision", response=ClaimOut)
def decide(request: HttpRequest, claim_id: int, body: DecisionIn) -> dict[str, object]:
    """Accept, correct (then accept) or reject a pending claim. An accepted count for one day
    creates a border event (event_id) and keeps the official figure beside it."""
    user = current_user(request)
    correction = services.Correction(
        state=body.state.upper() if body.state else None,
        day_from=body.day_from,
        day_to=body.day_to,
        count=body.count,
    )
    done = services.review_claim(user, claim_id, body.decision, body.reason, correction)
    return _claim(done)
