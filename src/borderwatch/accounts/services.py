"""Every write of the accounts app: users and API tokens. Transactional and audited."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
    """Create an officer account; role and member state are validated together."""
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


@transaction.atomic
def issue_token(user: User, name: str, actor: User | None = None) -> str:
    """Create a bearer token for `user` and return it in clear; only its digest is kept."""
    raw = "bw_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:8])
    audit.record(actor or user, Action.TOKEN_ISSUE, token, new={"user": user.pk, "name": name})
    return raw


@transaction.atomic
def revoke_token(token: ApiToken, actor: User) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, Action.TOKEN_REVOKE, token)


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
