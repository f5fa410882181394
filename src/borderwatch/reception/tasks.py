"""Background work of the reception app (django-tasks).

With the default database backend, `borderwatch db_worker` runs these (`make run` starts one).
"""

from __future__ import annotations

from django_tasks import task

from borderwatch.reception import services


@task()
def propose(proposal_id: int) -> str:
    """Compute one placement proposal; its progress and rows live on the proposal."""
    return str(services.run_proposal(proposal_id).status)
