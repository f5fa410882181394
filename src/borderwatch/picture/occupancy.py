"""Reception occupancy as a layer of the situational picture (read through reception's selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from borderwatch.accounts.models import User
from borderwatch.picture import l10n
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
        places = {"occupied": l10n.number(p["occupied"]), "capacity": l10n.number(p["capacity"])}
        if p["capacity_is_estimate"]:
            occupancy = _("%(occupied)s of %(capacity)s places (estimated capacity)") % places
        else:
            occupancy = _("%(occupied)s of %(capacity)s places") % places
        percent = l10n.number(p["percent"], 0)
        p["popup"] = [
            [_("Kind"), p["kind_label"]],
            [_("Occupancy"), occupancy],
            [
                _("Occupied"),
                _("%(percent)s %% (above 90 %%)") % {"percent": percent}
                if p["alert"]
                else _("%(percent)s %%") % {"percent": percent},
            ],
            [_("Member state"), p["member_state"]],
        ]
    alerts = sum(1 for f in features if f["properties"]["alert"])
    notes = []
    if alerts:
        notes.append(
            ngettext(
                "%(count)s facility above 90 %% of capacity on %(day)s.",
                "%(count)s facilities above 90 %% of capacity on %(day)s.",
                alerts,
            )
            % {"count": alerts, "day": l10n.day(end)}
        )
    return MapLayer(
        key="reception",
        title=_("Reception occupancy on %(day)s") % {"day": l10n.day(end)},
        geojson={"type": "FeatureCollection", "features": features},
        colour="#6a1b9a",
        notes=notes,
    )
