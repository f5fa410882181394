"""Extra map layers that other apps contribute to the situational picture.

The picture draws border sections and events itself. Anything else (reception occupancy,
deployments) is added by registering a provider here, so that the picture never has to
import the app that owns the data: the owner's AppConfig.ready() calls `register()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from borderwatch.accounts.models import User


@dataclass(frozen=True)
class MapLayer:
    """One extra overlay: a GeoJSON FeatureCollection and how to show it.

    Features' `properties.label` becomes the popup title; other scalar properties are listed
    (or `properties.popup`'s rows). A point with `properties.badge` is drawn as that text (a
    label) instead of a dot; `properties.alert` highlights a feature, and `alert_label` says
    in the legend what the highlight means. Every layer can be switched off in the legend.
    """

    key: str
    title: str
    geojson: dict[str, Any]
    colour: str = "#1f5fa8"
    notes: list[str] = field(default_factory=list)
    alert_label: str = ""


# (user, start, end, countries or None for all visible) -> a layer, or None when it has nothing.
LayerProvider = Callable[[User, dt.date, dt.date, Sequence[str] | None], MapLayer | None]

_providers: dict[str, LayerProvider] = {}


def register(key: str, provider: LayerProvider) -> None:
    """Add (or replace) the provider of the layer `key`; its data must be scoped to the user."""
    _providers[key] = provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def extra_layers(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
) -> list[MapLayer]:
    layers = (provider(user, start, end, countries) for provider in list(_providers.values()))
    return [layer for layer in layers if layer is not None]
