"""Flight suspensions (intelligence) as annotations of the picture: they concern every member
state (member_state ""), read through intelligence's selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.intelligence.selectors import suspensions
from borderwatch.picture.story import Annotation


def flight_suspensions(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
) -> list[Annotation]:
    """Suspensions of flights into Minsk in force during the period."""
    return [
        Annotation(
            day_from=s.starts,
            day_to=s.ends,
            member_state="",
            kind="flight_suspension",
            kind_label=_("Flight suspension"),
            title=s.title,
            source=s.source,
            owner_app="intelligence",
        )
        for s in suspensions(user, start, end)
    ]
