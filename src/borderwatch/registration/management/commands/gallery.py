"""`borderwatch gallery rebuild`: recreate the 1:N gallery index from the database's templates."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from borderwatch.registration import gallery
from borderwatch.registration.services import rebuild_gallery


class Command(BaseCommand):
    help = "Fingerprint gallery index (under settings.GALLERY_DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="replace the gallery with every person's latest set")
        sub.add_parser("size", help="persons in the saved gallery")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "size":
            self.stdout.write(f"{gallery.size()} persons in {gallery.directory()}")
            return
        start = time.monotonic()
        count = rebuild_gallery()
        self.stdout.write(
            f"Gallery rebuilt in {gallery.directory()}: {count} persons "
            f"in {time.monotonic() - start:.1f} s."
        )
