"""One search over the apps' own searches: persons (registration) and events (border).

No table of its own: each app scopes its results by role and member state (persons: national
roles of the person's state only; events: every role within its states).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border
from borderwatch.border.selectors import Event
from borderwatch.registration import selectors as registration
from borderwatch.registration.selectors import PersonMatch

MIN_QUERY = 2
MAX_QUERY = 100


@dataclass
class Results:
    query: str
    problem: str = ""
    persons: list[PersonMatch] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.persons and not self.events


def problem(query: str) -> str:
    """What is wrong with a query ("" when it can be searched)."""
    text = query.strip()
    if len(text) < MIN_QUERY:
        return _("Type at least %(count)s characters to search.") % {"count": MIN_QUERY}
    if len(text) > MAX_QUERY:
        return _("The search is longer than %(count)s characters.") % {"count": MAX_QUERY}
    return ""


def search(user: User, query: str) -> Results:
    """Persons and events matching the query, each within the user's scope."""
    text = (query or "").strip()
    wrong = problem(text)
    if wrong:
        return Results(text, wrong)
    return Results(
        text,
        persons=registration.search_persons(user, text),
        events=list(border.search_events(user, text)),
    )
