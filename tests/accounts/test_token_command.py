"""`borderwatch token create|list|revoke --user NAME`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from borderwatch.accounts.models import User
from borderwatch.accounts.selectors import user_for_token
from borderwatch.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_list_revoke(guard_lt: User) -> None:
    out = _run("create", "--user", guard_lt.username, "--name", "station laptop", "--days", "5")
    raw = out.strip().splitlines()[-1].strip()
    assert raw.startswith("bw_") and user_for_token(raw) == guard_lt
    token = guard_lt.tokens.get()
    assert (token.expires_at - token.created_at).days in (4, 5)

    listing = _run("list", "--user", guard_lt.username)
    assert "station laptop" in listing and token.prefix in listing and raw not in listing

    _run("revoke", "--user", guard_lt.username, str(token.pk))
    assert user_for_token(raw) is None
    assert "revoked" in _run("list", "--user", guard_lt.username)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.token.issue", "accounts.token.revoke"} <= actions


def test_revoke_only_the_named_users_token(guard_lt: User, guard_pl: User) -> None:
    raw = _run("create", "--user", guard_pl.username, "--name", "x").strip().splitlines()[-1]
    theirs = guard_pl.tokens.get()
    with pytest.raises(CommandError):
        _run("revoke", "--user", guard_lt.username, str(theirs.pk))
    assert user_for_token(raw.strip()) == guard_pl


def test_unknown_user_and_bad_lifetime_are_errors(guard_lt: User) -> None:
    with pytest.raises(CommandError):
        _run("list", "--user", "nobody")
    with pytest.raises(CommandError):
        _run("create", "--user", guard_lt.username, "--name", "x", "--days", "0")
