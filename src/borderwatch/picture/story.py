"""The story of the picture: annotations of what happened, drawn on the chart and the map.

The picture owns no fact. Each app that owns a kind of fact (border: its measures; support, when
it comes: Frontex deployments and EU funding; intelligence: flight suspensions) registers a
provider here, and the chart, the map and the figures show the annotations of every provider.

A provider is called with the user, the period and the chosen countries (None: every country
the user may see). It returns the annotations *in force on at least one day of the period*,
read through its app's scoped selectors, so a user sees only what their role and member state
allow; the picture narrows again to the period and the countries, never widens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from borderwatch.accounts.models import User


@dataclass(frozen=True)
class Annotation:
    """One fact with a period: from `day_from` to `day_to` inclusive (None: still in force)."""

    day_from: dt.date
    day_to: dt.date | None
    member_state: str  # the member state it concerns ("" for the whole EU)
    kind: str  # the owner's code, e.g. "state_of_emergency"
    kind_label: str
    title: str
    source: str
    owner_app: str  # the app that owns the fact: "border", "support", "intelligence"

    def in_period(self, start: dt.date, end: dt.date) -> bool:
        return self.day_from <= end and (self.day_to is None or self.day_to >= start)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["day_from"] = self.day_from.isoformat()
        data["day_to"] = self.day_to.isoformat() if self.day_to else None
        return data


AnnotationProvider = Callable[[User, dt.date, dt.date, Sequence[str] | None], Iterable[Annotation]]

_providers: dict[str, AnnotationProvider] = {}


def register(owner_app: str, provider: AnnotationProvider) -> None:
    """Add (or replace) the annotation provider of an app; it must scope to the user."""
    _providers[owner_app] = provider


def unregister(owner_app: str) -> None:
    _providers.pop(owner_app, None)


def providers() -> list[str]:
    """The apps whose annotations the picture shows now."""
    return sorted(_providers)


def collect(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None = None
) -> list[Annotation]:
    """Every provider's annotations in force during the period, oldest first."""
    found: list[Annotation] = []
    for provider in list(_providers.values()):
        found += [
            a
            for a in provider(user, start, end, countries)
            if a.in_period(start, end)
            and (countries is None or not a.member_state or a.member_state in countries)
        ]
    return sorted(found, key=lambda a: (a.day_from, a.member_state, a.owner_app, a.title))
