"""Background work of the registration app (django-tasks).

With the default database backend, `borderwatch db_worker` runs these (`make run` starts one).
"""

from __future__ import annotations

from django_tasks import task

from borderwatch.registration import services


@task()
def identify(request_id: int) -> str:
    """Run one identification request; the outcome and progress live on the request row."""
    return str(services.run_identification(request_id).status)
