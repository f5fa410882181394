"""Border sections in the database, built from the real geometry (engines.geometry)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from borderwatch.border.models import BorderSection
from borderwatch.engines import geometry


def world_atlas_dir() -> Path:
    return Path(settings.NODE_MODULES) / "world-atlas"


@lru_cache(maxsize=8)
def _section_geometries(country: str, version: tuple[int, int]) -> list[geometry.SectionGeometry]:
    rows = BorderSection.objects.filter(country_id=country).order_by("order")
    return [
        geometry.SectionGeometry(
            code=s.code,
            border=s.border,
            member_state=s.country_id,
            neighbour=s.neighbour_id,
            order=s.order,
            name=s.name,
            geometry=s.geometry,
            measured_km=s.measured_km,
            official_km=s.length_km,
            midpoint=tuple(s.geometry["coordinates"][len(s.geometry["coordinates"]) // 2][::-1]),
        )
        for s in rows
    ]


class SectionFinder:
    """Finds the section of a member state nearest to a point, from one snapshot of sections."""

    def __init__(self, country: str) -> None:
        qs = BorderSection.objects.filter(country_id=country)
        version = (qs.count(), max(qs.values_list("id", flat=True), default=0))
        self.country = country
        self.geometries = _section_geometries(country, version)
        self.ids = dict(qs.values_list("code", "id"))
        self._located: dict[tuple[float, float], tuple[int, str, float]] = {}

    def nearest(self, latitude: float, longitude: float) -> tuple[int, str, float] | None:
        """(section id, section code, distance in km), or None when the state has no sections."""
        if not self.geometries:
            return None
        found = self._located.get((latitude, longitude))
        if found is not None:
            return found
        section, km = geometry.nearest_section(self.geometries, latitude, longitude, self.country)
        return self.ids[section.code], section.code, km

    def locate(self, points: Sequence[tuple[float, float]]) -> None:
        """Find the nearest sections of many points in one pass (an import's rows), so that
        `nearest` answers them from memory: the same answers, a fraction of the time. Points
        must be positions (finite, in range); others are for `nearest` to refuse."""
        if not self.geometries or not points:
            return
        lats = [lat for lat, _ in points]
        lons = [lon for _, lon in points]
        found = geometry.nearest_sections(self.geometries, lats, lons, self.country)
        for point, (section, km) in zip(points, found, strict=True):
            self._located[point] = (self.ids[section.code], section.code, km)


def max_distance_km() -> float:
    return float(settings.SECTION_MAX_DISTANCE_KM)
