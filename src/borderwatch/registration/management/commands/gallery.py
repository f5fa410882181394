"""`borderwatch gallery rebuild|compact|size`: the 1:N gallery index (registration/gallery.py).

rebuild recreates it from the database's templates; compact folds the journal of enrolments
into a new snapshot (the task worker also does this once the journal is long)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderwatch.registration import gallery
from borderwatch.registration.services import compact_gallery, rebuild_gallery


class Command(BaseCommand):
    help = "Fingerprint gallery index (under settings.GALLERY_DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="replace the gallery with every person's latest set")
        sub.add_parser("compact", help="fold the journal into a new snapshot now")
        sub.add_parser("size", help="persons in the saved gallery")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(options["action"])
        except gallery.GalleryError as exc:  # a damaged or mismatched index: say what, exit 1
            raise CommandError(str(exc)) from None

    def _run(self, action: str) -> None:
        if action == "size":
            self.stdout.write(
                f"{gallery.size()} persons, {gallery.finger_count()} fingers in"
                f" {gallery.directory()}"
                f" ({gallery.journal_entries()} journal records since the snapshot)"
            )
            return
        start = time.monotonic()
        if action == "compact":
            entries = gallery.journal_entries()
            done = compact_gallery(force=True)
            self.stdout.write(
                f"Folded {entries} journal records into a new snapshot"
                f" in {time.monotonic() - start:.1f} s."
                if done
                else "Nothing compacted: the journal is empty, or another compaction is running."
            )
            return
        count = rebuild_gallery()
        self.stdout.write(
            f"Gallery rebuilt in {gallery.directory()}: {count} persons "
            f"in {time.monotonic() - start:.1f} s."
        )
