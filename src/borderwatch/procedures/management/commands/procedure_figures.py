"""`borderwatch procedure_figures check|rebuild`: the case counts behind the backlog figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.procedures.services import figures


class Command(BaseCommand):
    help = (
        "The case counts that the backlog and outcome figures read. The services keep them with"
        " every change of a case; `check` compares them with a recount, `rebuild` recounts them"
        " (after a restore or a bulk load that went around the services)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="compare the kept counts with a recount (nothing is changed)")
        sub.add_parser("rebuild", help="recount every case, in one transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            rows = figures.rebuild()
            self.stdout.write(f"Recounted the cases: {rows} count row(s).")
            return
        wrong = figures.differences()
        if wrong:
            shown = "; ".join(
                f"{'/'.join(str(part) for part in key if part)}: kept {kept}, recounted {real}"
                for key, (kept, real) in sorted(wrong.items(), key=str)[:10]
            )
            raise CommandError(
                f"{len(wrong)} count(s) differ from a recount ({shown}). "
                "Run `borderwatch procedure_figures rebuild`."
            )
        self.stdout.write("The case counts agree with a recount.")
