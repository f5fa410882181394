from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import ApiToken, User
from borderwatch.accounts.selectors import user_for_token
from borderwatch.accounts.services import create_user, issue_token, revoke_token
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import can, visible_states
from borderwatch.core.roles import Capability, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_national_role_needs_a_member_state() -> None:
    with pytest.raises(ValidationError, match="member state"):
        create_user(None, username="x", password=PASSWORD, role=Role.BORDER_GUARD, member_state="")
    assert not User.objects.exists()


def test_eu_role_has_no_member_state() -> None:
    with pytest.raises(ValidationError):
        create_user(
            None, username="x", password=PASSWORD, role=Role.FRONTEX_ANALYST, member_state="LT"
        )


def test_unknown_member_state_is_rejected() -> None:
    with pytest.raises(ValidationError):
        create_user(
            None, username="x", password=PASSWORD, role=Role.BORDER_GUARD, member_state="BY"
        )


def test_user_creation_is_audited_without_the_password(guard_lt: User) -> None:
    entry = AuditEntry.objects.get(action="accounts.user.create", object_id=str(guard_lt.pk))
    assert entry.member_state == "LT"
    assert entry.new_values == {
        "username": guard_lt.username,
        "role": "border_guard",
        "member_state": "LT",
    }
    assert PASSWORD not in str(entry.new_values)


def test_visible_states(guard_lt: User, frontex: User) -> None:
    assert visible_states(guard_lt) == ["LT"]
    assert visible_states(frontex) is None


def test_capabilities_follow_roles(guard_lt: User, coordinator_lt: User, frontex: User) -> None:
    assert can(guard_lt, Capability.REPORT_EVENTS)
    assert not can(guard_lt, Capability.CONFIRM_IMPACT_LEVEL)
    assert can(coordinator_lt, Capability.CONFIRM_IMPACT_LEVEL)
    assert not can(frontex, Capability.REPORT_EVENTS)


def test_token_round_trip_and_revocation(guard_lt: User) -> None:
    raw = issue_token(guard_lt, "laptop")
    assert raw.startswith("bw_")
    assert user_for_token(raw) == guard_lt
    assert user_for_token(raw + "x") is None
    revoke_token(guard_lt.tokens.get(), guard_lt)
    assert user_for_token(raw) is None
    assert AuditEntry.objects.filter(action="accounts.token.revoke").count() == 1


def test_pages_need_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_api_docs_need_login() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_with_password(make_user: Callable[..., User]) -> None:
    user = make_user(Role.BORDER_GUARD, "LT", username="anna")
    client = Client()
    response = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert user.is_authenticated


def test_tokens_expire_after_the_default_lifetime(guard_lt: User, settings: Any) -> None:
    settings.TOKEN_DAYS = 30
    raw = issue_token(guard_lt, "laptop")
    token = guard_lt.tokens.get()
    lifetime = token.expires_at - token.created_at
    assert dt.timedelta(days=29, hours=23) < lifetime <= dt.timedelta(days=30, seconds=5)
    assert user_for_token(raw) == guard_lt
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert user_for_token(raw) is None


def test_token_lifetime_and_name_are_checked(guard_lt: User) -> None:
    issue_token(guard_lt, "short", days=1)
    for bad in ({"days": 0}, {"days": 10_000}, {"name": "  "}):
        with pytest.raises(ValidationError):
            issue_token(guard_lt, **({"name": "x"} | bad))  # type: ignore[arg-type]
    assert guard_lt.tokens.count() == 1


def test_token_issue_and_revocation_are_audited_without_the_secret(guard_lt: User) -> None:
    raw = issue_token(guard_lt, "laptop")
    token = guard_lt.tokens.get()
    revoke_token(token, None)
    revoke_token(token, None)  # twice: one entry
    issued = AuditEntry.objects.get(action="accounts.token.issue")
    revoked = AuditEntry.objects.get(action="accounts.token.revoke")
    assert issued.member_state == revoked.member_state == "LT"
    assert revoked.actor_username == "system"
    assert raw not in str(issued.new_values) and token.digest not in str(issued.new_values)
