"""`borderwatch tasks recover|workers`: the task queue's health (core.workers).

recover queues again, or fails visibly, the tasks whose worker stopped (workers also do this
when they start and every half stale-limit); workers lists the workers heard from.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from borderwatch.core import workers
from borderwatch.core.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Task queue: recover the tasks of stopped workers, or list the workers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("recover", help="queue again or fail the tasks whose worker stopped")
        sub.add_parser("workers", help="the workers heard from, alive or not")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "recover":
            self.stdout.write(f"Recovery: {workers.recover()}.")
            return
        now = timezone.now()
        live = set(workers.live_workers(now).values_list("pk", flat=True))
        rows = WorkerHeartbeat.objects.all()
        if not rows:
            self.stdout.write("No worker has been heard from.")
        for hb in rows:
            state = "alive" if hb.pk in live else "silent"
            ago = (now - hb.last_seen).total_seconds()
            self.stdout.write(
                f"{hb.worker_id} {hb.host} pid {hb.pid}: {state}, last seen {ago:.0f} s ago, "
                f"started {hb.started_at:%Y-%m-%d %H:%M:%S}"
            )
        if workers.no_worker_alive():
            self.stdout.write("No task worker is running: searches and captures wait.")
