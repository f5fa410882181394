"""Files written beside a database transaction: removed again if the transaction fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import Storage


class WrittenFiles:
    """The names stored so far, to delete if the surrounding block fails."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.names: list[str] = []

    def add(self, name: str) -> None:
        self.names.append(name)


@contextmanager
def removed_on_failure(storage: Storage) -> Iterator[WrittenFiles]:
    """Wrap a `transaction.atomic()` block that saves files: if anything in it raises, the files
    it wrote are deleted, so a refused write leaves neither rows nor files behind."""
    written = WrittenFiles(storage)
    try:
        yield written
    except BaseException:
        for name in written.names:
            storage.delete(name)
        raise
