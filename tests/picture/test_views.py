from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection
from borderwatch.core import roles
from tests.picture.data import add_event, confirm_level, lithuania_july_2021

Sections = dict[str, BorderSection]
ClientFor = Callable[[User], Client]
JULY = {"start": "2021-07-01", "end": "2021-07-31"}


@pytest.fixture
def july(sections: Sections) -> Sections:
    lithuania_july_2021(sections)
    return sections


@pytest.mark.parametrize("url", ["/", "/bulletin/", "/export/daily.csv", "/map/outlines.geojson"])
def test_pages_need_a_login(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_picture_flags_the_171_record(client_for: ClientFor, frontex: User, july: Sections) -> None:
    response = client_for(frontex).get("/", JULY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="is-record" data-country="LT" data-day="2021-07-27"' in html
    assert "Largest single day this year" in html
    assert "376" in html  # year to date on 27 July
    assert "vendor/leaflet/leaflet.js" in html and "vendor/chartjs/chart.umd.js" in html
    assert "/api/picture/map-layers?start=2021-07-01&amp;end=2021-07-31" in html
    # the summary names each country's latest record only; the table flags every record day
    summary = [(r.country, r.day) for r in response.context["records"]]
    assert summary == [("LT", dt.date(2021, 7, 27)), ("PL", dt.date(2021, 7, 28))]
    assert 'class="is-record" data-country="LT" data-day="2021-07-20"' in html


def test_filtering_to_poland_hides_the_lithuanian_record(
    client_for: ClientFor, frontex: User, july: Sections
) -> None:
    response = client_for(frontex).get("/", {**JULY, "country": "PL"})
    html = response.content.decode()
    assert 'data-country="LT"' not in html
    assert 'data-country="PL" data-day="2021-07-28"' in html


def test_lithuanian_user_sees_neither_polish_rows_nor_choice(
    client_for: ClientFor, guard_lt: User, july: Sections
) -> None:
    client = client_for(guard_lt)
    html = client.get("/", JULY).content.decode()
    assert 'data-country="LT"' in html and 'data-country="PL"' not in html
    assert 'value="PL"' not in html and "Poland" not in html
    forced = client.get("/", {**JULY, "country": "PL"})
    assert 'data-country="PL"' not in forced.content.decode()
    assert "Select a valid choice" in forced.content.decode()


def test_default_period_ends_on_the_latest_data(
    client_for: ClientFor, guard_lt: User, july: Sections
) -> None:
    response = client_for(guard_lt).get("/")
    assert response.context["start"] == dt.date(2021, 6, 28)
    assert response.context["end"] == dt.date(2021, 7, 27)
    assert 'value="2021-07-27"' in response.content.decode()


def test_htmx_request_gets_only_the_figures(
    client_for: ClientFor, frontex: User, july: Sections
) -> None:
    response = client_for(frontex).get("/", JULY, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="chart-data"' in html
    assert 'data-day="2021-07-27"' in html


def test_reversed_period_is_reported(client_for: ClientFor, frontex: User, july: Sections) -> None:
    response = client_for(frontex).get("/", {"start": "2021-07-31", "end": "2021-07-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_bulletin_page(client_for: ClientFor, guard_lt: User, july: Sections) -> None:
    confirm_level(july["LT"], dt.date(2021, 7, 27), "high")
    response = client_for(guard_lt).get("/bulletin/", {"day": "2021-07-27"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday 27 July 2021" in html
    assert 'class="is-record" data-country="LT"' in html
    assert "+111" in html and "Iraq: 171" in html
    assert "Poland" not in html
    assert 'level-high">high' in html


def test_bulletin_opens_on_the_latest_day(
    client_for: ClientFor, frontex: User, july: Sections
) -> None:
    response = client_for(frontex).get("/bulletin/")
    assert response.context["report"].day == dt.date(2021, 7, 28)
    assert 'value="2021-07-28"' in response.content.decode()


def _csv(client: Client, params: dict[str, str]) -> list[dict[str, str]]:
    response = client.get("/export/daily.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_has_one_row_per_country_day_and_nationality(
    client_for: ClientFor, frontex: User, july: Sections
) -> None:
    rows = _csv(client_for(frontex), JULY)
    peak = [r for r in rows if r["date"] == "2021-07-27" and r["country"] == "LT"]
    assert peak == [
        {
            "date": "2021-07-27", "country": "LT", "country_name": "Lithuania",
            "nationality": "IQ", "nationality_name": "Iraq", "persons": "171",
            "country_day_persons": "171", "country_ytd_persons": "376",
            "largest_day_this_year": "yes",
        }
    ]  # fmt: skip
    july_20 = [r["nationality"] for r in rows if r["date"] == "2021-07-20"]
    assert sorted(july_20) == ["IQ", "SY"]


def test_csv_is_scoped_and_holds_no_event_details(
    client_for: ClientFor, guard_lt: User, july: Sections
) -> None:
    add_event(july["LT"], dt.date(2021, 7, 5), {"IQ": 1})
    rows = _csv(client_for(guard_lt), {**JULY, "country": "LT"})
    assert rows and {r["country"] for r in rows} == {"LT"}
    assert "test unit" not in str(rows) and "T-" not in str(rows)
    response = client_for(guard_lt).get("/export/daily.csv", {**JULY, "country": "PL"})
    assert response.status_code == 400


def test_csv_needs_the_export_capability(
    client_for: ClientFor, guard_lt: User, july: Sections, monkeypatch: pytest.MonkeyPatch
) -> None:
    capabilities = {**roles.CAPABILITIES, roles.Capability.EXPORT_FIGURES: frozenset()}
    monkeypatch.setattr(roles, "CAPABILITIES", capabilities)
    monkeypatch.setattr("borderwatch.core.permissions.CAPABILITIES", capabilities)
    assert client_for(guard_lt).get("/export/daily.csv", JULY).status_code == 403
    assert client_for(guard_lt).get("/", JULY).status_code == 200


def test_outlines_cover_visible_states_and_neighbours(
    client_for: ClientFor, guard_lt: User, sections: Sections
) -> None:
    data = client_for(guard_lt).get("/map/outlines.geojson").json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert data["type"] == "FeatureCollection"
    assert codes <= {"LT", "BY"} and "PL" not in codes
