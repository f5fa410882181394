"""Reads of the audit trail (core.models.AuditEntry), scoped by VIEW_AUDIT and member state.

Who reads what follows the capability table (core.roles) and `visible_states`:
- a national coordinator reads the entries filed under their own member state: who read or
  changed their state's records, other states' reads included (`audit.record_read` files a
  cross-state read under the record's owner);
- a Frontex analyst reads every state's entries; each page of another state's entries they read
  is itself a cross-state read, recorded here (Action.AUDIT_VIEW, filed under that state, naming
  the entries read), so that state's coordinator sees it.
A person's access log and the data-subject access document concern one person's records: they
need VIEW_AUDIT and the person (registration's `person` selector: a national role of the person's
state), so only the owning state's coordinator; another state's person answers like a missing one.

Pages are read by keyset (entry number), never by counting or loading the whole trail.
Old and new values are never shown: they may hold personal data an EU-level role may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import can, check, in_scope
from borderwatch.core.roles import Capability
from borderwatch.reception import selectors as reception
from borderwatch.registration import selectors as registration

if TYPE_CHECKING:  # a type only: the person comes from registration's selectors
    from borderwatch.registration.models import Person

PAGE_SIZE = 50
MAX_PAGE = 200
SUBJECT_LOG_LIMIT = 1000  # entries of a person's log in the subject-access document

# Actions that disclose a record rather than change it (the "read" kind of an entry).
READS = frozenset(
    {
        Action.PERSON_VIEW,
        Action.HIT_VIEW,
        Action.FINGER_VIEW,
        Action.REGISTRATION_EXPORT,
        Action.EVENT_EXPORT,
        Action.AUDIT_VIEW,
        Action.AUDIT_EXPORT,
        Action.AUDIT_SUBJECT_ACCESS,
    }
)
# Reads that name the person read in their detail ({"person": id}) rather than by object.
_PERSON_IN_DETAIL = [str(Action.HIT_VIEW), str(Action.FINGER_VIEW)]
_PLACEMENT = "reception.Placement"
_PERSON = "registration.Person"
_DOCUMENT = "registration.Document"


@dataclass(frozen=True)
class Filters:
    """What the trail is narrowed to; empty values filter nothing."""

    user: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    state: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    def query(self) -> dict[str, str]:
        """The filters as query parameters (links to other pages keep them)."""
        values = {
            "user": self.user, "action": self.action, "object_type": self.object_type,
            "object_id": self.object_id, "state": self.state,
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
        }  # fmt: skip
        return {k: v for k, v in values.items() if v}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _apply(qs: QuerySet[AuditEntry], f: Filters) -> QuerySet[AuditEntry]:
    if f.user:
        qs = qs.filter(actor_username=f.user)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.state:
        qs = qs.filter(member_state=f.state)
    if f.start:  # the period in the server's time zone, as bounds the index can use
        qs = qs.filter(at__gte=_day_start(f.start))
    if f.end:
        qs = qs.filter(at__lt=_day_start(f.end + dt.timedelta(days=1)))
    return qs


def entries(user: User, filters: Filters | None = None) -> QuerySet[AuditEntry]:
    """The entries the user may read (VIEW_AUDIT: their state's, or every state's for an
    EU-level role), filtered, newest first. Nothing is read yet: callers page or stream it."""
    check(user, Capability.VIEW_AUDIT)
    qs = in_scope(AuditEntry.objects.select_related("actor"), user)
    return _apply(qs, filters or Filters()).order_by("-pk")


@dataclass(frozen=True)
class EntryRow:
    """One entry as the viewer shows it: who, when, what, on which object, filed under which
    state; no old or new values."""

    id: int
    at: dt.datetime
    user: str
    user_state: str
    action: str
    object_type: str
    object_id: str
    member_state: str

    @property
    def kind(self) -> str:
        return "read" if self.action in READS else "change"

    @property
    def kind_label(self) -> str:
        return _("read") if self.kind == "read" else _("change")

    @property
    def person_id(self) -> int | None:
        """The person an entry is about when its object is a person (for a link to its log)."""
        if self.object_type == _PERSON and self.object_id.isdigit():
            return int(self.object_id)
        return None


def row(e: AuditEntry) -> EntryRow:
    """An entry as a row (its actor joined in the same query: select_related)."""
    state = e.actor.member_state if e.actor is not None else ""
    return EntryRow(
        e.pk, e.at, e.actor_username, state, e.action, e.object_type, e.object_id, e.member_state
    )


@dataclass(frozen=True)
class Page:
    """A page of entries, newest first, with the cursors of its neighbours: `older` is passed as
    `before` for the next page, `newer` as `after` for the previous one (None: no such page)."""

    rows: list[EntryRow]
    older: int | None = None
    newer: int | None = None


def _page(
    qs: QuerySet[AuditEntry], before: int | None, after: int | None, limit: int
) -> list[AuditEntry]:
    if after is not None:  # the page just newer than `after`, read upwards, shown newest first
        return list(reversed(qs.filter(pk__gt=after).order_by("pk")[:limit]))
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs[:limit])


def _paged(
    qs: QuerySet[AuditEntry], before: int | None, after: int | None, limit: int
) -> tuple[list[AuditEntry], Page]:
    limit = max(1, min(limit, MAX_PAGE))
    found = _page(qs, before, after, limit)
    if not found:
        return found, Page([])
    older = found[-1].pk if qs.filter(pk__lt=found[-1].pk).exists() else None
    newer = found[0].pk if qs.filter(pk__gt=found[0].pk).exists() else None
    return found, Page([row(e) for e in found], older, newer)


def _note_read(user: User, found: list[AuditEntry]) -> None:
    """An EU-level read of a state's entries is a cross-state read: one entry per state on the
    page, filed under it, naming the entries read (record_read skips the viewer's own state
    and entries of no state)."""
    by_state: dict[str, list[AuditEntry]] = {}
    for e in found:
        by_state.setdefault(e.member_state, []).append(e)
    audit.record_read(
        user,
        Action.AUDIT_VIEW,
        (
            (group[0], state, {"entries": [e.pk for e in group]})
            for state, group in by_state.items()
        ),
    )


def page(
    user: User,
    filters: Filters | None = None,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """A page of the trail the user may read, newest first. Another state's entries read by an
    EU-level role are audited (Action.AUDIT_VIEW)."""
    found, result = _paged(entries(user, filters), before, after, limit)
    _note_read(user, found)
    return result


def export_rows(user: User, filters: Filters | None = None) -> Iterator[EntryRow]:
    """Every entry of the filtered trail, streamed from the database in chunks (for the CSV
    export: services.note_export audits it first)."""
    for e in entries(user, filters).iterator(chunk_size=2000):
        yield row(e)


def export_states(user: User, filters: Filters | None = None) -> list[str]:
    """The member states whose entries a filtered export holds (one query, no rows read)."""
    qs = entries(user, filters).order_by().values_list("member_state", flat=True).distinct()
    return sorted(s for s in qs if s)


# ---- one person: the access log, its summary and the data-subject access document -------------


def _person_log(user: User, person_id: int) -> tuple[Person, QuerySet[AuditEntry]]:
    """The person and the entries about their records: the person, documents (deleted ones
    too, by the person named in their values), fingerprint sets, fingers, captures, identification requests, hits on either side,
    placements; and reads of another state that name the person in their detail. Scoped like
    the trail. DoesNotExist for a person the user may not see (another state's)."""
    check(user, Capability.VIEW_AUDIT)
    person = registration.person(user, person_id)
    ids = registration.record_object_ids(person.pk)
    ids[_PLACEMENT] = list(
        reception.placements(user).filter(person_id=person.pk).values_list("pk", flat=True)
    )
    # a deleted document is no longer found by id: its entries' values name the person
    documents = Q(new_values__person_id=person.pk) | Q(old_values__person_id=person.pk)
    about = Q(action__in=_PERSON_IN_DETAIL, new_values__person=person.pk) | (
        Q(object_type=_DOCUMENT) & documents
    )
    for label, pks in ids.items():
        if pks:
            about |= Q(object_type=label, object_id__in=[str(pk) for pk in pks])
    qs = in_scope(AuditEntry.objects.select_related("actor").filter(about), user)
    return person, qs.order_by("-pk")


def person_log(
    user: User,
    person_id: int,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[Person, Page]:
    """A page of one person's access log (who read or changed their records), newest first."""
    person, qs = _person_log(user, person_id)
    return person, _paged(qs, before, after, limit)[1]


@dataclass(frozen=True)
class Recipient:
    """A user outside the person's state who read the person's records."""

    user: str
    state: str
    reads: int
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True)
class AccessSummary:
    """What the person's page says of the access log."""

    entries: int
    last: dt.datetime | None
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def other_states(self) -> list[str]:
        return sorted({r.state for r in self.recipients if r.state})


def _recipients(qs: QuerySet[AuditEntry], state: str) -> list[Recipient]:
    """Who outside `state` read the records (EU-level users too), with how often and when."""
    rows = (
        qs.filter(action__in=[str(a) for a in READS], actor__isnull=False)
        .exclude(actor__member_state=state)
        .order_by()
        .values_list("actor_username", "actor__member_state")
        .annotate(n=Count("pk"), first=Min("at"), last=Max("at"))
        .order_by("actor__member_state", "actor_username")
    )
    return [Recipient(u, s, n, first, last) for u, s, n, first, last in rows]


def person_access_summary(user: User, person_id: int) -> AccessSummary:
    """How many entries the person's log holds, the latest, and who outside the state read the
    records (aggregates: no entry is loaded)."""
    person, qs = _person_log(user, person_id)
    agg = qs.order_by().aggregate(n=Count("pk"), last=Max("at"))
    return AccessSummary(agg["n"], agg["last"], _recipients(qs, person.member_state))


def may_see_access_log(user: User) -> bool:
    """Whether the user's role may read access logs (the person's page shows the link)."""
    return can(user, Capability.VIEW_AUDIT) and can(user, Capability.VIEW_PERSONS)


def subject_log(user: User, person_id: int) -> tuple[list[EntryRow], bool, list[Recipient]]:
    """The person's access log for the subject-access document (at most SUBJECT_LOG_LIMIT
    entries, newest first; the flag says whether that is all of it) and its recipients."""
    person, qs = _person_log(user, person_id)
    found = [row(e) for e in qs[: SUBJECT_LOG_LIMIT + 1]]
    complete = len(found) <= SUBJECT_LOG_LIMIT
    return found[:SUBJECT_LOG_LIMIT], complete, _recipients(qs, person.member_state)
