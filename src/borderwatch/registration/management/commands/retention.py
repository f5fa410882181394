"""`borderwatch retention due|erase-due`: the retention periods of Eurodac data, run daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.registration import services


class Command(BaseCommand):
    help = (
        "Erase the persons whose retention period has ended (recast Eurodac; years per category"
        " in settings.RETENTION_YEARS). Run `erase-due` daily (cron or a systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("due", "how many persons are due for erasure (nothing is changed)"),
            ("erase-due", "erase them, one transaction per person"),
        ):
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument(
                "--today", type=dt.date.fromisoformat, default=None,
                help="the day to count from (YYYY-MM-DD; default: today)",
            )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date | None = options["today"]
        years = ", ".join(
            f"category {c}: {y} years" for c, y in sorted(settings.RETENTION_YEARS.items())
        )
        if options["action"] == "due":
            due = services.due_for_erasure(today)
            self.stdout.write(f"{len(due)} person(s) due for erasure ({years}).")
            return
        try:
            erased = services.erase_due(today)
        except Exception as exc:  # one person's failure rolls back only that person
            raise CommandError(f"erasure stopped: {type(exc).__name__}") from exc
        self.stdout.write(f"Erased {erased} person(s) whose retention period had ended ({years}).")
