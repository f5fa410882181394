"""Sign-in protections: lockout after repeated failures, the audit of every attempt, session
timeouts, password rules for new users and safe `next=` redirects."""

from __future__ import annotations

import time
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from borderwatch.accounts.demo_users import DEMO_PASSWORD
from borderwatch.accounts.middleware import SessionTimeoutMiddleware
from borderwatch.accounts.models import User
from borderwatch.accounts.services import create_user
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def three_strikes(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _entries(action: Action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_a_good_sign_in_is_audited_without_the_password(guard_lt: User) -> None:
    response = _sign_in(Client(), guard_lt.username, PASSWORD)
    assert response.status_code == 302
    (entry,) = _entries(Action.USER_LOGIN)
    assert entry.actor == guard_lt and entry.member_state == "LT"
    assert entry.new_values == {"address": "10.0.0.1"}
    assert PASSWORD not in str(AuditEntry.objects.values_list())


def test_failures_lock_the_username_and_address_out(guard_lt: User) -> None:
    client = Client()
    for _ in range(2):
        assert _sign_in(client, guard_lt.username, "wrong-password").status_code == 200
    third = _sign_in(client, guard_lt.username, "wrong-password")
    assert third.status_code == 429
    assert "Too many failed sign-ins" in third.content.decode()
    assert "15 minutes" in third.content.decode()
    # the right password does not help while locked out
    locked = _sign_in(client, guard_lt.username, PASSWORD)
    assert locked.status_code == 429 and SESSION_KEY not in client.session
    # another address (the officer at their own desk) may still sign in
    assert _sign_in(Client(), guard_lt.username, PASSWORD, "10.0.0.2").status_code == 302

    failed = _entries(Action.USER_LOGIN_FAILED)
    assert len(failed) == 4  # three wrong passwords and the refused right one
    assert {e.new_values["username"] for e in failed} == {guard_lt.username}  # type: ignore[index]
    assert all(e.object_id == str(guard_lt.pk) for e in failed)
    assert _entries(Action.USER_LOCKED_OUT)
    everything = str(list(AuditEntry.objects.values_list()))
    assert "wrong-password" not in everything and PASSWORD not in everything


def test_the_lockout_page_is_translated(guard_lt: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="lt")
    for _ in range(3):
        response = _sign_in(client, guard_lt.username, "wrong-password")
    assert response.status_code == 429
    assert 'lang="lt"' in response.content.decode()
    assert "Too many failed sign-ins" not in response.content.decode()


def test_an_unknown_username_is_audited_by_name(db: None) -> None:
    _sign_in(Client(), "nobody.here", "whatever")
    (entry,) = _entries(Action.USER_LOGIN_FAILED)
    assert entry.object_type == "accounts.User" and entry.object_id == ""
    assert entry.new_values == {"username": "nobody.here", "address": "10.0.0.1"}


def test_an_administrator_unlocks_a_user(guard_lt: User) -> None:
    client = Client()
    for _ in range(3):
        _sign_in(client, guard_lt.username, "wrong-password")
    assert _sign_in(client, guard_lt.username, PASSWORD).status_code == 429
    out = StringIO()
    call_command("unlock", guard_lt.username, stdout=out)
    assert f"Unlocked {guard_lt.username}" in out.getvalue()
    (entry,) = _entries(Action.USER_UNLOCK)
    assert entry.object_id == str(guard_lt.pk) and entry.actor_username == "system"
    assert _sign_in(client, guard_lt.username, PASSWORD).status_code == 302


def test_signing_out_is_audited(client_for: Callable[[User], Client], guard_lt: User) -> None:
    client = client_for(guard_lt)
    client.post("/accounts/logout/")
    (entry,) = _entries(Action.USER_LOGOUT)
    assert entry.actor == guard_lt and entry.reason == ""


# --- session timeouts -------------------------------------------------------------------------


def _age(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_an_idle_session_ends_on_the_sign_in_page(
    client_for: Callable[[User], Client], guard_lt: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_MINUTES = 30
    client = client_for(guard_lt)
    assert client.get("/border/events/").status_code == 200
    _age(client, SessionTimeoutMiddleware.SEEN_KEY, 29 * 60)
    assert client.get("/border/events/").status_code == 200  # 29 minutes: still signed in
    _age(client, SessionTimeoutMiddleware.SEEN_KEY, 31 * 60)
    response = client.get("/border/events/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert SESSION_KEY not in client.session
    (entry,) = _entries(Action.USER_LOGOUT)
    assert "without activity" in entry.reason


def test_a_busy_session_still_ends_after_its_lifetime(
    client_for: Callable[[User], Client], guard_lt: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_MAX_HOURS = 12
    client = client_for(guard_lt)
    _age(client, SessionTimeoutMiddleware.LOGIN_KEY, 12 * 3600 + 60)
    response = client.get("/border/events/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "a session lasts at most 12 hours" in response.content.decode()


def test_an_expired_htmx_poll_reloads_to_the_sign_in_page(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    client = client_for(guard_lt)
    _age(client, SessionTimeoutMiddleware.SEEN_KEY, 10 * 3600)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == LOGIN


def test_bearer_tokens_are_not_touched_by_the_session_timeout(guard_lt: User) -> None:
    from borderwatch.accounts.services import issue_token

    raw = issue_token(guard_lt, "station")
    response = Client().get("/api/border/events", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


# --- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pass1", "too short"),
        ("password123", "too common"),
        ("12345678901234", "entirely numeric"),
        ("officer.kaunas", "too similar to the username"),
    ],
)
def test_create_user_refuses_a_weak_password(db: None, password: str, problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create_user(
            None, username="officer.kaunas", password=password, role=Role.BORDER_GUARD,
            member_state="LT",
        )  # fmt: skip
    assert problem in " ".join(caught.value.message_dict["password"])
    assert not User.objects.filter(username="officer.kaunas").exists()


def test_the_demo_password_passes_the_validators(db: None) -> None:
    out = StringIO()
    call_command("demo_users", stdout=out)
    assert User.objects.filter(username="guard.lt").exists()
    assert DEMO_PASSWORD in out.getvalue()
    assert (
        Client().post(LOGIN, {"username": "guard.lt", "password": DEMO_PASSWORD}).status_code == 302
    )


# --- next= ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http:evil"])
def test_sign_in_ignores_an_external_next(guard_lt: User, target: str) -> None:
    response = Client().post(
        f"{LOGIN}?next={target}", {"username": guard_lt.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_in_follows_a_local_next(guard_lt: User) -> None:
    response = Client().post(
        LOGIN, {"username": guard_lt.username, "password": PASSWORD, "next": "/border/events/"}
    )
    assert response["Location"] == "/border/events/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_the_language_switch_ignores_an_external_next(
    client_for: Callable[[User], Client], guard_lt: User, target: str
) -> None:
    response = client_for(guard_lt).post("/accounts/language/", {"language": "lt", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
