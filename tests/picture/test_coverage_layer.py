"""Frontex coverage as a layer of the picture: deployed officers and equipment per section on
the period's last day, flagged where pressure rises and coverage is thin, through support's
selectors and the picture's layer providers, scoped by role and member state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection
from borderwatch.core.roles import Role
from borderwatch.picture import layers
from tests.picture.data import add_event
from tests.support.conftest import deployed_to

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2021, 8, 10)


@pytest.fixture
def deployed(
    sections: dict[str, BorderSection], frontex: User, make_user: Callable[..., User]
) -> None:
    """Lithuania: 20 officers and 2 patrol cars (20 per 100 km: not thin). Latvia: 1 officer
    while pressure rises (thin: flagged). Poland: nothing deployed while pressure rises."""
    deployed_to(frontex, make_user(Role.NATIONAL_COORDINATOR, "LT"), "LT-BY-01",
                border_surveillance=20, patrol_car=2)  # fmt: skip
    deployed_to(frontex, make_user(Role.NATIONAL_COORDINATOR, "LV"), "LV-BY-01",
                border_surveillance=1)  # fmt: skip
    for state in ("LT", "LV", "PL"):
        add_event(sections[state], D(2021, 7, 30), {"IQ": 5})  # the window before
        add_event(sections[state], D(2021, 8, 9), {"IQ": 40})  # the window up to DAY


def _layer(user: User, countries: list[str] | None = None) -> layers.MapLayer | None:
    found = [x for x in layers.extra_layers(user, DAY, DAY, countries) if x.key == "coverage"]
    return found[0] if found else None


def _sections(layer: layers.MapLayer | None) -> dict[str, dict[str, Any]]:
    if layer is None:
        return {}
    return {f["properties"]["section"]: f["properties"] for f in layer.geojson["features"]}


@pytest.mark.parametrize(
    ("role", "state", "sees"),
    [
        (Role.FRONTEX_ANALYST, "", {"LT-BY-01", "LV-BY-01", "PL-BY-01"}),
        (Role.COMMISSION_VIEWER, "", {"LT-BY-01", "LV-BY-01", "PL-BY-01"}),
        (Role.NATIONAL_COORDINATOR, "LT", {"LT-BY-01"}),
        (Role.NATIONAL_COORDINATOR, "LV", {"LV-BY-01"}),
        (Role.BORDER_GUARD, "LT", set()),  # may view the picture, not support data
        (Role.RECEPTION_MANAGER, "LV", set()),
    ],
)
def test_coverage_layer_is_scoped_by_role_and_state(
    deployed: None, make_user: Callable[..., User], role: Role, state: str, sees: set[str]
) -> None:
    layer = _layer(make_user(role, state))
    assert set(_sections(layer)) == sees
    if not sees:
        assert layer is None


def test_coverage_layer_counts_and_flags(deployed: None, frontex: User) -> None:
    layer = _layer(frontex)
    assert layer is not None and layer.alert_label == "pressure rising, coverage thin"
    rows = _sections(layer)
    assert (rows["LT-BY-01"]["officers"], rows["LT-BY-01"]["equipment"]) == (20, 2)
    assert rows["LT-BY-01"]["badge"] == "20 · 2" and not rows["LT-BY-01"]["flagged"]
    assert rows["LV-BY-01"]["officers"] == 1 and rows["LV-BY-01"]["flagged"]
    assert rows["PL-BY-01"]["officers"] == 0 and rows["PL-BY-01"]["alert"]
    assert rows["PL-BY-01"]["badge"] == ""  # nothing deployed: a dot, not "0 · 0"
    assert "pressure rising, coverage thin" in rows["PL-BY-01"]["title"]
    # the marker sits halfway along the section's line
    [lt] = [f for f in layer.geojson["features"] if f["properties"]["section"] == "LT-BY-01"]
    assert lt["geometry"] == {"type": "Point", "coordinates": [25.3, 54.35]}
    assert any("2 sections where pressure rises" in n for n in layer.notes)
    # the chosen countries narrow it
    assert set(_sections(_layer(frontex, ["LT"]))) == {"LT-BY-01"}


def test_coverage_layer_in_the_map_layers_api(
    deployed: None, frontex: User, make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    url = "/api/picture/map-layers?start=2021-08-01&end=2021-08-10"
    extra = {x["key"]: x for x in client_for(frontex).get(url).json()["extra"]}
    assert len(extra["coverage"]["geojson"]["features"]) == 3
    assert extra["coverage"]["alert_label"] == "pressure rising, coverage thin"
    coordinator = client_for(make_user(Role.NATIONAL_COORDINATOR, "LV")).get(url).json()
    [cov] = [x for x in coordinator["extra"] if x["key"] == "coverage"]
    assert [f["properties"]["section"] for f in cov["geojson"]["features"]] == ["LV-BY-01"]
    guard = client_for(make_user(Role.BORDER_GUARD, "LT")).get(url).json()
    assert "coverage" not in {x["key"] for x in guard["extra"]}
