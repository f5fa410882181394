"""`borderwatch scenario load belarus-2021 --seed N`: load the demo scenario reproducibly."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.scenario.loader import SCENARIOS, load


class Command(BaseCommand):
    help = "Load a demo scenario (synthetic data around documented facts)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load_parser = sub.add_parser("load", help="generate and load a scenario")
        load_parser.add_argument("name", choices=sorted(SCENARIOS))
        load_parser.add_argument("--seed", type=int, default=2021)
        load_parser.add_argument(
            "--replace", action="store_true", help="remove the loaded scenario data and load again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load(options["name"], options["seed"], replace=options["replace"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        run = result.run
        if result.loaded:
            self.stdout.write(f"Loaded {run.name} with seed {run.seed}: {run.summary}")
        else:
            self.stdout.write(
                f"{run.name} with seed {run.seed} is already loaded; nothing changed."
            )
