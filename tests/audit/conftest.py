"""A world of two states (tests.test_personal_data_matrix.build_world) and its audit readers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from tests.registration.conftest import border_data, english_afterwards  # noqa: F401
from tests.test_personal_data_matrix import World, build_world


@pytest.fixture
def world(make_user: Callable[..., User]) -> World:
    """Lithuania's person (document, photo, fingerprints, placement), found by Poland's search
    (a confirmed hit); each write audited by the services that made it."""
    return build_world(make_user)


@pytest.fixture
def coordinator_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.NATIONAL_COORDINATOR, "PL")
