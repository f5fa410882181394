"""Frontex coverage as a layer of the situational picture (read through support's selectors).

One marker per visible section on the last day of the period: the officers and items of
equipment deployed there, and a highlight where pressure rises while coverage is thin. The
selector scopes it (Frontex and the Commission all states, a coordinator their own, roles that
may not view support data nothing); the section's point comes from border's selectors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.geometry import shape

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border
from borderwatch.picture import l10n
from borderwatch.picture.layers import MapLayer
from borderwatch.support.selectors import Coverage, coverage

COLOUR = "#00695c"


def _midpoints(user: User, codes: set[str]) -> dict[str, list[float]]:
    """The point halfway along each section's line (lon, lat), where its marker goes."""
    points = {}
    for code, geometry in (
        border.sections(user).filter(code__in=codes).values_list("code", "geometry")
    ):
        point = shape(geometry).interpolate(0.5, normalized=True)
        points[code] = [round(point.x, 5), round(point.y, 5)]
    return points


def _feature(c: Coverage, point: list[float]) -> dict[str, Any]:
    per_100 = l10n.number(c.officers_per_100_km, 1)
    title = _("%(section)s: officers %(officers)s, equipment %(equipment)s") % {
        "section": c.code, "officers": c.officers, "equipment": c.equipment}  # fmt: skip
    if c.flagged:
        title = _("%(title)s; pressure rising, coverage thin") % {"title": title}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": point},
        "properties": {
            "label": f"{c.code} {c.name}",
            "section": c.code,
            "member_state": c.country,
            "officers": c.officers,
            "equipment": c.equipment,
            "flagged": c.flagged,
            "alert": c.flagged,
            # nothing deployed: a small dot, not "0 · 0" (a long border would be all labels)
            "badge": f"{c.officers} · {c.equipment}" if c.officers or c.equipment else "",
            "title": title,
            "popup": [
                [_("Officers deployed"), l10n.number(c.officers)],
                [_("Equipment deployed"), l10n.number(c.equipment)],
                [_("Officers per 100 km"), per_100],
                [_("Persons (window)"), l10n.number(c.pressure)],
                [_("Persons (window before)"), l10n.number(c.previous)],
                [_("Flag"), _("Pressure rising, coverage thin") if c.flagged else "—"],
            ],
        },
    }


def coverage_layer(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
) -> MapLayer | None:
    """Deployed officers and equipment per section on the period's last day, with the sections
    where pressure rises and coverage is thin flagged; None when there is nothing to show."""
    rows = [c for c in coverage(user, end, countries) if c.officers or c.equipment or c.flagged]
    if not rows:
        return None
    points = _midpoints(user, {c.code for c in rows})
    features = [_feature(c, points[c.code]) for c in rows if c.code in points]
    flagged = sum(1 for c in rows if c.flagged)
    notes = [_("Per section: officers · items of equipment deployed.")]
    if flagged:
        notes.append(
            ngettext(
                "%(count)s section where pressure rises and coverage is thin on %(day)s.",
                "%(count)s sections where pressure rises and coverage is thin on %(day)s.",
                flagged,
            )
            % {"count": flagged, "day": l10n.day(end)}
        )
    return MapLayer(
        key="coverage",
        title=_("Frontex coverage on %(day)s") % {"day": l10n.day(end)},
        geojson={"type": "FeatureCollection", "features": features},
        colour=COLOUR,
        notes=notes,
        alert_label=_("pressure rising, coverage thin"),
    )
