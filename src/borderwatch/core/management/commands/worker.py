"""`borderwatch worker [--supervise]`: the task worker, with a heartbeat and recovery.

It is django_tasks_db's `db_worker` (same options) plus, beside it, a heartbeat thread
(core.workers.Heartbeat) that records the worker as alive, recovers the work of dead workers
when it starts and every half stale-limit, and stops the worker if its supervisor died.
`--supervise` runs no task itself: it keeps one such worker running, starting a new one when it
dies (core.supervisor), and is what `make run` starts.
"""

from __future__ import annotations

import os
import signal
import sys
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from borderwatch.core import workers
from borderwatch.core.supervisor import SUPERVISOR_PID_ENV, Supervisor


class Command(DbWorkerCommand):
    help = (
        "Run a task worker that records a heartbeat and recovers the tasks of workers that died "
        "(db_worker's options); --supervise keeps one running, restarting it when it dies."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--supervise",
            action="store_true",
            help="run no task here: keep one worker process running, restarting it when it dies",
        )
        parser.add_argument(
            "--stop-grace",
            type=float,
            default=30.0,
            help="with --supervise: seconds a stopping worker may take to finish its task "
            "before it is killed (its task is then recovered) (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The autoreloader would run the heartbeat in a second process under the same id.
        options["reload"] = False
        if options.pop("supervise"):
            if options["batch"]:
                raise CommandError("--supervise would start a --batch worker again and again.")
            stop_grace = float(options.pop("stop_grace"))
            self.configure_logging(int(options["verbosity"]))
            Supervisor(child_command(options), stop_grace=stop_grace).run()
            return
        options.pop("stop_grace")
        heartbeat = workers.Heartbeat(options["worker_id"], on_beat=stop_if_orphaned())
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()


def child_command(options: dict[str, Any]) -> list[str]:
    """The command line of a supervised worker: this worker's options, a new worker id."""
    command = [sys.executable, "-m", "borderwatch.cli", "worker"]
    command += ["--queue-name", str(options["queue_name"]), "--interval", str(options["interval"])]
    command += ["--backend", str(options["backend_name"]), "-v", str(options["verbosity"])]
    if options.get("exclude_queues"):
        command += ["--exclude-queues", str(options["exclude_queues"])]
    if not options["startup_delay"]:
        command.append("--no-startup-delay")
    if options.get("max_tasks"):
        command += ["--max-tasks", str(options["max_tasks"])]
    if options.get("batch"):
        command.append("--batch")
    return command


def stop_if_orphaned() -> Callable[[], None]:
    """A check for each heartbeat: a supervised worker whose supervisor died stops (SIGTERM to
    itself: it finishes its task first) rather than run on unsupervised."""
    supervisor = int(os.environ.get(SUPERVISOR_PID_ENV, "0") or 0)
    asked = False

    def check() -> None:
        nonlocal asked
        if supervisor and not asked and os.getppid() != supervisor:
            asked = True
            os.kill(os.getpid(), signal.SIGTERM)

    return check
