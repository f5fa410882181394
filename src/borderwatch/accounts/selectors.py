"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet

from borderwatch.accounts.models import ApiToken, User
from borderwatch.accounts.services import token_digest, touch_token
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import visible_states


def user_for_token(raw: str) -> User | None:
    """The active user a live bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    touch_token(token)
    return token.user


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
