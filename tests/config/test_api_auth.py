"""The API's authentication with CSRF enforced, as a browser or a script would meet it.

A bearer token authenticates alone (no CSRF: no cookie is involved); a session needs the CSRF
token on every write; a bearer header with a bad token is 401 and never falls back to the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import ApiToken, User
from borderwatch.accounts.services import issue_token, revoke_token
from borderwatch.border.models import Event
from borderwatch.border.services import ensure_reference_data
from tests.border.conftest import point_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def border_data(db: None) -> None:
    ensure_reference_data()


def _event(ref: str = "AUTH-1") -> dict[str, object]:
    lat, lon = point_on("LT-BY-16")
    return {
        "ref": ref, "occurred_at": "2021-07-27T22:40:00+03:00", "type": "apprehension",
        "latitude": lat, "longitude": lon, "persons": 4, "nationalities": {"IQ": 4},
        "source": "patrol", "reporting_unit": "Druskininkai",
    }  # fmt: skip


def _csrf_client(user: User | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, token: str | None = None, **extra: str) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = client.post(
        "/api/border/events", _event(), content_type="application/json", headers=headers, **extra
    )
    return response.status_code


@pytest.mark.usefixtures("border_data")
def test_bearer_token_writes_with_csrf_enforced(guard_lt: User) -> None:
    token = issue_token(guard_lt, "station laptop")
    assert _post(_csrf_client(), token) == 201
    assert Event.objects.get().created_by == guard_lt


@pytest.mark.usefixtures("border_data")
def test_bearer_token_writes_even_beside_a_session_cookie(
    guard_lt: User, make_user: Callable[..., User]
) -> None:
    """The token decides who writes, not the browser's session next to it."""
    other = make_user(username="session.user")
    token = issue_token(guard_lt, "script")
    assert _post(_csrf_client(other), token) == 201
    assert Event.objects.get().created_by == guard_lt


@pytest.mark.usefixtures("border_data")
def test_session_write_without_csrf_token_is_refused(guard_lt: User) -> None:
    client = _csrf_client(guard_lt)
    assert _post(client) == 403
    assert not Event.objects.exists()


@pytest.mark.usefixtures("border_data")
def test_session_write_with_csrf_token_passes(guard_lt: User) -> None:
    client = _csrf_client(guard_lt)
    client.get("/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    assert _post(client, HTTP_X_CSRFTOKEN=csrf) == 201


@pytest.mark.usefixtures("border_data")
def test_bad_bearer_token_is_401_and_never_falls_back_to_the_session(guard_lt: User) -> None:
    client = _csrf_client(guard_lt)
    client.get("/")
    csrf = client.cookies["csrftoken"].value
    assert _post(client, "bw_not-a-token", HTTP_X_CSRFTOKEN=csrf) == 401
    assert (
        client.get(
            "/api/border/events", headers={"Authorization": "Bearer bw_not-a-token"}
        ).status_code
        == 401
    )
    assert not Event.objects.exists()


@pytest.mark.usefixtures("border_data")
def test_revoked_and_expired_tokens_are_401(guard_lt: User) -> None:
    revoked = issue_token(guard_lt, "old laptop")
    revoke_token(ApiToken.objects.get(name="old laptop"), guard_lt)
    expired = issue_token(guard_lt, "expired")
    ApiToken.objects.filter(name="expired").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    for token in (revoked, expired):
        assert _post(_csrf_client(), token) == 401
        assert (
            _csrf_client()
            .get("/api/border/events", headers={"Authorization": f"Bearer {token}"})
            .status_code
            == 401
        )
    assert not Event.objects.exists()


def test_openapi_schema_answers_to_a_bearer_token(guard_lt: User) -> None:
    token = issue_token(guard_lt, "codegen")
    response = Client().get("/api/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "/api/border/events" in response.json()["paths"]


def test_openapi_schema_refuses_a_bad_token_and_no_login() -> None:
    bad = Client().get("/api/openapi.json", headers={"Authorization": "Bearer bw_nope"})
    assert bad.status_code == 401
    assert Client().get("/api/openapi.json").status_code in (302, 401)


def test_openapi_schema_still_answers_to_a_session(
    client_for: Callable[[User], Client], guard_lt: User
) -> None:
    assert client_for(guard_lt).get("/api/openapi.json").status_code == 200
