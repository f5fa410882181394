"""Error pages keep the navigation; every page links the favicon, which is served locally."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.staticfiles import finders
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role


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
