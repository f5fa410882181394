"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from borderwatch.accounts.models import ApiToken, User
from borderwatch.accounts.services import token_digest, touch_token
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import visible_states


def user_for_token(raw: str) -> User | None:
    """The active user a live bearer token belongs to, or None (unknown, revoked, expired)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=token_digest(raw),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    touch_token(token)
    return token.user


def user_named(username: str) -> User:
    """The user with this username (DoesNotExist otherwise): for the command line."""
    return User.objects.get(username=username)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (live, expired and revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_of(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; another user's is DoesNotExist (404), like a missing one."""
    return tokens_of(user).get(pk=token_id)


def audit_entries(
    user: User, *, object_type: str = "", object_id: str = ""
) -> QuerySet[AuditEntry]:
    """Audit entries the user may read: their state's, or all for EU-level roles."""
    entries = AuditEntry.objects.all()
    states = visible_states(user)
    if states is not None:
        entries = entries.filter(member_state__in=states)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries
