"""Keeping the daily rollups (models.EventRollup) in step with the events.

Every write that changes events changes the rollups in its own transaction: `count_created`
for inserted events (`services.create_events`: reports, imports, news, the scenario),
`recount(before, after)` with the keys of an event before and after a correction or a
withdrawal, `uncount` before a delete of many. `rebuild` recounts everything from the events;
a test proves that it equals the rollups kept step by step. The figures (border.selectors)
read the rollups, so a day of a year is a few hundred rows, not every event.

A key is (member state, section, local day, event type, nationality); the blank nationality
counts whole events, a code that nationality's share (see EventRollup). The same counts summed
over the sections (EventStateRollup: member state, local day, type, nationality) are kept by
the same calls, for the figures of whole states.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet, Sum

from borderwatch.border.models import ALL_NATIONALITIES, Event, EventRollup, EventStateRollup
from borderwatch.border.validation import ValidEvent
from borderwatch.core import audit, counts
from borderwatch.core.audit import Action

# (country, section id, local day, event type, nationality or ALL_NATIONALITIES)
Key = tuple[str, int, dt.date, str, str]
Counts = tuple[int, int]  # (persons, events)
Tally = dict[Key, Counts]
KEY_COLUMNS = ("country_id", "section_id", "day", "event_type", "nationality")
# (country, local day, event type, nationality or ALL_NATIONALITIES): summed over sections
StateKey = tuple[str, dt.date, str, str]
STATE_KEY_COLUMNS = ("country_id", "day", "event_type", "nationality")
CHUNK = 2000


def keys_of(event: Event, nationalities: Mapping[str, int]) -> Tally:
    """What one event adds to the rollups (nothing once withdrawn): its persons on the blank
    nationality's key, each nationality's persons on that nationality's key, one event each."""
    if not event.is_live:
        return {}
    base = (event.country_id, event.section_id, event.local_date, str(event.event_type))
    return _keys(base, int(event.persons), nationalities)


def _keys(base: tuple[str, int, dt.date, str], persons: int, shares: Mapping[str, int]) -> Tally:
    found: Tally = {(*base, ALL_NATIONALITIES): (persons, 1)}
    for code, count in shares.items():
        found[(*base, code)] = (int(count), 1)
    return found


def nationalities_of(event: Event) -> dict[str, int]:
    """The event's nationality rows as stored (read before a change replaces them)."""
    return dict(event.nationalities.values_list("nationality", "persons"))


def recount(before: Tally, after: Tally) -> None:
    """One event changed (corrected, withdrawn): take its old keys off and put its new ones on."""
    change = dict(after)
    for key, (persons, events) in before.items():
        p, n = change.get(key, (0, 0))
        change[key] = (p - persons, n - events)
    _add(change)


def count_created(events: Iterable[tuple[Event, Mapping[str, int]]]) -> None:
    """Events inserted in bulk, each with its nationalities (bulk inserts run no per-event code)."""
    _add(_summed(keys_of(event, nationalities) for event, nationalities in events))


def count_inserted(state: str, events: Iterable[ValidEvent]) -> None:
    """Events just inserted from their validated values (`ingest`, which makes no Event
    objects): the same keys as `count_created`, summed per section and per state in one pass
    (an import counts tens of thousands of events at once)."""
    sections: dict[Key, list[int]] = {}
    states: dict[StateKey, list[int]] = {}
    for v in events:
        for code, persons in ((ALL_NATIONALITIES, v.persons), *v.nationalities.items()):
            for total in (
                sections.setdefault(
                    (state, v.section_id, v.local_date, v.event_type, code), [0, 0]
                ),
                states.setdefault((state, v.local_date, v.event_type, code), [0, 0]),
            ):
                total[0] += persons
                total[1] += 1
    _add(
        {key: (p, n) for key, (p, n) in sections.items()},
        {key: (p, n) for key, (p, n) in states.items()},
    )


def _summed(tallies: Iterable[Tally]) -> Tally:
    change: dict[Key, list[int]] = {}
    for found in tallies:
        for key, (persons, n) in found.items():
            total = change.setdefault(key, [0, 0])
            total[0] += persons
            total[1] += n
    return {key: (p, n) for key, (p, n) in change.items()}


def uncount(events: QuerySet[Event]) -> None:
    """Events about to be deleted: subtract them (call before the delete, same transaction)."""
    _add({key: (-p, -n) for key, (p, n) in tally(events).items()})


def tally(events: QuerySet[Any]) -> Tally:
    """The rollups of a set of events (the live ones among them), grouped in the database: one
    query for the whole events, one for their nationality rows. Takes the events' model from the
    queryset, so that a migration can pass its historical one."""
    live = events.filter(deleted_at__isnull=True).order_by()
    found: Tally = {}
    totals = live.values_list("country_id", "section_id", "local_date", "event_type").annotate(
        p=Sum("persons"), n=Count("id")
    )
    for country, section, day, kind, persons, n in totals:
        found[(country, section, _as_date(day), kind, ALL_NATIONALITIES)] = (int(persons), int(n))
    shares_model = events.model._meta.get_field("nationalities").related_model
    shares = (
        shares_model.objects.filter(event__in=live.values("pk"))
        .order_by()
        .values_list(
            "event__country_id", "event__section_id", "event__local_date", "event__event_type",
            "nationality",
        )
        .annotate(p=Sum("persons"), n=Count("id"))
    )  # fmt: skip
    for country, section, day, kind, code, persons, n in shares:
        found[(country, section, _as_date(day), kind, code)] = (int(persons), int(n))
    return found


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@transaction.atomic
def rebuild() -> int:
    """Recount every event; returns the number of rollup rows (sections' and states'). Audited
    as the system."""
    removed = EventRollup.objects.count() + EventStateRollup.objects.count()
    EventRollup.objects.all().delete()
    EventStateRollup.objects.all().delete()
    found = tally(Event.objects.all())
    rows = [
        EventRollup(**dict(zip(KEY_COLUMNS, key, strict=True)), persons=p, events=n)
        for key, (p, n) in found.items()
        if p or n
    ]
    EventRollup.objects.bulk_create(rows, batch_size=CHUNK)
    state_rows = [
        EventStateRollup(**dict(zip(STATE_KEY_COLUMNS, key, strict=True)), persons=p, events=n)
        for key, (p, n) in by_state(found).items()
        if p or n
    ]
    EventStateRollup.objects.bulk_create(state_rows, batch_size=CHUNK)
    whole = [c for key, c in found.items() if key[4] == ALL_NATIONALITIES]
    audit.record(
        None, Action.EVENT_ROLLUPS_REBUILD, object_type=EventRollup._meta.label,
        old={"rows": removed},
        new={"rows": len(rows) + len(state_rows), "events": sum(n for _, n in whole),
             "persons": sum(p for p, _ in whole)},
    )  # fmt: skip
    return len(rows) + len(state_rows)


def by_state(found: Mapping[Key, Counts]) -> dict[StateKey, Counts]:
    """Section keys summed over the sections (keys that sum to nothing are left out)."""
    summed: dict[StateKey, list[int]] = defaultdict(lambda: [0, 0])
    for (country, _section, day, kind, code), (persons, events) in found.items():
        total = summed[(country, day, kind, code)]
        total[0] += persons
        total[1] += events
    return {key: (p, n) for key, (p, n) in summed.items() if p or n}


def kept() -> Tally:
    """The rollups as kept (rows at zero left out): what `rebuild` must reproduce."""
    rows = EventRollup.objects.exclude(persons=0, events=0).values_list(
        *KEY_COLUMNS, "persons", "events"
    )
    return {(c, s, d, t, code): (p, n) for c, s, d, t, code, p, n in rows}


def kept_states() -> dict[StateKey, Counts]:
    """The states' rollups as kept (rows at zero left out)."""
    rows = EventStateRollup.objects.exclude(persons=0, events=0).values_list(
        *STATE_KEY_COLUMNS, "persons", "events"
    )
    return {(c, d, t, code): (p, n) for c, d, t, code, p, n in rows}


def differences() -> dict[Key | StateKey, tuple[Counts, Counts]]:
    """Keys whose kept rollup (a section's or a state's) differs from a recount: key -> (kept,
    recounted). Empty when the rollups are right; changes nothing."""
    recounted = {key: c for key, c in tally(Event.objects.all()).items() if c != (0, 0)}
    wrong: dict[Key | StateKey, tuple[Counts, Counts]] = {}
    pairs: tuple[tuple[Mapping[Any, Counts], Mapping[Any, Counts]], ...] = (
        (kept(), recounted),
        (kept_states(), by_state(recounted)),
    )
    for now, real in pairs:
        for key in now.keys() | real.keys():
            if now.get(key, (0, 0)) != real.get(key, (0, 0)):
                wrong[key] = (now.get(key, (0, 0)), real.get(key, (0, 0)))
    return wrong


def _add(change: Mapping[Key, Counts], states: Mapping[StateKey, Counts] | None = None) -> None:
    """Add to the rollups (negative: take off) in the writer's transaction (core.counts: an
    upsert that adds; a subtraction that would go missing raises CountDrift). `states`: the
    change summed per state, where the caller has it already (else summed here)."""
    counts.add(EventRollup, KEY_COLUMNS, ("persons", "events"), change, rebuild=REBUILD)
    counts.add(
        EventStateRollup, STATE_KEY_COLUMNS, ("persons", "events"),
        by_state(change) if states is None else states, rebuild=REBUILD,
    )  # fmt: skip


CountDrift = counts.CountDrift
REBUILD = "event_rollups rebuild"
