"""Great-circle distances between arrival points and facilities."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088


def distance_matrix_km(
    from_lat: npt.ArrayLike, from_lon: npt.ArrayLike, to_lat: npt.ArrayLike, to_lon: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Haversine distances, shape (len(from), len(to)); road distance is not known offline."""
    lat1 = np.radians(np.asarray(from_lat, dtype=float))[:, None]
    lon1 = np.radians(np.asarray(from_lon, dtype=float))[:, None]
    lat2 = np.radians(np.asarray(to_lat, dtype=float))[None, :]
    lon2 = np.radians(np.asarray(to_lon, dtype=float))[None, :]
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))
