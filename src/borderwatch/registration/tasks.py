"""Background work of the registration app (django-tasks).

With the default database backend, `borderwatch db_worker` runs these (`make run` starts one).
"""

from __future__ import annotations

from django_tasks import task

from borderwatch.registration import gallery, services


@task()
def identify(request_id: int) -> str:
    """Run one identification request; the outcome and progress live on the request row.
    Queues a compaction of the gallery once its journal is long enough."""
    status = str(services.run_identification(request_id).status)
    if gallery.compaction_due():
        compact_gallery.enqueue()
    return status


@task()
def compact_gallery() -> bool:
    """Fold the gallery's journal into a new snapshot (searches go on meanwhile)."""
    return services.compact_gallery()


@task()
def extract_capture(capture_id: int) -> str:
    """Extract the features of one capture's fingers and save its set; progress on the row."""
    return str(services.run_capture(capture_id).status)


@task()
def erase_due_records() -> int:
    """The daily retention job: erase every person whose retention period has ended."""
    return services.erase_due()
