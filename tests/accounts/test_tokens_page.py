"""/accounts/tokens/: a signed-in user lists, creates and revokes their own API tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import ApiToken, User
from borderwatch.accounts.selectors import user_for_token
from borderwatch.accounts.services import issue_token
from borderwatch.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _csrf_client(user: User) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/tokens/")
    return client, client.cookies["csrftoken"].value


def test_page_needs_login() -> None:
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lists_only_the_users_own_tokens(
    client_for: Callable[[User], Client], guard_lt: User, guard_pl: User
) -> None:
    issue_token(guard_lt, "station laptop")
    issue_token(guard_pl, "warsaw script")
    page = client_for(guard_lt).get("/accounts/tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "station laptop" in html and guard_lt.tokens.get().prefix in html
    assert "warsaw script" not in html


def test_create_shows_the_raw_token_once_and_audits(guard_lt: User) -> None:
    client, csrf = _csrf_client(guard_lt)
    response = client.post(
        "/accounts/tokens/", {"name": "codegen", "days": "7", "csrfmiddlewaretoken": csrf}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r"bw_[A-Za-z0-9_-]{20,}", response.content.decode())
    assert raw is not None
    assert user_for_token(raw.group()) == guard_lt
    assert AuditEntry.objects.filter(action="accounts.token.issue", actor_id=guard_lt.pk).exists()
    again = client.get("/accounts/tokens/").content.decode()
    assert raw.group() not in again and "codegen" in again


def test_create_without_csrf_is_refused(guard_lt: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(guard_lt)
    assert client.post("/accounts/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_create_with_a_bad_lifetime_says_why(guard_lt: User) -> None:
    client, csrf = _csrf_client(guard_lt)
    response = client.post(
        "/accounts/tokens/", {"name": "x", "days": "0", "csrfmiddlewaretoken": csrf}
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoke_own_token(guard_lt: User) -> None:
    raw = issue_token(guard_lt, "old laptop")
    token = guard_lt.tokens.get()
    client, csrf = _csrf_client(guard_lt)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    assert user_for_token(raw) is None
    entry = AuditEntry.objects.get(action="accounts.token.revoke")
    assert entry.actor_id == guard_lt.pk and entry.object_id == str(token.pk)


def test_revoke_is_post_only_and_another_users_token_is_404(guard_lt: User, guard_pl: User) -> None:
    raw = issue_token(guard_pl, "warsaw script")
    theirs = guard_pl.tokens.get()
    client, csrf = _csrf_client(guard_lt)
    assert client.get(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 405
    response = client.post(f"/accounts/tokens/{theirs.pk}/revoke/", {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 404
    assert user_for_token(raw) == guard_pl
    assert not AuditEntry.objects.filter(action="accounts.token.revoke").exists()


def test_header_links_the_tokens_page(client_for: Callable[[User], Client], guard_lt: User) -> None:
    assert (
        'href="/accounts/tokens/" class="who-tokens"'
        in client_for(guard_lt).get("/").content.decode()
    )
