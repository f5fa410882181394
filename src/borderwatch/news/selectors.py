"""Reads of the news app, scoped to the reviewer's member state.

Press articles are public reports, so every reviewer reads every article; a national
coordinator sees the claims about their own state and the unplaced ones (no state yet), and
another state's claim answers exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from borderwatch.accounts.models import User
from borderwatch.core.permissions import check, visible_states
from borderwatch.core.roles import Capability
from borderwatch.news.models import Article, ClaimStatus, NewsClaim


def claims(user: User) -> QuerySet[NewsClaim]:
    """Claims the user may see: a member state's users see their state's and unplaced ones."""
    check(user, Capability.REVIEW_NEWS)
    qs = NewsClaim.objects.select_related("article")
    states = visible_states(user)
    if states is None:
        return qs
    return qs.filter(Q(state__in=states) | Q(state=""))


def claim(user: User, claim_id: int) -> NewsClaim:
    """One claim the user may see (NewsClaim.DoesNotExist for another state's)."""
    return claims(user).get(pk=claim_id)


def queue(user: User, state: str = "") -> QuerySet[NewsClaim]:
    """Pending claims, oldest article first; `state` narrows to one member state."""
    qs = claims(user).filter(status=ClaimStatus.PENDING)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("article__published_at", "article_id", "start", "id")


def articles(user: User) -> QuerySet[Article]:
    """Press articles are public reports: every reviewer may read them all."""
    check(user, Capability.REVIEW_NEWS)
    return Article.objects.all()


def article(user: User, article_id: int) -> Article:
    return articles(user).get(pk=article_id)


def article_claims(user: User, article: Article) -> list[NewsClaim]:
    """The claims of one article the user may see, in text order."""
    return list(claims(user).filter(article=article).order_by("start", "id"))


@dataclass(frozen=True)
class Segment:
    """A run of the article text; `claim` is set when the run is (part of) a claim's span."""

    text: str
    claim: NewsClaim | None = None


def highlighted(text: str, shown: list[NewsClaim]) -> list[Segment]:
    """The text cut into plain runs and claim runs, for <mark> elements. Spans that overlap an
    earlier claim are clipped to what is left of them (every claim is still listed apart)."""
    segments: list[Segment] = []
    pos = 0
    for c in sorted(shown, key=lambda c: (c.start, -c.end)):
        start, end = max(c.start, pos), min(c.end, len(text))
        if end <= start:
            continue
        if start > pos:
            segments.append(Segment(text[pos:start]))
        segments.append(Segment(text[start:end], c))
        pos = end
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments
