"""Country outlines for the offline map: no tile server, so the picture draws the countries
itself from the world-atlas package that the border geometry already comes from."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shapely.geometry import mapping

from borderwatch.border.selectors import atlas_dir
from borderwatch.engines import geometry

SIMPLIFY_DEGREES = 0.01  # about 1 km: plenty for a backdrop, a fraction of the bytes


@lru_cache(maxsize=64)
def _outline(code: str) -> dict[str, Any] | None:
    try:
        polygon = geometry.country_polygon(atlas_dir(), code)
    except (FileNotFoundError, geometry.GeographyError):
        return None
    return dict(mapping(polygon.simplify(SIMPLIFY_DEGREES, preserve_topology=True)))


def outlines(codes: list[tuple[str, str, bool]]) -> dict[str, Any]:
    """FeatureCollection of (code, name, is_member_state) countries that the atlas knows."""
    features = []
    for code, name, member in codes:
        geometry = _outline(code)
        if geometry is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {"code": code, "name": name, "member_state": member},
                }
            )
    return {"type": "FeatureCollection", "features": features}
