"""Keeping the case counts (models.figures) in step with the cases.

Every service that creates, moves or deletes an application changes the counts in its own
transaction: `recount(before, after)` with the keys of the case before and after the change.
Bulk paths (the scenario, the benchmark) count what they created with `count_created`; deletes
of many cases subtract with `uncount`. `rebuild` recounts everything from the cases; a test
proves that it equals the counts kept step by step.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, F, QuerySet
from django.db.models.functions import TruncMonth

from borderwatch.core import audit, counts
from borderwatch.core.audit import Action
from borderwatch.procedures.models import AsylumApplication, CaseCount, Measure

# (member_state, measure, day, status, nationality, decision)
Key = tuple[str, str, dt.date, str, str, str]
KEY_FIELDS = ("member_state", "measure", "day", "status", "nationality", "decision")
CHUNK = 2000


def keys_of(case: AsylumApplication) -> list[Key]:
    """The counts one case adds to: one key per measure it has a day for."""
    state = case.member_state
    keys: list[Key] = [(state, Measure.MADE.value, case.made_on, str(case.status), "", "")]
    if case.due_on is not None:
        keys.append((state, Measure.DUE.value, case.due_on, "", "", ""))
    if case.decided_on is not None:
        for measure, day in (
            (Measure.DECIDED, case.decided_on),
            (Measure.DECIDED_MONTH, case.decided_on.replace(day=1)),
        ):
            keys.append((state, measure.value, day, "", case.nationality, case.decision))
    if case.appealed_on is not None:
        for measure, day in (
            (Measure.APPEALED, case.appealed_on),
            (Measure.APPEALED_MONTH, case.appealed_on.replace(day=1)),
        ):
            keys.append((state, measure.value, day, "", case.nationality, ""))
    if case.final_on is not None:
        keys.append((state, Measure.FINAL.value, case.final_on, "", "", ""))
    return keys


def recount(before: Iterable[Key], after: Iterable[Key]) -> None:
    """One case changed: take its old keys off and put its new ones on."""
    change: Counter[Key] = Counter(after)
    change.subtract(Counter(before))
    _add(change)


def count_created(cases: Iterable[AsylumApplication]) -> None:
    """Cases created in bulk (bulk_create skips the per-case services)."""
    change: Counter[Key] = Counter()
    for case in cases:
        change.update(keys_of(case))
    _add(change)


def uncount(cases: QuerySet[AsylumApplication]) -> None:
    """Cases about to be deleted: subtract them (call before the delete, same transaction)."""
    change = tally(cases)
    _add({key: -n for key, n in change.items()})


def tally(cases: QuerySet[Any]) -> Counter[Key]:
    """The counts of a set of cases, grouped in the database (one query per measure)."""
    found: Counter[Key] = Counter()
    plain = cases.order_by()
    groups: list[tuple[str, str, bool, tuple[str, ...]]] = [
        (Measure.MADE.value, "made_on", False, ("status",)),
        (Measure.DUE.value, "due_on", False, ()),
        (Measure.DECIDED.value, "decided_on", False, ("nationality", "decision")),
        (Measure.DECIDED_MONTH.value, "decided_on", True, ("nationality", "decision")),
        (Measure.APPEALED.value, "appealed_on", False, ("nationality",)),
        (Measure.APPEALED_MONTH.value, "appealed_on", True, ("nationality",)),
        (Measure.FINAL.value, "final_on", False, ()),
    ]
    for measure, day_field, monthly, labels in groups:
        day = TruncMonth(day_field, output_field=DateField()) if monthly else F(day_field)
        rows = (
            plain.filter(**{f"{day_field}__isnull": False})
            .annotate(counted_day=day)
            .values("member_state", "counted_day", *labels)
            .annotate(n=Count("id"))
        )
        for row in rows:
            key: Key = (
                row["member_state"],
                measure,
                _as_date(row["counted_day"]),
                row.get("status", "") or "",
                row.get("nationality", "") if "nationality" in labels else "",
                row.get("decision", "") or "",
            )
            found[key] += int(row["n"])
    return found


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@transaction.atomic
def rebuild() -> int:
    """Recount every case; returns the number of count rows."""
    CaseCount.objects.all().delete()
    found = tally(AsylumApplication.objects.all())
    rows = [
        CaseCount(**dict(zip(KEY_FIELDS, key, strict=True)), n=n) for key, n in found.items() if n
    ]
    CaseCount.objects.bulk_create(rows, batch_size=CHUNK)
    audit.record(
        None, Action.PROCEDURE_FIGURES_REBUILD, object_type=CaseCount._meta.label,
        new={"rows": len(rows), "cases": sum(n for key, n in found.items() if key[1] == "made")},
    )  # fmt: skip
    return len(rows)


def kept_counts() -> dict[Key, int]:
    """The counts as kept (rows at zero left out): what `rebuild` must reproduce."""
    return {
        tuple(row[f] for f in KEY_FIELDS): row["n"]
        for row in CaseCount.objects.filter(n__gt=0).values(*KEY_FIELDS, "n")
    }


def differences() -> dict[Key, tuple[int, int]]:
    """Keys whose kept count differs from a recount: key -> (kept, recounted). Empty when the
    counts are right; changes nothing."""
    kept = kept_counts()
    recounted = {key: n for key, n in tally(AsylumApplication.objects.all()).items() if n}
    return {
        key: (kept.get(key, 0), recounted.get(key, 0))
        for key in kept.keys() | recounted.keys()
        if kept.get(key, 0) != recounted.get(key, 0)
    }


def _add(change: Mapping[Key, int]) -> None:
    """Add to the counts (negative: take off) in the writer's transaction (core.counts: an
    upsert that adds; a subtraction that would go missing raises CountDrift)."""
    counts.add(CaseCount, KEY_FIELDS, ("n",), {k: (n,) for k, n in change.items()}, rebuild=REBUILD)


CountDrift = counts.CountDrift
REBUILD = "procedure_figures rebuild"
