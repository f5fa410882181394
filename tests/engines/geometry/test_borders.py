"""Real border geometry: lines, sections, names, look-ups, random points. No database."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely import ops
from shapely.geometry import LineString, Point

from borderwatch.engines.geometry import borders as geo
from borderwatch.engines.geometry.borders import SectionGeometry

ATLAS = Path(__file__).resolve().parents[3] / "node_modules" / "world-atlas"
TRIPOINTS = {"LV-BY": ("RU", "LT"), "LT-BY": ("LV", "PL"), "PL-BY": ("LT", "UA")}

pytestmark = pytest.mark.skipif(
    not (ATLAS / geo.TOPOJSON_FILE).is_file(),
    reason=f"{ATLAS} missing: run `make setup` (npm ci installs world-atlas)",
)


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Independent reference: great-circle distance on the mean sphere."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2
    a = a + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def line_km(coords: list[list[float]]) -> float:
    c = np.asarray(coords)
    return float(haversine_km(c[:-1, 1], c[:-1, 0], c[1:, 1], c[1:, 0]).sum())


def dense(section: SectionGeometry) -> np.ndarray:
    """The section's line sampled every ~0.1 km, as (lon, lat), for brute-force distances."""
    line = shapely.segmentize(LineString(section.geometry["coordinates"]), 0.001)
    return np.asarray(line.coords)


def brute_km(points: np.ndarray, section: SectionGeometry) -> np.ndarray:
    """Distance from (lat, lon) points to the densified section, by brute force."""
    d = dense(section)
    return haversine_km(points[:, :1], points[:, 1:], d[None, :, 1], d[None, :, 0]).min(axis=1)


@pytest.fixture(scope="module")
def sections() -> list[SectionGeometry]:
    return geo.load_border_sections(ATLAS)


@pytest.fixture(scope="module")
def by_border(sections: list[SectionGeometry]) -> dict[str, list[SectionGeometry]]:
    grouped: dict[str, list[SectionGeometry]] = defaultdict(list)
    for s in sections:
        grouped[s.border].append(s)
    return grouped


def test_three_borders_with_stable_codes(by_border: dict[str, list[SectionGeometry]]) -> None:
    assert set(by_border) == {"LT-BY", "LV-BY", "PL-BY"}
    for border, items in by_border.items():
        assert [s.order for s in items] == list(range(1, len(items) + 1))
        assert [s.code for s in items] == [f"{border}-{i:02d}" for i in range(1, len(items) + 1)]
        member, neighbour = border.split("-")
        assert {(s.member_state, s.neighbour) for s in items} == {(member, neighbour)}
        assert all(s.geometry["type"] == "LineString" for s in items)
    assert 15 <= len(by_border["LT-BY"]) <= 18


def test_sections_chain_from_tripoint_to_tripoint(
    by_border: dict[str, list[SectionGeometry]],
) -> None:
    for border, items in by_border.items():
        for before, after in itertools.pairwise(items):
            assert before.geometry["coordinates"][-1] == after.geometry["coordinates"][0]
        first, last = TRIPOINTS[border]
        start = Point(items[0].geometry["coordinates"][0])
        end = Point(items[-1].geometry["coordinates"][-1])
        assert geo.country_polygon(ATLAS, first).distance(start) < 1e-9, border
        assert geo.country_polygon(ATLAS, last).distance(end) < 1e-9, border
        assert start.y > end.y  # north to south


def test_border_line_is_the_shared_boundary() -> None:
    for border in geo.OFFICIAL_LENGTH_KM:
        member, neighbour = border.split("-")
        line = LineString(geo.border_line(ATLAS, border)["coordinates"])
        for iso2 in (member, neighbour):
            boundary = geo.country_polygon(ATLAS, iso2).boundary
            assert line.length < 0.9 * boundary.length  # a stretch of the outline...
            assert line.difference(boundary.buffer(1e-9)).length < 1e-9  # ...and holds the line


def test_lengths_add_up_to_measured_and_official(
    by_border: dict[str, list[SectionGeometry]],
) -> None:
    for border, items in by_border.items():
        measured = line_km(geo.border_line(ATLAS, border)["coordinates"])
        assert sum(s.measured_km for s in items) == pytest.approx(measured, rel=1e-6)
        assert sum(s.official_km for s in items) == pytest.approx(geo.OFFICIAL_LENGTH_KM[border])
        assert measured < geo.OFFICIAL_LENGTH_KM[border]  # Natural Earth is generalised
        for s in items:
            assert s.measured_km == pytest.approx(line_km(s.geometry["coordinates"]), rel=1e-9)
            assert 20 <= s.official_km <= 60, s.code


def test_midpoint_halves_the_section(sections: list[SectionGeometry]) -> None:
    for s in sections:
        coords = s.geometry["coordinates"]
        line = LineString(coords)
        lat, lon = s.midpoint
        assert line.distance(Point(lon, lat)) < 1e-9
        cut = line.project(Point(lon, lat))
        first = ops.substring(line, 0, cut)
        assert line_km(list(first.coords)) == pytest.approx(s.measured_km / 2, rel=0.01)


def name_distances(items: list[SectionGeometry]) -> tuple[list[str], np.ndarray]:
    """Every place name of the member state and each section's distance to its nearest bearer."""
    places = geo.populated_places(items[0].member_state)
    names = sorted({p[0] for p in places})
    column = {name: i for i, name in enumerate(names)}
    mid = np.array([s.midpoint for s in items])
    where = np.array([(lat, lon) for _, lat, lon in places])
    to_place = haversine_km(mid[:, :1], mid[:, 1:], where[None, :, 0], where[None, :, 1])
    km = np.full((len(items), len(names)), np.inf)
    for i, (name, _, _) in enumerate(places):
        km[:, column[name]] = np.minimum(km[:, column[name]], to_place[:, i])
    return names, km


def test_names_unique_and_in_the_member_state(
    by_border: dict[str, list[SectionGeometry]],
) -> None:
    for items in by_border.values():
        member = items[0].member_state
        polygon = geo.country_polygon(ATLAS, member).buffer(0.02)
        places = geo.populated_places(member)
        assert len({s.name for s in items}) == len(items)
        for s in items:
            named = np.array([(lat, lon) for name, lat, lon in places if name == s.name])
            assert len(named), f"{s.name} is not a place in {member}"
            km = haversine_km(s.midpoint[0], s.midpoint[1], named[:, 0], named[:, 1])
            lat, lon = named[int(np.argmin(km))]
            assert polygon.contains(Point(lon, lat)), s.name
            assert km.min() < 50, s.name


def test_no_better_name_is_left_over(by_border: dict[str, list[SectionGeometry]]) -> None:
    for items in by_border.values():
        names, km = name_distances(items)
        chosen = [names.index(s.name) for s in items]
        unused = np.ones(len(names), dtype=bool)
        unused[chosen] = False
        for row, col in enumerate(chosen):
            # a nearer free name, or a swap with another section, would lower the squared sum
            assert km[row, col] <= km[row, unused].min(), items[row].code
            for other, other_col in enumerate(chosen):
                now = km[row, col] ** 2 + km[other, other_col] ** 2
                swapped = km[row, other_col] ** 2 + km[other, col] ** 2
                assert now <= swapped + 1e-9, (items[row].code, items[other].code)


def test_country_polygons_hold_their_capitals() -> None:
    vilnius, riga, warsaw, minsk = (25.28, 54.69), (24.11, 56.95), (21.01, 52.23), (27.56, 53.90)
    for iso2, inside in (("LT", vilnius), ("LV", riga), ("PL", warsaw), ("BY", minsk)):
        polygon = geo.country_polygon(ATLAS, iso2)
        assert polygon.is_valid
        assert polygon.contains(Point(inside))
        assert not polygon.contains(Point(minsk if iso2 != "BY" else vilnius))


def test_nearest_section_agrees_with_brute_force(sections: list[SectionGeometry]) -> None:
    rng = np.random.default_rng(7)
    for member in ("LT", "LV", "PL"):
        own = [s for s in sections if s.member_state == member]
        coords = np.concatenate([np.asarray(s.geometry["coordinates"]) for s in own])
        lat = rng.uniform(coords[:, 1].min() - 0.5, coords[:, 1].max() + 0.5, 60)
        lon = rng.uniform(coords[:, 0].min() - 0.8, coords[:, 0].max() + 0.8, 60)
        points = np.column_stack([lat, lon])
        reference = np.column_stack([brute_km(points, s) for s in own])
        for i, (la, lo) in enumerate(points):
            found, km = geo.nearest_section(sections, la, lo, member)
            assert found.member_state == member
            best = reference[i].min()
            assert reference[i, own.index(found)] <= best * 1.01 + 0.06
            assert km == pytest.approx(best, rel=0.01, abs=0.06)


def test_points_near_each_section_find_that_section(sections: list[SectionGeometry]) -> None:
    for s in sections:
        found, km = geo.nearest_section(sections, *s.midpoint, s.member_state)
        assert found.code == s.code
        assert km < 0.01


def test_far_point_is_far(sections: list[SectionGeometry]) -> None:
    madrid = (40.42, -3.70)
    section, km = geo.nearest_section(sections, *madrid, "LT")
    assert section.member_state == "LT"
    ends = np.array([s.midpoint for s in sections if s.member_state == "LT"])
    assert km > 2000
    assert km <= haversine_km(madrid[0], madrid[1], ends[:, 0], ends[:, 1]).min()


def test_nearest_section_rejects_bad_input(sections: list[SectionGeometry]) -> None:
    with pytest.raises(geo.GeographyError, match="member state 'FR'"):
        geo.nearest_section(sections, 54.0, 25.0, "FR")
    with pytest.raises(geo.GeographyError, match="not a position"):
        geo.nearest_section(sections, 95.0, 25.0, "LT")
    with pytest.raises(geo.GeographyError, match="not a position"):
        geo.nearest_section(sections, float("nan"), 25.0, "LT")


def test_random_points_on_the_member_side_and_near(sections: list[SectionGeometry]) -> None:
    for s in sections[::3]:
        polygon = geo.country_polygon(ATLAS, s.member_state)
        points = geo.random_points_near(s, 40, np.random.default_rng(11), 8.0, polygon)
        assert len(points) == 40
        arr = np.array(points)
        assert shapely.contains_xy(polygon, arr[:, 1], arr[:, 0]).all()
        distances = brute_km(arr, s)
        assert (distances <= 8.0 + 0.06).all()
        assert distances.max() > 4.0  # spread over the band, not stuck on the line
        neighbour = geo.country_polygon(ATLAS, s.neighbour)
        assert not shapely.contains_xy(neighbour, arr[:, 1], arr[:, 0]).any()


def test_random_points_are_reproducible(sections: list[SectionGeometry]) -> None:
    s = sections[5]
    polygon = geo.country_polygon(ATLAS, s.member_state)
    first = geo.random_points_near(s, 10, np.random.default_rng(3), 5.0, polygon)
    again = geo.random_points_near(s, 10, np.random.default_rng(3), 5.0, polygon)
    other = geo.random_points_near(s, 10, np.random.default_rng(4), 5.0, polygon)
    assert first == again
    assert first != other
    assert geo.random_points_near(s, 0, np.random.default_rng(3), 5.0, polygon) == []


def test_random_points_reject_bad_input(sections: list[SectionGeometry]) -> None:
    s = sections[0]
    polygon = geo.country_polygon(ATLAS, s.member_state)
    rng = np.random.default_rng(0)
    with pytest.raises(geo.GeographyError, match="non-negative"):
        geo.random_points_near(s, -1, rng, 5.0, polygon)
    with pytest.raises(geo.GeographyError, match="max_km"):
        geo.random_points_near(s, 1, rng, 0.0, polygon)
    with pytest.raises(TypeError, match="Generator"):
        geo.random_points_near(s, 1, 42, 5.0, polygon)  # type: ignore[arg-type]
    far_away = geo.country_polygon(ATLAS, "PT")
    with pytest.raises(geo.GeographyError, match="no room"):
        geo.random_points_near(s, 1, rng, 5.0, far_away)


def test_bad_codes_and_paths(tmp_path: Path) -> None:
    with pytest.raises(geo.GeographyError, match="alpha-2"):
        geo.country_polygon(ATLAS, "Lithuania")
    with pytest.raises(geo.GeographyError, match="unknown country"):
        geo.country_polygon(ATLAS, "QQ")
    with pytest.raises(geo.GeographyError, match="border code"):
        geo.border_line(ATLAS, "LT/BY")
    with pytest.raises(geo.GeographyError, match="share no border"):
        geo.border_line(ATLAS, "LT-PT")
    with pytest.raises(FileNotFoundError, match="world-atlas"):
        geo.load_border_sections(tmp_path)


def test_nearest_sections_answers_as_nearest_section_point_by_point(
    sections: list[SectionGeometry],
) -> None:
    rng = np.random.default_rng(11)
    for member in ("LT", "LV", "PL"):
        own = [s for s in sections if s.member_state == member]
        coords = np.concatenate([np.asarray(s.geometry["coordinates"]) for s in own])
        lat = rng.uniform(coords[:, 1].min() - 0.5, coords[:, 1].max() + 0.5, 3000)
        lon = rng.uniform(coords[:, 0].min() - 0.8, coords[:, 0].max() + 0.8, 3000)
        many = geo.nearest_sections(sections, lat, lon, member)  # several chunks
        assert len(many) == 3000
        for (found, km), la, lo in zip(many[::50], lat[::50], lon[::50], strict=True):
            one, one_km = geo.nearest_section(sections, la, lo, member)
            assert found.code == one.code
            assert km == pytest.approx(one_km, abs=1e-9)
    # far from the antimeridian or across it: the same as one by one
    far = geo.nearest_sections(sections, [40.42, -33.9], [-3.70, 179.9], "LT")
    assert [f.code for f, _ in far] == [
        geo.nearest_section(sections, 40.42, -3.70, "LT")[0].code,
        geo.nearest_section(sections, -33.9, 179.9, "LT")[0].code,
    ]
    assert geo.nearest_sections(sections, [], [], "LT") == []


def test_nearest_sections_rejects_bad_input(sections: list[SectionGeometry]) -> None:
    with pytest.raises(geo.GeographyError, match="not a position"):
        geo.nearest_sections(sections, [54.0, 95.0], [25.0, 25.0], "LT")
    with pytest.raises(geo.GeographyError, match="same length"):
        geo.nearest_sections(sections, [54.0], [25.0, 26.0], "LT")
