"""Border measures as annotations of the picture (read through border's scoped selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from borderwatch.accounts.models import User
from borderwatch.border.selectors import measures
from borderwatch.picture.story import Annotation


def border_measures(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
) -> list[Annotation]:
    """States of emergency, turn-back orders, fences and closures in force in the period."""
    return [
        Annotation(
            day_from=m.starts,
            day_to=m.ends,
            member_state=m.member_state,
            kind=m.kind,
            kind_label=m.kind_label,
            title=m.title,
            source=m.source,
            owner_app="border",
        )
        for m in measures(user, start, end, countries)
    ]
