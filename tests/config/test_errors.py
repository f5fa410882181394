"""Every API error is JSON with the request id; server errors are logged with a traceback and
the request id but no personal data; huge integers in page URLs answer 404, never 500."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.core.roles import Role

HUGE = "99999999999999999999"  # beyond 2^63
WHO = "".join(["Ali", " Has", "san"])  # a name in the data, not in the source lines


def _error_body(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


@pytest.fixture
def guard(make_user: Callable[..., User]) -> User:
    return make_user(Role.BORDER_GUARD, "LT")


def test_unknown_api_path_and_method_are_json(
    client_for: Callable[[User], Client], guard: User
) -> None:
    client = client_for(guard)
    _error_body(client.get("/api/no/such/thing"), 404)
    _error_body(Client().get("/api/no/such/thing"), 404)
    not_allowed = client.get("/api/border/events/import")
    _error_body(not_allowed, 405)
    assert "POST" in not_allowed["Allow"]
    _error_body(Client().get("/api/border/events"), 401)


def test_csrf_failure_on_the_api_is_json(guard: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(guard)
    response = client.post("/api/border/events", {}, content_type="application/json")
    _error_body(response, 403)


def test_a_body_too_large_is_413_json(
    client_for: Callable[[User], Client], guard: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"ref": "x" * 5000})
    response = client_for(guard).post("/api/border/events", body, content_type="application/json")
    _error_body(response, 413)


def test_request_id_is_taken_from_the_caller_when_plain(
    client_for: Callable[[User], Client], guard: User
) -> None:
    client = client_for(guard)
    given = client.get("/api/no/such/thing", headers={"X-Request-ID": "abc-123.x_Y"})
    assert given["X-Request-ID"] == "abc-123.x_Y" == given.json()["request_id"]
    forged = client.get("/api/no/such/thing", headers={"X-Request-ID": "a b\nINFO fake"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/border/events/")["X-Request-ID"])


def test_a_server_error_is_json_logged_with_traceback_and_no_personal_data(
    client_for: Callable[[User], Client],
    guard: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"duplicate key (name)=({WHO})")

    monkeypatch.setattr(border_selectors, "events", broken)
    client = client_for(guard)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="borderwatch.request"):
        response = client.get("/api/border/events?country=LT&name=Ali+Hassan")
    body = _error_body(response, 500)
    assert "Hassan" not in json.dumps(body)
    (record,) = [r for r in caplog.records if r.name == "borderwatch.request"]
    text = record.getMessage()
    assert "RuntimeError" in text and "broken" in text  # the type and the stack
    assert body["request_id"] in text and record.request_id == body["request_id"]
    assert "Hassan" not in text and "country=" not in text
    assert not [r for r in caplog.records if "Hassan" in r.getMessage() or r.exc_info]


def test_a_server_error_on_a_page_is_logged_too(
    client_for: Callable[[User], Client],
    guard: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(WHO)

    monkeypatch.setattr(border_selectors, "events", broken)
    client = client_for(guard)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="borderwatch.request"):
        response = client.get("/border/events/")
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "borderwatch.request"]
    assert response["X-Request-ID"] in record.getMessage()
    assert not [r for r in caplog.records if "Hassan" in r.getMessage() or r.exc_info]


def _int_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every page route with an <int:...> in it, the ints replaced by a huge number."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if pattern.startswith(("admin", "api")):
            continue
        if isinstance(entry, URLResolver):
            yield from _int_routes(entry, pattern)
        elif isinstance(entry, URLPattern) and "<int:" in pattern:
            yield "/" + re.sub(r"<int:\w+>", HUGE, re.sub(r"<(str|slug):\w+>", "x", pattern))


@pytest.mark.parametrize("role", [Role.NATIONAL_COORDINATOR, Role.REGISTRATION_OFFICER])
def test_huge_integers_in_page_urls_are_404(
    client_for: Callable[[User], Client], make_user: Callable[..., User], role: Role
) -> None:
    client = client_for(make_user(role, "LT"))
    client.raise_request_exception = False
    routes = sorted(set(_int_routes()))
    assert "/registration/persons/99999999999999999999/" in routes
    for url in routes:
        status = client.get(url).status_code
        assert status in (404, 403, 405), (url, status)


def test_a_nul_character_is_refused_before_any_view_naming_where(
    client_for: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    """PostgreSQL refuses NUL characters in text: they never reach a query."""
    client = client_for(make_user(Role.NATIONAL_COORDINATOR, "LT"))
    api = client.get("/api/border/events", {"country": "L\x00T"})
    assert api.status_code == 400 and api["Content-Type"].startswith("application/json")
    assert (
        api.json()["detail"]
        == "The request holds a NUL character (in the query parameter country)."
    )
    page = client.get("/border/events/", {"country": "L\x00T"})
    assert page.status_code == 400 and b"query parameter country" in page.content
