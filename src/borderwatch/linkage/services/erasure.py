"""Linkage's part of a person's erasure (core.erasure; registration runs the erasure)."""

from __future__ import annotations

from django.db.models import Q

from borderwatch.core.models import TransitionRecord
from borderwatch.linkage.models import CandidatePair, Decision


def erase_person_data(person_id: int) -> dict[str, int]:
    """Delete the pairs naming the person (either side), their decisions and timelines.

    Runs inside the caller's transaction; the linkage app keeps no files.
    """
    pairs = CandidatePair.objects.filter(Q(person_id=person_id) | Q(other_id=person_id))
    ids = [str(pk) for pk in pairs.values_list("pk", flat=True)]
    decisions = Decision.objects.filter(pair__in=pairs).delete()[0]
    deleted = pairs.delete()[0]
    timeline, _rows = TransitionRecord.objects.filter(
        object_type=CandidatePair._meta.label, object_id__in=ids
    ).delete()
    return {"pairs": deleted, "decisions": decisions, "timeline_rows": timeline}
