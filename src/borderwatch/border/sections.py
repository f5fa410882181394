"""Border sections in the database, built from the real geometry (engines.geometry)."""

from __future__ import annotations

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

    def nearest(self, latitude: float, longitude: float) -> tuple[int, str, float] | None:
        """(section id, section code, distance in km), or None when the state has no sections."""
        if not self.geometries:
            return None
        section, km = geometry.nearest_section(self.geometries, latitude, longitude, self.country)
        return self.ids[section.code], section.code, km


def max_distance_km() -> float:
    return float(settings.SECTION_MAX_DISTANCE_KM)
