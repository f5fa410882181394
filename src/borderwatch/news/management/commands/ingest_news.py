"""`borderwatch ingest_news FOLDER`: ingest every article file of a folder (no network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.news import services


class Command(BaseCommand):
    help = "Ingest press articles (.txt, .html, .eml, .json) from a folder and extract claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        for name, article, outcome in services.ingest_folder(None, folder):
            claims = article.claims.count() if article is not None else 0
            self.stdout.write(f"{name}: {outcome} ({claims} claims)")
