"""Shared fixtures: users of each role and state, API clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from borderwatch.accounts.models import User
from borderwatch.accounts.services import create_user
from borderwatch.core.roles import Role

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """PBKDF2's deliberate slowness protects real passwords, not test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def isolated_files(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploads and the fingerprint gallery go to a per-test folder; tasks run in-process."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GALLERY_DIR = tmp_path / "gallery"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A request in another language leaves it active in this thread; the next test starts in
    English, as a new request would without a language of its own."""
    yield
    translation.activate("en")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.BORDER_GUARD, member_state: str = "LT", **kwargs: str) -> User:
        if role in (Role.FRONTEX_ANALYST, Role.COMMISSION_VIEWER):
            member_state = ""
        username = kwargs.pop("username", f"{role.value}.{member_state or 'eu'}.{next(counter)}")
        return create_user(
            None, username=username, password=PASSWORD, role=role, member_state=member_state
        )

    return make


@pytest.fixture
def guard_lt(make_user: Callable[..., User]) -> User:
    return make_user(Role.BORDER_GUARD, "LT")


@pytest.fixture
def coordinator_lt(make_user: Callable[..., User]) -> User:
    return make_user(Role.NATIONAL_COORDINATOR, "LT")


@pytest.fixture
def guard_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.BORDER_GUARD, "PL")


@pytest.fixture
def frontex(make_user: Callable[..., User]) -> User:
    return make_user(Role.FRONTEX_ANALYST)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
