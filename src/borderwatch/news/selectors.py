"""Reads of the news app, scoped to the reviewer's member state."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from borderwatch.accounts.models import User
from borderwatch.core.permissions import visible_states
from borderwatch.news.models import Article, ClaimStatus, NewsClaim


def claims(user: User) -> QuerySet[NewsClaim]:
    """Claims the user may see: a member state's users see their state's and unplaced ones."""
    qs = NewsClaim.objects.select_related("article")
    states = visible_states(user)
    if states is None:
        return qs
    return qs.filter(Q(state__in=states) | Q(state=""))


def queue(user: User) -> QuerySet[NewsClaim]:
    """Pending claims, oldest article first."""
    return (
        claims(user).filter(status=ClaimStatus.PENDING).order_by("article__published_at", "start")
    )


def articles(user: User) -> QuerySet[Article]:
    """Press articles are public reports: every reviewer may read them all."""
    return Article.objects.all()


def article(user: User, article_id: int) -> Article:
    return Article.objects.get(pk=article_id)
