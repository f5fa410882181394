"""Reception occupancy as a layer of the situational picture (read through reception's selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from borderwatch.accounts.models import User
from borderwatch.picture.layers import MapLayer
from borderwatch.reception.selectors import occupancy_geojson


def occupancy_layer(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
) -> MapLayer | None:
    """Facilities open on the last day of the period, with occupancy against capacity."""
    collection = occupancy_geojson(user, end)
    features = [
        f
        for f in collection["features"]
        if not countries or f["properties"]["member_state"] in countries
    ]
    if not features:
        return None
    for feature in features:
        p = feature["properties"]
        p["label"] = p["name"]
        estimate = " (estimated capacity)" if p["capacity_is_estimate"] else ""
        p["popup"] = [
            ["Kind", p["kind_label"]],
            ["Occupancy", f"{p['occupied']:,} of {p['capacity']:,} places{estimate}"],
            ["Occupied", f"{p['percent']:.0f} %" + (" (above 90 %)" if p["alert"] else "")],
            ["Member state", p["member_state"]],
        ]
    alerts = sum(1 for f in features if f["properties"]["alert"])
    notes = [f"{alerts} facility(ies) above 90 % of capacity on {end:%d %b %Y}."] if alerts else []
    return MapLayer(
        key="reception",
        title=f"Reception occupancy on {end:%d %b %Y}",
        geojson={"type": "FeatureCollection", "features": features},
        colour="#6a1b9a",
        notes=notes,
    )
