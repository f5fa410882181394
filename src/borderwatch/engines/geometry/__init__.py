"""Geometry engine: the EU's land borders with Belarus cut into sections, look-ups and
random points near them. Framework-free (no Django), so the scenario, the map and the
benchmarks share one implementation; the border app stores what it returns."""

from borderwatch.engines.geometry.borders import (
    BORDERS,
    MIN_PLACE_POPULATION,
    OFFICIAL_LENGTH_KM,
    TARGET_SECTION_KM,
    TOPOJSON_FILE,
    GeographyError,
    SectionGeometry,
    border_line,
    country_polygon,
    load_border_sections,
    nearest_section,
    nearest_sections,
    populated_places,
    random_points_near,
)

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
