from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.accounts.services import issue_token
from borderwatch.border.models import BorderSection
from tests.picture.data import lithuania_july_2021

Sections = dict[str, BorderSection]
ClientFor = Callable[[User], Client]
JULY = {"start": "2021-07-01", "end": "2021-07-31"}


@pytest.fixture
def july(sections: Sections) -> Sections:
    lithuania_july_2021(sections)
    return sections


@pytest.mark.parametrize("path", ["daily-figures", "map-layers", "bulletin"])
def test_api_needs_authentication(db: None, path: str) -> None:
    assert Client().get(f"/api/picture/{path}").status_code == 401


def test_daily_figures(client_for: ClientFor, frontex: User, july: Sections) -> None:
    response = client_for(frontex).get("/api/picture/daily-figures", JULY)
    assert response.status_code == 200
    peak = next(r for r in response.json() if r["country"] == "LT" and r["day"] == "2021-07-27")
    assert peak == {
        "country": "LT", "country_name": "Lithuania", "day": "2021-07-27", "persons": 171,
        "ytd": 376, "is_record": True,
        "nationalities": [{"code": "IQ", "name": "Iraq", "persons": 171}],
    }  # fmt: skip


def test_daily_figures_filter_by_several_countries_and_types(
    client_for: ClientFor, frontex: User, july: Sections
) -> None:
    client = client_for(frontex)
    only_pl = client.get("/api/picture/daily-figures", {**JULY, "country": ["PL"]}).json()
    assert {r["country"] for r in only_pl} == {"PL"}
    both = client.get("/api/picture/daily-figures", {**JULY, "country": ["PL", "LT"]}).json()
    assert {r["country"] for r in both} == {"PL", "LT"}
    smuggling = client.get("/api/picture/daily-figures", {**JULY, "event_type": "smuggling"})
    assert smuggling.json() == []
    bad = client.get("/api/picture/daily-figures", {**JULY, "event_type": "party"})
    assert bad.status_code == 422


def test_lithuanian_user_gets_no_polish_data(
    client_for: ClientFor, guard_lt: User, july: Sections
) -> None:
    client = client_for(guard_lt)
    rows = client.get("/api/picture/daily-figures", {**JULY, "country": ["PL"]}).json()
    assert rows == []
    layers = client.get("/api/picture/map-layers", JULY).json()
    assert {f["properties"]["country"] for f in layers["sections"]["features"]} == {"LT"}
    assert {f["properties"]["country"] for f in layers["events"]["features"]} == {"LT"}
    report = client.get("/api/picture/bulletin", {"day": "2021-07-27"}).json()
    assert [c["country"] for c in report["countries"]] == ["LT"]


def test_map_layers_shape(client_for: ClientFor, frontex: User, july: Sections) -> None:
    data = client_for(frontex).get("/api/picture/map-layers", JULY).json()
    assert data["events_total"] == data["events_shown"] == 7 and data["capped"] is False
    assert data["sections"]["type"] == "FeatureCollection"
    section = data["sections"]["features"][0]
    assert section["geometry"]["type"] == "LineString"
    assert set(section["properties"]) == {
        "code",
        "name",
        "country",
        "neighbour",
        "length_km",
        "level",
        "history",
    }
    event = data["events"]["features"][0]
    assert event["geometry"]["type"] == "Point"
    assert event["properties"]["local_date"] == "2021-07-28"  # newest first


def test_bulletin_by_bearer_token(db: None, frontex: User, july: Sections) -> None:
    token = issue_token(frontex, "test")
    response = Client().get(
        "/api/picture/bulletin", {"day": "2021-07-27"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["day"] == "2021-07-27" and data["persons"] == 186
    lt = next(c for c in data["countries"] if c["country"] == "LT")
    assert (lt["persons"], lt["change"], lt["is_record"], lt["ytd"]) == (171, 111, True, 376)


def test_reversed_period_is_rejected(client_for: ClientFor, frontex: User, july: Sections) -> None:
    response = client_for(frontex).get(
        "/api/picture/map-layers", {"start": "2021-07-31", "end": "2021-07-01"}
    )
    assert response.status_code == 422


def test_bulletin_defaults_to_the_latest_day(
    client_for: ClientFor, guard_lt: User, july: Sections
) -> None:
    data = client_for(guard_lt).get("/api/picture/bulletin").json()
    assert data["day"] == dt.date(2021, 7, 27).isoformat()
