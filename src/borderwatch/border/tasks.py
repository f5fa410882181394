"""Background work of the border app (django-tasks): imports of event files.

With the default database backend, `borderwatch db_worker` runs these (`make run` starts one).
"""

from __future__ import annotations

from django_tasks import task

from borderwatch.border import imports


@task()
def import_file(job_id: int) -> str:
    """Import one stored file of events (all rows or none); progress and outcome on the job."""
    return str(imports.run_import(job_id).status)
