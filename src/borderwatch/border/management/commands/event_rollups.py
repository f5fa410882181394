"""`borderwatch event_rollups check|rebuild`: the daily rollups behind the picture's figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.border import rollups


class Command(BaseCommand):
    help = (
        "The daily rollups of events (per member state, section, local day, type and"
        " nationality) that the picture, the bulletin, records and year-to-date totals read."
        " The services keep them with every write of events; `check` compares them with a"
        " recount, `rebuild` recounts them (audited; after a restore or a load that went around"
        " the services)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="compare the kept rollups with a recount (nothing changes)")
        sub.add_parser("rebuild", help="recount every event, in one transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            rows = rollups.rebuild()
            self.stdout.write(f"Recounted the events: {rows} rollup row(s).")
            return
        wrong = rollups.differences()
        if wrong:
            shown = "; ".join(
                f"{'/'.join(str(part) for part in key if part != '')}: "
                f"kept {kept[0]} persons in {kept[1]} events, "
                f"recounted {real[0]} in {real[1]}"
                for key, (kept, real) in sorted(wrong.items(), key=str)[:10]
            )
            raise CommandError(
                f"{len(wrong)} rollup(s) differ from a recount ({shown}). "
                "Run `borderwatch event_rollups rebuild`."
            )
        self.stdout.write("The event rollups agree with a recount.")
