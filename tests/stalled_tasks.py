"""A task for the kill test (tests/test_worker_kill.py), run by a real worker process.

`stalled_identify` is the real identification (registration.services.run_identification) whose
gallery search first waits while a file exists, so that the test can kill the worker mid-search
and let the next attempt through by removing the file.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from unittest import mock

from django_tasks import task

from borderwatch.registration import gallery, services

MAX_STALL_SECONDS = 120.0  # a forgotten file never holds a worker for ever


@task()
def stalled_identify(request_id: int, stall_file: str) -> str:
    real = gallery.search_and_enrol

    def stalled(*args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + MAX_STALL_SECONDS
        while Path(stall_file).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return real(*args, **kwargs)

    with mock.patch.object(gallery, "search_and_enrol", stalled):
        return str(services.run_identification(request_id).status)
