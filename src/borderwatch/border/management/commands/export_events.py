"""`borderwatch export_events`: events and daily rollups as hive-partitioned Parquet folders."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.accounts.models import User
from borderwatch.border import export
from borderwatch.border.export import Request, Table

WHAT = {
    "events": [Table.EVENTS],
    "rollups": list(export.ROLLUP_TABLES),
    "all": [Table.EVENTS, *export.ROLLUP_TABLES],
}


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Export events and/or the daily rollups (per state and per section) of a period as"
        " Parquet for DuckDB or Spark: OUT/<table>/country=XX/month=YYYY-MM/part-0.parquet"
        " (docs/export.md). Audited. Without --user it runs as the system, over every state."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help="first local day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last local day, YYYY-MM-DD")
        parser.add_argument(
            "--country", action="append", help="member state code (repeat); default: all"
        )
        parser.add_argument("--out", required=True, help="folder to write the tables into")
        parser.add_argument("--what", choices=sorted(WHAT), default="all")
        parser.add_argument(
            "--withdrawn", action="store_true", help="include withdrawn events (events table)"
        )
        parser.add_argument(
            "--user", default="", help="export as this user: their role and member state"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user: User | None = None
        if options["user"]:
            try:
                user = User.objects.get(username=options["user"])
            except User.DoesNotExist:
                raise CommandError(f"No user {options['user']!r}.") from None
        request = Request(
            start=_day(options["start"]),
            end=_day(options["end"]),
            countries=tuple(c.upper() for c in options["country"]) if options["country"] else None,
            withdrawn=options["withdrawn"],
        )
        out = Path(options["out"])
        try:
            written = export.export_folder(
                user, request, out, WHAT[options["what"]], operator=getpass.getuser()
            )
        except ValidationError as exc:
            raise CommandError(
                " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for table in WHAT[options["what"]]:
            self.stdout.write(f"{table}: {written.total(table)} row(s) in {out / table}")
