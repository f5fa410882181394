"""Background work of the intelligence app (django-tasks): flight imports and forecasts.

With the default database backend, `borderwatch db_worker` runs these (`make run` starts one).
"""

from __future__ import annotations

from django_tasks import task

from borderwatch.intelligence import services


@task()
def import_flights_file(job_id: int) -> str:
    """Import one kept file of flight data (all rows or none); progress on the job."""
    return str(services.run_import(job_id).status)


@task()
def compute_forecast(run_id: int) -> str:
    """Backtest the models, choose one, forecast; progress and result on the run."""
    return str(services.run_forecast(run_id).status)
