"""Every write of the accounts app: users and API tokens. Transactional and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import ApiToken, User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.roles import Role


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    role: Role | str,
    member_state: str = "",
    full_name: str = "",
) -> User:
    """Create an officer account; role and member state are validated together, and the
    password against AUTH_PASSWORD_VALIDATORS (each problem named in the error)."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"The username {username!r} is taken."})
    first, _, last = full_name.partition(" ")
    user = User(
        username=username,
        role=str(role),
        member_state=member_state,
        first_name=first,
        last_name=last,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        actor,
        Action.USER_CREATE,
        user,
        member_state=member_state,
        new={"username": username, "role": str(role), "member_state": member_state},
    )
    return user


MAX_TOKEN_DAYS = 366


@transaction.atomic
def issue_token(
    user: User, name: str, actor: User | None = None, *, days: int | None = None
) -> str:
    """Create a bearer token for `user` and return it in clear; only its digest is kept.

    It expires after `days` (default: settings.TOKEN_DAYS, BORDERWATCH_TOKEN_DAYS).
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": _("The name is too long.")})
    lifetime = settings.TOKEN_DAYS if days is None else days
    longest = max(MAX_TOKEN_DAYS, settings.TOKEN_DAYS)
    if not 1 <= lifetime <= longest:
        raise ValidationError(
            {"days": _("A token lives from 1 to %(max)d days.") % {"max": longest}}
        )
    raw = "bw_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=lifetime)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(raw), prefix=raw[:8], expires_at=expires_at
    )
    audit.record(
        actor or user, Action.TOKEN_ISSUE, token, member_state=user.member_state,
        new={"user": user.pk, "name": name, "prefix": token.prefix, "expires_at": expires_at},
    )  # fmt: skip
    return raw


@transaction.atomic
def revoke_token(token: ApiToken, actor: User | None) -> None:
    """Revoke a token (actor None: the command line). Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor, Action.TOKEN_REVOKE, token, member_state=token.user.member_state,
        new={"user": token.user_id, "name": token.name, "prefix": token.prefix},
    )  # fmt: skip


def touch_token(token: ApiToken) -> None:
    """Note when a token was last used (not audited: a read, not a change of data)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


@transaction.atomic
def set_language(user: User, language: str) -> User:
    """Save the language the user reads the pages in ("" for the browser's)."""
    known = {code for code, _ in settings.LANGUAGES}
    if language and language not in known:
        raise ValidationError(
            {"language": f"Unknown language {language!r}; known: {sorted(known)}."}
        )
    old = user.language
    user.language = language
    user.save(update_fields=["language"])
    audit.record(
        user, Action.USER_LANGUAGE, user, member_state=user.member_state,
        old={"language": old}, new={"language": language},
    )  # fmt: skip
    return user


@transaction.atomic
def unlock_user(username: str, actor: User | None = None) -> int:
    """Lift a sign-in lockout of `username` (from every address) before its cool-off ends;
    returns how many failure records were cleared. Audited even when there was none."""
    cleared = axes_reset(username=username)
    user = User.objects.filter(username=username).first()
    audit.record(
        actor, Action.USER_UNLOCK, user, object_type=None if user else User._meta.label,
        member_state=user.member_state if user else "",
        new={"username": username, "cleared": cleared},
    )  # fmt: skip
    return cleared
