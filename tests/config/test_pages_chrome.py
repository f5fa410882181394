"""Error pages keep the navigation; every page links the favicon, which is served locally."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.search import selectors as search_selectors


def test_404_page_has_the_navigation(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    page = client_for(make_user()).get("/registration/persons/999999/")
    assert page.status_code in (403, 404)
    html = page.content.decode()
    assert 'aria-label="Main"' in html and "Sign out" in html


def test_unknown_path_is_a_404_page_with_the_navigation(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    page = client_for(make_user()).get("/no/such/page/")
    assert page.status_code == 404
    assert "Not found" in page.content.decode() and "Situational picture" in page.content.decode()


def test_403_page_names_the_refusal_and_has_the_navigation(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    guard = make_user(Role.BORDER_GUARD, "LT")
    page = client_for(guard).get("/registration/hits/review/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "Not allowed" in html and 'aria-label="Main"' in html


def test_favicon_is_linked_and_served_locally(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    html = client_for(make_user()).get("/").content.decode()
    assert 'rel="icon" href="/static/borderwatch/favicon.svg"' in html
    assert finders.find("borderwatch/favicon.svg")


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_400_page_from_a_suspicious_request_has_the_navigation(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Django's own 400 page renders without the request, so without the navigation."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise SuspiciousOperation("forged")

    monkeypatch.setattr(search_selectors, "search", refuse)
    page = _client(make_user()).get("/search/", {"q": "x"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "The request was refused" in html
    assert 'aria-label="Main"' in html and "Sign out" in html


def test_400_page_from_a_domain_error_has_the_navigation(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    def invalid(*args: Any, **kwargs: Any) -> Any:
        raise ValidationError("The day is outside the scenario.")

    monkeypatch.setattr(search_selectors, "search", invalid)
    page = _client(make_user()).get("/search/", {"q": "x"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "The day is outside the scenario." in html and 'aria-label="Main"' in html


def test_500_page_has_a_navigation(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(search_selectors, "search", broken)
    page = _client(make_user()).get("/search/", {"q": "x"})
    assert page.status_code == 500
    html = page.content.decode()
    assert "Something went wrong on our side" in html and "boom" not in html
    assert 'aria-label="Main"' in html
    assert 'href="/"' in html and "Situational picture" in html and "Events" in html


def test_500_page_needs_neither_the_database_nor_the_user() -> None:
    """The database may be what failed: Django's handler renders 500.html without the request,
    and the page reads nothing from the database (this test has none: a query would raise)."""
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500 and 'aria-label="Main"' in page.content.decode()
