"""Procedures' part of a person's erasure (core.erasure; registration runs the erasure)."""

from __future__ import annotations

from borderwatch.core.models import TransitionRecord
from borderwatch.procedures.models import AsylumApplication


def erase_person_data(person_id: int) -> dict[str, int]:
    """Delete the person's asylum applications and their timelines, inside the caller's
    transaction (procedures keeps no files)."""
    applications = AsylumApplication.objects.filter(person_id=person_id)
    ids = [str(pk) for pk in applications.values_list("pk", flat=True)]
    deleted = applications.delete()[1].get(AsylumApplication._meta.label, 0)
    timeline, _rows = TransitionRecord.objects.filter(
        object_type=AsylumApplication._meta.label, object_id__in=ids
    ).delete()
    return {"asylum_applications": deleted, "timeline_rows": timeline}
