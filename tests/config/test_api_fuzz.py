"""Schema fuzzing of the whole API (schemathesis): every operation, a bounded number of generated
requests each, answered without a server error and, for an error, with JSON.

Each operation runs as the role that works with it (a border guard for /api/border, ...), with a
bearer token, so that generated requests get past authentication into validation and the
services, where a 500 would hide. The number of examples per operation is
BORDERWATCH_FUZZ_EXAMPLES (default 15): enough to try out-of-range numbers, odd strings and
missing fields on each parameter while keeping the suite within its time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from borderwatch.accounts.models import User
from borderwatch.accounts.services import issue_token
from borderwatch.config.api import api
from borderwatch.core.roles import Role

EXAMPLES = int(os.environ.get("BORDERWATCH_FUZZ_EXAMPLES", "15"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))

# the role that works with each part of the API; the rest is read by a coordinator
ROLE_BY_PREFIX = {
    "/api/border/": Role.BORDER_GUARD,
    "/api/registration/": Role.REGISTRATION_OFFICER,
    "/api/reception/": Role.RECEPTION_MANAGER,
}

WSGI_APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection when a request ends; the requests here go to the
    WSGI application itself, inside the test's transaction, so keep it open as Django's own test
    client does (on PostgreSQL the next query would find it closed)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _role_for(path: str) -> Role:
    for prefix, role in ROLE_BY_PREFIX.items():
        if path.startswith(prefix):
            return role
    return Role.NATIONAL_COORDINATOR


def _json_error(response: Any) -> None:
    """A 4xx or 5xx from the API is a JSON body, never an HTML page."""
    if response.status_code >= 400:
        headers = {k.lower(): v for k, v in response.headers.items()}
        kind = headers.get("content-type", "")
        kind = kind[0] if isinstance(kind, list) else kind
        assert kind.startswith("application/json"), (
            f"{response.status_code} answered with {kind!r}, not JSON"
        )


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(
    case: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(_role_for(case.path), "LT")
    token = issue_token(user, "fuzz")
    response = case.call(app=WSGI_APP, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    _json_error(response)
