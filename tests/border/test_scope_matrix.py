"""Every role of every state sees only its own state's events, through every read path."""

from __future__ import annotations

import io
from collections.abc import Callable

import pyarrow.parquet as pq
import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import selectors, services
from borderwatch.core.roles import ALL_STATES_ROLES, Role
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")


@pytest.fixture
def events_in_three_states(make_user: Callable[..., User]) -> dict[str, int]:
    ids = {}
    for state, section in (("LT", "LT-BY-09"), ("PL", "PL-BY-02"), ("LV", "LV-BY-02")):
        guard = make_user(Role.BORDER_GUARD, state)
        ids[state] = services.report_event(guard, event_input(section, ref=f"M-{state}")).pk
    return ids


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("state", ["LT", "PL"])
def test_role_by_member_state(
    role: Role,
    state: str,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    events_in_three_states: dict[str, int],
) -> None:
    user = make_user(role, state)
    expected = {"LT", "PL", "LV"} if role in ALL_STATES_ROLES else {state}
    assert {e.country_id for e in selectors.events(user)} == expected
    client = client_for(user)
    listed = client.get("/api/border/events?limit=100").json()["items"]
    assert {e["country"] for e in listed} == expected
    for country, event_id in events_in_three_states.items():
        status = client.get(f"/api/border/events/{event_id}").status_code
        assert status == (200 if country in expected else 404), (role, state, country)
        page = client.get(f"/border/events/{event_id}/").status_code
        assert page == (200 if country in expected else 404)
    # the analytics export (Parquet): the states in scope; another state's asked for: 403
    export = "/api/border/export/events.parquet?start=2021-07-01&end=2021-07-31"
    response = client.get(export)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert set(pq.read_table(io.BytesIO(data)).column("country").to_pylist()) == expected
    for country in ("LT", "PL", "LV"):
        status = client.get(f"{export}&country={country}").status_code
        assert status == (200 if country in expected else 403), (role, state, country)
