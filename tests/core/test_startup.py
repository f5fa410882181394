"""The WSGI app freezes its start-up objects for the garbage collector (core.startup)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_loading_the_wsgi_app_freezes_the_objects_alive_at_start_up() -> None:
    """In a fresh interpreter (freezing the test process would keep its garbage for good): the
    URLconf is imported before the freeze, so the views are among the frozen objects."""
    script = (
        "import gc, sys\n"
        "assert gc.get_freeze_count() == 0\n"
        "import borderwatch.config.wsgi\n"
        "assert 'borderwatch.picture.views' in sys.modules, 'the views were not loaded'\n"
        "print(gc.get_freeze_count())\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "borderwatch.config.settings"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) > 10_000
