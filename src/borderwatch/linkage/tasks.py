"""Background work of the linkage app (django-tasks; `borderwatch db_worker` runs these)."""

from __future__ import annotations

from django_tasks import task

from borderwatch.linkage import services


@task()
def find_duplicates(run_id: int) -> str:
    """Search one state's persons for possible duplicates; progress and pairs live on the run."""
    return str(services.run_duplicates(run_id).status)
