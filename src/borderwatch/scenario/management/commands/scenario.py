"""`borderwatch scenario load belarus-2021 --seed N`: load the demo scenario reproducibly.

A load takes minutes; the command shows a progress bar on a terminal (rich) and one line per
stage with the time taken otherwise (CI logs, `make run` piped elsewhere).
"""

from __future__ import annotations

import sys
import time
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from borderwatch.scenario.loader import SCENARIOS, load


class StageReporter:
    """The loader's progress callback: a bar on a terminal, else a line per stage."""

    def __init__(self, command: BaseCommand, bar: Progress | None) -> None:
        self.command = command
        self.bar = bar
        self.task = bar.add_task("Loading", total=1) if bar is not None else None
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, description=stage, completed=done, total=total)
            return
        elapsed = time.monotonic() - self.started
        self.command.stdout.write(f"[{done}/{total}] {stage} ({elapsed:.0f} s)")


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
        bar = (
            Progress(
                TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn(),
                transient=True,
            )
            if sys.stdout.isatty() and options.get("verbosity", 1) > 0
            else None
        )  # fmt: skip
        showing: AbstractContextManager[Any] = bar if bar is not None else nullcontext()
        try:
            with showing:
                result = load(
                    options["name"],
                    options["seed"],
                    replace=options["replace"],
                    progress=StageReporter(self, bar),
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        run = result.run
        if result.loaded:
            self.stdout.write(f"Loaded {run.name} with seed {run.seed}: {run.summary}")
        else:
            self.stdout.write(
                f"{run.name} with seed {run.seed} is already loaded; nothing changed."
            )
