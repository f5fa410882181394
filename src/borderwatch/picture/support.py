"""Frontex deployments and EU funding decisions as annotations of the picture (read through
support's scoped selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.picture.story import Annotation
from borderwatch.support.selectors import facts


def support_facts(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None
) -> list[Annotation]:
    """Operational plans in force and funding offers and awards in the period."""
    labels = {
        "deployment": _("Frontex deployment"),
        "funding_offer": _("EU funding offered"),
        "funding_award": _("EU funding awarded"),
    }
    return [
        Annotation(
            day_from=f.day_from,
            day_to=f.day_to,
            member_state=f.member_state,
            kind=f.kind,
            kind_label=labels.get(f.kind, f.kind),
            title=f.title,
            source=f.source,
            owner_app="support",
        )
        for f in facts(user, start, end, countries)
    ]
