"""Reception's part of a person's erasure (core.erasure; registration runs the erasure)."""

from __future__ import annotations

from borderwatch.core.models import TransitionRecord
from borderwatch.reception.models import Placement, ProposedPlacement


def erase_person_data(person_id: int) -> dict[str, int]:
    """Delete the person's placements, their timelines and the proposal rows naming the person.

    Runs inside the caller's transaction; reception keeps no files about a person.
    """
    placements = Placement.objects.filter(person_id=person_id)
    ids = [str(pk) for pk in placements.values_list("pk", flat=True)]
    # later stays point back at the ones they were transferred from: unlink, then delete
    Placement.objects.filter(transferred_to__person_id=person_id).update(transferred_to=None)
    placements.exclude(transferred_to__isnull=True).update(transferred_to=None)
    deleted = placements.delete()[1].get(Placement._meta.label, 0)
    timeline, _rows = TransitionRecord.objects.filter(
        object_type=Placement._meta.label, object_id__in=ids
    ).delete()
    # proposal rows keep person ids in JSON (a household: several); few rows are open at a time
    doomed = [
        row.pk
        for row in ProposedPlacement.objects.only("pk", "person_ids").iterator()
        if person_id in (row.person_ids or [])
    ]
    rows = ProposedPlacement.objects.filter(pk__in=doomed).delete()[0]
    return {"placements": deleted, "timeline_rows": timeline, "proposal_rows": rows}
